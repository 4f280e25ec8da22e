"""Kind `meta`: a piece of the report's metadata could not be found."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..analyse.meta import issuer_from_title
from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Literal["title", "title_issuer", "report_year", "level"]


def check(doc, p: Params):
    m = doc.meta
    value = issuer_from_title(m.title) if p.field == "title_issuer" else getattr(m, p.field)
    if value:
        return
    if p.field == "title":
        first = next((c for c in doc.classified), None)
        yield Hit(first.line.start if first else 1, first.line.text if first else "", {})
        return
    if p.field == "title_issuer" and not m.title:
        return          # no title at all is another rule's finding
    yield Hit(m.title_line, m.title or "", {"title": m.title or ""})
