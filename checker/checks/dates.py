"""Kind `dates`: dates that cannot be right — impossible days (2月30日), months beyond 12, and
dates whose separators were lost (2025127)."""
from __future__ import annotations

import calendar
import re
from datetime import date

from typing import TYPE_CHECKING

from ..compiled import compile_kept
from ..lexicon import lexicon
from .base import Hit, NoParams, quoted
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

# One scan per line: full dates, ISO dates, month-day, year-month (the first that fits wins).
_DATE = compile_kept(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日)?"
    r"|(?<![\d.])(?P<iy>(?:19|20)\d{2})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?![\d.])"
    r"|(?<![\d年])(?P<mm>\d{1,2})\s*月\s*(?P<md>\d{1,2})\s*日")
_ISO_HINT = compile_kept(r"\d[-/.]\d")


def _valid(y: int | None, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    if d is None:
        return True
    if y is None:
        return 1 <= d <= (29 if m == 2 else calendar.monthrange(2001, m)[1])
    try:
        date(y, m, d)
        return True
    except ValueError:
        return False


@check("dates", NoParams, "不可能的日期（2月30日、13月）和缺少年月日分隔的日期（2025127）")
def dates(doc: Document, p: NoParams):
    bare, full = lexicon().bare_date, lexicon().date
    for c in doc.classified:
        norm, text = c.line.norm, c.line.text
        if c.kind == "DATE" and bare.match(norm.strip()):
            yield Hit(c.line.start, text.strip(), {"match": text.strip(), "why": "年月日之间缺少「年」「月」「日」"})
            continue
        if c.kind in ("DATE", "HDATE") and (m := full.match(norm.strip())) and not (m.group(2) and m.group(3)):
            yield Hit(c.line.start, text.strip(), {"match": text.strip(), "why": "月或日没有填写"})
            continue
        if "月" not in norm and not _ISO_HINT.search(norm):
            continue
        for m in _DATE.finditer(norm):
            g = m.groupdict()
            if g["y"]:
                if g["d"] is None and re.match(r"\s*\d", norm[m.end():]):
                    continue        # 「2024年3月 5日」-like spacing: not a year-month
                y, mo, d = int(g["y"]), int(g["m"]), int(g["d"]) if g["d"] else None
            elif g["iy"]:
                y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
            else:
                y, mo, d = None, int(g["mm"]), int(g["md"])
            if not _valid(y, mo, d):
                why = "月份超出 1–12" if not 1 <= mo <= 12 else "该月没有这一天"
                yield quoted(c.line, m.start(), m.end(), {"match": text[m.start():m.end()], "why": why})


# 2025.1.8, 2025-01-08, 2025/1/8: a whole date in digits and one kind of separator
_NUMERIC = compile_kept(r"(?<![\d.\-/])((?:19|20)\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?![\d.\-/])")


@check("date_form", NoParams, "用「.」「-」「/」分隔的日期（2025.1.8）：公文写作「2025年1月8日」")
def numeric(doc: Document, p: NoParams):
    for c in doc.classified:
        norm = c.line.norm
        if not _ISO_HINT.search(norm):
            continue
        for m in _NUMERIC.finditer(norm):
            y, mo, d = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if _valid(y, mo, d):          # an impossible one is DATE-MALFORMED's
                hit = quoted(c.line, m.start(), m.end(), {"match": c.line.text[m.start():m.end()],
                                                           "fixed": f"{y}年{mo}月{d}日"})
                yield hit
