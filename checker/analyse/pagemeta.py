"""The government-information disclosure block of a web page (索引号、发布机构、文号、成文日期、
发布日期、标题…), read into fields (rules/clean.yaml `metadata`). The cleaner takes its lines out
of the text; the metadata stage reads the fields. Its dates and years are the page's, never the
report's."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..compiled import compile_kept
from ..errors import ConfigError
from ..resources import load_yaml, rules_dir


@dataclass(frozen=True)
class PageField:
    field: str          # publisher | number | written | published | title | index | other
    key: str            # the key as the page wrote it, spaces removed
    value: str
    line: int


@dataclass(frozen=True)
class _Spec:
    keys: re.Pattern          # any key, spaced out or not, where a key may stand
    field_of: dict[str, str]  # key (no spaces) → field
    max_len: int
    first: re.Pattern         # the first character a line of the block can open with


# 「- 」「• 」「| 」 before a key; 「|」「[ ]」「【】」 around keys and values are cell borders
_BULLET = compile_kept(r"^[\s\-•·*>]+")
_BORDERS = compile_kept(r"[|｜\[\]【】]")


@lru_cache(maxsize=1)
def _spec() -> _Spec:
    path = rules_dir() / "clean.yaml"
    d = (load_yaml(path) or {}).get("metadata") or {}
    try:
        field_of = {k: f for f, keys in d["fields"].items() for k in keys}
    except (KeyError, AttributeError, TypeError) as e:
        raise ConfigError(f"{path}: metadata.fields 有误：{e}") from None
    # longest first: 「信息分类名称」 before 「信息分类」 before 「分类」
    spaced = [r"\s*".join(re.escape(ch) for ch in k) for k in sorted(field_of, key=len, reverse=True)]
    keys = compile_kept(rf"(?:(?<=\s)|^)(?P<key>{'|'.join(spaced)})(?=\s*[:：]|\s|$)")
    firsts = "".join(sorted({k[0] for k in field_of}))
    return _Spec(keys=keys, field_of=field_of, max_len=int(d.get("max_len", 240)),
                 first=compile_kept(rf"[\s\-•·*>|｜\[【]*[{re.escape(firsts)}]"))


def read_line(norm: str, line: int, in_block: bool) -> list[PageField] | None:
    """The fields of one line of the block, or None when the line is not part of one.

    `norm` is the folded line; `in_block` says the line before was part of the block, where a
    key followed by a space (no colon) is enough."""
    sp = _spec()
    if len(norm) > sp.max_len or not sp.first.match(norm):
        return None         # most lines: too long, or no key can open them
    text = _BORDERS.sub(" ", _BULLET.sub("", norm)).strip()
    matches = list(sp.keys.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    first_end = matches[0].end()
    colon = text[first_end:first_end + 2].lstrip().startswith(":")
    bordered = bool(_BORDERS.search(norm))
    alone = first_end == len(text)          # a key on a line of its own, its value below
    if not (colon or bordered or alone or len(matches) >= 2 or in_block):
        return None
    out = []
    for m, nxt in zip(matches, [*matches[1:], None]):
        key = re.sub(r"\s+", "", m.group("key"))
        value = text[m.end():nxt.start() if nxt else len(text)].strip().lstrip(":").strip()
        out.append(PageField(sp.field_of[key], key, value, line))
    return out


_SENTENCE_PUNCT = compile_kept(r"[。，,；;：:]")


def is_value_line(norm: str) -> bool:
    """A short line that can be the value of a key left empty on the line above
    (「信息索引号:」 then 「11330703736873621E/2024-139175」)."""
    return 0 < len(norm) <= 60 and not _SENTENCE_PUNCT.search(norm)


_DATE = compile_kept(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


def iso_date(value: str) -> str | None:
    m = _DATE.search(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None
