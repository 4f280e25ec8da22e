"""The audit's bookkeeping after review: a partly checked report is checked again on the next
run, a rule failure's text sits in its own column, a checklist that cannot be built costs only
that checklist, and each status is named in one place."""
import json
import re
import sqlite3
from pathlib import Path

from checker.audit.statuses import STATUS_LABEL, WAS_CHECKED, WAS_CHECKED_SQL
from tests.conftest import ROOT, SAMPLES, run_cli, run_patched
from tests.test_audit import findings, xlsx_rows
from tests.test_rule_failures import BROKEN, LINE, SAMPLE, broken_cli


def test_the_sql_condition_takes_exactly_the_checked_statuses():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE reports (status TEXT)")
    db.executemany("INSERT INTO reports VALUES (?)", [(s,) for s in STATUS_LABEL])
    taken = {s for (s,) in db.execute(f"SELECT status FROM reports WHERE {WAS_CHECKED_SQL}")}
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


# the checklist of one report (a.txt) cannot be built, in the audit's own processes
BREAK_CHECKLIST = """
import sys
from checker import checklist
real = checklist.build
def build(result, rules, source=None, *a, **kw):
    if source is not None and source.path.endswith("a.txt"):
        raise ValueError("清单坏了")
    return real(result, rules, source, *a, **kw)
checklist.build = build
from checker.cli import main
sys.argv = ["fzcheck", *sys.argv[1:]]
main()
"""


def _broken_checklist_audit(tmp_path, *args, debug=False):
    return run_patched(tmp_path, BREAK_CHECKLIST, "audit", *args, debug=debug)


def test_a_checklist_that_cannot_be_built_costs_only_that_checklist(tmp_path):
    src, out = _one_report(tmp_path), tmp_path / "out"
    (src / "clean.txt").write_text((SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8"), encoding="utf-8")
    r = _broken_checklist_audit(tmp_path, src, "-o", out, "--checklists")
    assert r.returncode == 1, r.stderr          # a.txt's own errors, as without the breakage
    assert "无法读取 0 份" in r.stdout and "部分检查" not in r.stdout, r.stdout
    assert "核查清单未写出" in r.stdout and "清单坏了" in r.stdout
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["checked"] == 2 and run["counts"]["unreadable"] == 0
    [missing] = run["checklists_not_written"]
    assert missing["source"].endswith("a.txt") and "核查清单生成出错（ValueError: 清单坏了）" in missing["reason"]
    written = [p.name for p in (out / "checklists").iterdir()]
    assert len(written) == 1 and written[0].startswith("clean-"), written
    assert {f["source"] for f in findings(out)} >= {str(src / "a.txt")}, "a.txt's findings are kept"
    header, *rows = xlsx_rows(out / "summary.xlsx", "汇总")
    status = {Path(row[0]).name: dict(zip(header, row))["状态"] for row in rows}
    assert status["a.txt"].startswith("已检查") and "核查清单生成出错" in status["a.txt"]
    assert status["clean.txt"] == "已检查"
    assert "核查清单生成出错" in (out / "summary.html").read_text(encoding="utf-8")
    # mended: a.txt is checked again (its result was not kept) and its checklist written
    r = run_cli("audit", src, "-o", out, "--checklists")
    assert "沿用上次结果 1 份" in r.stdout and "核查清单未写出" not in r.stdout, r.stdout
    assert len(list((out / "checklists").iterdir())) == 2
    # a.txt changed, and its new checklist fails: the old one (of the old text) does not stay
    with open(src / "a.txt", "a", encoding="utf-8") as fh:
        fh.write("\n补充说明。\n")
    _broken_checklist_audit(tmp_path, src, "-o", out, "--checklists")
    assert [p.name[:6] for p in (out / "checklists").iterdir()] == ["clean-"]


def test_fzcheck_debug_shows_a_checklist_failure(tmp_path):
    r = _broken_checklist_audit(tmp_path, _one_report(tmp_path), "-o", tmp_path / "out", "--checklists", debug=True)
    assert r.returncode != 0 and "Traceback" in r.stderr and "清单坏了" in r.stderr, r.stderr[-2000:]
