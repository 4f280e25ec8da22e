"""Kind `outline`: a required element of the outline has (or lacks) a given status."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..models import Status
from ..elements import spec
from .base import Element, Hit, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


class Params(Strict):
    element: Element = Field(description="看哪一提纲要素")
    status: list[Status] = Field(description="该要素为其中一种状态时报出：standalone（单列）、embedded（散见）、"
                                             "absent（缺失）、unknown（未能判断）")
    when: dict[Element, list[Status]] = Field({}, description="……且这些要素分别为所列状态之一时")
    at: Literal["evidence", "carrier", "end"] = Field(
        "evidence", description="指在哪里：evidence（该要素的出处）、carrier（carrier 要素所在部分的标题）、"
                                "end（缺失时应插入之处：下一部分的标题或文末）")
    carrier: Element | None = Field(None, description="at: carrier 时指向哪一要素所在的部分")
    claimed: bool | None = Field(None, description="只在有标题写了该要素（true）或没有标题写它（false）时报出；不填则不论")


@check("outline", Params, "提纲要素（举措和成效、第一责任人职责、不足、原因、下一年度安排……）缺失、散见或写得不对处")
def outline(doc: Document, p: Params):
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


def _insertion_point(doc: Document, element: str) -> int | None:
    """Where a missing element would go: the heading of the next part in canonical order,
    else the end of the report."""
    order = spec()["order"]
    later = order[order.index(element) + 1:]
    for part in doc.outline.parts:
        if part.element in later:
            return part.line
    return doc.last_content_line()
