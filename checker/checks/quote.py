"""Kind `quote`: titles in 《》 that are close to a key regulation's exact title but not it."""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from pydantic import BaseModel, ConfigDict

from ..terms import derived
from ..text import fold
from .base import Hit

_TITLE = re.compile(r"《([^《》]{4,60})》")
# The kind of act a title ends with: 《…实施方案（2021—2025年）》 is not a misquoted 《…实施纲要（…）》.
_KIND = re.compile(r"(纲要|规划|方案|规定|条例|办法|意见|决定|细则|通知|计划|法)(?:\(.*\))?$")


def _kind(key: str) -> str:
    m = _KIND.search(key)
    return m.group(1) if m else ""


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    similarity: float = 0.8          # how close a title must be to count as a misquotation


def _key(s: str) -> str:
    return re.sub(r"\s+", "", fold(s))


def _strip(k: str, prefixes: tuple[str, ...]) -> str:
    for pre in prefixes:
        if k.startswith(pre):
            return k[len(pre):]
    return k


def _known(tl):
    """Known titles (without shared prefixes) → (full title, a matcher with it as second
    sequence: SequenceMatcher indexes its second sequence once)."""
    def build():
        prefixes = tuple(_key(x) for x in (tl.model_extra.get("prefixes") or ()))
        out = {}
        for r in tl.entries:
            k = _strip(_key(r.title), prefixes)
            sm = SequenceMatcher(None)
            sm.set_seq2(k)
            out[k] = (r.title, sm)
        return prefixes, out
    return derived(tl, "quote", build)


def check(doc, p: Params):
    prefixes, known = _known(doc.settings.terms("regulations"))
    for c in doc.classified:
        if "《" not in c.line.text:
            continue
        for m in _TITLE.finditer(c.line.text):
            k = _strip(_key(m.group(1)), prefixes)
            if k in known or any(kk in k or k in kk for kk in known):
                continue        # exact, or another act that contains a known name (地方条例、实施条例)
            best, ratio = None, 0.0
            kind = _kind(k)
            for kk, (title, sm) in known.items():
                if 2 * min(len(k), len(kk)) / (len(k) + len(kk)) < p.similarity or _kind(kk) != kind:
                    continue    # lengths alone rule it out, or another kind of act
                sm.set_seq1(k)
                if sm.quick_ratio() < p.similarity:
                    continue
                r = sm.ratio()
                if r > ratio:
                    best, ratio = title, r
            if best and ratio >= p.similarity:
                yield Hit(c.line.line_at(m.start()), m.group(0), {"match": m.group(0), "right": f"《{best}》"})
