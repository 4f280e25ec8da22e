"""One baseline for check and audit (checker/baseline.py): what it loads, which earlier report
is which report now, which earlier finding is which finding now — and check_report, the one
unit of work every command runs."""
import json
import os

import pytest

from checker import baseline
from checker.config import resolve
from checker.errors import InputError
from checker.models import RuleFailure
from checker.read import read_path
from checker.report import check_report
from tests.conftest import SAMPLES, run_cli

DRAFT = SAMPLES / "白鹭区司法局_2024_草稿.txt"
E = baseline.Earlier


def earlier(*sources):
    return baseline.Baseline("test", {s: E([{"id": s}]) for s in sources})


def test_a_report_is_matched_by_path_then_relative_path_then_a_unique_name():
    b = earlier("/old/batch/a/x.txt", "/old/batch/b/x.txt", "/old/batch/b/y.txt", "/old/batch/c/z.txt")
    got = b.matching(["/new/place/a/x.txt", "/new/place/b/x.txt", "/new/place/d/y.txt", "/new/place/c/w.txt"])
    # the batch moved: a/x and b/x by their path below the batch folder, never mixed up by name;
    # y moved to another subfolder: by its name, which one earlier report has
    assert {k: v.findings[0]["id"] for k, v in got.items()} == {
        "/new/place/a/x.txt": "/old/batch/a/x.txt", "/new/place/b/x.txt": "/old/batch/b/x.txt",
        "/new/place/d/y.txt": "/old/batch/b/y.txt"}
    # the exact path first, whatever the folders share
    assert b.matching(["/old/batch/c/z.txt", "/x/y.txt"])["/old/batch/c/z.txt"].findings[0]["id"] == "/old/batch/c/z.txt"


def test_a_name_two_earlier_reports_share_matches_neither():
    b = earlier("/old/a/x.txt", "/old/b/x.txt")
    assert b.matching(["/new/other/deeper/x.txt", "/new/other/deeper/w.txt"]) == {}


def test_one_report_and_one_earlier_are_two_drafts():
    b = earlier("/old/第一稿.txt")
    assert b.matching(["/new/第二稿.txt"])["/new/第二稿.txt"].findings == [{"id": "/old/第一稿.txt"}]
    assert earlier("/old/a.txt", "/old/b.txt").matching(["/new/c.txt"]) == {}


def test_findings_are_matched_by_exact_id_and_a_crashed_rule_claims_nothing():
    _, result = check_report(DRAFT, resolve(None))
    first, second = result.findings[0], result.findings[1]
    gone = {"id": "gone-1", "rule": "WORD-REQUEST", "severity": "error", "message": "m", "line": 3,
            "basis": "b", "suggestion": "s"}
    unknown = {**gone, "id": "gone-2", "rule": second.rule}
    baseline.apply(result, E([first.model_dump(mode="json"), gone, unknown], unchecked=set()))
    assert result.findings[0].change == "persisting"
    assert {f.change for f in result.findings[1:] if f.id != first.id} == {"new"}
    assert {f.id for f in result.fixed} == {"gone-1", "gone-2"}
    # the same, but second's rule crashed now: its findings are neither new nor fixed
    _, result = check_report(DRAFT, resolve(None))
    result.rule_failures = [RuleFailure(rule=second.rule, error="内部错误（KeyError）")]
    baseline.apply(result, E([first.model_dump(mode="json"), gone, unknown]))
    assert {f.id for f in result.fixed} == {"gone-1"}
    assert all(f.change is None for f in result.findings if f.rule == second.rule)
    # and a rule that crashed in the earlier run: nothing of it is new
    _, result = check_report(DRAFT, resolve(None))
    baseline.apply(result, E([], unchecked={first.rule}))
    assert all(f.change is None for f in result.findings if f.rule == first.rule)
    assert all(f.change == "new" for f in result.findings if f.rule != first.rule)


def finding(fid: str, rule: str = "A") -> dict:
    """A finding as `check --format json` writes it."""
    return {"id": fid, "rule": rule, "severity": "info", "message": "m", "line": 1, "basis": "b", "suggestion": "s"}


def test_it_loads_results_files_and_an_audit_folder(tmp_path):
    r1 = {"source": "a.txt", "findings": [finding("1")], "rule_failures": [{"rule": "R", "error": "e"}]}
    (tmp_path / "one.json").write_text(json.dumps([r1, {"source": "b.txt", "findings": []}]), encoding="utf-8")
    (tmp_path / "two.json").write_text(json.dumps({"source": "c.txt", "findings": [finding("3")]}), encoding="utf-8")
    b = baseline.load([tmp_path / "one.json", tmp_path / "two.json"])
    assert set(b.earlier) == {"a.txt", "b.txt", "c.txt"} and b.earlier["a.txt"].unchecked == {"R"}
    folder = tmp_path / "audit"
    folder.mkdir()
    lines = [{"source": "x.txt", **finding("9")},
             {"source": "x.txt", "rule": "B", "rule_failure": "内部错误（KeyError）", "message": "规则 B 运行出错，此项未检查"}]
    (folder / "findings.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    for given in (folder, folder / "run.json"):
        got = baseline.load(given).earlier["x.txt"]
        assert [f["id"] for f in got.findings] == ["9"] and got.unchecked == {"B"}


@pytest.mark.parametrize("content,said", [
    ("不是 JSON", "基线不是 JSON"), ('{"source": "a"}', "基线中没有 findings"),
    ('{"source": "a", "findings": [{"id": "abc", "rule": "OUT-X"}]}', "第 1 条问题格式不对（字段 severity"),
    ('[{"source": "a", "findings": []}, {"source": "b", "findings": [1, 2]}]', "第 2 份结果的第 1 条问题格式不对"),
])
def test_a_file_that_is_no_baseline_is_named(tmp_path, content, said):
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=said) as e:
        baseline.load(tmp_path / "b.json")
    assert e.value.path == str(tmp_path / "b.json")
    with pytest.raises(InputError, match="找不到基线"):
        baseline.load(tmp_path)             # a folder with no audit in it


def test_check_takes_an_audit_folder_as_its_baseline(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "draft.txt").write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    run_cli("audit", src, "-o", tmp_path / "first")
    r = run_cli("check", src / "draft.txt", "-f", "json", "--baseline", tmp_path / "first")
    d = json.loads(r.stdout)
    assert d["findings"] and {f["change"] for f in d["findings"]} == {"persisting"} and d["fixed"] == []


def test_check_says_when_a_report_has_no_earlier_draft(tmp_path):
    (tmp_path / "before.json").write_text(json.dumps([{"source": "a.txt", "findings": []},
                                                      {"source": "b.txt", "findings": []}]), encoding="utf-8")
    r = run_cli("check", DRAFT, "-f", "json", "--baseline", tmp_path / "before.json")
    assert "基线中没有此报告的上一稿" in r.stderr
    assert {f["change"] for f in json.loads(r.stdout)["findings"]} == {None}


def test_check_report_takes_a_path_or_a_source_read_already():
    resolved = resolve(None)
    _, by_path = check_report(DRAFT, resolved)
    _, by_source = check_report(read_path(DRAFT), resolved)
    assert by_path.model_dump(exclude={"tool"}) == by_source.model_dump(exclude={"tool"})
    assert by_path.config == {**resolved.record(), "outline_grammar": "default"}


def test_the_shared_folder_of_no_files_is_none():
    assert baseline.shared_folder([]) == ""
    assert baseline.shared_folder(["/a/b/x.txt", "/a/c/y.txt"]) == "/a" + os.sep


def test_a_rule_that_did_not_run_now_claims_nothing_fixed():
    """A final checked first, then the draft (its profile turns the signature and date rules
    off): the final's signature finding is not 「已改正」 — it was not looked for."""
    # signed three months after the deadline: DATE-SIGNED-LATE in a final, not looked for in a draft
    text = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8").rstrip()
    text = text[:text.rindex("\n")] + "\n2025年6月20日\n"
    from checker.config import resolve_options
    from checker.report import check_text
    final = resolve_options(profile="final")
    draft = resolve_options(profile="draft")
    _, before = check_text(text, "a.txt", final.rules)
    off = {f.rule for f in before.findings} - {r.id for r in draft.rules}
    assert off, "the final has findings of rules the draft does not run"
    _, now = check_text(text, "a.txt", draft.rules)
    baseline.apply(now, baseline.earlier_of(before), {r.id for r in draft.rules})
    assert not {f.rule for f in now.fixed} & off
    _, again = check_text(text, "a.txt", draft.rules)
    baseline.apply(again, baseline.earlier_of(before))          # not told what ran: they look fixed
    assert {f.rule for f in again.fixed} & off


def test_same_report_is_one_unit_and_year_else_one_title():
    from checker.report import check_text
    a = check_text((SAMPLES / "白鹭区司法局_2024_草稿.txt").read_text(encoding="utf-8"))[1]
    b = check_text((SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8"))[1]
    assert baseline.same_report(a, a) and not baseline.same_report(a, b)
