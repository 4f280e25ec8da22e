"""Kind `quote`: titles in 《》 that are close to a key regulation's exact title but not it."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ..terms import normalise
from .base import Hit

_TITLE = re.compile(r"《([^《》]{4,60})》")


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    similarity: float = 0.8          # how close a title must be to count as a misquotation


def _key(s: str) -> str:
    return re.sub(r"\s+", "", normalise(s))


def _strip(k: str, prefixes: tuple[str, ...]) -> str:
    for pre in prefixes:
        if k.startswith(pre):
            return k[len(pre):]
    return k


@lru_cache(maxsize=8)
def _known(entries, prefixes: tuple[str, ...]) -> dict[str, str]:
    return {_strip(_key(r.title), prefixes): r.title for r in entries}


def check(doc, p: Params):
    tl = doc.settings.terms("regulations")
    prefixes = tuple(_key(x) for x in (tl.model_extra.get("prefixes") or ()))
    known = _known(tuple(tl.entries), prefixes)
    for c in doc.classified:
        for m in _TITLE.finditer(c.line.text):
            k = _strip(_key(m.group(1)), prefixes)
            if k in known or any(kk in k or k in kk for kk in known):
                continue        # exact, or another act that contains a known name (地方条例、实施条例)
            best, ratio = None, 0.0
            for kk, title in known.items():
                sm = SequenceMatcher(None, k, kk)
                if sm.real_quick_ratio() < p.similarity or sm.quick_ratio() < p.similarity:
                    continue
                r = sm.ratio()
                if r > ratio:
                    best, ratio = title, r
            if best and ratio >= p.similarity:
                yield Hit(c.line.line_at(m.start()), m.group(0), {"match": m.group(0), "right": f"《{best}》"})
