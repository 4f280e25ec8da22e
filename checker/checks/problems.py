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
    match: Literal["words", "pairs"] = "words"   # unanswered: how a problem is found in the plan
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
    groups = related_groups(tl)
    extra = [w for g in groups if any(w in text for w in g) for w in g]
    return text + " " + " ".join(extra) if extra else text


def topic_pairs(headline: str, stock: re.Pattern, ignore: re.Pattern) -> set[str]:
    """What a problem is about, as character pairs: the headline with stock phrases and words
    too general to tell (法治、建设、加强…) taken out. Used by the follow-through of last year's
    plan (audit/follow.py) and by QUAL-PLAN-ANSWERS with `match: pairs`; they find 执法 in
    执法力量 and 宣传 in 宣传部, which the words (`match: words`, checker/words.py) do not."""
    rest = ignore.sub(" ", stock.sub(" ", headline))
    return {run[i:i + 2] for run in _CJK_RUN.findall(rest) for i in range(len(run) - 1)}


def related_groups(tl) -> list[tuple[str, ...]]:
    return derived(tl, "related", lambda: [tuple(fold(w) for w in g) for g in tl.model_extra.get("related") or ()])


def topic_words(text: str, stock: re.Pattern, tl):
    """What a problem is about, as words, in order: its words of two or more characters, stock
    phrases and words too general to tell (stock_phrases `ignore_words`, `stop_words`) left out.
    A generator: the caller stops at the first word the plan has, and jieba cuts no further."""
    from ..words import words
    ignore = derived(tl, "ignore_set", lambda: frozenset(
        fold(w) for key in ("ignore_words", "stop_words") for w in tl.model_extra.get(key) or ()))
    return (w for w in words(stock.sub(" ", text)) if w not in ignore)


def answered_by_pairs(x, plan_text: str, stock, ignore) -> bool | None:
    """Character pairs: the problem is answered when a pair of its topic's characters occurs in
    the plan (widened by the related words). None: its headline is too general to judge."""
    if not topic_pairs(fold(x.headline), stock, ignore):
        return None
    return any(k in plan_text for k in topic_pairs(x.topic, stock, ignore))


def answered_by_words(x, plan, stock, tl) -> bool | None:
    """Words: the problem is answered when one of its topic's words, or a word related to it
    (stock_phrases `related`), is a word of the plan (`plan`: a words.Text). None: its headline
    is too general to judge (asked only when no word is found: either way nothing is reported)."""
    groups = related_groups(tl)
    for w in topic_words(x.topic, stock, tl):
        if plan.has(w) or any(plan.has(r) for g in groups if w in g for r in g if r != w):
            return True
    return False if next(topic_words(fold(x.headline), stock, tl), None) else None


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
