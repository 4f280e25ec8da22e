"""Kind `genre`: the text is not a 法治政府建设年度报告 at all (checker/analyse/genre.py decides)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


@check("genre", NoParams, "文本根本不是法治政府建设年度报告；此时其他规则都不运行")
def genre(doc: Document, p: NoParams):
    why = doc.outline.not_report
    if why:
        first = next(iter(doc.classified), None)
        yield Hit(first.line.start if first else 1, first.line.text if first else "", {"why": why})
