"""The command line alike across commands (issue 13, items 7 and 8): --help in Chinese and whole
at any width, click's own errors in Chinese, --format in any case, --no-color for audit, a draft
checked as one by default, the optional 其他 in grey, and a very long text that does not flood
the terminal while JSON keeps every finding."""
from __future__ import annotations

import json
import re
from collections import Counter
from types import SimpleNamespace

import pytest
import typer.main
from rich.cells import cell_len
from rich.console import Console

from checker import clihelp
from checker.cli import app
from checker.clidata import cli_data
from checker.draft import draft_reason
from checker.render import render
from checker.render.capped import blocks, indicator_rows
from checker.report import check_text

from .conftest import SAMPLES, run_cli

DRAFT = SAMPLES / "白鹭区司法局_2024_草稿.txt"
CLEAN = SAMPLES / "柳溪镇_2024_规范.txt"
# what click/typer would print of their own, in English, or as a Python type
ENGLISH = ("Usage", "Options", "Arguments", "Commands", "Show this message", "[default", "[required]",
           "<bool>", "<list[", "<str>", "<path>", "<int>", "[OPTIONS]", "COMMAND", "Possible options")


def _commands():
    """Every command and group of the app with a context to render its help in."""
    root = typer.main.get_command(app)
    ctx = root.make_context("fzcheck", [], resilient_parsing=True)
    out = [(root, ctx)]
    stack = [(root, ctx)]
    while stack:
        group, gctx = stack.pop()
        for name in group.list_commands(gctx):
            cmd = group.get_command(gctx, name)
            sub = cmd.make_context(name, [], parent=gctx, resilient_parsing=True)
            out.append((cmd, sub))
            if hasattr(cmd, "list_commands"):
                stack.append((cmd, sub))
    return out


@pytest.mark.parametrize("columns", [80, 200])
def test_every_help_is_chinese_and_every_option_help_is_there_whole(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    commands = _commands()
    assert {c.name for c, _ in commands} >= {"check", "annotate", "fix", "audit", "checklist", "rules", "show", "serve"}
    for cmd, ctx in commands:
        text = cmd.get_help(ctx)
        assert text.startswith("用法：fzcheck"), text[:80]
        for word in ENGLISH:
            assert word not in text, (cmd.name, word)
        assert "…" not in text, (cmd.name, "cut short")
        limit = min(columns, 160)
        assert all(cell_len(line) <= limit for line in text.splitlines()), cmd.name
        flat = re.sub(r"\s", "", text)
        for p in cmd.get_params(ctx):
            if getattr(p, "help", None):
                assert re.sub(r"\s", "", p.help) in flat, (cmd.name, p.name)
        if cmd.help:
            assert re.sub(r"\s", "", cmd.help) in flat
    check = next(c for c, _ in commands if c.name == "check")
    help_ = check.get_help(next(x for c, x in commands if c is check))
    assert "显示本帮助并退出" in help_ and "（必填）" in help_ and "（默认：terminal）" in help_
    assert "-o, --out 文件夹" in help_ and "-d, --disable 规则编号" in help_
    assert re.search(r"--color, --no-color\n", help_), "a flag shows no value"


def test_help_wraps_long_words_whole():
    lines = clihelp.wrap("上一稿的 JSON 检查结果或上次 audit 的结果文件夹" * 3, "  ", 30)
    assert len(lines) > 3 and all(cell_len(x) <= 30 for x in lines)
    assert all(not x.rstrip().endswith(("JS", "aud")) for x in lines), "a Latin word is never split"
    assert "".join(x.strip() for x in lines).replace(" ", "") == ("上一稿的JSON检查结果或上次audit的结果文件夹" * 3)


def test_help_as_printed_by_the_command_and_plain_fzcheck():
    r = run_cli("audit", "--help", env={"COLUMNS": "80"})
    assert r.returncode == 0 and r.stdout.startswith("用法：fzcheck audit [选项] 文件夹...")
    assert "--color, --no-color" in r.stdout and "Show this message" not in r.stdout
    r = run_cli()
    assert r.returncode == 2 and "用法：fzcheck [选项] 命令 [参数]..." in r.stderr and "check" in r.stderr
    assert not any(w in r.stderr + r.stdout for w in ENGLISH)


def test_click_errors_are_chinese_lines_exit_2():
    for args, said in ((["check"], "缺少参数 文件"), (["check", "--bogus", CLEAN], "没有选项 --bogus"),
                       (["check", CLEAN, "-f", "pdf"], "选项 --format 的值无效")):
        r = run_cli(*args)
        assert r.returncode == 2 and said in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
        assert not re.search(r"Possible|Missing|No such|Invalid", r.stderr), r.stderr


def test_format_is_case_insensitive_everywhere():
    r = run_cli("check", CLEAN, "--format", "JSON")
    assert r.returncode == 0 and json.loads(r.stdout)["source"].endswith("柳溪镇_2024_规范.txt")
    r = run_cli("check", CLEAN, "-f", "Md")
    assert r.returncode == 0 and r.stdout.startswith("# 检查结果")
    r = run_cli("rules", "-f", "JSON")
    assert r.returncode == 0 and isinstance(json.loads(r.stdout), list)
    r = run_cli("checklist", CLEAN, "-f", "HTML")
    assert r.returncode == 0 and "<html" in r.stdout.lower()


def test_audit_takes_no_color(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "柳溪镇.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    colour = re.compile(r"\x1b\[[0-9;]*3[0-7]m")
    coloured = run_cli("audit", folder, "-o", tmp_path / "a", "-j", "1", env={"FORCE_COLOR": "1"})
    plain = run_cli("audit", folder, "-o", tmp_path / "b", "-j", "1", "--no-color", env={"FORCE_COLOR": "1"})
    assert coloured.returncode == plain.returncode == 0, plain.stderr
    assert colour.search(coloured.stdout + coloured.stderr), "forced colour shows colour"
    assert not colour.search(plain.stdout + plain.stderr)
    assert "summary.xlsx" in plain.stdout


def test_a_draft_is_checked_as_one_unless_a_profile_is_given(tmp_path):
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    named = tmp_path / "柳溪镇_2024_征求意见稿.txt"
    named.write_text("\n".join(lines), encoding="utf-8")
    titled = tmp_path / "柳溪镇.txt"
    titled.write_text("\n".join([lines[0], "（征求意见稿）", *lines[1:]]), encoding="utf-8")
    plain = tmp_path / "柳溪镇2.txt"
    plain.write_text("\n".join(lines), encoding="utf-8")
    for path, why in ((named, "文件名含“征求意见稿”"), (titled, "第 2 行标明“征求意见稿”")):
        r = run_cli("check", path, "-f", "json")
        assert json.loads(r.stdout)["profile"].endswith("/draft"), path
        assert f"按起草稿检查（{why}）；上报前请用 --profile final" in r.stderr, r.stderr
        r = run_cli("check", path, "-f", "json", "--profile", "final")
        assert json.loads(r.stdout)["profile"].endswith("/final") and "起草稿" not in r.stderr
    r = run_cli("check", plain, "-f", "json")
    assert json.loads(r.stdout)["profile"].endswith("/final") and "起草稿" not in r.stderr


def test_draft_words_count_in_the_title_area_only():
    assert draft_reason("a.txt", ["某镇2024年法治政府建设年度报告", "（送审稿）"])
    body = ["某镇2024年法治政府建设年度报告", *["正文一段话。" * 3] * 8, "（草稿）"]
    assert draft_reason("a.txt", body) is None, "past the title area"
    long_line = "我镇在起草稿件时坚持" + "依法行政、" * 10 + "草稿经过多轮审核后定稿报送。"
    assert draft_reason("a.txt", ["标题", long_line]) is None, "a paragraph is no title"
    assert all(w in cli_data()["draft"]["words"] for w in ("草稿", "征求意见稿", "送审稿"))
    # a short heading of the body within the first lines names a document reviewed, not the report
    early = ["某县司法局2024年法治政府建设年度报告", "一、主要举措和成效", "（一）推进《某县规范性文件管理办法（讨论稿）》审议"]
    assert draft_reason("a.txt", early) is None, "a heading ends the title area"
    assert draft_reason("a.txt", ["某县司法局2024年法治政府建设年度报告", "（三）推进《某办法（草案）》审议"]) is None


def _coloured(result) -> str:
    console = Console(force_terminal=True, color_system="standard", width=200, soft_wrap=True, emoji=False,
                      highlight=False, record=False)
    with console.capture() as cap:
        console.print(render(result, "terminal"), markup=True)
    return cap.get()


def test_optional_other_absent_is_grey_and_a_required_part_red():
    _, result = check_text(DRAFT.read_text(encoding="utf-8"), name="x.txt")
    assert result.outline["other"].status == "absent" and result.outline["reasons"].status == "absent"
    out = _coloured(result)
    other = next(l for l in out.splitlines() if "其他需要报告的情况" in l)
    reasons = next(l for l in out.splitlines() if "不足的原因" in l)
    assert "\x1b[2m" in other and "\x1b[31m" not in other, repr(other)
    assert "\x1b[31m" in reasons, repr(reasons)


def _finding(rule, omitted=0):
    return SimpleNamespace(rule=rule, omitted=omitted)


def test_blocks_group_by_rule_cap_and_count_what_the_result_left_out():
    cap = cli_data()["terminal"]["per_rule"]
    fs = [_finding("A") for _ in range(cap + 3)] + [_finding("B"), _finding("A", omitted=40)]
    bs = blocks(fs)
    assert [b.rule for b in bs] == ["A", "B"]
    assert len(bs[0].shown) == cap and bs[0].more == 3 + 40 and "另有 43 处" in bs[0].more_text
    assert len(bs[1].shown) == 1 and bs[1].more == 0


def test_indicator_rows_one_per_name_capped():
    t = cli_data()["terminal"]
    ind = [SimpleNamespace(name=f"指标{i % (t['indicators'] + 5)}", value=i, unit="件", line=i) for i in range(200)]
    rows, hidden = indicator_rows(ind)
    assert len(rows) == t["indicators"] and all(len(r.values) <= t["values"] for r in rows)
    assert hidden + sum(r.count for r in rows) == 200


def _long_text(n: int) -> str:
    """A real report with n generated lines inside its first part: placeholders and half-width
    commas on every other line."""
    report = DRAFT.read_text(encoding="utf-8").splitlines()
    middle = [f"开展学习XX次，培训{i}人次。" if i % 2 == 0 else f"推进依法行政工作,完成案件{i}件。"
              for i in range(n - len(report))]
    return "\n".join(report[:12] + middle + report[12:]) + "\n"


def test_a_40000_line_text_does_not_flood_the_terminal_and_json_keeps_every_finding(tmp_path):
    path = tmp_path / "长报告.txt"
    path.write_text(_long_text(40000), encoding="utf-8")
    assert len(path.read_text(encoding="utf-8").splitlines()) == 40000
    term = run_cli("check", path, "--profile", "final")
    data = json.loads(run_cli("check", path, "-f", "json", "--profile", "final").stdout)
    assert term.returncode == 1, term.stderr
    out = term.stdout.splitlines()
    assert len(out) < 120, len(out)
    shown = Counter(m.group(1) for l in out if (m := re.search(r"  ([A-Z][A-Z0-9-]+) [0-9a-f]{12}$", l)))
    more = {m.group(2): int(m.group(1)) for l in out if (m := re.search(r"另有 (\d+) 处同类问题（([A-Z0-9-]+)）", l))}
    assert more, "the terminal says 另有 N 处"
    listed = Counter(f["rule"] for f in data["findings"] if not f["omitted"])
    left_out = Counter()
    for f in data["findings"]:
        left_out[f["rule"]] += f["omitted"]
    for rule, n in listed.items():
        # every finding of the JSON is either shown or counted in its rule's 「另有 N 处」
        assert shown[rule] + more.get(rule, 0) == n + left_out[rule], rule
        assert shown[rule] <= cli_data()["terminal"]["per_rule"]
    assert sum(listed.values()) > len(shown) and max(listed.values()) > cli_data()["terminal"]["per_rule"]


def test_no_help_line_begins_with_closing_punctuation():
    for columns in range(40, 90, 3):
        for line in clihelp.wrap("检查报告：提纲要素是否齐全，结构、标题、年份、日期、用语、数据是否有误。" * 2, "  ", columns):
            assert not line.strip().startswith(tuple("、，。；：）」》”")), (columns, line)
