"""The runs of a paragraph that hold given words, split at the words' edges so that a comment
or a tracked change covers those words and nothing more.

A Word paragraph's text is spread over runs (w:r) in any way the editor pleased: 「学习」「不够深
入」 may be three runs, or one run may hold the whole paragraph. The paragraph's text is the runs'
text in order; the words are found in it (white space ignored, as a reader ignores it), and a run
that the words begin or end inside is cut in two there, both halves keeping its formatting."""
from __future__ import annotations

import copy
import re

from ..read.docxruns import run_text, runs_of
from ..read.wordnumbering import W

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _splittable(r) -> bool:
    """A run of its properties and one text element: the common case, cut at any character."""
    kids = [c for c in r if c.tag != f"{W}rPr"]
    return len(kids) == 1 and kids[0].tag == f"{W}t"


def _split(r, k: int):
    """Cut run r after its k-th character; the second half is a copy of r placed after it."""
    t = r.find(f"{W}t")
    text = t.text or ""
    second = copy.deepcopy(r)
    t.text = text[:k]
    second.find(f"{W}t").text = text[k:]
    for el in (t, second.find(f"{W}t")):
        el.set(XML_SPACE, "preserve")
    r.addnext(second)
    return second


def find_span(text: str, words: str) -> tuple[int, int] | None:
    """Where `words` stand in `text`, white space ignored in both: (start, end) in `text`."""
    want = re.sub(r"\s+", "", words)
    if not want:
        return None
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    squeezed = "".join(text[i] for i in keep)
    at = squeezed.find(want)
    if at < 0:
        return None
    return keep[at], keep[at + len(want) - 1] + 1


def isolate(paragraphs: list, words_options: list[str]) -> list | None:
    """The runs that hold the first of `words_options` found in the paragraphs, cut to their
    edges (where a run can be cut); None when none of them is there."""
    for p in paragraphs:
        runs = list(runs_of(p))
        texts = [run_text(r) for r in runs]
        joined = "".join(texts)
        for words in words_options:
            span = find_span(joined, words)
            if span is None:
                continue
            return cut(runs, texts, *span)
    return None


def cut(runs, texts, start: int, end: int) -> list:
    """The runs covering [start, end) of the joined text, the first and last cut at the edges."""
    chosen, at = [], 0
    for r, t in zip(runs, texts):
        a, b = at, at + len(t)
        at = b
        if b <= start or a >= end or not t:
            continue
        if a < start and _splittable(r):
            r = _split(r, start - a)
            t, a = t[start - a:], start
        if b > end and _splittable(r):
            _split(r, end - a)
        chosen.append(r)
    return chosen


def whole(paragraphs: list) -> list | None:
    """All the runs of the paragraphs (a finding whose words cannot be found); None when they
    hold no run at all (an empty paragraph)."""
    runs = [r for p in paragraphs for r in runs_of(p)]
    return runs or None
