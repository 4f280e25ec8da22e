"""File names no text output can carry as they are: bytes that are not UTF-8 (a folder copied
from an old Windows share in GBK, a name cut in the middle of a character)."""
from __future__ import annotations

import json
import os

from . import ROOT, Case

REPORT = ROOT / "samples" / "柳溪镇_2024_规范.txt"


def _folder(ctx):
    (ctx.root / "in").mkdir()
    raw = os.fsencode(str(ctx.root / "in")) + "/柳溪镇".encode("gbk") + b"\xff.txt"
    with open(raw, "wb") as fh:
        fh.write(REPORT.read_bytes())
    (ctx.root / "in" / "好名字.txt").write_bytes(REPORT.read_bytes())


def _check_build(ctx):
    _folder(ctx)
    return ["check", *[os.path.join("in", n) for n in sorted(os.listdir(ctx.root / "in"))], "--format", "json"]


def _check_both(ctx, ran):
    results = json.loads(ran.stdout)
    assert len(results) == 2, ran.stdout[:500]
    # the undecodable bytes shown as \xNN, the rest of the name kept
    assert any("\\xff" in r["source"] for r in results) and all(r["summary"]["errors"] == 0 for r in results)


def _audit_build(ctx):
    _folder(ctx)
    return ["audit", "in", "-o", "out"]


def _audit_skips(ctx, ran):
    run = json.loads((ctx.root / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["reports"] == 1
    assert [s["reason"] for s in run["skipped"]] and "UTF-8" in run["skipped"][0]["reason"]


CASES = [
    Case("check-name-not-utf8", _check_build, rc=0, check=_check_both, issue="文件名"),
    Case("audit-name-not-utf8", _audit_build, rc=0, message="文件名含有无法识别的字符", check=_audit_skips,
         issue="文件名"),
]
