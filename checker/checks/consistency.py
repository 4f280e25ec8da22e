"""Kind `consistency`: headings of one level written in more than one form (「第一部分」 beside
「五、」, 「1.」 beside 「1、」, 「（一）」 beside 「(一)」)."""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from ..compiled import compile_kept
from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

_DAMAGED = {"lost_number", "lost_bracket", "lost_marker", "unnumbered", "item_parts"}   # forms of no choice
_NUMERAL = compile_kept(r"[一二三四五六七八九十]+|\d+")


def form(marker: str) -> str:
    """The marker with its number taken out: （一） → （N）, 第三部分 → 第N部分."""
    return _NUMERAL.sub("N", re.sub(r"\s+", "", marker), count=1)


@check("consistency", NoParams, "同一级标题混用不同的序号形式（「1.」与「1、」，「（一）」与「(一)」）")
def consistency(doc: Document, p: NoParams):
    by_style: dict[str, list] = {}
    for c in doc.classified:
        if c.style and c.marker and c.repair not in _DAMAGED:
            by_style.setdefault(c.style, []).append(c)
    for items in by_style.values():
        forms = Counter(form(c.marker) for c in items)
        if len(forms) < 2:
            continue
        usual = forms.most_common(1)[0][0]
        example = next(c.marker for c in items if form(c.marker) == usual)
        for c in items:
            if form(c.marker) != usual:
                # the usual form with this heading's own number (STRUCT-MARKER-FORM's fix)
                number = _NUMERAL.search(c.marker)
                fixed = _NUMERAL.sub(number.group(0), example, count=1) if number else ""
                yield Hit(c.line.start, c.marker + c.heading,
                          {"marker": c.marker, "usual": example, "heading": (c.marker + c.heading)[:30],
                           "fixed": fixed}, words=(c.marker,))
