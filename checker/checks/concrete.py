"""Kind `concrete`: a part must name at least one concrete thing — an act with a number, a
target with a figure or a deadline."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ..compiled import compile_kept
from .base import Element, Hit, Regex, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


class Params(Strict):
    element: Element = Field(description="看哪一提纲要素的正文")
    pattern: Regex = Field(description="什么算具体：正文中有一处与此正则相符即不报")


@check("concrete", Params, "某一部分的正文没有一件具体的事（带数字的举措、有数字或期限的目标）")
def concrete(doc: Document, p: Params):
    paras = doc.outline.judged(p.element)
    if not paras:
        return
    rx = compile_kept(p.pattern)
    if any(rx.search(x.norm) for x in paras):
        return
    ev = doc.outline.outline[p.element].evidence[0]
    yield Hit(ev.line, ev.text, {"heading": ev.text})
