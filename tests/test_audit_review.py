"""The audit's bookkeeping after review: a partly checked report is checked again on the next
run, a rule failure's text sits in its own column, a checklist that cannot be built costs only
that checklist, and each status is named in one place."""
import json
import re
import sqlite3

from checker.audit import state as state_mod
from checker.audit.state import STATUS_LABEL, WAS_CHECKED
from tests.conftest import ROOT, run_cli
from tests.test_audit import findings, xlsx_rows
from tests.test_rule_failures import BROKEN, LINE, SAMPLE, broken_cli


def test_the_sql_condition_takes_exactly_the_checked_statuses():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE reports (status TEXT)")
    db.executemany("INSERT INTO reports VALUES (?)", [(s,) for s in STATUS_LABEL])
    taken = {s for (s,) in db.execute(f"SELECT status FROM reports WHERE {state_mod.WAS_CHECKED_SQL}")}
    assert taken == set(WAS_CHECKED) and taken != set(STATUS_LABEL)


def test_the_summary_page_names_no_status_by_hand():
    page = (ROOT / "checker" / "render" / "templates" / "audit_summary.html.j2").read_text(encoding="utf-8")
    logic = " ".join(re.findall(r"{[{%].*?[}%]}", page, re.S))     # the template's code, not its CSS classes
    assert "was_checked" in logic
    for status in STATUS_LABEL:
        assert f'"{status}"' not in logic and f"'{status}'" not in logic, status


def _one_report(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return src


def test_a_partly_checked_report_is_checked_again_on_the_next_run(tmp_path):
    src, out = _one_report(tmp_path), tmp_path / "out"
    r = broken_cli(tmp_path, "audit", src, "-o", out)
    assert "部分检查 1 份" in r.stdout, r.stdout + r.stderr
    r = run_cli("audit", src, "-o", out)          # the rule mended, the file unchanged
    assert "沿用上次结果" not in r.stdout and "部分检查" not in r.stdout, r.stdout
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["reused"] == 0 and run["counts"]["checked_now"] == 1
    assert run["counts"]["partial"] == 0 and run["partial"] == []
    assert BROKEN in {f["rule"] for f in findings(out)}, "the mended rule's findings are there"
    r = run_cli("audit", src, "-o", out)          # a whole result is still kept
    assert "沿用上次结果 1 份" in r.stdout, r.stdout


def test_a_rule_failure_sits_in_the_problem_column_of_the_details(tmp_path):
    src, out = _one_report(tmp_path), tmp_path / "out"
    broken_cli(tmp_path, "audit", src, "-o", out)
    header, *rows = xlsx_rows(out / "summary.xlsx", "问题明细")
    cells = [dict(zip(header, row)) for row in rows]
    failed = [c for c in cells if c["状态"] == "未检查"]
    assert [c["规则"] for c in failed] == [BROKEN]
    problem = failed[0]["问题"]
    assert problem.startswith(LINE) and "KeyError" in problem and "坏了" in problem, problem
    assert "KeyError" not in (failed[0]["建议"] or "") and "维护者" in failed[0]["建议"]
    assert not failed[0]["依据"], "a crash has no basis in the outline"
    # the findings' rows are laid out the same way: their message under 问题, basis under 依据
    assert any(c["依据"] for c in cells if c["状态"] != "未检查")
