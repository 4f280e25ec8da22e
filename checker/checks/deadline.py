"""Kinds `deadline.*`: the signing and publication dates against the deadlines of the report's
level (rules/profiles.yaml, changeable by configuration)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..analyse.meta import parse_date, publication_date_in
from ..models import LEVEL_NAMES
from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


def _date_line(doc: Document, iso: str):
    for c in [*doc.report.closing, *doc.report.head]:
        if c.kind in ("DATE", "HDATE") and parse_date(c.line.norm)[0] == iso:
            return c.line.start, c.line.text.strip()
    for r in doc.cleaned.removed:          # a publication date in the page chrome: quote the date only
        if iso.replace("-", "") in "".join(ch for ch in r.text if ch.isdigit()):
            m = publication_date_in(r.text)
            return r.line, (r.text[m.start():m.end()].strip() if m else r.text.strip())
    # from the page's metadata, outside the article: shown at the title, saying where it is from
    return doc.meta.title_line, f"网页发布日期 {iso}"


@check("deadline.signed_late", NoParams, "成文日期晚于本级报送期限（rules/profiles.yaml，可由配置 [deadlines] 改）")
def signed_late(doc: Document, p: NoParams):
    yield from _late(doc, doc.meta.signed, "report")


@check("deadline.published_late", NoParams, "发布日期晚于公开期限（rules/profiles.yaml，可由配置 [deadlines] 改）")
def published_late(doc: Document, p: NoParams):
    yield from _late(doc, doc.meta.published, "publish")


@check("deadline.signed_early", NoParams, "成文日期早于报告年度结束（报告年度还没过完就签发）")
def signed_early(doc: Document, p: NoParams):
    y, which = doc.meta.report_year, doc.meta.signed
    if not y or not which:
        return
    if date.fromisoformat(which) < date(y + 1, 1, 1):
        line, text = _date_line(doc, which)
        yield Hit(line, text, {"date": text, "year": y})


def _late(doc: Document, which: str | None, kind: str):
    y = doc.meta.report_year
    if not y or not which:
        return
    level = doc.meta.level
    due = doc.settings.deadline(kind, level, y)
    if date.fromisoformat(which) > due:
        line, text = _date_line(doc, which)
        yield Hit(line, text, {"date": text, "due": f"{due.year}年{due.month}月{due.day}日", "year": y,
                               "level": LEVEL_NAMES.get(level or "", "本级")})
