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
    check: Literal["plan", "measures", "preamble"]


def check(doc, p: Params):
    y = doc.meta.report_year
    if not y:
        return
    base = {"year": y, "next": y + 1}
    if p.check == "preamble":
        if doc.report.preamble:
            para = doc.report.preamble[0]
            m = _LEADING_YEAR.match(fold(para.text))
            if m and year_value(m.group(1)) != y:
                yield Hit(para.line, para.text[:30], {**base, "found": year_value(m.group(1))})
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
