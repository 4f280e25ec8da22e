"""Kind `contradiction`: two figures of one report that cannot both be right — a part larger than
its whole (行政复议 审结 more than received, 败诉 more than the cases, 调解成功 more than the
disputes taken up). The pairs are data (the rule's params), each read `part ≤ whole`.

A pair is compared only when each side is one figure: an indicator given with several values in
the report (全县 and 本级, two years, 撤销 and 变更 apart) is ambiguous and the pair is skipped. So
are figures counted in different units (件 against 次), a whole written as a lower bound
(「120余件」), figures naming different scopes (全市 against 市本级), and sentences that explain a
difference (上年结转)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..compiled import compile_kept
from .base import Hit, Indicator, Regex, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

_APPROX = ("余", "多")
_TEXT_MAX = 40


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")
    part: Indicator = Field(description="指标编号（rules/indicators.yaml），其数字……")
    whole: Indicator = Field(description="……不能大于这一指标的数字")


class Params(Strict):
    pairs: list[Pair] = Field(description="成对的指标 {part, whole}：part 的数字不能大于 whole 的")
    units: list[list[str]] = Field(description="计数相同的单位分组（如 [件, 宗]）；单位不在同一组的数字不比较")
    scope_words: Regex = Field("", description="说明是谁的数字的词（全市、本级……）：两处所说不同的不比较")
    unless: Regex = Field("", description="说明两数为何不同的文字（上年结转……）：所在段落有此正则的不比较")


def _single(doc: Document, id_: str):
    """The one figure of this indicator in the report, or None when it has none or several values."""
    found = [i for i in doc.indicators if i.id == id_]
    if not found or len({i.value for i in found}) > 1:
        return None
    return found[0]


def _group(unit: str, groups: list[list[str]]) -> int | None:
    bare = unit.lstrip("".join(_APPROX))
    return next((k for k, g in enumerate(groups) if bare in g), None)


def _paragraph(doc: Document, line: int) -> str:
    for c in doc.classified:
        if c is not None and c.line.start <= line <= c.line.end:
            return c.line.norm
    return ""


def _clip(text: str) -> str:
    return text if len(text) <= _TEXT_MAX else text[:_TEXT_MAX] + "…"


@check("contradiction", Params, "同一报告中两个不可能同时成立的数字：部分大于整体（如审结多于收案）")
def contradiction(doc: Document, p: Params):
    if not doc.indicators:
        return
    scope = compile_kept(p.scope_words) if p.scope_words else None     # vetted at load, made once
    unless = compile_kept(p.unless) if p.unless else None
    reported: set[str] = set()
    for pair in p.pairs:
        if pair.part in reported:
            continue            # one finding per figure: the first pair it breaks
        part, whole = _single(doc, pair.part), _single(doc, pair.whole)
        if part is None or whole is None or part.value <= whole.value:
            continue
        g = _group(part.unit, p.units)
        if g is None or g != _group(whole.unit, p.units) or whole.unit.startswith(_APPROX):
            continue
        if scope and set(scope.findall(part.text)) != set(scope.findall(whole.text)):
            continue
        if unless and any(unless.search(_paragraph(doc, i.line)) for i in (part, whole)):
            continue
        reported.add(pair.part)
        where = f"第{part.line}行「{_clip(part.text)}」"
        if (whole.line, whole.text) != (part.line, part.text):
            where += f"，第{whole.line}行「{_clip(whole.text)}」"
        yield Hit(part.line, part.text, {
            "part_name": part.name, "part_value": f"{part.value}{part.unit}",
            "whole_name": whole.name, "whole_value": f"{whole.value}{whole.unit}", "where": where})
