"""Text that came out as mojibake: what LibreOffice makes of a damaged .doc/.wps, or of one in
an encoding it guessed wrong, is a page of rare characters (「鍙戝睍娉曟不」), replacement marks
and private-use code points rather than a report. Judged from the characters alone:

- of the Chinese characters (in simplified script), the share among GB 2312's 3,755 level-one
  characters (the common characters: a report is over 95 % made of them; mojibake of Chinese,
  under half);
- the share of characters no report holds: U+FFFD, private use, controls, Latin-1 letters
  (「ÎÒÏØ」 is GBK read as Latin-1).

The level-one set needs no list: it is the GB 2312 rows 16–55, which Python's codec knows."""
from __future__ import annotations

from functools import lru_cache

from ..compiled import compile_kept
from ..limits import limits
from ..script import is_traditional, simplified

_HAN = compile_kept(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_BAD = compile_kept(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f-\x9f\u00c0-\u00ff\uac00-\ud7af]")


@lru_cache(maxsize=8192)
def _common(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= b[0] <= 0xD7           # rows 16–55: level one


def judge(text: str) -> tuple[bool, float, float]:
    """(mojibake?, share of common characters among the Chinese ones, share of bad characters)."""
    cfg = limits().mojibake
    sample = "".join(text.split())[:cfg.sample]
    if is_traditional([sample]):
        sample = simplified(sample)      # a mirror in traditional script: judged in simplified
    han = _HAN.findall(sample)
    bad = len(_BAD.findall(sample)) / max(1, len(sample))
    common = sum(map(_common, han)) / len(han) if han else 1.0
    garbled = bad > cfg.max_bad or (len(han) >= cfg.min_han and common < cfg.min_common)
    return garbled, common, bad


def message(common: float, bad: float) -> str:
    return limits().mojibake.message.format(common=f"{common:.0%}", bad=f"{bad:.0%}")
