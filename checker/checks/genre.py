"""Kind `genre`: the text is not a 法治政府建设年度报告 at all (checker/genre.py decides)."""
from __future__ import annotations

from .base import Hit, NoParams as Params  # noqa: F401  (no parameters)


def check(doc, p: Params):
    why = doc.outline.not_report
    if why:
        first = next(iter(doc.classified), None)
        yield Hit(first.line.start if first else 1, first.line.text if first else "", {"why": why})
