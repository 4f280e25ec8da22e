"""Kind `order`: the top-level parts follow the outline — the order grammar
(grammar/outline.lark, or the one the profile names) parses the parts' elements; a part it
cannot take is out of place (checker/analyse/structure.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..analyse import structure
from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


# no parameters: the order is the grammar's (data in grammar/), chosen by the profile
@check("order", NoParams, "顶层各部分的顺序不符合提纲（按提纲文法 grammar/outline.lark 解析）")
def order(doc: Document, p: NoParams):
    parts = doc.outline.parts
    grammar = doc.settings.outline_grammar(doc.meta.level)
    for m in structure.parse([info.elements for info in parts], grammar).misplaced:
        if m.index >= len(parts):
            # the grammar wants more parts than the report has (no built-in grammar does)
            last = parts[-1] if parts else None
            yield Hit(last.line if last else None, last.heading if last else "",
                      {"heading": last.heading if last else "", "element": "报告在此结束",
                       "where": "", "expected": structure.expected_text(m.expected),
                       "order": structure.order_text(grammar)})
            continue
        info = parts[m.index]
        values = {"heading": info.heading, "expected": structure.expected_text(m.expected),
                  "order": structure.order_text(grammar)}
        if not m.after:
            # the grammar refuses the part for what stands around it, not for one part before it
            yield Hit(info.line, info.heading, {**values, "element": structure.elements_text(m.elements),
                                                "where": "出现在此处"})
        for element, j in m.after:
            # one finding for each part it may not follow, as the outline's precedences count
            yield Hit(info.line, info.heading, {**values, "element": structure.elements_text([element]),
                                                "where": f"排在「{parts[j].heading}」之后"})
