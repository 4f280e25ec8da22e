"""Kind `outline`: a required element of the outline has (or lacks) a given status."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from ..models import ELEMENTS, Status
from ..elements import spec
from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    element: str
    status: list[Status]                       # fire when the element has one of these
    when: dict[str, list[Status]] = {}         # …and these other elements have these statuses
    at: Literal["evidence", "carrier", "end"] = "evidence"   # where to point
    carrier: str | None = None                 # at carrier: the element whose part to point at
    claimed: bool | None = None                # only when a heading names it (True) / none does (False)

    @model_validator(mode="after")
    def _elements(self):
        for name in [self.element, *self.when, *([self.carrier] if self.carrier else [])]:
            _known(name)
        return self


def _known(name: str) -> str:
    if name not in ELEMENTS:
        raise ValueError(f"提纲要素 {name!r} 不存在（可用：{'、'.join(ELEMENTS)}）")
    return name


def check(doc, p: Params):
    items = doc.outline.outline
    item = items[p.element]
    if item.status not in p.status:
        return
    if any(items[k].status not in v for k, v in p.when.items()):
        return
    if p.claimed is not None and bool(item.claimed) != p.claimed:
        return
    name = spec()["elements"][p.element].name
    y = doc.meta.report_year
    claim = item.claimed[0] if item.claimed else None
    values = {"element": name, "status": item.status,
              "year": y or "上一", "next": (y + 1) if y else "下一",
              # where the text was looked for: the part whose heading claims it, or all of it
              "where": f"「{claim.text}」一部分的正文中" if claim else "正文中"}
    if p.at == "carrier":
        # the part that should have carried it: e.g. the shortcomings part lacking causes
        ev = items[p.carrier].evidence if p.carrier else []
        if ev:
            yield Hit(ev[0].line, ev[0].text, {**values, "heading": ev[0].text})
            return
    if p.at == "evidence" and item.evidence:
        e = item.evidence[0]
        lines = "、".join(dict.fromkeys(str(x.line) for x in item.evidence))
        yield Hit(e.line, e.text, {**values, "evidence": e.text, "lines": lines})
        return
    if claim is not None:
        # a heading names it and its text does not carry it: that heading is where it goes
        yield Hit(claim.line, claim.text, {**values, "lines": "", "heading": claim.text})
        return
    where = _insertion_point(doc, p.element)
    yield Hit(where, "", {**values, "lines": ""})


def _insertion_point(doc, element: str) -> int | None:
    """Where a missing element would go: the heading of the next part in canonical order,
    else the end of the report."""
    order = spec()["order"]
    later = order[order.index(element) + 1:]
    for part in doc.outline.parts:
        if part.element in later:
            return part.line
    return doc.last_content_line()
