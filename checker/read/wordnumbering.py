"""Word automatic numbering: the 「一、」「（一）」「1.」 a reader sees but the paragraph text lacks,
rendered from numbering.xml (w:numPr → w:num → w:abstractNum level: start, numFmt, lvlText)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..text import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
               "taiwaneseCountingThousand", "ideographLegalTraditional"):
        return int_to_cn(n)
    if fmt == "ideographTraditional":
        return _TIANGAN[(n - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None      # w:lvlRestart: restart after this (1-based) level; None: any higher
    suffix: str = "tab"


@dataclass
class Numbering:
    """Counters of every list in the document, advanced paragraph by paragraph in order."""
    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)   # numId → (abstract, start overrides)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    overridden: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, numbering_element) -> "Numbering":
        n = cls()
        if numbering_element is None:
            return n
        for a in numbering_element.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in a.iter(f"{W}lvl"):
                lv = _Level()
                for child, attr in ((f"{W}start", "start"), (f"{W}numFmt", "fmt"), (f"{W}lvlText", "text"),
                                    (f"{W}lvlRestart", "restart"), (f"{W}suff", "suffix")):
                    el = lvl.find(child)
                    if el is not None and el.get(f"{W}val") is not None:
                        v = el.get(f"{W}val")
                        setattr(lv, attr, int(v) if attr in ("start", "restart") and v.lstrip("-").isdigit() else v)
                levels[int(lvl.get(f"{W}ilvl", "0"))] = lv
            n.abstract[a.get(f"{W}abstractNumId")] = levels
        for num in numbering_element.iter(f"{W}num"):
            aid = num.find(f"{W}abstractNumId")
            overrides = {}
            for ov in num.iter(f"{W}lvlOverride"):
                so = ov.find(f"{W}startOverride")
                if so is not None and so.get(f"{W}val", "").isdigit():
                    overrides[int(ov.get(f"{W}ilvl", "0"))] = int(so.get(f"{W}val"))
            if aid is not None:
                n.nums[num.get(f"{W}numId")] = (aid.get(f"{W}val"), overrides)
        return n

    def label(self, num_id: str | None, ilvl: int) -> str:
        """Advance the list `num_id` at level `ilvl` and return the label this paragraph shows."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.abstract.get(aid)
        if not levels or ilvl not in levels:
            return ""
        counts = self.counters.setdefault(aid, {})
        if num_id not in self.overridden and overrides:
            self.overridden.add(num_id)
            for lv, start in overrides.items():
                counts[lv] = start - 1
        lv = levels[ilvl]
        counts[ilvl] = counts.get(ilvl, lv.start - 1) + 1
        for deeper, dl in levels.items():
            if deeper > ilvl and (dl.restart is None or dl.restart == 0 or dl.restart > ilvl):
                counts.pop(deeper, None)
        if lv.fmt == "bullet":
            return ""
        text = lv.text
        for i in range(9, -1, -1):
            if f"%{i + 1}" in text:
                li = levels.get(i, _Level())
                value = counts.get(i, li.start)
                text = text.replace(f"%{i + 1}", format_number(value, li.fmt))
        return text + (" " if lv.suffix == "space" else "")
