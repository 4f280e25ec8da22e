"""Kind `indicator`: checks on the figures a report gives (checker/indicators.py)."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .base import Hit

# A count or a percentage (years, dates and ordinals are not figures of work done).
# Each alternative starts where a run of digits or numerals starts: retried at every digit of a
# long run, the pattern took quadratic time (20,000 digits: 16 s).
_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*%|(?:(?<![\d.])\d+(?:\.\d+)?|(?<![一二两三四五六七八九十百千万])[一二两三四五六七八九十百千万]+)\s*(?:余|多)?\s*"
                     r"(?:[件项次场名人个家户起宗份条所万亿元期批座台套处]|人次|场次|家次)")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check: Literal["rate_over_100", "requires", "no_figures"]
    when: list[str] = []            # requires: indicator ids that, reported above 0, …
    needs: str = ""                 # … need this pattern somewhere in the report
    element: str = "measures"       # no_figures: the element whose text is looked at


def check(doc, p: Params):
    if p.check == "rate_over_100":
        for ind in doc.indicators:
            if ind.unit.endswith("%") and ind.value > 100:
                yield Hit(ind.line, ind.text, {"name": ind.name, "value": f"{ind.value}{ind.unit}"})
    elif p.check == "requires":
        given = [i for i in doc.indicators if i.id in p.when and i.value > 0]
        rx = re.compile(p.needs)
        if given and not any(rx.search(c.line.norm) for c in doc.classified):
            first = given[0]
            yield Hit(first.line, first.text, {"name": first.name, "value": f"{first.value}{first.unit}"})
    elif p.check == "no_figures":
        item = doc.outline.outline[p.element]
        paras = doc.outline.regions.get(p.element) or []
        if item.status in ("absent", "unknown") or not paras or doc.outline.is_cut(p.element):
            return
        if not any(_FIGURE.search(para.norm) for para in paras):
            ev = item.evidence[0]
            yield Hit(ev.line, ev.text, {"heading": ev.text})
