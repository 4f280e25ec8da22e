"""Kind `problems`: how the shortcomings part states its problems — a token part (too few, too
short), problems in stock phrases only, problems the plan does not answer."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..problems import clause_count, problems
from ..terms import derived
from ..text import fold
from ..text import clip
from .base import Hit

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    check: Literal["token", "generic", "unanswered"]
    min_problems: int = 2           # token: fewer distinct problems than this …
    min_share: float = 0.03         # … or a smaller share of the report's text


def stock_patterns(tl):
    return derived(tl, "problems", lambda: (
        re.compile("|".join(f"(?:{e})" for e in tl.entries)),
        re.compile(tl.model_extra["specific"]),
        re.compile("|".join(sorted(map(re.escape, tl.model_extra.get("ignore_words") or ()), key=len, reverse=True))
                   or "(?!)")))


def widen(text: str, tl) -> str:
    """`text` with the related words of every group it touches appended (stock_phrases
    `related`), so that a topic named one way is found when the plan names it another."""
    groups = derived(tl, "related", lambda: [tuple(fold(w) for w in g) for g in tl.model_extra.get("related") or ()])
    extra = [w for g in groups if any(w in text for w in g) for w in g]
    return text + " " + " ".join(extra) if extra else text


def topic_pairs(headline: str, stock: re.Pattern, ignore: re.Pattern) -> set[str]:
    """What a problem is about, as character pairs: the headline with stock phrases and words
    too general to tell (法治、建设、加强…) taken out. Pairs rather than words: no segmenter to
    load for one rule (rjieba's import alone costs 0.17 s of a 1 s start-up, bench/)."""
    rest = ignore.sub(" ", stock.sub(" ", headline))
    return {run[i:i + 2] for run in _CJK_RUN.findall(rest) for i in range(len(run) - 1)}


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
    plan_text = widen("".join(x.norm for x in plan), doc.settings.terms("stock_phrases"))
    unanswered = []
    for x in probs:
        # a headline made only of words too general to tell (「干部法治意识有待提升」): no verdict
        if not topic_pairs(fold(x.headline), stock, ignore):
            continue
        keys = topic_pairs(x.topic, stock, ignore)
        if not any(k in plan_text for k in keys):
            unanswered.append(x)
    if unanswered:
        quotes = "」「".join(clip(x.headline, 24) for x in unanswered[:4])
        yield Hit(unanswered[0].line, unanswered[0].text, {"count": len(unanswered), "total": len(probs),
                                                           "quotes": quotes})
