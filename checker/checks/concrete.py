"""Kind `concrete`: a part must name at least one concrete thing — an act with a number, a
target with a figure or a deadline."""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator

from ..regex import vet
from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    element: str
    pattern: str                      # what counts as concrete

    @field_validator("pattern")
    @classmethod
    def _vet(cls, v):
        vet(v)
        return v


def check(doc, p: Params):
    item = doc.outline.outline[p.element]
    paras = doc.outline.regions.get(p.element) or []
    if item.status in ("absent", "unknown") or not paras or doc.outline.is_cut(p.element):
        return
    rx = re.compile(p.pattern)
    if any(rx.search(x.norm) for x in paras):
        return
    ev = item.evidence[0]
    yield Hit(ev.line, ev.text, {"heading": ev.text})
