"""Kind `order`: the top-level parts follow the outline — the order grammar
(grammar/outline.lark, or the one the profile names) parses the parts' elements; a part it
cannot take is out of place (checker/analyse/structure.py)."""
from __future__ import annotations

from ..analyse import structure
from .base import Hit, NoParams as Params  # noqa: F401 — the kind takes no parameters: the grammar is data


def check(doc, p: Params):
    parts = doc.outline.parts
    grammar = doc.settings.outline_grammar(doc.meta.level)
    for m in structure.parse([info.elements for info in parts], grammar).misplaced:
        if m.index >= len(parts):
            # the grammar wants more parts than the report has (no built-in grammar does)
            last = parts[-1] if parts else None
            yield Hit(last.line if last else None, last.heading if last else "",
                      {"heading": last.heading if last else "", "element": "报告在此结束",
                       "expected": structure.expected_text(m.expected)})
            continue
        info = parts[m.index]
        yield Hit(info.line, info.heading, {"heading": info.heading, "element": structure.elements_text(m.elements),
                                            "expected": structure.expected_text(m.expected)})
