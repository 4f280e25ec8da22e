"""Kinds `years.*`: the year reported on, the year planned for and the date signed agree.

A report on year Y describes Y's measures and the plan for Y+1 (《法治政府建设与责任落实督察工作
规定》: 上一年度… / 下一年度…); when it is signed is the `deadline` kind's business."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..compiled import compile_kept
from ..text import YEAR, fold, year_value, years_in
from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

# 「2025年，我镇将…」 opens a plan for 2025; 「在2024年工作的基础上…」 does not.
_LEADING_YEAR = compile_kept(rf"^\s*({YEAR})\s*年(?:度)?\s*[,，]")


@check("years.title", NoParams, "标题写的年度与正文开头写的报告年度不一致")
def title(doc: Document, p: NoParams):
    # the title says one year, the report's own opening another (meta.py reads both): the
    # opening is what the report is about, the title is the slip
    m, y = doc.meta, doc.meta.report_year
    if not y:
        return
    if m.title_year and m.body_year and m.title_year != m.body_year and m.title_line:
        line = next((c for c in doc.classified if c.line.start <= m.body_year_line <= c.line.end), None)
        quote = _around_year(line.line.text, m.body_year) if line else ""
        yield Hit(m.title_line, m.title or "", {"year": y, "next": y + 1, "title": m.title or "",
                                                "title_year": m.title_year, "body_year": m.body_year,
                                                "body_line": m.body_year_line, "quote": quote})


@check("years.plan", NoParams, "下一年度安排一部分的标题（或开头一句）写的不是报告年度的下一年")
def plan(doc: Document, p: NoParams):
    y = doc.meta.report_year
    if y:
        yield from _part_years(doc, "next_plan", y, y + 1)


@check("years.measures", NoParams, "举措和成效一部分的标题写的不是报告年度")
def measures(doc: Document, p: NoParams):
    y = doc.meta.report_year
    if y:
        yield from _part_years(doc, "measures", y, y)


def _part_years(doc: Document, element: str, y: int, want: int):
    """The parts of this element whose heading names years, none of them `want`; a plan's part
    with no year in its heading is read by its first sentence (「2025年，我镇将…」)."""
    base = {"year": y, "next": y + 1}
    for info, part in zip(doc.outline.parts, doc.report.parts):
        if info.element != element or info.thematic:
            continue
        found = years_in(part.heading)
        line, text = part.line, f"{part.marker}{part.heading}"
        if not found and element == "next_plan":
            first = next(part.paragraphs(), None)
            m = _LEADING_YEAR.match(fold(first.text)) if first else None
            if m and want not in years_in(first.text):
                found, line, text = [year_value(m.group(1))], first.line, first.text[:30]
        if found and want not in found:
            # one year named, the wrong one: those are the words to change (YEAR-PLAN's fix)
            words = (str(found[0]),) if len(set(found)) == 1 and str(found[0]) in text else ()
            yield Hit(line, text, {**base, "found": "、".join(map(str, found)), "heading": text}, words=words)


def _around_year(text: str, year: int) -> str:
    """The words of a line around the year it names (「现将2024年度法治政府建设情况报告如下」)."""
    i = fold(text).find(str(year))
    if i < 0:
        return text[:30]
    return text[max(0, i - 8):i + 22].strip()
