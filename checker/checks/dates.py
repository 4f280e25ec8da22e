"""Kind `dates`: dates that cannot be right — impossible days (2月30日), months beyond 12, and
dates whose separators were lost (2025127)."""
from __future__ import annotations

import calendar
import re
from datetime import date

from pydantic import BaseModel, ConfigDict

from ..lexicon import lexicon
from .base import Hit, window

_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO = re.compile(r"(?<![\d.])((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


def check(doc, p: Params):
    bare = lexicon().bare_date
    for c in doc.classified:
        norm, text = c.line.norm, c.line.text
        if c.kind == "DATE" and bare.match(norm.strip()):
            yield Hit(c.line.start, text.strip(), {"match": text.strip(), "why": "年月日之间缺少「年」「月」「日」"})
            continue
        if "月" not in norm and not _ISO.search(norm):
            continue
        spans = []
        for rx, has_year, has_day in ((_FULL, True, True), (_ISO, True, True),
                                      (_MONTH_DAY, False, True), (_YEAR_MONTH, True, False)):
            for m in rx.finditer(norm):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                g = [int(x) for x in m.groups()]
                y = g[0] if has_year else None
                mo = g[1] if has_year else g[0]
                d = (g[2] if has_year else g[1]) if has_day else None
                spans.append(m.span())
                if not _valid(y, mo, d):
                    why = "月份超出 1–12" if not 1 <= mo <= 12 else "该月没有这一天"
                    yield Hit(c.line.line_at(m.start()), window(text, m.start(), m.end()),
                              {"match": text[m.start():m.end()], "why": why})
