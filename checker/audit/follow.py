"""Follow-through across two years of one unit: each item of last year's plan is looked for in
this year's measures; items with no trace are listed; text carried over unchanged is flagged."""
from __future__ import annotations

import re

from ..analyse.problems import split_items, stock_patterns, topic_pairs, widen
from ..compiled import compile_kept
from ..text import clip, fold
from .copies import normalise

_UNIT_NOISE = compile_kept(r"^(中共|中国共产党)|(人民政府|人民政府办事处|办事处|党委|党工委|委员会|政府)$")
_SENTENCE = compile_kept(r"[^。！？；!?;]+[。！？；!?;]?")


def unit_key(issuer: str | None) -> str | None:
    """One key for a unit however its name is written: 中共某镇委员会 某镇人民政府 → 某镇."""
    if not issuer:
        return None
    names = [re.sub(r"\s+", "", n) for n in issuer.split()]
    gov = next((n for n in names if "政府" in n or "办事处" in n), names[0])
    key = gov
    for _ in range(3):
        key = _UNIT_NOISE.sub("", key)
    return key or None


def plan_items(doc) -> list[tuple[str, int]]:
    """(item, line) of the next-year plan: its sub-parts, numbered items or sentences."""
    return split_items(doc.outline.regions.get("next_plan") or [])


def facts(doc) -> dict:
    """What a later comparison needs of one report, kept at check time so that no report is
    analysed twice: its plan items, its measures (folded) and the paragraphs of its parts."""
    return {"plan": plan_items(doc),
            "measures": "".join(p.norm for p in doc.outline.regions.get("measures") or []),
            "body": [(p.text, p.line) for part in doc.report.parts for p in part.paragraphs()]}


def _sentences(body):
    for text, line in body:
        for s in _SENTENCE.findall(text):
            norm, _ = normalise(s)
            if len(norm) >= 30:
                yield norm, s, line


def follow_through(before: dict, now: dict, settings) -> dict:
    """Last year's plan items with no trace in this year's measures, and sentences carried over
    unchanged; `before`, `now`: facts() of the two reports."""
    tl = settings.terms("stock_phrases")
    stock, _, ignore = stock_patterns(tl)
    measures = widen(now["measures"], tl)
    missing = []
    for text, line in before["plan"]:
        head = re.split(r"[，,。；;：:]", fold(text), maxsplit=1)[0]       # what the item is about
        keys = topic_pairs(head, stock, ignore)
        if keys and not any(k in measures for k in keys):
            missing.append({"item": clip(text, 60), "line": line})
    earlier = {norm for norm, _, _ in _sentences(before["body"])}
    carried = [{"text": clip(s.strip(), 60), "line": line} for norm, s, line in _sentences(now["body"])
               if norm in earlier]
    return {"plan_items": len(before["plan"]), "missing": missing, "carried_over": carried}
