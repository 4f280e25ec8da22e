"""Term lists (rules/terms/*.yaml): data with an effective period and a source each, validated
when loaded, extended by a unit's own files, and matched with an Aho–Corasick automaton."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .errors import ConfigError, describe
from .regex import vet
from .resources import load_yaml, rules_dir

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)     # frozen: hashable, cacheable


class Event(_Strict):
    id: str
    names: tuple[str, ...]
    also: tuple[str, ...] = ()
    held: str                                # YYYY-MM
    expected: tuple[int, int | None] | None = None
    stale: int | None = None
    valid: tuple[int, int] | None = None
    group: str | None = None
    source: str

    @field_validator("held")
    @classmethod
    def _held(cls, v: str) -> str:
        if not re.fullmatch(r"(19|20)\d{2}-(0[1-9]|1[0-2])", v):
            raise ValueError("应写作 年-月，如 2024-07")
        return v

    def held_ym(self) -> tuple[int, int]:
        y, m = self.held.split("-")
        return int(y), int(m)


class WrongForm(_Strict):
    id: str
    wrong: str
    right: str
    unless: tuple[str, ...] = ()
    source: str

    @field_validator("wrong")
    @classmethod
    def _wrong(cls, v: str) -> str:
        vet(v)
        return v


class Regulation(_Strict):
    title: str
    source: str
    valid_from: str | None = None            # YYYY-MM-DD: in force from this day
    valid_until: str | None = None           # YYYY-MM-DD: repealed or replaced on this day
    replaced_by: str | None = None           # the title in force after it

    @field_validator("valid_from", "valid_until", mode="before")
    @classmethod
    def _day(cls, v):
        if v is None:
            return v
        v = str(v)       # YAML reads 2022-05-01 as a date
        try:
            date.fromisoformat(v)
        except ValueError:
            raise ValueError("应写作 年-月-日，如 2022-05-01") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError("应写作 年-月-日，如 2022-05-01")
        return v

    @model_validator(mode="after")
    def _order(self):
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until 应晚于 valid_from")
        return self


class Area(_Strict):
    id: str
    name: str
    cues: tuple[str, ...]


ENTRY_MODELS: dict[str, type[BaseModel] | type] = {
    "events": Event, "wrong_forms": WrongForm, "regulations": Regulation,
    "gangyao_areas": Area, "stock_phrases": str, "stock_passages": str,
}


class TermList(BaseModel):
    model_config = ConfigDict(extra="allow")       # list-level settings (years, specific…)
    list: str
    entries: list[Any]


def _load(path: Path) -> TermList:
    d = load_yaml(path)
    if not isinstance(d, dict) or "list" not in d:
        raise ConfigError(f"{path}: 词表文件应有 list（词表名称）和 entries（条目）两个字段")
    name = d["list"]
    model = ENTRY_MODELS.get(name)
    if model is None:
        raise ConfigError(f"{path}: 未知的词表 {name!r}（可用：{', '.join(ENTRY_MODELS)}）")
    entries = []
    for i, e in enumerate(d.get("entries") or []):
        if model is str:
            if not isinstance(e, str):
                raise ConfigError(f"{path}: entries[{i}] 应为文本")
            vet(e, where=f"{path}: entries[{i}]")
            entries.append(e)
            continue
        try:
            entries.append(model.model_validate(e))
        except ValidationError as err:
            rid = e.get("id") or e.get("title") if isinstance(e, dict) else i
            raise ConfigError(f"{path}: 词表 {name} 条目 {rid} {describe(err)}") from None
    extra = {k: v for k, v in d.items() if k not in ("list", "entries")}
    return TermList(list=name, entries=entries, **extra)


@lru_cache(maxsize=16)
def term_lists(extra: tuple[str, ...] = ()) -> dict[str, TermList]:
    """Built-in lists, then a unit's own files in order: entries are added to the list they name,
    list-level settings of a later file win."""
    out: dict[str, TermList] = {}
    builtin = sorted((rules_dir() / "terms").glob("*.yaml"))
    for path in [*builtin, *map(Path, extra)]:
        tl = _load(path)
        if tl.list == "events" and path not in builtin:
            _known_groups(tl, path)
        if tl.list in out:
            base = out[tl.list]
            merged = {**base.model_extra, **tl.model_extra}
            out[tl.list] = TermList(list=tl.list, entries=[*base.entries, *tl.entries], **merged)
        else:
            out[tl.list] = tl
    return out


@lru_cache(maxsize=1)
def event_groups() -> tuple[str, ...]:
    """The groups of the built-in events list, which a rule of kind terms.expected may name."""
    return tuple(sorted({e.group for e in term_lists()["events"].entries if e.group is not None}))


def _known_groups(tl: TermList, path: Path) -> None:
    """A unit's events join the built-in groups or none: a rule's group is checked when the rule
    is loaded, before the unit's term files are known."""
    for e in tl.entries:
        if e.group is not None and e.group not in event_groups():
            raise ConfigError(f"{path}: 词表 events 条目 {e.id} 字段 group：未知的分组 {e.group!r}"
                              f"（可用：{'、'.join(event_groups())}；或不填）")


class Automaton:
    """Many literal terms found in one pass (pyahocorasick); payloads returned with each hit."""

    def __init__(self, terms: dict[str, Any]):
        import ahocorasick
        self._a = ahocorasick.Automaton()
        for term, payload in terms.items():
            self._a.add_word(term, (len(term), payload))
        self._empty = not terms
        if terms:
            self._a.make_automaton()

    def payloads(self, text: str, enough: int | None = None) -> set:
        """The payloads of the terms that occur, stopping once `enough` distinct ones are seen."""
        seen: set = set()
        if self._empty:
            return seen
        for _, (_, p) in self._a.iter(text):
            seen.add(p)
            if enough is not None and len(seen) >= enough:
                break
        return seen

    def find(self, text: str):
        """(start, end, payload) of every occurrence, longest first where they overlap."""
        if self._empty:
            return []
        hits = [(end - n + 1, end + 1, p) for end, (n, p) in self._a.iter(text)]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, last_end = [], -1
        for h in hits:
            if h[0] >= last_end:
                out.append(h)
                last_end = h[1]
        return out


_DERIVED: dict[tuple[int, str], tuple[TermList, object]] = {}


def derived(tl: TermList, key: str, build):
    """Something built from a term list (an automaton, compiled patterns), built once per list.
    Keyed by the list object: term lists are loaded once per set of files and then shared."""
    k = (id(tl), key)
    hit = _DERIVED.get(k)
    if hit is None or hit[0] is not tl:
        hit = (tl, build())
        _DERIVED[k] = hit
    return hit[1]
