"""Kind `problems`: how the shortcomings part states its problems — a token part (too few, too
short), problems in stock phrases only, problems the plan does not answer."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..analyse.problems import (answered_by_pairs, answered_by_words, clause_count, problems, stock_patterns,
                                widen)
from ..text import clip
from .base import Hit

class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check: Literal["token", "generic", "unanswered"]
    match: Literal["words", "pairs"] = "words"   # unanswered: how a problem is found in the plan
    min_problems: int = 2           # token: fewer distinct problems than this …
    min_share: float = 0.03         # … or a smaller share of the report's text


def check(doc, p: Params):
    item = doc.outline.outline["shortcomings"]
    if item.status in ("absent", "unknown") or not item.evidence or doc.outline.is_cut("shortcomings"):
        return          # nothing to weigh, or the text breaks off inside it
    probs = problems(doc)
    first = item.evidence[0]
    if p.check == "token":
        region = doc.outline.regions.get("shortcomings") or []
        size = sum(len(x.text) for x in region)
        total = sum(len(c.line.text) for c in doc.classified if c.kind in ("PARA", "ITEM", "H1", "H2", "H3", "H4"))
        share = size / total if total else 0
        count = len(probs) if len(probs) >= p.min_problems else max(len(probs), clause_count(probs))
        if count < p.min_problems or share < p.min_share:
            yield Hit(first.line, first.text, {"heading": first.text, "count": count,
                                               "share": f"{share * 100:.1f}", "chars": size})
        return
    stock, specific, ignore = stock_patterns(doc.settings.terms("stock_phrases"))
    if p.check == "generic":
        generic = [x for x in probs if stock.search(x.norm) and not specific.search(x.norm)]
        if probs and len(generic) == len(probs):
            quotes = "」「".join(clip(x.headline, 24) for x in generic[:3])
            yield Hit(generic[0].line, generic[0].text, {"count": len(generic), "quotes": quotes})
        return
    plan = doc.outline.regions.get("next_plan") or []
    if not plan or not probs or doc.outline.is_cut("next_plan"):
        return
    tl = doc.settings.terms("stock_phrases")
    if p.match == "words":
        from ..words import Text
        # paragraphs apart, so that no word is read across the end of one and the start of the next
        text = Text("\n".join(x.norm for x in plan))
        verdicts = [answered_by_words(x, text, stock, tl) for x in probs]
    else:
        plan_text = widen("".join(x.norm for x in plan), tl)
        verdicts = [answered_by_pairs(x, plan_text, stock, ignore) for x in probs]
    # None: a headline made only of words too general to tell (「干部法治意识有待提升」), no verdict
    unanswered = [x for x, v in zip(probs, verdicts) if v is False]
    if unanswered:
        quotes = "」「".join(clip(x.headline, 24) for x in unanswered[:4])
        yield Hit(unanswered[0].line, unanswered[0].text, {"count": len(unanswered), "total": len(probs),
                                                           "quotes": quotes})
