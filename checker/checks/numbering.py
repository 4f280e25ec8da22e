"""Kind `numbering`: heading and item numbers that were lost, skipped or repeated (the
classifier repaired them; this reports each repair at its line)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .base import Hit

_WHAT = {
    "lost_number": "序号丢失", "lost_bracket": "缺少左括号", "lost_marker": "整个序号丢失",
    "skipped": "序号跳号", "repeated": "序号重复", "out_of_order": "序号顺序颠倒",
    "unnumbered": "没有序号", "item_parts": "以「一是」代替部分序号",
}


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    repairs: list[str]
    once: bool = False        # one finding for the report (at the first line), counting the rest


def check(doc, p: Params):
    hits = []
    for c in doc.classified:
        if c.repair in p.repairs:
            shown = (c.marker + c.heading) or c.line.text
            hits.append(Hit(c.line.start, shown, {
                "heading": shown[:40], "marker": c.marker or "（无）",
                "expected": c.expected_marker or "", "what": _WHAT.get(c.repair, c.repair)}))
    if p.once and hits:
        first = hits[0]
        first.values.update(count=len(hits), headings="」「".join(h.values["heading"] for h in hits[:6]))
        hits = [first]
    yield from hits
