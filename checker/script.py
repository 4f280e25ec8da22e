"""Traditional-character copies read in simplified characters (rules/clean.yaml `traditional`).

Mirrors of government sites serve reports in traditional script; every pattern of the rules is
written in simplified. The converter is zhconv-rs (MediaWiki's conversion tables, compiled),
imported only when a text needs it. A converted line keeps its length, so an offset in it is an
offset in the line as written: findings quote the original (`Written.original`)."""
from __future__ import annotations

import re
from functools import lru_cache

from .compiled import compile_kept
from .resources import load_yaml, rules_dir


_SAMPLE = 2000          # characters looked at


@lru_cache(maxsize=1)
def _marks() -> tuple[re.Pattern, int]:
    d = (load_yaml(rules_dir() / "clean.yaml") or {}).get("traditional") or {}
    return compile_kept(d.get("marks") or "(?!)"), int(d.get("min_marks", 3))


def is_traditional(lines: list[str]) -> bool:
    """Does the text use traditional script? Counted over its first characters only: a mirror
    converts the whole page."""
    rx, need = _marks()
    found = 0
    for _ in rx.finditer("\n".join(lines[:100])[:_SAMPLE]):
        found += 1
        if found >= need:
            return True
    return False


def simplified(text: str) -> str:
    """`text` in simplified characters, the same length (character for character where a
    phrase conversion would change the length)."""
    from zhconv_rs import zhconv
    out = zhconv(text, "zh-cn")
    if len(out) != len(text):
        out = "".join(c if len(s := zhconv(c, "zh-cn")) != 1 else s for c in text)
    return out


class Written:
    """Lines as written beside the same lines converted: quotes taken from the converted text
    are given back in the original's characters."""

    def __init__(self):
        self.lines: dict[int, tuple[str, str]] = {}    # source line → (converted, as written)

    def add(self, line: int, converted: str, original: str) -> None:
        if converted != original:
            self.lines[line] = (converted, original)

    def __bool__(self) -> bool:
        return bool(self.lines)

    def original(self, line: int | None, quote: str) -> str:
        """`quote` (from line `line`, perhaps with 「…」 ellipses) in the characters as written;
        unchanged when it cannot be placed."""
        pair = self.lines.get(line) if line else None
        if not pair or not quote:
            return quote
        conv, orig = pair
        core = quote.strip("…")
        i = conv.find(core) if core else -1
        if i < 0:
            return quote
        return quote.replace(core, orig[i:i + len(core)], 1)

    def message(self, line: int | None, message: str) -> str:
        """Every 「quoted」 piece of a message given back as written."""
        if not self.lines.get(line or 0):
            return message
        return re.sub(r"「([^「」]+)」", lambda m: "「" + self.original(line, m.group(1)) + "」", message)
