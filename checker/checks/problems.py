"""Kinds `problems.*`: how the shortcomings part states its problems — a token part (too few, too
short), problems in stock phrases only, problems the plan does not answer."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..analyse.problems import (answered_by_pairs, answered_by_words, clause_count, problems, stock_patterns,
                                widen)
from ..text import clip
from .base import Hit, NoParams, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


def _weighed(doc: Document):
    """The shortcomings part's first heading, or None when there is nothing to weigh or the text
    breaks off inside it (OutlineMap.can_judge, as for the paragraphs of OutlineMap.judged; what
    is weighed here is the part's evidence, which a part without paragraphs may still have)."""
    evidence = doc.outline.outline["shortcomings"].evidence
    return evidence[0] if evidence and doc.outline.can_judge("shortcomings") else None


class TokenParams(Strict):
    min_problems: int = Field(2, ge=0, description="写出的问题（不同的问题）少于此数时报出……")
    min_share: float = Field(0.03, ge=0, le=1, description="……或这一部分的篇幅占全文正文的比例小于此数")


@check("problems.token", TokenParams, "「存在的不足」流于形式：问题太少，或篇幅太短")
def token(doc: Document, p: TokenParams):
    first = _weighed(doc)
    if first is None:
        return
    probs = problems(doc)
    region = doc.outline.regions.get("shortcomings") or []
    size = sum(len(x.text) for x in region)
    total = sum(len(c.line.text) for c in doc.classified if c.kind in ("PARA", "ITEM", "H1", "H2", "H3", "H4"))
    share = size / total if total else 0
    count = len(probs) if len(probs) >= p.min_problems else max(len(probs), clause_count(probs))
    if count < p.min_problems or share < p.min_share:
        yield Hit(first.line, first.text, {"heading": first.text, "count": count,
                                           "share": f"{share * 100:.1f}", "chars": size})


@check("problems.generic", NoParams, "「存在的不足」里的问题全是套话（rules/terms/stock_phrases.yaml），没有一个具体问题")
def generic(doc: Document, p: NoParams):
    if _weighed(doc) is None:
        return
    probs = problems(doc)
    stock, specific, _ = stock_patterns(doc.settings.terms("stock_phrases"))
    generic = [x for x in probs if stock.search(x.norm) and not specific.search(x.norm)]
    if probs and len(generic) == len(probs):
        quotes = "」「".join(clip(x.headline, 24) for x in generic[:3])
        yield Hit(generic[0].line, generic[0].text, {"count": len(generic), "quotes": quotes})


class UnansweredParams(Strict):
    match: Literal["words", "pairs"] = Field(
        "words", description="怎样在下一年度安排中找到对问题的回应：words 按词语，pairs 按成对的关键字")


@check("problems.unanswered", UnansweredParams, "「存在的不足」里的问题，下一年度安排没有回应")
def unanswered(doc: Document, p: UnansweredParams):
    if _weighed(doc) is None:
        return
    probs = problems(doc)
    plan = doc.outline.regions.get("next_plan") or []
    if not plan or not probs or doc.outline.is_cut("next_plan"):
        return
    tl = doc.settings.terms("stock_phrases")
    stock, _, ignore = stock_patterns(tl)
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
