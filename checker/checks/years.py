"""Kind `years`: the year reported on, the year planned for and the date signed agree.

A report on year Y describes Y's measures and the plan for Y+1 (《法治政府建设与责任落实督察工作
规定》: 上一年度… / 下一年度…); when it is signed is the `deadline` kind's business."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..text import YEAR, fold, year_value, years_in
from .base import Hit

# 「2025年，我镇将…」 opens a plan for 2025; 「在2024年工作的基础上…」 does not.
_LEADING_YEAR = re.compile(rf"^\s*({YEAR})\s*年(?:度)?\s*[,，]")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check: Literal["plan", "measures", "title"]


def check(doc, p: Params):
    y = doc.meta.report_year
    if not y:
        return
    base = {"year": y, "next": y + 1}
    if p.check == "title":
        # the title says one year, the report's own opening another (meta.py reads both): the
        # opening is what the report is about, the title is the slip
        m = doc.meta
        if m.title_year and m.body_year and m.title_year != m.body_year and m.title_line:
            line = next((c for c in doc.classified if c.line.start <= m.body_year_line <= c.line.end), None)
            quote = _around_year(line.line.text, m.body_year) if line else ""
            yield Hit(m.title_line, m.title or "", {**base, "title": m.title or "", "title_year": m.title_year,
                                                    "body_year": m.body_year, "body_line": m.body_year_line,
                                                    "quote": quote})
        return
    element, want = ("next_plan", y + 1) if p.check == "plan" else ("measures", y)
    for info, part in zip(doc.outline.parts, doc.report.parts):
        if info.element != element or info.thematic:
            continue
        found = years_in(part.heading)
        line, text = part.line, f"{part.marker}{part.heading}"
        if not found and p.check == "plan":
            first = next(part.paragraphs(), None)
            m = _LEADING_YEAR.match(fold(first.text)) if first else None
            if m and want not in years_in(first.text):
                found, line, text = [year_value(m.group(1))], first.line, first.text[:30]
        if found and want not in found:
            yield Hit(line, text, {**base, "found": "、".join(map(str, found)), "heading": text})


def _around_year(text: str, year: int) -> str:
    """The words of a line around the year it names (「现将2024年度法治政府建设情况报告如下」)."""
    i = fold(text).find(str(year))
    if i < 0:
        return text[:30]
    return text[max(0, i - 8):i + 22].strip()
