"""Kinds `meta.*`: a piece of the report's metadata could not be found."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..analyse.meta import issuer_from_title
from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


@check("meta.title", NoParams, "找不到报告标题：指在第一行")
def title(doc: Document, p: NoParams):
    if doc.meta.title:
        return
    first = next((c for c in doc.classified), None)
    yield Hit(first.line.start if first else 1, first.line.text if first else "", {})


@check("meta.title_issuer", NoParams, "标题中找不到发文单位（没有标题时不报，那是 meta.title 的事）")
def title_issuer(doc: Document, p: NoParams):
    m = doc.meta
    if not m.title or issuer_from_title(m.title):
        return
    yield Hit(m.title_line, m.title or "", {"title": m.title or ""})


@check("meta.report_year", NoParams, "找不到报告年度（正文和标题都没有写）")
def report_year(doc: Document, p: NoParams):
    yield from _unknown(doc, doc.meta.report_year)


@check("meta.level", NoParams, "判断不出单位层级（省、市、县、乡镇、部门……）")
def level(doc: Document, p: NoParams):
    yield from _unknown(doc, doc.meta.level)


def _unknown(doc: Document, value):
    if value:
        return
    m = doc.meta
    yield Hit(m.title_line, m.title or "", {"title": m.title or ""})
