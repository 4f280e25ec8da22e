"""Kind `problems`: how the shortcomings part states its problems — a token part (too few, too
short), problems in stock phrases only, problems the plan does not answer."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..problems import problems
from ..segment import words
from ..text import clip
from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check: Literal["token", "generic", "unanswered"]
    min_problems: int = 2           # token: fewer distinct problems than this …
    min_share: float = 0.03         # … or a smaller share of the report's text


@lru_cache(maxsize=8)
def _stock(entries: tuple[str, ...], specific: str, ignore: tuple[str, ...]):
    return (re.compile("|".join(f"(?:{e})" for e in entries)), re.compile(specific), frozenset(ignore))


def check(doc, p: Params):
    item = doc.outline.outline["shortcomings"]
    if item.status == "absent":
        return
    probs = problems(doc)
    first = item.evidence[0]
    if p.check == "token":
        region = doc.outline.regions.get("shortcomings") or []
        size = sum(len(x.text) for x in region)
        total = sum(len(c.line.text) for c in doc.classified if c.kind in ("PARA", "ITEM", "H1", "H2", "H3", "H4"))
        share = size / total if total else 0
        if len(probs) < p.min_problems or share < p.min_share:
            yield Hit(first.line, first.text, {"heading": first.text, "count": len(probs),
                                               "share": f"{share * 100:.1f}", "chars": size})
        return
    tl = doc.settings.terms("stock_phrases")
    stock, specific, ignore = _stock(tuple(tl.entries), tl.model_extra["specific"],
                                     tuple(tl.model_extra.get("ignore_words") or ()))
    if p.check == "generic":
        generic = [x for x in probs if stock.search(x.norm) and not specific.search(x.norm)]
        if probs and len(generic) == len(probs):
            quotes = "」「".join(clip(x.headline, 24) for x in generic[:3])
            yield Hit(generic[0].line, generic[0].text, {"count": len(generic), "quotes": quotes})
        return
    plan = doc.outline.regions.get("next_plan") or []
    if not plan or not probs:
        return
    plan_text = "".join(x.norm for x in plan)
    unanswered = []
    for x in probs:
        keys = {w for w in words(x.headline) if len(w) >= 2 and w not in ignore and not stock.fullmatch(w)}
        if keys and not any(k in plan_text for k in keys):
            unanswered.append(x)
    if unanswered:
        quotes = "」「".join(clip(x.headline, 24) for x in unanswered[:4])
        yield Hit(unanswered[0].line, unanswered[0].text, {"count": len(unanswered), "total": len(probs),
                                                           "quotes": quotes})
