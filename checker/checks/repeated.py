"""Kind `repeated`: a paragraph that occurs twice word for word in one report (a copy-paste slip).
Headings are not paragraphs; whitespace is ignored and full-/half-width forms are alike."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from .base import Hit, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


class Params(Strict):
    min_chars: int = Field(30, ge=1, description="段落（去掉空白后）至少多少字才比较")
    quote_chars: int = Field(20, ge=1, description="问题中引用段落开头的多少字")
    max_hits: int = Field(5, ge=1, description="每篇报告至多报出几处")


def _paragraphs(doc: Document):
    yield from doc.report.preamble
    for part in doc.report.parts:
        yield from part.paragraphs()


@check("repeated", Params, "同一篇报告中一字不差地出现两次的段落（复制粘贴失误）")
def repeated(doc: Document, p: Params):
    first: dict[str, int] = {}
    n = 0
    for para in _paragraphs(doc):
        if len(para.norm) < p.min_chars:
            continue            # cannot have min_chars once whitespace is removed
        key = "".join(para.norm.split())
        if len(key) < p.min_chars:
            continue
        at = first.setdefault(key, para.line)
        if at == para.line:
            continue
        text = para.text.strip()
        start = text[:p.quote_chars] + ("…" if len(text) > p.quote_chars else "")
        yield Hit(para.line, start, {"start": start, "first": at})
        n += 1
        if n >= p.max_hits:
            return
