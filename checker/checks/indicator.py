"""Kinds `indicator.*`: checks on the figures a report gives (checker/analyse/indicators.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ..compiled import compile_kept
from .base import Element, Hit, Indicator, NoParams, Regex, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

# A count or a percentage (years, dates and ordinals are not figures of work done).
# Each alternative starts where a run of digits or numerals starts: retried at every digit of a
# long run, the pattern took quadratic time (20,000 digits: 16 s).
_FIGURE = compile_kept(r"(?<![\d.])\d+(?:\.\d+)?\s*%|(?:(?<![\d.])\d+(?:\.\d+)?|(?<![一二两三四五六七八九十百千万])[一二两三四五六七八九十百千万]+)\s*(?:余|多)?\s*"
                       r"(?:[件项次场名人个家户起宗份条所万亿元期批座台套处]|人次|场次|家次)")


@check("indicator.rate_over_100", NoParams, "百分比指标超过 100%")
def rate_over_100(doc: Document, p: NoParams):
    for ind in doc.indicators:
        if ind.unit.endswith("%") and ind.value > 100:
            yield Hit(ind.line, ind.text, {"name": ind.name, "value": f"{ind.value}{ind.unit}"})


class RequiresParams(Strict):
    when: list[Indicator] = Field(description="指标编号（rules/indicators.yaml）：其中任一在报告中大于 0 时……")
    needs: Regex = Field(description="……报告中某处须有与此正则相符的文字")


@check("indicator.requires", RequiresParams, "报告了某些指标（大于 0），却没有写与之相应的内容（如有诉讼案件而未写出庭应诉）")
def requires(doc: Document, p: RequiresParams):
    given = [i for i in doc.indicators if i.id in p.when and i.value > 0]
    if not given:
        return
    rx = compile_kept(p.needs)
    if not any(rx.search(c.line.norm) for c in doc.classified):
        first = given[0]
        yield Hit(first.line, first.text, {"name": first.name, "value": f"{first.value}{first.unit}"})


class NoFiguresParams(Strict):
    element: Element = Field("measures", description="看哪一提纲要素的正文")


@check("indicator.no_figures", NoFiguresParams, "某一部分的正文没有一个数字（件数、次数、百分比）")
def no_figures(doc: Document, p: NoFiguresParams):
    paras = doc.outline.judged(p.element)
    if not paras:
        return
    if not any(_FIGURE.search(para.norm) for para in paras):
        ev = doc.outline.outline[p.element].evidence[0]
        yield Hit(ev.line, ev.text, {"heading": ev.text})
