"""Kind `pattern`: regular expressions that must not (forbid) or must (require) occur in a
part of the report. Patterns see full-width forms folded to ASCII; quotes show the text as
written."""
from __future__ import annotations

from bisect import bisect_right
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from ..errors import ConfigError
from ..analyse.lines import CLOSING_KINDS
from ..regex import alternation, vet
from ..text import fold
from .base import Hit, window

# Which classified lines each scope covers (terminals of grammar/report.lark).
SCOPES = {
    "title": {"TITLE"},
    "head": {"TITLE", "HDATE", "ADDRESSEE"},
    "headings": {"H1", "H2", "H3", "H4"},
    "structure": {"TITLE", "H1", "H2", "H3", "H4"},            # the title and the headings
    "body": {"PARA", "ITEM", "H1", "H2", "H3", "H4"},
    "closing": set(CLOSING_KINDS),
    "text": None,                     # every line of the report
}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: Literal["title", "head", "headings", "structure", "body", "closing", "text"] = "text"
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


def _joined(doc, scope: str):
    """The scope's lines as one text (one regex scan per rule instead of one per line) and
    where each line starts in it, joined by NUL."""
    def build():
        lines = lines_in(doc, scope)
        starts, pos = [], 0
        for c in lines:
            starts.append(pos)
            pos += len(c.line.norm) + 1
        return lines, starts, "\0".join(c.line.norm for c in lines)
    return doc.memo(f"joined:{scope}", build)


def check(doc, p: Params):
    rx, unless = p.compiled()
    lines, starts, joined = _joined(doc, p.scope)
    if p.mode == "require":
        # a title wrapped over two lines (a PDF's large centred title) is judged whole
        if lines and not any(rx.search(c.line.norm) for c in lines) and not (
                p.scope == "title" and rx.search(fold(doc.meta.title or ""))):
            shown = (doc.meta.title if p.scope == "title" else None) or lines[0].line.text
            yield Hit(lines[0].line.start, shown, {"text": shown})
        return
    per_line: dict[int, list[tuple[int, int]]] = {}
    rescan: set[int] = set()
    for m in rx.finditer(joined):
        i = bisect_right(starts, m.start()) - 1
        s, e = m.start() - starts[i], m.end() - starts[i]
        if e > len(lines[i].line.norm):
            # ran across a line end (a pattern with . or [^…]): look at the lines it spans alone
            j = bisect_right(starts, m.end() - 1) - 1
            rescan.update(range(i, j + 1))
            continue
        per_line.setdefault(i, []).append((s, e))
    for i in rescan:
        per_line[i] = sorted({*per_line.get(i, []), *(m.span() for m in rx.finditer(lines[i].line.norm))})
    n = 0
    for i, spans in sorted(per_line.items()):
        c = lines[i]
        norm, text = c.line.norm, c.line.text
        if unless is not None:
            allowed = [u.span() for u in unless.finditer(norm)]
            spans = [(s, e) for s, e in spans if not any(a < e and s < b for a, b in allowed)]
        by_line: dict[int, list[tuple[int, int]]] = {}   # one finding per source line, every match quoted
        for s, e in spans:
            by_line.setdefault(c.line.line_at(s), []).append((s, e))
        for line, ms in by_line.items():
            found = list(dict.fromkeys(text[s:e].strip() for s, e in ms))
            yield Hit(line, window(text, ms[0][0], ms[-1][1]), {"match": "」「".join(found)})
            n += 1
            if n >= p.max_hits:
                return
