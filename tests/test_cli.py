"""The command line as users and other tools meet it: exit codes, the JSON contract, output
files, the debugging and rule commands."""
import json
import re

import pytest

from .conftest import CORPUS, ROOT, SAMPLES, needs_corpus, run_cli

CLEAN = SAMPLES / "柳溪镇_2024_规范.txt"
DRAFT = SAMPLES / "白鹭区司法局_2024_草稿.txt"
WEB = SAMPLES / "青石街道_2023_网页版.txt"
ELEMENTS = ["measures", "first_responsible", "shortcomings", "reasons", "next_plan", "other"]


def test_clean_report_exits_0_and_draft_with_errors_exits_1():
    r = run_cli("check", CLEAN)
    assert r.returncode == 0, r.stderr
    assert "未发现问题" in r.stdout
    r = run_cli("check", DRAFT)
    assert r.returncode == 1
    assert "错误" in r.stdout and "Traceback" not in r.stderr


def test_json_contract_single_and_many():
    r = run_cli("check", WEB, "--format", "json")
    d = json.loads(r.stdout)
    assert isinstance(d, dict)
    for key in ("source", "meta", "parts", "outline", "findings", "summary"):
        assert key in d
    assert set(d["meta"]) >= {"title", "issuer", "report_year", "level", "date"}
    assert d["meta"]["level"] == "street" and d["meta"]["report_year"] == 2023
    for el in ELEMENTS:
        assert d["outline"][el]["status"] in ("standalone", "embedded", "absent")
        assert isinstance(d["outline"][el]["evidence"], list)
    for p in d["parts"]:
        assert set(p) >= {"heading", "line", "element"}
    for f in d["findings"]:
        assert set(f) >= {"rule", "severity", "message", "line", "excerpt", "basis", "suggestion"}
        assert f["severity"] in ("error", "warning", "info")
    s = d["summary"]
    assert s["errors"] == sum(f["severity"] == "error" for f in d["findings"])
    assert s["warnings"] == sum(f["severity"] == "warning" for f in d["findings"])

    r = run_cli("check", CLEAN, DRAFT, WEB, "--format", "json")
    arr = json.loads(r.stdout)
    assert isinstance(arr, list) and len(arr) == 3
    assert [a["source"] for a in arr] == [str(CLEAN), str(DRAFT), str(WEB)]
    assert r.returncode == 1


def test_json_lines_point_at_the_input_file():
    """`line` is the 1-based line of the input where the finding's text sits."""
    d = json.loads(run_cli("check", DRAFT, "--format", "json").stdout)
    raw = DRAFT.read_text(encoding="utf-8").split("\n")
    placeholder = [f for f in d["findings"] if f["rule"] == "WORD-PLACEHOLDER"]
    assert placeholder
    for f in placeholder:
        for m in re.findall(r"「([^」]+)」", f["message"])[-1:]:
            assert m.split("」「")[0] in raw[f["line"] - 1]


def test_disable_and_severity_options():
    r = run_cli("check", DRAFT, "--format", "json", "--disable", "WORD-PLACEHOLDER",
                "--severity", "YEAR-PLAN=info", "--severity", "OUT-FIRST-RESP=warning")
    d = json.loads(r.stdout)
    rules = {f["rule"]: f["severity"] for f in d["findings"]}
    assert "WORD-PLACEHOLDER" not in rules
    assert rules["YEAR-PLAN"] == "info" and rules["OUT-FIRST-RESP"] == "warning"
    bad = run_cli("check", DRAFT, "--disable", "NO-SUCH-RULE")
    assert bad.returncode == 2 and "NO-SUCH-RULE" in bad.stderr and "Traceback" not in bad.stderr
    bad = run_cli("check", DRAFT, "--severity", "YEAR-PLAN=fatal")
    assert bad.returncode == 2 and "fatal" in bad.stderr


def test_out_dir_writes_one_file_per_input_in_each_format(tmp_path):
    for fmt, ext in (("html", "html"), ("md", "md"), ("json", "json"), ("terminal", "txt")):
        out = tmp_path / fmt
        r = run_cli("check", CLEAN, DRAFT, "--format", fmt, "--out", out)
        assert r.returncode == 1
        files = sorted(p.name for p in out.iterdir())
        assert files == sorted([f"{CLEAN.stem}.{ext}", f"{DRAFT.stem}.{ext}"]), files
        assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"
    assert json.loads((tmp_path / "json" / f"{DRAFT.stem}.json").read_text(encoding="utf-8"))["summary"]["errors"] >= 3
    txt = (tmp_path / "terminal" / f"{DRAFT.stem}.txt").read_text(encoding="utf-8")
    assert "[bold" not in txt and "提纲要素" in txt


def test_out_beside_the_input_never_writes_over_it(tmp_path):
    report = tmp_path / CLEAN.name
    report.write_bytes(CLEAN.read_bytes())
    for fmt in ("terminal", "html"):
        run_cli("check", report, "--format", fmt, "--out", tmp_path)
    assert report.read_bytes() == CLEAN.read_bytes()
    assert (tmp_path / f"{CLEAN.stem}-2.txt").exists() and (tmp_path / f"{CLEAN.stem}.html").exists()


def test_same_stem_from_two_folders_does_not_overwrite(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "报告.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (b / "报告.txt").write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    run_cli("check", a / "报告.txt", b / "报告.txt", "--format", "json", "--out", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["报告-2.json", "报告.json"]


def test_html_escapes_report_text_and_marks_lines(tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n"
                    "召开会议<script>alert(1)</script>第次，\"引号\" & 符号。\n", encoding="utf-8")
    r = run_cli("check", evil, "--format", "html")
    html = r.stdout
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="L3"' in html and "flag-error" in html
    assert "核查清单" in html and "@media print" in html
    assert "<link" not in html and "src=\"http" not in html, "the page must be self-contained"


def test_md_output():
    r = run_cli("check", DRAFT, "--format", "md")
    assert r.stdout.startswith("# 检查结果")
    assert "| 第一责任人履职情况 | ✘ 缺失 |" in r.stdout


def test_parse_command_shows_the_tree():
    r = run_cli("parse", WEB, "--tokens")
    assert r.returncode == 0
    assert "H1" in r.stdout and "H2" in r.stdout and "lost_number" in r.stdout
    assert "已剔除" in r.stdout


def test_rules_commands():
    r = run_cli("rules")
    assert r.returncode == 0 and "OUT-REASONS" in r.stdout
    r = run_cli("rules", "show", "OUT-REASONS")
    assert r.returncode == 0 and "依据" in r.stdout and "不通过示例" in r.stdout
    r = run_cli("rules", "show", "NOPE-NOPE")
    assert r.returncode == 2 and "NOPE-NOPE" in r.stderr


def test_usage_errors_exit_2_with_one_chinese_line():
    for args in (["check"], ["check", CLEAN, "--format", "pdf"], ["frobnicate"], ["check", "--nope", CLEAN]):
        r = run_cli(*args)
        assert r.returncode == 2, args
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "用法错误" in lines[0] and "Traceback" not in r.stderr, (args, r.stderr)


def test_internal_errors_are_one_line(tmp_path):
    """A broken rule file installed by mistake: exit 2, the file and field named."""
    import shutil
    import subprocess
    import sys
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "checker", pkg / "checker")
    shutil.copytree(ROOT / "rules", pkg / "rules")
    shutil.copytree(ROOT / "grammar", pkg / "grammar")
    (pkg / "rules" / "checks" / "broken.yaml").write_text(
        "- id: BAD-RULE\n  kind: pattern\n  severity: fatal\n  title: t\n  basis: b\n  message: m\n  suggestion: s\n",
        encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "checker", "check", str(CLEAN)], cwd=pkg,
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "broken.yaml" in r.stderr and "BAD-RULE" in r.stderr and "severity" in r.stderr
    assert "Traceback" not in r.stderr


@needs_corpus
def test_corpus_check_tool_is_green():
    """../shared/tools/corpus_check.py: the contract and the verdicts other tools rely on."""
    import subprocess
    import sys
    tool = CORPUS.parent / "tools" / "corpus_check.py"
    exe = ROOT / ".venv" / "bin" / "fzcheck"
    if not tool.exists() or not exe.exists():
        import pytest
        pytest.skip("corpus_check.py or .venv/bin/fzcheck not present")
    r = subprocess.run([sys.executable, str(tool), str(exe)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout


def test_outputs_get_the_usual_file_permissions(tmp_path):
    """Written atomically through a temporary file, yet readable like any new file (umask)."""
    import os
    import stat
    from checker.write import write_atomic
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.html").stat().st_mode) & 0o644 == 0o644


@pytest.mark.parametrize("args,words", [
    (["rules", "--severity", "bogus"], "应为 error"),
    (["rules", "--tag", "nosuch"], "没有这个标签"),
    (["audit", "samples", "-j", "-3"], "并行进程数"),
    (["audit", "samples", "-o", "README.md"], "已存在同名文件"),
])
def test_bad_options_are_refused_in_chinese(args, words):
    r = run_cli(*args, cwd=ROOT)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_levels_may_be_given_in_chinese_and_version_is_shown():
    r = run_cli("check", ROOT / "samples" / "柳溪镇_2024_规范.txt", "--level", "街道", "-f", "json")
    assert json.loads(r.stdout)["config"]["level"] == "street"
    assert run_cli("--version").stdout.startswith("fzcheck ")
    assert run_cli().returncode == 2, "plain fzcheck shows the help and exits 2, as click's usage errors"


def test_a_json_check_does_not_import_what_only_the_terminal_needs():
    """Other tools run `check --format json` once per file: rich (~16 ms of each start) is
    imported only when something is printed through it."""
    import subprocess
    import sys
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    probe = ("import sys\nfrom checker.cli import main\n"
             f"sys.argv = ['fzcheck', 'check', {str(sample)!r}, '--format', 'json']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('rich.console' in sys.modules, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stdout.lstrip().startswith("{"), r.stderr[-500:]
    assert r.stderr.strip().splitlines()[-1] == "False"
    probe_terminal = probe.replace(", '--format', 'json'", "")
    r = subprocess.run([sys.executable, "-c", probe_terminal], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stderr.strip().splitlines()[-1] == "True", "the terminal output still prints through rich"


def test_the_command_loads_with_collection_off_and_checks_with_it_on():
    """checker/start.py: the modules load with the cycle collector off (no collection before
    they are frozen; with it on, ~130 ran there) and are frozen out of its way; by the time the
    command runs, collection is back on (an audit of 10,000 reports and the web page collect
    their garbage as before)."""
    import subprocess
    import sys
    probe = ("import gc, sys\nfrom checker import start\n"
             "before_freeze = []\n"
             "gc.callbacks.append(lambda phase, info: phase == 'start' and gc.get_freeze_count() == 0"
             " and before_freeze.append(info['generation']))\n"
             "sys.argv = ['fzcheck', '--version']\n"
             "try:\n    start.main()\nexcept SystemExit:\n    pass\n"
             "print(len(before_freeze), gc.isenabled(), gc.get_freeze_count() > 10000,"
             " 'checker.report' in sys.modules, file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stderr.strip().splitlines()[-1] == "0 True True True", r.stderr[-500:]
    r = run_cli("check", ROOT / "samples" / "柳溪镇_2024_规范.txt", "-f", "json")
    assert r.returncode in (0, 1) and json.loads(r.stdout)["source"].endswith("柳溪镇_2024_规范.txt")
