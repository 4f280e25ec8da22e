"""Kinds `closing.signature`, `closing.date`: the report ends with the issuer's name and a date."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


@check("closing.signature", NoParams, "文末没有发文机关署名：指在成文日期之上，没有日期时指在最后一段之后")
def signature(doc: Document, p: NoParams):
    if any(c.kind == "SIGN" for c in doc.report.closing):
        return
    date = next((c for c in doc.report.closing if c.kind == "DATE"), None)
    if date is not None:
        # the signature belongs right above the date
        yield Hit(date.line.start, date.line.text, {"where": f"成文日期「{date.line.text.strip()}」之上"})
        return
    yield from _after_last(doc)


@check("closing.date", NoParams, "文末（或标题下）没有成文日期：指在署名之下，没有署名时指在最后一段之后")
def date(doc: Document, p: NoParams):
    if any(c.kind == "DATE" for c in doc.report.closing):
        return
    if any(c.kind == "HDATE" for c in doc.report.head):
        return          # dated under the title, as published reports often are
    sign = next((c for c in reversed(doc.report.closing) if c.kind == "SIGN"), None)
    if sign is not None:
        # the date belongs right below the signature
        yield Hit(sign.line.end, sign.line.text, {"where": f"署名「{sign.line.text.strip()}」之下"})
        return
    yield from _after_last(doc)


def _after_last(doc: Document):
    last = doc.last_content()
    if last is None:
        return
    tail = last.line.text.strip()
    tail = tail if len(tail) <= 30 else "…" + tail[-30:]
    yield Hit(last.line.end, last.line.text, {"where": f"「{tail}」之后"})
