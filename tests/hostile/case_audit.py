"""The audit cannot be emptied, stopped or tricked: a full or read-only output disk, a worker
killed mid-run, reports that never finish parsing, two runs into one folder, links leading out
of the batch folder, folders it cannot list, an output folder that is the input folder."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import ROOT, Case, cannot_drop_privileges

sys.path.insert(0, str(ROOT))
from bench.gen import generate  # noqa: E402

SECRET = "绝密口令-7f3a9c-不得外传"


# ——— helpers ———

def _can_mount() -> str | None:
    if os.geteuid() != 0:
        return "tmpfs needs root"
    d = tempfile.mkdtemp()
    try:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", d], capture_output=True).returncode:
            return "cannot mount tmpfs here"
        subprocess.run(["umount", d], capture_output=True)
        return None
    finally:
        os.rmdir(d)


def _mount(ctx, folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    ctx.defer(lambda: subprocess.run(["umount", "-l", str(folder)], capture_output=True))


def _batch(ctx, n: int, seed: int = 5) -> None:
    generate(ctx.root / "in", n, seed=seed)


def _lines(folder: Path) -> list[str]:
    return sorted((folder / "findings.jsonl").read_text(encoding="utf-8").splitlines())


def _summary(ran) -> dict:
    return json.loads(ran.stdout)


def _same_as_clean(ctx, out: str, ran_json: dict) -> None:
    """A clean audit into another folder gives the same reports and findings."""
    clean = ctx.run("audit", "in", "-o", "clean", "-f", "json")
    assert clean.rc == 1, clean.stderr
    c = _summary(clean)
    assert ran_json["counts"] == c["counts"], (ran_json["counts"], c["counts"])
    assert _lines(ctx.root / out) == _lines(ctx.root / "clean")
    assert not list((ctx.root / out).glob(".shard-*"))
    assert len(list((ctx.root / out / "reports").iterdir())) == len(list((ctx.root / "clean" / "reports").iterdir()))


def _children(pid: int, running: bool = False) -> list[int]:
    """The child processes of `pid` (only those on a CPU now, with running: a worker at work)."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    state, ppid = fh.read().rsplit(")", 1)[1].split()[:2]
                if int(ppid) == pid and (state == "R" or not running):
                    out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _popen(ctx, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FZCHECK_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "checker", *args], cwd=ctx.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(cond, seconds: float = 30) -> bool:
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if cond():
            return True
        time.sleep(0.01)
    return False


# ——— 1. the output disk fills up ———

def _disk_full(size):
    def build(ctx):
        _batch(ctx, 300)
        _mount(ctx, ctx.root / "out", size)
        return ["audit", "in", "-o", "out", "-f", "json"]
    return build


def _disk_full_check(ctx, ran):
    out = ctx.root / "out"
    assert not ran.stdout.strip(), "a summary was printed from part of the results"
    assert not (out / "run.json").exists() and not (out / "summary.xlsx").exists()
    kept = list(out.glob(".shard-*.sqlite")) + list(out.glob("state.sqlite"))
    assert kept, "neither shards nor state kept"
    subprocess.run(["mount", "-o", "remount,size=64m", str(out)], check=True)
    again = ctx.run("audit", "in", "-o", "out", "-f", "json")
    assert again.rc == 1, again.stderr
    _same_as_clean(ctx, "out", _summary(again))


# ——— 4. a worker killed mid-run ———

def _kill_build(ctx):
    _batch(ctx, 400, seed=9)
    return ["audit", "in", "-o", "first", "-f", "json"]      # a plain run first: the batch is sound


def _kill_check(ctx, ran):
    assert ran.rc == 1, ran.stderr
    p = _popen(ctx, "audit", "in", "-o", "out", "-f", "json", "-j", "2")
    reports = ctx.root / "out" / "reports"
    killed = None
    # a worker caught at work: one killed while it waits for reports has none to lose
    if _wait_for(lambda: reports.is_dir() and len(os.listdir(reports)) > 40) and _wait_for(
            lambda: _children(p.pid, running=True), 10):
        killed = _children(p.pid, running=True)[0]
        os.kill(killed, signal.SIGKILL)
    stdout, stderr = p.communicate(timeout=120)
    assert killed is not None, "no worker found to kill"
    assert p.returncode == 1, stderr
    s = json.loads(stdout)
    died = [r["source"] for r in s["reports"] if "检查进程意外终止" in (r["reason"] or "")]
    # the report the worker was on; none when the kill fell between two reports, or after one was
    # stored but before the worker said so (it is then in the worker's shard, checked)
    assert len(died) <= 1, died
    first = {r["source"]: r["status"] for r in _summary(ran)["reports"]}
    now = {r["source"]: r["status"] for r in s["reports"]}
    assert set(now) == set(first)
    assert {k for k, v in now.items() if v != first[k]} == set(died)       # every other report checked
    again = ctx.run("audit", "in", "-o", "out", "-f", "json")
    assert again.rc == 1 and _summary(again)["counts"] == _summary(ran)["counts"], again.stderr
    assert json.loads((ctx.root / "out" / "run.json").read_text())["counts"]["checked_now"] == len(died)   # redone
    assert _lines(ctx.root / "out") == _lines(ctx.root / "first")


# ——— 6. pages a parser never finishes (bounded from outside: checker/guard.py) ———

def _unclosed(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "unclosed.html").write_text(
        "<html><body>" + "<div>" * 700_000 + "某镇2024年法治政府建设年度报告</body></html>", encoding="utf-8")
    return ctx.root / "in" / "unclosed.html"


def _nested(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "nested.html").write_text(
        "<html><body>" + "<div>" * 1000 + "某镇2024年法治政府建设年度报告<p>一、主要举措和成效</p>" + "</div>" * 1000
        + "</body></html>", encoding="utf-8")
    return ctx.root / "in" / "nested.html"


def _html_check(make):
    def build(ctx):
        return ["check", make(ctx).relative_to(ctx.root)]
    return build


def _html_audit(make):
    def build(ctx):
        make(ctx)
        generate(ctx.root / "in" / "more", 6, seed=2)
        return ["audit", "in", "-o", "out", "-f", "json"]
    return build


def _no_internal_error(ctx, ran):
    assert "内部错误" not in ran.stderr + ran.stdout, ran.stderr[-1000:]


def _html_audit_check(ctx, ran):
    s = _summary(ran)
    by = {Path(r["source"]).name: r for r in s["reports"]}
    page = by.pop("unclosed.html", None) or by.pop("nested.html")
    assert "内部错误" not in (page["reason"] or ""), page["reason"]
    assert page["status"] == "checked" or re.search("无法读取|检查超过|嵌套|标签", page["reason"]), page
    # the rest of the batch checked as ever (the generator's broken files are unreadable)
    assert all(r["status"] == "checked" for n, r in by.items() if n.startswith("r")), by
    assert len(by) == 6


# ——— 5. two audits into one folder ———

def _two_build(ctx):
    _batch(ctx, 400, seed=3)
    return ["audit", "in", "-o", "clean", "-f", "json"]


def _two_check(ctx, ran):
    p = _popen(ctx, "audit", "in", "-o", "out", "-f", "json")
    lock = ctx.root / "out" / ".fzcheck-audit.lock"
    assert _wait_for(lambda: lock.exists() and lock.read_text().strip() == str(p.pid))
    second = ctx.run("audit", "in", "-o", "out", "-f", "json", "--fresh")
    stdout, stderr = p.communicate(timeout=120)
    assert second.rc == 2 and re.search(rf"正在使用.*进程 {p.pid}", second.stderr), second.stderr
    assert p.returncode == 1, stderr
    assert json.loads(stdout)["counts"] == _summary(ran)["counts"]
    assert _lines(ctx.root / "out") == _lines(ctx.root / "clean")
    assert sorted(os.listdir(ctx.root / "out" / "reports")) == sorted(os.listdir(ctx.root / "clean" / "reports"))


# ——— 8. links ———

def _links(kind):
    def build(ctx):
        generate(ctx.root / "in", 3, seed=1)
        secret = ctx.root / "outside"
        secret.mkdir()
        (secret / "secret.txt").write_text(f"某县2024年法治政府建设年度报告\n{SECRET}\n", encoding="utf-8")
        if kind == "file":
            (ctx.root / "in" / "passwd.txt").symlink_to("../outside/secret.txt")
            (ctx.root / "in" / "abs.txt").symlink_to(secret / "secret.txt")
        elif kind == "folder":
            (ctx.root / "in" / "linked").symlink_to(secret)
        else:
            (ctx.root / "in" / "loop.txt").symlink_to("loop.txt")
            (ctx.root / "in" / "a.txt").symlink_to("b.txt")
            (ctx.root / "in" / "b.txt").symlink_to("a.txt")
            (ctx.root / "in" / "up").symlink_to("..")
        return ["audit", "in", "-o", "out"]
    return build


def _nothing_leaked(ctx, ran):
    for f in (ctx.root / "out").rglob("*"):
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes(), f"{f} holds the file outside the folder"
    run = json.loads((ctx.root / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["skipped"] and all(s["reason"] for s in run["skipped"])
    assert run["counts"]["reports"] == 3


# ——— 12. unlistable subfolder, output folder = input, read-only output ———

def _denied_build(ctx):
    generate(ctx.root / "in", 8, seed=1)
    generate(ctx.root / "in" / "locked", 2, seed=2)
    (ctx.root / "in" / "locked").chmod(0)
    ctx.defer(lambda: (ctx.root / "in" / "locked").chmod(0o755))
    return ["audit", "in", "-o", "out", "-f", "json"]     # run without root's power over permissions


def _denied_check(ctx, ran):
    s = _summary(ran)
    locked = [x for x in s["reports"] if x["source"].endswith("locked")]
    assert len(locked) == 1 and locked[0]["status"] == "unreadable" and "文件夹无法读取" in locked[0]["reason"], locked
    # the rest of the folder is audited as before
    assert not any("/locked/" in x["source"] for x in s["reports"])
    beside = [f for f in (ctx.root / "in").iterdir() if f.is_file() and f.suffix != ".json"]
    assert s["counts"]["reports"] == len(beside) + 1 and s["counts"]["checked"] >= 1


def _same_folder(ctx):
    generate(ctx.root / "in", 3, seed=1)
    return ["audit", "in", "-o", "in"]


def _around(ctx):
    generate(ctx.root / "out" / "in", 3, seed=1)
    return ["audit", "out/in", "-o", "out"]


def _read_only_build(ctx):
    generate(ctx.root / "in", 20, seed=1)
    _mount(ctx, ctx.root / "out", "16m")
    first = ctx.run("audit", "in", "-o", "out")
    assert first.rc == 1, first.stderr
    (ctx.root / "in" / "r00001.txt").write_text("某镇2024年法治政府建设年度报告\n一、主要举措\n改了。\n", encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(ctx.root / "out")], check=True)
    return ["audit", "in", "-o", "out"]


CASES = [
    Case("audit-disk-full-2m", _disk_full("2m"), rc=2, message="磁盘空间不足", check=_disk_full_check,
         skip=_can_mount, issue="审核"),
    Case("audit-disk-full-6m", _disk_full("6m"), rc=2, message="磁盘空间不足.*已保留", check=_disk_full_check,
         skip=_can_mount, issue="审核"),
    Case("audit-worker-killed", _kill_build, rc=1, check=_kill_check, issue="审核"),
    Case("check-html-700k-unclosed-div", _html_check(_unclosed), rc=(1, 2), message="无法读取|标签|嵌套",
         check=_no_internal_error, issue="审核"),
    Case("audit-html-700k-unclosed-div", _html_audit(_unclosed), rc=1, check=_html_audit_check,
         issue="审核"),
    Case("check-html-1000-nested", _html_check(_nested), rc=(0, 1, 2), check=_no_internal_error, issue="审核"),
    Case("audit-html-1000-nested", _html_audit(_nested), rc=(0, 1), check=_html_audit_check, issue="审核"),
    Case("audit-two-runs-one-folder", _two_build, rc=1, check=_two_check, issue="审核"),
    Case("audit-link-to-file-outside", _links("file"), rc=(0, 1), message="跳过.*链接指向输入文件夹之外",
         check=_nothing_leaked, issue="审核"),
    Case("audit-linked-folder", _links("folder"), rc=(0, 1), message="链接到文件夹，未进入",
         check=_nothing_leaked, issue="审核"),
    Case("audit-looping-links", _links("loop"), rc=(0, 1), message="链接循环", check=_nothing_leaked, issue="审核"),
    Case("audit-unlistable-subfolder", _denied_build, rc=1, check=_denied_check, skip=cannot_drop_privileges,
         unprivileged=True, issue="审核"),
    Case("audit-out-is-input", _same_folder, rc=2, message="输出文件夹不能是输入文件夹", issue="审核"),
    Case("audit-out-holds-input", _around, rc=2, message="输出文件夹不能是输入文件夹.*上级", issue="审核"),
    Case("audit-read-only-out", _read_only_build, rc=2, message="只读", skip=_can_mount, issue="审核"),
]
