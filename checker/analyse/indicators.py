"""Figures a report gives — cases, sessions, rates — taken from its sentences with the cue words
declared in rules/indicators.yaml. A value is only ever the number written right after its cue
(no other figure in between), so nothing is invented or carried over."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..compiled import compile_kept
from ..errors import ConfigError
from ..limits import limits
from ..models import Indicator
from ..elements import opens_plan
from ..regex import vet
from ..resources import load_yaml, rules_dir
from ..termlists import Automaton

_NUMBER = r"(?P<v>\d+(?:\.\d+)?)"
_SENTENCE_END = compile_kept(r"[。；;!！?？]")
_GAP = 26            # characters allowed between the verb (or subject) and the figure


@dataclass(frozen=True)
class _Spec:
    id: str
    name: str
    subject: re.Pattern
    figure: re.Pattern           # verb (or subject) … number unit, no digit in between
    kind: str
    not_after: re.Pattern        # the list-wide words and its own


class _Needing:
    """A pattern that can only match a text holding each of `needs` (literal characters it
    contains): a text without them is passed over unscanned. The other-rates pattern opens with
    a lazy run of up to 12 characters tried at every position of a paragraph; most paragraphs
    hold no 「率」 or no 「%」 (on the corpus this took it from 0.32 to under 0.1 ms a report)."""

    def __init__(self, pattern: re.Pattern, needs: tuple[str, ...], where: str):
        missing = [n for n in needs if n not in pattern.pattern]
        if missing:         # a need the pattern does not spell out could drop its matches
            raise ConfigError(f"{where}: needs 中的 {'、'.join(missing)} 不在 pattern 中")
        self.pattern, self.needs = pattern, needs

    def finditer(self, text: str):
        return self.pattern.finditer(text) if all(n in text for n in self.needs) else iter(())


@lru_cache(maxsize=1)
def _specs() -> tuple[tuple[_Spec, ...], Automaton, _Needing, str, tuple[str, ...], re.Pattern, re.Pattern,
                      re.Pattern, re.Pattern]:
    path = rules_dir() / "indicators.yaml"
    d = load_yaml(path)
    specs, subjects = [], {}
    try:
        for i, ind in enumerate(d["indicators"]):
            subj = "|".join(map(re.escape, ind["subject"]))
            words = {*ind["verbs"], *ind["subject"]} if ind.get("direct") or not ind["verbs"] else set(ind["verbs"])
            # longest first, so a word is not cut short by its own prefix; ties in one order
            # whatever the set's, so that the pattern is the one kept from the last run
            # (checker/compiled.py)
            lead = "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w))))
            units = "|".join(map(re.escape, sorted(ind["units"], key=len, reverse=True)))
            figure = vet(f"(?P<lead>{lead})[^，,。；;!！?？\\d]{{0,{_GAP}}}?{_NUMBER}(?P<wan>万)?\\s*(?P<u>(?:余|多)?(?:{units}))"
                         f"(?!{d.get('not_counted_after_unit') or '(?!)'})",
                         where=f"{path}: indicators[{i}]")
            own = "|".join(map(re.escape, ind.get("not_after") or ()))
            specs.append(_Spec(ind["id"], ind["name"], compile_kept(subj), figure, ind.get("kind", "count"),
                               compile_kept("|".join(x for x in (d["not_after"], own) if x))))
            for s in ind["subject"]:
                subjects.setdefault(s, []).append(len(specs) - 1)
        other = d["other_rates"]
        where = f"{path}: other_rates"
        return (tuple(specs), Automaton(subjects), _Needing(vet(other["pattern"], where=where), tuple(other.get("needs") or ()), where),
                other["id"], tuple(d["scope"]), compile_kept(d["not_after"]), compile_kept(other.get("exclude") or "(?!)"),
                compile_kept(d.get("not_between") or "(?!)"), compile_kept(d.get("aim_before") or "(?!)"))
    except (KeyError, TypeError) as e:
        raise ConfigError(f"{path}: 缺少或错误的字段 {e}") from None


def indicator_ids() -> frozenset[str]:
    """The ids rules/indicators.yaml declares (rules naming indicators are checked against them
    when loaded): read from the file, not from the compiled patterns, which a command that only
    loads the rules (fzcheck rules) does not need."""
    path = rules_dir() / "indicators.yaml"
    d = load_yaml(path)
    try:
        return frozenset({ind["id"] for ind in d["indicators"]} | {d["other_rates"]["id"]})
    except (KeyError, TypeError) as e:
        raise ConfigError(f"{path}: 缺少或错误的字段 {e}") from None


def _paragraphs(doc, scope: tuple[str, ...]):
    """The paragraphs of the parts in scope, without those that open with a plan cue
    (「2020年，我市将…」「下一步，…」): their figures are targets. In a part that also carries the
    plan (「存在的问题和下一步工作打算」), everything from that paragraph on is the plan."""
    if "preamble" in scope:
        yield from doc.report.preamble
    year = doc.meta.report_year
    for info, part in zip(doc.outline.parts, doc.report.parts):
        kind = "measures" if info.thematic else (info.element or "unknown")
        if kind not in scope:
            continue
        for para in part.paragraphs():
            if opens_plan(para.norm, year):
                if "next_plan" in info.elements:
                    break
                continue
            yield para


def extract(doc) -> list[Indicator]:
    specs, subjects, other, other_id, scope, not_after, other_exclude, not_between, aim = _specs()
    found: list[Indicator] = []
    for para in _paragraphs(doc, scope):
        norm = para.norm
        present = {i for _, _, idx in subjects.find(norm) for i in idx}
        # every indicator that reads a figure at a position; the one whose subject is named
        # nearest before the figure takes it (「…法治思想学习宣传教育活动，组织举办普法宣传40场次」
        # is 普法, not 学习), the earlier in the file on a tie
        candidates: dict[int, tuple[int, int, re.Match, int]] = {}
        for i in sorted(present):
            spec = specs[i]
            for m in spec.figure.finditer(norm):
                at = m.start("v")
                if spec.not_after.search(norm, max(0, m.start() - 4), at) or not_between.search(norm, m.end("lead"), at):
                    continue
                start = _sentence_start(norm, m.start())
                if aim.search(norm, start, at):
                    continue
                last = None
                for sm in spec.subject.finditer(norm, start, at):
                    last = sm
                if last is None:
                    continue        # the subject is not in this sentence before the figure
                key = (at - last.end(), i)
                if at not in candidates or key < candidates[at][:2]:
                    candidates[at] = (*key, m, start)
        for _, (_, i, m, start) in sorted(candidates.items()):
            found.append(_indicator(specs[i].id, specs[i].name, m, para, start))
        for m in other.finditer(norm):
            if (m.start("v") not in candidates and not other_exclude.search(m.group("name"))
                    and not not_after.search(norm, max(0, m.start() - 4), m.start("v"))
                    and not aim.search(norm, _sentence_start(norm, m.start()), m.start("v"))):
                found.append(_indicator(other_id, m.group("name"), m, para, _sentence_start(norm, m.start())))
    found.sort(key=lambda x: x.line)
    # the first figures in the text (rules/limits.yaml): 20,000 of them made 5 MB of JSON
    return found[:limits().indicators.max]


def _sentence_start(norm: str, pos: int) -> int:
    # not further back than limits.yaml's sentence_chars: on a line with no full stop, a search
    # back to its start for each figure is quadratic
    floor = max(0, pos - limits().sentence_chars)
    return max(floor - 1, *(norm.rfind(p, floor, pos) for p in "。；;!！?？")) + 1


def _indicator(id_: str, name: str, m: re.Match, para, start: int) -> Indicator:
    raw = m.group("v")
    value = float(raw) if "." in raw else int(raw)
    if m.groupdict().get("wan"):                         # 「1.2万余件」: 12000, unit 余件
        value = round(value * 10000)
    # not further on than sentence_chars either: the figures of a paragraph with no full stop
    # would each scan to its end (1 MB of them: minutes)
    limit = m.end() + limits().sentence_chars
    end = _SENTENCE_END.search(para.norm, m.end(), limit)
    end = end.end() if end else min(len(para.text), limit)
    # the sentence, or a window of it around the figure when it is long
    a, b = max(start, m.start() - 30), min(end, m.end() + 20)
    text = ("…" if a > start else "") + para.text[a:b].strip() + ("…" if b < end else "")
    return Indicator.model_construct(id=id_, name=name, value=value, unit=m.group("u"),
                                     line=para.line_at(m.start("v")), text=text)
