"""Which finding of one draft is which finding of the next — for the baseline (新增 / 仍存在 /
已改正) and for waivers alike: exactly the same key first, then the same rule in the same part
of the outline with a similar excerpt, one to one, the most similar pairs first.

Exact alone is not enough: editing the flagged sentence (a word, a figure, a clause) changes
its excerpt, hence its id and fingerprint, and the finding came out both 已改正 and 新增 while
its waiver lapsed. Similar alone is too loose: two findings of one rule on two sentences of one
part are two findings. So the near match is bounded by rule and part, and is one to one: an
earlier finding stands for one finding now, the closest, and the rest are new or fixed."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from .compiled import compile_kept
from .resources import load_model
from .text import fold


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")
    similar: float
    alone: float
    waiver_note: str


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    return load_model("matching.yaml", Thresholds)


def normalise(excerpt: str) -> str:
    """An excerpt as compared: width folded, whitespace and ellipses dropped (the excerpt's
    cut marks, a line broken differently in another format)."""
    return _DROPPED.sub("", fold(excerpt))


_DROPPED = compile_kept(r"[\s…]+")


@dataclass(frozen=True)
class Key:
    """What a finding (or a waiver) is matched by. `part` None: not known (a waiver written
    without one), any part will do; `exact`: the id or fingerprint that matches outright."""
    rule: str
    part: str | None
    exact: str
    text: str                   # the normalised excerpt


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair(before: list[Key], now: list[Key], exact: bool = True, lone: bool = True) -> dict[int, tuple[int, float]]:
    """index in `now` → (index in `before`, similarity; 1.0 for an exact match), one to one.

    Exact keys first (in order, so two identical findings pair with two identical ones); then,
    among what is left, pairs of one rule and one part whose excerpts are at least `similar`
    alike — or, with `lone`, `alone` alike when each is the other's only candidate left in one
    known part — best first. A waiver passes lone=False: it is written once and may meet any
    report of a batch, where the one other generic sentence of a part is not the waived one."""
    t = thresholds()
    out: dict[int, tuple[int, float]] = {}
    taken: set[int] = set()
    if exact:
        by_key: dict[tuple[str, str], list[int]] = {}
        for i, b in enumerate(before):
            by_key.setdefault((b.rule, b.exact), []).append(i)
        for j, n in enumerate(now):
            waiting = by_key.get((n.rule, n.exact))
            if waiting:
                i = waiting.pop(0)
                out[j] = (i, 1.0)
                taken.add(i)
    left_b = [i for i in range(len(before)) if i not in taken]
    left_n = [j for j in range(len(now)) if j not in out]
    by_rule: dict[str, list[int]] = {}
    for i in left_b:
        by_rule.setdefault(before[i].rule, []).append(i)
    candidates = {j: [i for i in by_rule.get(now[j].rule, ()) if _same_part(before[i], now[j])] for j in left_n}
    rivals: dict[int, int] = {}
    for j, iis in candidates.items():
        for i in iis:
            rivals[i] = rivals.get(i, 0) + 1
    scored = []
    for j, iis in candidates.items():
        for i in iis:
            alone = (lone and len(iis) == 1 and rivals[i] == 1
                     and before[i].part is not None and now[j].part is not None)
            floor = t.alone if alone else t.similar
            a, b = before[i].text, now[j].text
            if not a or not b:
                continue
            sm = SequenceMatcher(None, a, b, autojunk=False)
            # the cheap upper bounds first: most pairs of a rule in a part are plainly different
            if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
                continue
            r = sm.ratio()
            if r >= floor:
                scored.append((r, j, i))
    # best first; on a tie, the earlier finding in order (findings are listed by line)
    for r, j, i in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if j not in out and i not in taken:
            out[j] = (i, r)
            taken.add(i)
    return out


def _same_part(b: Key, n: Key) -> bool:
    return b.part is None or n.part is None or b.part == n.part
