"""The audit's output folder is its own: a folder that holds the user's files (and is no earlier
audit's output) is refused before anything is written or swept; an earlier audit's folder is reused."""
from __future__ import annotations

import sys

from . import ROOT, Case

sys.path.insert(0, str(ROOT))
from bench.gen import generate  # noqa: E402


def _users_folder(ctx):
    generate(ctx.root / "in", 4, seed=11)
    mine = ctx.root / "mine"
    mine.mkdir()
    (mine / "summary.xlsx").write_bytes(b"my own workbook, not fzcheck's")
    (mine / ".notes.tmp").write_text("我的笔记", encoding="utf-8")
    return ["audit", "in", "-o", "mine"]


def _still_mine(ctx, ran):
    mine = ctx.root / "mine"
    assert sorted(p.name for p in mine.iterdir()) == [".notes.tmp", "summary.xlsx"], list(mine.iterdir())


def _earlier_audit_reused(ctx, ran):
    """The same batch into an audit's own folder, twice: the second run reuses it (its files
    change, as they should; the runner's before/after check covers only the first command)."""
    for _ in range(2):
        again = ctx.run("audit", "in", "-o", "out")
        assert again.rc in (0, 1), again.stdout + again.stderr
    assert "沿用上次结果" in again.stdout, again.stdout
    assert (ctx.root / "out" / "summary.xlsx").is_file()


def _check(ctx, ran):
    _still_mine(ctx, ran)
    _earlier_audit_reused(ctx, ran)


CASES = [
    Case("audit-out-holds-users-files", _users_folder, rc=2,
         message=r"mine.*输出文件夹中已有其他文件.*空的或新的文件夹.*之前 audit 的输出文件夹", check=_check, issue="审核"),
]
