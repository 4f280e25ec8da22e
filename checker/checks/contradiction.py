"""Kind `contradiction`: two figures of one report that cannot both be right — a part larger than
its whole (行政复议 审结 more than received, 败诉 more than the cases, 调解成功 more than the
disputes taken up). The pairs are data (the rule's params), each read `part ≤ whole`.

A pair is compared only when each side is one figure: an indicator given with several values in
the report (全县 and 本级, two years, 撤销 and 变更 apart) is ambiguous and the pair is skipped. So
are figures counted in different units (件 against 次), a whole written as a lower bound
(「120余件」), figures naming different scopes (全市 against 市本级), and sentences that explain a
difference (上年结转)."""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, field_validator

from ..errors import ConfigError
from ..regex import vet
from .base import Hit

_APPROX = ("余", "多")
_TEXT_MAX = 40


class Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")
    part: str          # an indicator id (rules/indicators.yaml) whose figure …
    whole: str         # … cannot exceed this one's

    @field_validator("part", "whole")
    @classmethod
    def _known(cls, v: str) -> str:
        from ..analyse.indicators import indicator_ids
        if v not in indicator_ids():
            raise ValueError(f"未知的指标 {v!r}（见 rules/indicators.yaml）")
        return v


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pairs: list[Pair]
    units: list[list[str]]          # units that count the same thing; figures in different groups are not compared
    scope_words: str = ""           # whose figure it is (全市, 本级…): figures naming different ones are not compared
    unless: str = ""                # a line saying why the figures differ (上年结转…): not compared

    @field_validator("scope_words", "unless")
    @classmethod
    def _regex(cls, v: str) -> str:
        if v:
            try:
                vet(v)          # compiled and refused if it could hang a batch, as every rule pattern
            except ConfigError as e:
                raise ValueError(str(e)) from None
        return v


def _single(doc, id_: str):
    """The one figure of this indicator in the report, or None when it has none or several values."""
    found = [i for i in doc.indicators if i.id == id_]
    if not found or len({i.value for i in found}) > 1:
        return None
    return found[0]


def _group(unit: str, groups: list[list[str]]) -> int | None:
    bare = unit.lstrip("".join(_APPROX))
    return next((k for k, g in enumerate(groups) if bare in g), None)


def _paragraph(doc, line: int) -> str:
    for c in doc.classified:
        if c is not None and c.line.start <= line <= c.line.end:
            return c.line.norm
    return ""


def _clip(text: str) -> str:
    return text if len(text) <= _TEXT_MAX else text[:_TEXT_MAX] + "…"


def check(doc, p: Params):
    if not doc.indicators:
        return
    scope = re.compile(p.scope_words) if p.scope_words else None     # vetted at load; re caches it
    unless = re.compile(p.unless) if p.unless else None
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
