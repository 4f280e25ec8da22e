"""Follow-through across two years of one unit: each item of last year's plan is looked for in
this year's measures; items with no trace are listed; text carried over unchanged is flagged."""
from __future__ import annotations

import re

from ..checks.problems import stock_patterns, topic_pairs
from ..problems import split_items
from ..text import clip, fold
from .copies import normalise

_UNIT_NOISE = re.compile(r"^(中共|中国共产党)|(人民政府|人民政府办事处|办事处|党委|党工委|委员会|政府)$")
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")


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


def follow_through(prev_doc, doc, settings) -> dict:
    stock, _, ignore = stock_patterns(settings.terms("stock_phrases"))
    measures = "".join(p.norm for p in doc.outline.regions.get("measures") or [])
    missing = []
    items = plan_items(prev_doc)
    for text, line in items:
        head = re.split(r"[，,。；;：:]", fold(text), maxsplit=1)[0]       # what the item is about
        keys = topic_pairs(head, stock, ignore)
        if keys and not any(k in measures for k in keys):
            missing.append({"item": clip(text, 60), "line": line})
    before = {}
    for p in (x for part in prev_doc.report.parts for x in part.paragraphs()):
        for s in _SENTENCE.findall(p.text):
            norm, _ = normalise(s)
            if len(norm) >= 30:
                before[norm] = s
    carried = []
    for part in doc.report.parts:
        for p in part.paragraphs():
            for s in _SENTENCE.findall(p.text):
                norm, _ = normalise(s)
                if len(norm) >= 30 and norm in before:
                    carried.append({"text": clip(s.strip(), 60), "line": p.line})
    return {"plan_items": len(items), "missing": missing, "carried_over": carried}
