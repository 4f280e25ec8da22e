"""Kind `repeated`: a paragraph that occurs twice word for word in one report (a copy-paste slip).
Headings are not paragraphs; whitespace is ignored and full-/half-width forms are alike."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_chars: int = 30          # characters (whitespace removed) a paragraph needs to count
    quote_chars: int = 20        # how much of the paragraph's start the finding quotes
    max_hits: int = 5


def _paragraphs(doc):
    yield from doc.report.preamble
    for part in doc.report.parts:
        yield from part.paragraphs()


def check(doc, p: Params):
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
