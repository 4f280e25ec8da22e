"""Inputs that were refused before this registry existed (kept as the registry's own check)."""
from __future__ import annotations

from . import Case


def _empty(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "空.txt").write_bytes(b"")
    return ["check", "in/空.txt"]


CASES = [
    Case("empty-file", _empty, rc=2, message="文件为空", issue="基本"),
]
