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
    if need == "DATE" and any(c.kind == "HDATE" for c in doc.report.head):
        return          # dated under the title, as published reports often are
    date = next((c for c in doc.report.closing if c.kind == "DATE"), None)
    if need == "SIGN" and date is not None:
        # the signature belongs right above the date
        yield Hit(date.line.start, date.line.text, {"where": f"成文日期「{date.line.text.strip()}」之上"})
        return
    sign = next((c for c in reversed(doc.report.closing) if c.kind == "SIGN"), None)
    if need == "DATE" and sign is not None:
        # the date belongs right below the signature
        yield Hit(sign.line.end, sign.line.text, {"where": f"署名「{sign.line.text.strip()}」之下"})
        return
    last = doc.last_content()
    if last is None:
        return
    tail = last.line.text.strip()
    tail = tail if len(tail) <= 30 else "…" + tail[-30:]
    yield Hit(last.line.end, last.line.text, {"where": f"「{tail}」之后"})
