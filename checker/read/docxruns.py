"""A Word paragraph's runs and their text, as a reader sees them: for the layout (which run a
paragraph is read in) and for the writers that cut runs at a finding's words."""
from __future__ import annotations

from .wordnumbering import W

# runs not in the text as a reader sees it (deleted text, a moved-away copy, a field's code)
_NOT_TEXT = {f"{W}del", f"{W}moveFrom"}


def runs_of(p) -> list:
    """The paragraph's runs in reading order, those inside hyperlinks, fields and insertions
    included, deleted ones not."""
    out = []
    for r in p.iter(f"{W}r"):
        if any(a.tag in _NOT_TEXT for a in r.iterancestors()):
            continue
        if r.getparent() is not None and r.getparent().tag == f"{W}r":
            continue
        out.append(r)
    return out


def run_text(r) -> str:
    parts = []
    for child in r:
        if child.tag == f"{W}t":
            parts.append(child.text or "")
        elif child.tag == f"{W}tab":
            parts.append("\t")
        elif child.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts)
