"""Kind `pattern`: regular expressions that must not (forbid) or must (require) occur in a
part of the report. Patterns see full-width forms folded to ASCII; quotes show the text as
written."""
from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from ..analyse.lines import CLOSING_KINDS
from ..regex import alternation
from ..text import fold
from .base import Hit, Regex, Strict, window
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

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


class Rewrite(Strict):
    pattern: Regex = Field(description="正则表达式，按原文匹配")
    to: str = Field(description="相符的字改成什么（可用 \\1 引用分组）")


class Params(Strict):
    scope: Literal["title", "head", "headings", "structure", "body", "closing", "text"] = Field(
        "text", description="在哪些行中找：title（标题）、head（标题、标题下日期、主送机关）、headings（各级小标题）、"
                            "structure（标题和小标题）、body（正文和小标题）、closing（落款）、text（全文）")
    patterns: list[Regex] = Field(description="正则表达式（全角字符已折成半角）：forbid 时出现即报，require 时一个都没有才报")
    unless: list[Regex] = Field([], description="与其中之一重叠的匹配不算问题")
    mode: Literal["forbid", "require"] = Field("forbid", description="forbid（不得出现）或 require（必须出现）")
    max_hits: int = Field(5, ge=1, description="每篇报告至多报出几处（一个粘贴的占位符不必报 40 次）")
    raw: bool = Field(False, description="按原文匹配，全角字符不折成半角（要区分全角与半角标点时）")
    rewrite: list[Rewrite] = Field([], description="require 时：文字与其中一条的 pattern 相符，就把相符的字改为它的 to"
                                                     "（消息中的 {fixed}，供 fix 使用）")

    @field_validator("patterns", "unless")
    @classmethod
    def _compile(cls, v):
        if v:
            alternation(v)          # each is vetted; together they must compile too (flags)
        return v

    def compiled(self):
        c = getattr(self, "_c", None)
        if c is None:
            c = (alternation(self.patterns), alternation(self.unless) if self.unless else None)
            object.__setattr__(self, "_c", c)
        return c


def _rewritten(p: Params, text: str) -> dict:
    """The first rewrite that fits the line: the words it changes and what they become."""
    import re
    for rw in p.rewrite:
        m = re.search(rw.pattern, text)
        if m:
            return {"words": m.group(0), "fixed": m.expand(rw.to)}
    return {}


def lines_in(doc: Document, scope: str):
    kinds = SCOPES[scope]
    return [c for c in doc.classified if kinds is None or c.kind in kinds]


def _joined(doc: Document, scope: str, raw: bool = False):
    """The scope's lines as one text (one regex scan per rule instead of one per line) and
    where each line starts in it, joined by NUL; folded (norm) unless `raw`."""
    def build():
        lines = lines_in(doc, scope)
        starts, pos = [], 0
        for c in lines:
            starts.append(pos)
            pos += len(c.line.norm) + 1
        return lines, starts, "\0".join((c.line.text if raw else c.line.norm) for c in lines)
    return doc.memo(f"joined:{scope}:{raw}", build)


@check("pattern", Params, "正则表达式：不得出现（forbid）或必须出现（require）在报告的某一范围内")
def pattern(doc: Document, p: Params):
    rx, unless = p.compiled()
    lines, starts, joined = _joined(doc, p.scope, p.raw)
    if p.mode == "require":
        # a title wrapped over two lines (a PDF's large centred title) is judged whole
        if lines and not any(rx.search(c.line.norm) for c in lines) and not (
                p.scope == "title" and rx.search(fold(doc.meta.title or ""))):
            shown = (doc.meta.title if p.scope == "title" else None) or lines[0].line.text
            found = _rewritten(p, lines[0].line.text)
            yield Hit(lines[0].line.start, shown, {"text": shown, **found},
                      words=(found["words"],) if found else ())
        return
    per_line: dict[int, list[tuple[int, int]]] = {}
    rescan: set[int] = set()
    for m in rx.finditer(joined):
        a, b = m.span()
        i = bisect_right(starts, a) - 1
        s, e = a - starts[i], b - starts[i]
        if e > len(lines[i].line.norm):
            # ran across a line end (a pattern with . or [^…]): look at the lines it spans alone
            j = bisect_right(starts, b - 1) - 1
            rescan.update(range(i, j + 1))
            continue
        per_line.setdefault(i, []).append((s, e))
    for i in rescan:
        line_text = lines[i].line.text if p.raw else lines[i].line.norm
        per_line[i] = sorted({*per_line.get(i, []), *(m.span() for m in rx.finditer(line_text))})
    n = 0
    for i, spans in sorted(per_line.items()):
        c = lines[i]
        norm, text = (c.line.text if p.raw else c.line.norm), c.line.text
        if unless is not None:
            allowed = [u.span() for u in unless.finditer(norm)]
            spans = [(s, e) for s, e in spans if not any(a < e and s < b for a, b in allowed)]
        by_line: dict[int, list[tuple[int, int]]] = {}   # one finding per source line, every match quoted
        if len(c.line.spans) == 1:
            if spans:
                by_line[c.line.start] = spans             # a line of one piece: no search per match
        else:
            for s, e in spans:
                by_line.setdefault(c.line.line_at(s), []).append((s, e))
        for line, ms in by_line.items():
            found = list(dict.fromkeys(text[s:e].strip() for s, e in ms))
            yield Hit(line, window(text, ms[0][0], ms[-1][1]), {"match": "」「".join(found)}, words=tuple(found))
            n += 1
            if n >= p.max_hits:
                return
