"""Kind `numbering`: heading and item numbers that were lost, skipped or repeated (the
classifier repaired them; this reports each repair at its line)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from .base import Hit, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

_WHAT = {
    "lost_number": "序号丢失", "lost_bracket": "缺少左括号", "lost_marker": "整个序号丢失",
    "skipped": "序号跳号", "repeated": "序号重复", "out_of_order": "序号顺序颠倒",
    "unnumbered": "没有序号", "item_parts": "以「一是」代替部分序号",
}


class Params(Strict):
    repairs: list[Literal[tuple(_WHAT)]] = Field(description="报出哪几种序号问题（分类时所作的修补）："
                                                 + "、".join(f"{k}（{v}）" for k, v in _WHAT.items()))
    once: bool = Field(False, description="整篇只报一次（在第一处），并列出其余几处")


@check("numbering", Params, "标题和条目序号丢失、跳号、重复或颠倒（分类时已修补），在各处报出")
def numbering(doc: Document, p: Params):
    hits = []
    after = _renumbered(doc)
    for c in doc.classified:
        if c.repair in p.repairs:
            shown = (c.marker + c.heading) or c.line.text
            hits.append(Hit(c.line.start, shown, {
                "heading": shown[:40], "marker": c.marker or "（无）",
                "expected": c.expected_marker or "", "what": _WHAT.get(c.repair, c.repair)},
                words=(c.marker,) if c.marker else (), follow=after.get(id(c), ())))
    if p.once and hits:
        first = hits[0]
        first.values.update(count=len(hits), headings="」「".join(h.values["heading"] for h in hits[:6]))
        hits = [first]
    yield from hits


def _renumbered(doc: Document) -> dict[int, tuple]:
    """For each repaired heading, the headings of its ladder after it (same level, same
    parent, up to the next repaired one) whose number then no longer follows: 「（四）（五）」 after
    a skipped 「（三）」 become 「（三）（四）」 with it. A fix of one number alone would leave the
    next one skipped."""
    from ..lexicon import lexicon
    lx = lexicon()
    ranks = {m.style: i for i, m in enumerate(lx.headings)}
    stack: list[tuple[int, int]] = []
    ladders: dict[tuple[int, str], list] = {}
    for c in doc.classified:
        if not c.kind.startswith("H") or c.style not in ranks:
            continue
        r = ranks[c.style]
        while stack and stack[-1][0] >= r:
            stack.pop()
        parent = stack[-1][1] if stack else -1
        stack.append((r, id(c)))
        ladders.setdefault((parent, c.style), []).append(c)
    out: dict[int, tuple] = {}
    for ladder in ladders.values():
        owner = None
        for n, c in enumerate(ladder, 1):
            if c.repair:
                owner = id(c)
                out[owner] = ()
            elif owner is not None and c.marker and c.number != n:
                out[owner] += ((c.line.start, c.marker, lx.render(c.style, n)),)
    return out
