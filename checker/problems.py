"""The problems a report admits to, one per item: the units of its shortcomings part that the
quality rules weigh (how many, how concrete, whether the plan answers them)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold

_ENUMERATOR = re.compile(r"(?:^|(?<=[。；;：:\s]))(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]、|\d{1,2}[、.．])")
_INTRO = re.compile(r"(主要表现(在|为)|表现在以下|主要有以下|具体如下|主要是)[:：]?\s*$")
_CUE = re.compile(r"不够|不足|不强|不高|不深|欠缺|缺乏|薄弱|有待|滞后|单一|不到位|不完善|不规范|不平衡|问题|短板|差距|困难|较少|偏低|偏弱|仍需|尚未|未能|不及时|不健全|不明显")
# A segment that gives causes is not a problem of its own (「究其原因，…」「原因主要是…」).
_CAUSE = re.compile(r"^.{0,14}原因")
_CLAUSE = re.compile(r"[，,。；;：:！!？?]")


@dataclass
class Problem:
    text: str
    norm: str
    line: int

    @property
    def headline(self) -> str:
        """The problem's first clause — what it is about."""
        m = _CLAUSE.search(self.norm)
        return self.text[: m.start()] if m else self.text


def segments(paragraphs) -> list[Problem]:
    """The items of a part: enumerated segments (一是…二是…, (1)…) or else whole paragraphs,
    leaving out introductions that end in 「主要表现在：」."""
    out: list[Problem] = []
    for para in paragraphs:
        norm = para.norm.strip()
        starts = [m.start() for m in _ENUMERATOR.finditer(norm)]
        if len(starts) >= 2:
            bounds = [*starts, len(norm)]
            for a, b in zip(bounds, bounds[1:]):
                out.append(Problem(para.text[a:b].strip(), norm[a:b].strip(), para.line_at(a)))
            continue
        if not _INTRO.search(norm):
            out.append(Problem(para.text.strip(), norm, para.line))
    return out


def problems(doc) -> list[Problem]:
    """What the shortcomings part states as problems (not their causes): each sub-part (its
    heading is the problem's headline), else each enumerated item or paragraph."""
    carriers = [part for info, part in zip(doc.outline.parts, doc.report.parts, strict=True)
                if "shortcomings" in info.elements]
    found: list[Problem] = []
    if carriers:
        for part in carriers:
            own = [p for p in ([part.run_in] if part.run_in else []) + part.body]
            found += segments(own)
            lone = part.children[0] if len(part.children) == 1 else None
            if lone is not None and lone.body and not lone.children:
                # a single sub-part followed by paragraphs: the later problems lost their (二)、(三)
                # (or never had them); each paragraph is a problem of its own
                text = "".join([lone.heading, "。", lone.run_in.text if lone.run_in else ""])
                found.append(Problem(text, fold(text), lone.line))
                found += segments(lone.body)
                continue
            for child in part.children:
                text = "".join([child.heading, "。", *(p.text for p in child.paragraphs())])
                found.append(Problem(text, fold(text), child.line))
    else:
        found = segments(doc.outline.regions.get("shortcomings") or [])
    return [x for x in found if _CUE.search(x.norm) and not _CAUSE.search(x.norm)]


def split_items(paragraphs) -> list[tuple[str, int]]:
    """(text, line) of each item of a part (a plan's measures)."""
    return [(x.text, x.line) for x in segments(paragraphs) if len(x.norm) >= 6]
