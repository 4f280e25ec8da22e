"""A rule that crashes costs that rule only: the report keeps the other rules' findings, every
output says 「规则 X 运行出错，此项未检查」, the audit files the report as 「部分检查」 (not
「无法读取」), and FZCHECK_DEBUG=1 shows the traceback instead."""
import json

import pytest

from checker.analyse import structure
from checker.checks import engine
from checker.checklist import build
from checker.config import resolve
from checker.report import check_report, check_text
from checker.render import render, render_checklist
from tests.conftest import SAMPLES, run_patched
from tests.test_audit import xlsx_rows

SAMPLE = SAMPLES / "白鹭区司法局_2024_草稿.txt"
BROKEN = "YEAR-PLAN"            # a rule that fires on SAMPLE
LINE = f"规则 {BROKEN} 运行出错，此项未检查"

# the same breakage in a process of its own (the CLI, the audit's forked workers): the rule's
# kind yields its real hits, then raises — those hits must not be kept
BREAK = f"""
import sys
from checker.checks import engine
from tests.test_rule_failures import Broken
real = engine.kind_of
engine.kind_of = lambda rule: Broken(real(rule), KeyError("坏了")) if rule.id == {BROKEN!r} else real(rule)
from checker.cli import main
sys.argv = ["fzcheck", *sys.argv[1:]]
main()
"""


class Broken:
    """A rule kind that yields its real hits, then raises."""

    def __init__(self, kind, error: Exception):
        self.kind, self.error = kind, error

    def check(self, doc, params):
        yield from self.kind.check(doc, params)
        raise self.error


def broken_cli(tmp_path, *args, debug=False):
    return run_patched(tmp_path, BREAK, *args, debug=debug)


def break_rule(monkeypatch, rule_id: str = BROKEN):
    """Make one rule's check raise after it has yielded its findings (a half-run rule)."""
    real = engine.kind_of
    monkeypatch.delenv("FZCHECK_DEBUG", raising=False)
    boom = ZeroDivisionError("division by zero")
    monkeypatch.setattr(engine, "kind_of", lambda rule: Broken(real(rule), boom) if rule.id == rule_id else real(rule))


@pytest.fixture
def broken(monkeypatch):
    break_rule(monkeypatch)


def test_the_others_findings_stand_and_the_failure_is_listed(monkeypatch):
    text = SAMPLE.read_text(encoding="utf-8")
    _, whole = check_text(text)
    assert BROKEN in {f.rule for f in whole.findings}, "the rule fires when it does not crash"
    break_rule(monkeypatch)
    _, result = check_text(text)
    assert [(x.rule, "ZeroDivisionError" in x.error) for x in result.rule_failures] == [(BROKEN, True)]
    assert "Traceback" not in result.rule_failures[0].error
    # what the rule yielded before it crashed is dropped; every other rule's finding is kept
    assert BROKEN not in {f.rule for f in result.findings}
    assert [f.id for f in result.findings] == [f.id for f in whole.findings if f.rule != BROKEN]
    assert json.loads(result.model_dump_json())["rule_failures"][0]["rule"] == BROKEN
    assert json.loads(whole.model_dump_json())["rule_failures"] == [], "always present"
    assert result.exit_code == whole.exit_code, "a partial check is no error by itself"


def test_every_output_says_the_rule_was_not_checked(broken):
    resolved = resolve(None)
    doc, result = check_report(SAMPLE, resolved)
    assert result.rule_failures and result.findings
    for fmt in ("terminal", "md", "html", "json"):
        assert LINE in render(result, fmt, doc.source.lines) or BROKEN in render(result, fmt), fmt
    assert LINE in render(result, "md") and LINE in render(result, "html") and LINE in render(result, "terminal")
    checklist = build(result, resolved.rules, doc.source)
    rows = [r for r in checklist.rows if any(LINE in e for e in r.evidence)]
    assert rows and all(r.mark == "未检查" for r in rows), "the row of the rule says 未检查, not ✔"
    for fmt in ("md", "html"):
        assert LINE in render_checklist(checklist, fmt) and "未检查" in render_checklist(checklist, fmt)
    from docx import Document
    import io
    docx = Document(io.BytesIO(render_checklist(checklist, "docx")))
    said = [p.text for p in docx.paragraphs] + [c.text for t in docx.tables for row in t.rows for c in row.cells]
    assert any(LINE in s for s in said) and "未检查" in said


def test_an_example_whose_rule_crashes_is_refused(broken):
    from checker.errors import ConfigError
    from checker.examples import verify_examples
    rule = next(r for r in resolve(None).known if r.id == BROKEN)
    with pytest.raises(ConfigError, match=f"规则 {BROKEN} .*ZeroDivisionError"):
        verify_examples(rule, "unit.yaml")


def test_check_says_it_in_each_format(tmp_path):
    r = broken_cli(tmp_path, "check", SAMPLE, "--no-color")
    assert r.returncode == 1, r.stderr          # the sample's own errors: exit as without the crash
    assert LINE in r.stdout and "KeyError" in r.stdout and "Traceback" not in r.stderr
    assert LINE in r.stderr, "said on stderr too, beside the file's name"
    d = json.loads(broken_cli(tmp_path, "check", SAMPLE, "-f", "json").stdout)
    assert [x["rule"] for x in d["rule_failures"]] == [BROKEN] and d["findings"]
    assert BROKEN not in {f["rule"] for f in d["findings"]}
    for fmt in ("md", "html"):
        assert LINE in broken_cli(tmp_path, "check", SAMPLE, "-f", fmt).stdout
    r = broken_cli(tmp_path, "checklist", SAMPLE)
    assert r.returncode == 0 and LINE in r.stdout and "未检查" in r.stdout


@pytest.mark.parametrize("command", ["check", "audit"])
def test_fzcheck_debug_shows_the_traceback(tmp_path, command):
    args = [SAMPLE] if command == "check" else [SAMPLES, "-o", tmp_path / "out"]
    r = broken_cli(tmp_path, command, *args, debug=True)
    assert r.returncode != 0 and "Traceback" in r.stderr and "KeyError" in r.stderr


def test_fzcheck_debug_reraises_in_process(broken, monkeypatch):
    monkeypatch.setenv("FZCHECK_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        check_report(SAMPLE, resolve(None))


def test_the_audit_files_the_report_as_partly_checked(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (src / "clean.txt").write_text((SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    r = broken_cli(tmp_path, "audit", src, "-o", out)
    assert r.returncode == 1, r.stderr            # a.txt's own errors (the crash alone is no error)
    assert "部分检查 2 份" in r.stdout and "无法读取 0 份" in r.stdout
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["partial"] == 2 and run["counts"]["unreadable"] == 0
    assert {p["status"] for p in run["partial"]} == {"部分检查"}
    assert {x["rule"] for p in run["partial"] for x in p["rule_failures"]} == {BROKEN}
    rows = xlsx_rows(out / "summary.xlsx", "汇总")
    assert rows[0][-1] == "状态" and all(str(row[-1]).startswith("部分检查") and LINE in row[-1] for row in rows[1:])
    assert all(row[1] != "（无法读取）" for row in rows[1:])
    detail = xlsx_rows(out / "summary.xlsx", "问题明细")
    assert any(row[4] == BROKEN and row[8] == "未检查" for row in detail[1:])
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert "部分检查" in page and LINE in page
    lines = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(x.get("rule_failure") and x["message"] == LINE for x in lines)
    assert not any(x["rule"] == BROKEN and "rule_failure" not in x for x in lines)
    one = json.loads(next((out / "reports").glob("a-*.json")).read_text(encoding="utf-8"))
    assert [x["rule"] for x in one["rule_failures"]] == [BROKEN]


def test_the_audit_exit_code_follows_the_findings_not_the_crash(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "clean.txt").write_text((SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8"), encoding="utf-8")
    r = broken_cli(tmp_path, "audit", src, "-o", tmp_path / "out", "-f", "json")
    d = json.loads(r.stdout)
    assert d["counts"]["partial"] == 1 and d["counts"]["with_errors"] == 0
    assert d["reports"][0]["status"] == "partial"
    assert r.returncode == 0, "a partial check is not an error-level finding by itself"


def test_a_crashed_order_parse_costs_the_structure_row_not_the_checklist(monkeypatch):
    """OUT-ORDER and the checklist's structure row share one parse: when it fails, the rule is
    listed as not run and the row says 未检查 — the checklist is still built."""
    def boom(*_):
        raise RuntimeError("the order grammar broke")

    monkeypatch.delenv("FZCHECK_DEBUG", raising=False)
    monkeypatch.setattr(structure, "_parse", boom)
    resolved = resolve(None)
    _, result = check_report(SAMPLE, resolved)
    assert [x.rule for x in result.rule_failures] == ["OUT-ORDER"]
    row = next(r for r in build(result, resolved.rules).rows if r.id == "structure")
    assert row.result == "unchecked"


def test_no_output_calls_a_partly_checked_report_clean(broken):
    _, result = check_report(SAMPLE, resolve(None))
    quiet = result.model_copy(update={"findings": []})      # the rules that ran found nothing
    for fmt in ("md", "html", "terminal"):
        out = render(quiet, fmt)
        assert "其他规则未发现问题" in out and LINE in out, fmt
