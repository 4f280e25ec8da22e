"""Kind `order`: the standalone parts follow the order of the outline."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ..elements import spec
from .base import Element, Hit, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


class Params(Strict):
    before: list[tuple[Element, Element]] = Field(
        description="成对的提纲要素 [a, b]：含 a 的部分都应在含 b 的部分之前")


@check("order", Params, "单列的部分没有按提纲的顺序排列")
def order(doc: Document, p: Params):
    first: dict[str, tuple[int, str]] = {}
    last: dict[str, tuple[int, str]] = {}
    for part in doc.outline.parts:
        for e in part.elements:
            first.setdefault(e, (part.line, part.heading))
            last[e] = (part.line, part.heading)
    names = spec()["elements"]
    for a, b in p.before:
        if a in last and b in first and last[a][0] > first[b][0]:
            line, heading = last[a]
            yield Hit(line, heading, {"heading": heading, "element": names[a].name,
                                      "after": names[b].name, "after_heading": first[b][1]})
