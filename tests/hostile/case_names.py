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


def _odd_links_build(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "好名字.txt").write_bytes(REPORT.read_bytes())
    # a link to a folder and one to a file outside, both with names that are not UTF-8
    os.symlink("/etc", os.fsencode(str(ctx.root / "in")) + b"/\xfd-etc")
    os.symlink("/etc/hostname", os.fsencode(str(ctx.root / "in")) + b"/\xfe.txt")
    (ctx.root / "in" / "loop.txt").symlink_to("loop.txt")
    return ["audit", "in", "in/loop.txt", "-o", "out"]


def _odd_links_said(ctx, ran):
    run = json.loads((ctx.root / "out" / "run.json").read_text(encoding="utf-8"))
    assert len(run["skipped"]) >= 2 and all("\\x" in s["path"] or "loop" in s["path"] for s in run["skipped"]), run
    assert run["counts"]["checked"] == 1


def _gbk_list_build(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "柳溪.txt").write_bytes(REPORT.read_bytes())
    (ctx.root / "清单.txt").write_bytes("in/柳溪.txt\n".encode("gbk"))
    return ["audit", "@清单.txt", "-o", "out"]


CASES += [
    # a looping link named on the command line: said for that file, the others audited
    Case("audit-links-named-oddly", _odd_links_build, rc=1, message="无法读取.*loop", check=_odd_links_said,
         issue="文件名"),
    Case("audit-list-file-not-utf8", _gbk_list_build, rc=2, message="文件清单不是 UTF-8", issue="文件名"),
]


def _planted_default_build(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "好名字.txt").write_bytes(REPORT.read_bytes())
    (ctx.root / "elsewhere").mkdir()
    (ctx.root / "reports_out").mkdir()
    (ctx.root / "reports_out" / "in").symlink_to(ctx.root / "elsewhere")
    return ["audit", "in"]


def _nothing_elsewhere(ctx, ran):
    assert not list((ctx.root / "elsewhere").iterdir())


def _list_link_build(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "好名字.txt").write_bytes(REPORT.read_bytes())
    (ctx.root / "outside").mkdir()
    (ctx.root / "outside" / "secret.txt").write_text("某县2024年法治政府建设年度报告\n机密口令 hunter2\n", encoding="utf-8")
    (ctx.root / "in" / "pw.txt").symlink_to(ctx.root / "outside" / "secret.txt")
    (ctx.root / "in" / "list.txt").write_text("好名字.txt\npw.txt\n", encoding="utf-8")
    return ["audit", "@in/list.txt", "-o", "out"]


def _secret_not_read(ctx, ran):
    for f in (ctx.root / "out").rglob("*"):
        if f.is_file():
            assert b"hunter2" not in f.read_bytes(), f
    run = json.loads((ctx.root / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["reports"] == 1 and "之外" in run["skipped"][0]["reason"]


CASES += [
    Case("audit-default-out-is-a-planted-link", _planted_default_build, rc=2, message="默认的结果文件夹是一个链接",
         check=_nothing_elsewhere, issue="链接"),
    Case("audit-list-names-a-link-out", _list_link_build, rc=0, message="链接指向输入文件夹之外", check=_secret_not_read,
         issue="链接"),
]
