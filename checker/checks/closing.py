"""Kind `closing`: the report ends with the issuer's name and a date."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    require: Literal["signature", "date"]


def check(doc, p: Params):
    kinds = {c.kind for c in doc.report.closing}
    need = "SIGN" if p.require == "signature" else "DATE"
    if need in kinds:
        return
    line = doc.last_content_line()
    last = next((c.line.text for c in reversed(doc.classified) if c.kind not in ("ATTACH", "TAIL")), "")
    yield Hit(line, last, {"last": last[-30:]})
