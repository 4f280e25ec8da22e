"""Kind `cleaned`: what the cleaner had to cut out of the text (markup left by a converter)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kinds: list[str]                 # Removed.kind values: markup | chrome | tail


def check(doc, p: Params):
    for r in doc.cleaned.removed:
        if r.kind in p.kinds:
            yield Hit(r.line, r.text, {"match": r.text, "pattern": r.pattern})
