"""Kind `deadline`: the signing and publication dates against the deadlines of the report's
level (rules/profiles.yaml, changeable by configuration)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..analyse.meta import parse_date, publication_date_in
from ..models import LEVEL_NAMES
from .base import Hit



class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check: Literal["signed_late", "published_late", "signed_early"]


def _date_line(doc, iso: str):
    for c in [*doc.report.closing, *doc.report.head]:
        if c.kind in ("DATE", "HDATE") and parse_date(c.line.norm)[0] == iso:
            return c.line.start, c.line.text.strip()
    for r in doc.cleaned.removed:          # a publication date in the page chrome: quote the date only
        if iso.replace("-", "") in "".join(ch for ch in r.text if ch.isdigit()):
            m = publication_date_in(r.text)
            return r.line, (r.text[m.start():m.end()].strip() if m else r.text.strip())
    # from the page's metadata, outside the article: shown at the title, saying where it is from
    return doc.meta.title_line, f"网页发布日期 {iso}"


def check(doc, p: Params):
    m, y = doc.meta, doc.meta.report_year
    if not y:
        return
    which = m.published if p.check == "published_late" else m.signed
    if not which:
        return
    when = date.fromisoformat(which)
    level = m.level
    if p.check == "signed_early":
        if when < date(y + 1, 1, 1):
            line, text = _date_line(doc, which)
            yield Hit(line, text, {"date": text, "year": y})
        return
    kind = "publish" if p.check == "published_late" else "report"
    due = doc.settings.deadline(kind, level, y)
    if when > due:
        line, text = _date_line(doc, which)
        yield Hit(line, text, {"date": text, "due": f"{due.year}年{due.month}月{due.day}日", "year": y,
                               "level": LEVEL_NAMES.get(level or "", "本级")})
