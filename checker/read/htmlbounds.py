"""Web pages bounded before the HTML parser sees them. lexbor's tree building slows down with
the square of the depth of open elements (100,000 unclosed <div>: 30 s; 700,000: an hour), and
no alarm can interrupt it, so the page is measured first, from its tags alone: too many start
tags and it is refused; nested deeper than the limit and the deeper tags are flattened (made
line breaks: their text is kept, their nesting is not). Limits in rules/limits.yaml."""
from __future__ import annotations

import re

from ..compiled import compile_kept
from ..errors import InputError
from ..limits import limits, say

# A tag as far as nesting goes. [^<>]* and not [^>]*: a page of 「<a<a<a…」 with no 「>」 would
# make each try scan to the end of the page.
_TAG = compile_kept(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*>")

# Elements that never hold others (void) or that the parser closes by itself when the next
# starts (optional end tags): they do not deepen the tree however they are written.
_FLAT = frozenset("""area base br col embed hr img input link meta param source track wbr
    p li dt dd tr td th thead tbody tfoot option optgroup colgroup rb rt rp html head body""".split())
_BLOCK = frozenset("div section article table ul ol blockquote center form dl pre main aside header footer nav".split())


def bound(html: str, name: str) -> str:
    """The page, or the page with the tags nested beyond the depth limit flattened."""
    cfg = limits().html
    if html.count("<") <= cfg.depth:
        return html                     # the common small page: nothing can be too deep
    tags = _TAG.findall(html)
    if len(tags) > cfg.elements:
        n = sum(1 for slash, _ in tags if not slash)
        if n > cfg.elements:
            raise InputError(name, say(cfg.elements_message, n=n, max=cfg.elements))
    if _depth(tags) <= cfg.depth:
        return html
    return _flatten(html, cfg.depth)


class _Stack:
    """Open elements by name, with a count per name so that a close tag finds its opening (or
    finds there is none) without searching the stack."""

    def __init__(self):
        self.names: list[str] = []
        self.open: dict[str, int] = {}

    def push(self, tag: str) -> int:
        self.names.append(tag)
        self.open[tag] = self.open.get(tag, 0) + 1
        return len(self.names)

    def close(self, tag: str) -> int | None:
        """The depth the closed element was opened at; None for a close tag with no opening."""
        if not self.open.get(tag):
            return None
        while True:                      # elements left open inside it close with it
            top = self.names.pop()
            self.open[top] -= 1
            if top == tag:
                return len(self.names) + 1


def _depth(tags: list[tuple[str, str]]) -> int:
    stack, deepest = _Stack(), 0
    for slash, tag in tags:
        tag = tag.lower()
        if tag in _FLAT:
            continue
        if slash:
            stack.close(tag)
        else:
            deepest = max(deepest, stack.push(tag))
    return deepest


def _flatten(html: str, depth: int) -> str:
    stack = _Stack()

    def tag(m: re.Match) -> str:
        name = m.group(2).lower()
        if name in _FLAT:
            return m.group(0)
        at = stack.close(name) if m.group(1) else stack.push(name)
        if at is None or at <= depth:
            return m.group(0)
        return "<br>" if name in _BLOCK else ""      # a block still ends a line

    return _TAG.sub(tag, html)
