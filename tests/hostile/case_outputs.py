"""Outputs: `check -o` and `checklist -o` never write over a file they did not create in the run,
what they write is marked so that neither an audit nor `check` reads it back as a report, and the
operating system's refusals (a read-only or full folder, an unreadable file or folder, a looping
link) are said in Chinese for the file they concern, with exit code 2 and nothing lost."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import ROOT, Case, cannot_drop_privileges

REPORTS = ROOT / "tests" / "data" / "blind"
# three reports of three units (no copies among them): an audit must count three
THREE = ["b1_yunxiu_county_2019.txt", "b2_qiwu_city_2022.txt", "b5_qinfang_street_2021.txt"]
USERS = b"the user's own file, not to be touched\n"


def _report(ctx, name: str = "报告.txt", folder: str = "in", which: str = THREE[0]) -> Path:
    d = ctx.root / folder
    d.mkdir(exist_ok=True)
    shutil.copyfile(REPORTS / which, d / name)
    return d / name


def _users_files(folder: Path, names) -> None:
    folder.mkdir(exist_ok=True)
    for n in names:
        (folder / n).write_bytes(USERS)


def _assert_ok(ran, what: str) -> None:
    assert ran.rc in (0, 1) and "Traceback" not in ran.stderr, f"{what}: rc {ran.rc}\n{ran.stderr[-2000:]}"


def _no_temp(folder: Path) -> None:
    left = [p.name for p in folder.iterdir() if p.name.startswith(".")]
    assert not left, f"temporary files left in {folder}: {left}"


# --- never written over ------------------------------------------------------------------------

_TAKEN = ["报告.html", "报告.md", "报告.json", "报告.txt", "报告-2.txt"]
_FREE = {"html": "报告-2.html", "md": "报告-2.md", "json": "报告-2.json", "terminal": "报告-3.txt"}


def _over(fmt: str):
    def build(ctx):
        _report(ctx)
        _users_files(ctx.root / "out", _TAKEN)
        return ["check", "in/报告.txt", "-o", "out", "-f", fmt]

    def check(ctx, ran):
        new = ctx.root / "out" / _FREE[fmt]
        assert new.is_file() and new.read_bytes() != USERS, f"no result under {new.name}: {sorted(os.listdir(new.parent))}"
        assert new.name in ran.stdout and "已存在，未覆盖" in ran.stdout, ran.stdout
        assert sorted(os.listdir(ctx.root / "out")) == sorted([*_TAKEN, new.name])
        # and the result is known again as one: `check` refuses it
        again = ctx.run("check", f"out/{new.name}")
        assert again.rc == 2 and "fzcheck 生成的结果文件" in again.stderr, again.stderr
    return Case(f"check-o-never-overwrites-{fmt}", build, rc=0, check=check, issue="覆盖用户文件")


def _beside_input(ctx):
    """`-o` the input's own folder: the terminal view goes neither over 报告.txt nor over 报告-2.txt."""
    _report(ctx)
    _users_files(ctx.root / "in", ["报告-2.txt"])
    return ["check", "in/报告.txt", "-o", "in"]


def _beside_input_check(ctx, ran):
    assert (ctx.root / "in" / "报告-3.txt").is_file(), sorted(os.listdir(ctx.root / "in"))
    assert sorted(os.listdir(ctx.root / "in")) == ["报告-2.txt", "报告-3.txt", "报告.txt"]


def _checklist_over(ctx):
    _report(ctx)
    _users_files(ctx.root / "out", ["报告-核查清单.docx", "报告-核查清单-2.docx"])
    return ["checklist", "in/报告.txt", "-f", "docx", "-o", "out"]


def _checklist_over_check(ctx, ran):
    new = ctx.root / "out" / "报告-核查清单-3.docx"
    assert new.is_file() and new.read_bytes()[:2] == b"PK", sorted(os.listdir(ctx.root / "out"))
    assert "已存在，未覆盖" in ran.stdout, ran.stdout


# --- marked: an audit of the folder counts only the reports ---------------------------------------

def _results_beside_reports(ctx):
    for i, name in enumerate(THREE):
        _report(ctx, f"报告{i + 1}.txt", which=name)
    files = [f"in/报告{i + 1}.txt" for i in range(3)]
    for args in (["check", *files, "-o", "in"], ["check", *files, "-o", "in", "-f", "html"],
                 ["checklist", *files, "-f", "docx", "-o", "in"], ["checklist", *files, "-f", "html", "-o", "in"]):
        _assert_ok(ctx.run(*args), " ".join(args))
    assert len(os.listdir(ctx.root / "in")) == 15, sorted(os.listdir(ctx.root / "in"))
    return ["audit", "in", "-o", "audit-out", "-f", "json", "-j", "1"]


def _results_beside_reports_check(ctx, ran):
    data = json.loads(ran.stdout)
    names = sorted(Path(r["source"]).name for r in data["reports"])
    assert names == ["报告1.txt", "报告2.txt", "报告3.txt"], names
    assert data["copies"] == [], data["copies"]
    assert "跳过 12 个 fzcheck 生成的结果文件" in ran.stderr, ran.stderr


def _own_output(ctx):
    _report(ctx)
    for args in (["check", "in/报告.txt", "-o", "res", "-f", f] for f in ("html", "md", "json", "terminal")):
        _assert_ok(ctx.run(*args), " ".join(args))
    for f in ("docx", "md", "html"):
        _assert_ok(ctx.run("checklist", "in/报告.txt", "-f", f, "-o", "res"), f"checklist -f {f}")
    return ["check", *sorted(f"res/{n}" for n in os.listdir(ctx.root / "res")), "in/报告.txt"]


def _own_output_check(ctx, ran):
    refused = [line for line in ran.stderr.splitlines() if "这是 fzcheck 生成的结果文件" in line]
    assert len(refused) == 7, ran.stderr
    assert "云岫县" in ran.stdout, "the real report given with them is still checked"


# --- the operating system's refusals -------------------------------------------------------------

def _readonly(ctx):
    _report(ctx)
    _users_files(ctx.root / "ro", ["报告.html"])
    (ctx.root / "ro").chmod(0o555)
    ctx.defer(lambda: (ctx.root / "ro").chmod(0o755))
    return ["check", "in/报告.txt", "-o", "ro", "-f", "html"]


def _readonly_check(ctx, ran):
    assert os.listdir(ctx.root / "ro") == ["报告.html"], os.listdir(ctx.root / "ro")
    assert "内部错误" not in ran.stderr
    cl = ctx.run("checklist", "in/报告.txt", "-f", "docx", "-o", "ro", unprivileged=True)
    assert cl.rc == 2 and "没有权限" in cl.stderr and "Traceback" not in cl.stderr, cl.stderr
    assert os.listdir(ctx.root / "ro") == ["报告.html"]


def _cannot_mount() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "需要 root 才能挂载一个很小的 tmpfs 来模拟磁盘已满"
    d = tempfile.mkdtemp()
    try:
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d], capture_output=True, text=True)
        if p.returncode != 0:
            return f"无法挂载 tmpfs：{p.stderr.strip()}"
        subprocess.run(["umount", d], check=False)
        return None
    except OSError as e:
        return f"无法挂载 tmpfs：{e}"
    finally:
        os.rmdir(d)


def _full(ctx):
    _report(ctx, "a.txt")
    _report(ctx, "b.txt", which=THREE[1])
    full = ctx.root / "full"
    full.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(full)], check=True)
    ctx.defer(lambda: subprocess.run(["umount", "-l", str(full)], check=False))
    with open(full / "filler", "wb") as fh:        # every block taken
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    return ["check", "in/a.txt", "in/b.txt", "-o", "full", "-f", "html"]


def _full_check(ctx, ran):
    assert os.listdir(ctx.root / "full") == ["filler"], os.listdir(ctx.root / "full")
    assert ran.stderr.count("磁盘空间不足") == 2, ran.stderr
    cl = ctx.run("checklist", "in/a.txt", "-f", "docx", "-o", "full")
    assert cl.rc == 2 and "磁盘空间不足" in cl.stderr, cl.stderr
    assert os.listdir(ctx.root / "full") == ["filler"]


def _unreadable(ctx):
    _report(ctx, "good.txt")
    _report(ctx, "locked.txt", which=THREE[1]).chmod(0)
    _report(ctx, "报告.txt", folder="shut", which=THREE[2])
    (ctx.root / "shut").chmod(0)
    ctx.defer(lambda: (ctx.root / "shut").chmod(0o755))
    return ["check", "in/locked.txt", "shut/报告.txt", "in/good.txt", "-o", "out"]


def _unreadable_check(ctx, ran):
    assert ran.stderr.count("没有") >= 2 and "in/locked.txt" in ran.stderr and "shut/报告.txt" in ran.stderr, ran.stderr
    assert os.listdir(ctx.root / "out") == ["good.txt"], "the readable report is still checked"
    assert "内部错误" not in ran.stderr and "not readable" not in ran.stderr


def _unreadable_options(ctx):
    _report(ctx, "good.txt")
    (ctx.root / "locked.toml").write_text("[rules]\n", encoding="utf-8")
    (ctx.root / "locked.toml").chmod(0)
    return ["check", "in/good.txt", "-c", "locked.toml"]


def _unreadable_options_check(ctx, ran):
    (ctx.root / "shut").mkdir()
    (ctx.root / "shut" / "waivers.yaml").write_text("[]\n", encoding="utf-8")
    (ctx.root / "shut" / "base.json").write_text("{}\n", encoding="utf-8")
    (ctx.root / "shut").chmod(0)
    ctx.defer(lambda: (ctx.root / "shut").chmod(0o755))
    for args, said in ((["check", "in/good.txt", "-w", "shut/waivers.yaml"], "无法读取豁免文件：没有权限"),
                       (["check", "in/good.txt", "--baseline", "shut/base.json"], "无法读取基线：没有权限"),
                       (["check", "in/good.txt", "-c", "shut/x.toml"], "无法读取配置文件：没有权限"),
                       (["checklist", "in/good.txt", "-c", "locked.toml"], "无法读取配置文件：没有权限")):
        r = ctx.run(*args, unprivileged=True)
        assert r.rc == 2 and said in r.stderr and "Traceback" not in r.stderr, f"{args}: {r.rc} {r.stderr}"
        assert "内部错误" not in r.stderr and "用法错误" not in r.stderr, r.stderr


def _loop(ctx):
    _report(ctx, "good.txt")
    os.symlink("b.txt", ctx.root / "in" / "a.txt")
    os.symlink("a.txt", ctx.root / "in" / "b.txt")
    return ["check", "in/a.txt", "in/good.txt", "-o", "out"]


def _loop_check(ctx, ran):
    assert os.listdir(ctx.root / "out") == ["good.txt"], os.listdir(ctx.root / "out")
    assert "in/a.txt" in ran.stderr and "内部错误" not in ran.stderr
    cl = ctx.run("checklist", "in/a.txt", "in/good.txt", "-f", "html", "-o", "lists")
    assert cl.rc == 2 and "符号链接绕成了圈" in cl.stderr, cl.stderr
    assert os.listdir(ctx.root / "lists") == ["good-核查清单.html"]


CASES = [
    *(_over(f) for f in ("html", "md", "json", "terminal")),
    Case("check-o-beside-the-input", _beside_input, rc=0, check=_beside_input_check, issue="覆盖用户文件"),
    Case("checklist-o-never-overwrites", _checklist_over, rc=0, check=_checklist_over_check, issue="覆盖用户文件"),
    Case("audit-skips-results-beside-reports", _results_beside_reports, rc=(0, 1), message="跳过 12 个",
         check=_results_beside_reports_check, issue="读回自己的输出"),
    Case("check-refuses-own-outputs", _own_output, rc=2, message="这是 fzcheck 生成的结果文件，?（检查结果或核查清单），不是报告",
         check=_own_output_check, issue="读回自己的输出"),
    Case("check-o-read-only-folder", _readonly, rc=2, message="ro: .*无法写入：没有权限", check=_readonly_check,
         skip=cannot_drop_privileges, unprivileged=True, issue="系统错误"),
    Case("check-o-disk-full", _full, rc=2, message="磁盘空间不足", check=_full_check, skip=_cannot_mount,
         issue="系统错误"),
    Case("check-unreadable-file-and-folder", _unreadable, rc=2, message="无法读取：没有权限|没有读取权限",
         check=_unreadable_check, skip=cannot_drop_privileges, unprivileged=True, issue="系统错误"),
    Case("check-unreadable-config-waivers-baseline", _unreadable_options, rc=2, message="locked.toml: 无法读取配置文件：没有权限",
         check=_unreadable_options_check, skip=cannot_drop_privileges, unprivileged=True, issue="系统错误"),
    Case("check-looping-symlink-among-files", _loop, rc=2, message="in/a.txt: 无法读取：符号链接绕成了圈",
         check=_loop_check, issue="系统错误"),
]
