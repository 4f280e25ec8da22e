"""Kind `cleaned`: what the cleaner had to cut out of the text (markup left by a converter)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .base import Hit, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


class Params(Strict):
    kinds: list[Literal["markup", "chrome", "tail", "control", "more"]] = Field(
        description="报出清理时剔除的哪几类内容：markup（转换残留的标记）、chrome（网页栏目）、tail（网页页尾）、"
                    "control（读取时删去的 NUL 空字符）、more（超出上限未列出的条数）")


@check("cleaned", Params, "清理时不得不剔除的内容（转换残留的标记、网页栏目），在原处报出")
def cleaned(doc: Document, p: Params):
    for r in doc.cleaned.removed:
        if r.kind in p.kinds:
            yield Hit(r.line, r.text, {"match": r.text, "pattern": r.pattern}, words=(r.text,))
