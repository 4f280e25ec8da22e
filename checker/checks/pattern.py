"""Kind `pattern`: regular expressions that must not (forbid) or must (require) occur in a
part of the report. Patterns see full-width forms folded to ASCII; quotes show the text as
written."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from ..errors import ConfigError
from ..regex import alternation, vet
from .base import Hit, window

# Which classified lines each scope covers (terminals of grammar/report.lark).
SCOPES = {
    "title": {"TITLE"},
    "head": {"TITLE", "HDATE", "ADDRESSEE"},
    "headings": {"H1", "H2", "H3", "H4"},
    "body": {"PARA", "ITEM", "H1", "H2", "H3", "H4"},
    "closing": {"CLOSING", "SIGN", "DATE", "ATTACH", "TAIL"},
    "text": None,                     # every line of the report
}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: Literal["title", "head", "headings", "body", "closing", "text"] = "text"
    patterns: list[str]
    unless: list[str] = []            # a match overlapping one of these is not a finding
    mode: Literal["forbid", "require"] = "forbid"
    max_hits: int = 5                 # per report: one pasted placeholder need not fire 40 times

    @field_validator("patterns", "unless")
    @classmethod
    def _compile(cls, v):
        for i, pat in enumerate(v):
            try:
                vet(pat)
            except ConfigError as e:
                raise ValueError(f"第 {i + 1} 个：{e}") from None
        if v:
            alternation(v)
        return v

    def compiled(self):
        c = getattr(self, "_c", None)
        if c is None:
            c = (alternation(self.patterns), alternation(self.unless) if self.unless else None)
            object.__setattr__(self, "_c", c)
        return c


def lines_in(doc, scope: str):
    kinds = SCOPES[scope]
    return [c for c in doc.classified if kinds is None or c.kind in kinds]


def check(doc, p: Params):
    rx, unless = p.compiled()
    lines = lines_in(doc, p.scope)
    if p.mode == "require":
        if lines and not any(rx.search(c.line.norm) for c in lines):
            shown = (doc.meta.title if p.scope == "title" else None) or lines[0].line.text
            yield Hit(lines[0].line.start, shown, {"text": shown})
        return
    n = 0
    for c in lines:
        norm, text = c.line.norm, c.line.text
        allowed = None
        by_line: dict[int, list] = {}      # one finding per source line, quoting every match
        for m in rx.finditer(norm):
            if unless is not None:
                if allowed is None:
                    allowed = [u.span() for u in unless.finditer(norm)]
                if any(a < m.end() and m.start() < b for a, b in allowed):
                    continue
            by_line.setdefault(c.line.line_at(m.start()), []).append(m)
        for line, ms in by_line.items():
            found = list(dict.fromkeys(text[m.start():m.end()].strip() for m in ms))
            yield Hit(line, window(text, ms[0].start(), ms[-1].end()), {"match": "」「".join(found)})
            n += 1
            if n >= p.max_hits:
                return
