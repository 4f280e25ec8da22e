"""Small text helpers shared by the stages: width folding and Chinese numerals."""
from __future__ import annotations

import re
from bisect import bisect_right

from .compiled import compile_kept

# Full-width ASCII forms (！..～) fold to ASCII; ideographic and no-break spaces to a space.
# One character for one, so offsets in the folded text index the text as written.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20,
              0xFEFF: 0x20})
# Dashes and tildes alike too: 2021—2025, 2021-2025 and 2021～2025 are one range.
_FOLD.update({c: 0x2D for c in (0x2014, 0x2013, 0x2010, 0x2011, 0x2012, 0x2015, 0xFF0D, 0xFF5E, 0x7E)})


_FOLD_CHARS = {chr(k): chr(v) for k, v in _FOLD.items()}
_FOLD_RX = compile_kept("[" + "".join(re.escape(c) for c in _FOLD_CHARS) + "]")


def fold(s: str) -> str:
    """Full-/half-width variants made alike for matching (same length as `s`).

    A regex substitution, not str.translate: on CJK text translate takes a slow per-character
    path, 3–10× slower here (bench/)."""
    return _FOLD_RX.sub(lambda m: _FOLD_CHARS[m.group()], s)


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23; None when `s` is not such a numeral."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = 1 if tens == "" else _CN_DIGITS.get(tens)
    o = 0 if ones == "" else _CN_DIGITS.get(ones)
    if t is None or o is None or len(tens) > 1 or len(ones) > 1:
        return None
    return t * 10 + o


_CN_NUM = "一二三四五六七八九"


def int_to_cn(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_NUM[n - 1]
    if n < 100:
        t, o = divmod(n, 10)
        return ("" if t == 1 else _CN_NUM[t - 1]) + "十" + ("" if o == 0 else _CN_NUM[o - 1])
    return str(n)


def line_at(spans: list[tuple[int, int]], offset: int) -> int:
    """The source line of the character at `offset`, given (offset, line) starts of pieces,
    in order. A binary search: a paragraph joined from 19,000 lines has 19,000 pieces, and a
    scan for each figure in it made the check quadratic (40 s)."""
    if len(spans) == 1:             # most lines: one piece, no search
        return spans[0][1]
    i = bisect_right(spans, offset, key=_start) - 1
    return spans[max(i, 0)][1]


def _start(span: tuple[int, int]) -> int:
    return span[0]


def shift_spans(spans: list[tuple[int, int]], start: int) -> list[tuple[int, int]]:
    """Spans of the text that begins at `start` of a text with `spans`."""
    out = [(0, line_at(spans, start))]
    out += [(s - start, no) for s, no in spans if s > start]
    return out


# A year as reports write it: 2024, or 二〇二四 digit by digit.
YEAR = r"(?:19|20)\d{2}|二[〇零○O][一二三四五六七八九〇零○]{2}"
_YEAR_RX = compile_kept(rf"(?<!\d)({YEAR})(?!\d)")
# A span of years — (2021—2025年), 2024至2025学年 — names a period, not the year a text is about.
YEAR_SPAN = compile_kept(rf"(?:{YEAR})\s*年?\s*(?:-{{1,2}}|~|至|到)\s*(?:{YEAR})")


def year_value(y: str) -> int:
    """2024, or 二〇二四 read digit by digit."""
    if y.isdigit():
        return int(y)
    return int("".join("0" if ch in "〇零○O" else str(cn_to_int(ch)) for ch in y))


def years_in(text: str) -> list[int]:
    """The years a text names, in order, leaving out spans of years (checked on folded text)."""
    norm = YEAR_SPAN.sub(lambda m: " " * len(m.group(0)), fold(text))
    return [year_value(m.group(1)) for m in _YEAR_RX.finditer(norm)]


def clip(s: str, n: int = 60) -> str:
    s = s.strip()
    return s if len(s) <= n else s[: n - 1] + "…"
