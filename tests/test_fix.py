"""`fzcheck fix`: each rule's safe fix made, the fixed copy checked again — the fixed findings
gone, none new — as tracked changes in a .docx, as a fixed copy and a .diff for a text."""
from __future__ import annotations

import hashlib
import shutil
from collections import Counter

import pytest

from checker.checks.load import builtin_rules
from checker.config import resolve_options
from checker.examples import examples_of
from checker.fixes import apply_text, planned
from checker.fixing import fix_report
from checker.read import read_path
from checker.read.txt import split_lines
from checker.report import check_text

from .conftest import SAMPLES, corpus_files, run_cli
from .formats import to_docx
from .wordfiles import tracked

FIXED = [(r, i, ex) for r in builtin_rules() if r.fix for kind, i, ex in examples_of(r)
         if kind == "fail" and ex.fixed is not None]


@pytest.mark.parametrize("rule,i,example", FIXED, ids=[f"{r.id}-fail{i}" for r, i, _ in FIXED])
def test_a_fix_leaves_no_new_finding_under_all_rules(rule, i, example):
    """The rule examples' fixes, checked under every rule: fewer of the rule's findings, no
    rule with more findings than before."""
    _, before = check_text(example.text)
    after_lines = apply_text(split_lines(example.text), planned(before))
    _, after = check_text("\n".join(after_lines))
    was, now = Counter(f.rule for f in before.findings), Counter(f.rule for f in after.findings)
    assert now[rule.id] < was[rule.id]
    assert not [r for r in now if now[r] > was[r]], (now - was)


@pytest.fixture(scope="module")
def resolved():
    return resolve_options(None, None, None, [], {}, ())


REPORTS = sorted(SAMPLES.glob("*.txt")) + corpus_files()


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_fixed_copies_recheck_clean(report, fmt, tmp_path, resolved):
    text = "\n".join(read_path(report).lines)
    path = tmp_path / f"r.{fmt}"
    if fmt == "docx":
        path.write_bytes(to_docx(text, auto_numbering=False))
    else:
        path.write_text(text, encoding="utf-8")
    done = fix_report(path, resolved)
    assert not done.new, [(f.rule, f.message) for f in done.new]
    assert done.gone == done.fixed and (done.fixed or not done.planned)    # every fixed finding is gone
    if fmt == "docx" and done.applied:
        changes = tracked(done.data)
        assert changes and {a for _, a, _ in changes} == {"fzcheck"}
        assert {k for k, _, _ in changes} <= {"ins", "del"}


def test_cli_preview_writes_nothing_and_apply_writes_copies(tmp_path):
    src = tmp_path / "草稿.txt"
    shutil.copy(SAMPLES / "白鹭区司法局_2024_草稿.txt", src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    proc = run_cli("fix", str(src), "--no-color")
    assert proc.returncode == 0, proc.stderr
    assert "「法治政府建设工作总结」→「法治政府建设年度报告」" in proc.stdout
    assert "+四、2025年工作计划" in proc.stdout and "-四、2024年工作计划" in proc.stdout
    assert "未出现新问题" in proc.stdout and "--apply" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["草稿.txt"]
    proc = run_cli("fix", str(src), "--apply", "--no-color")
    assert proc.returncode == 0, proc.stderr
    fixed = (tmp_path / "草稿-修改稿.txt").read_text(encoding="utf-8")
    assert "2024年法治政府建设年度报告" in fixed and "四、2025年工作计划" in fixed
    assert (tmp_path / "草稿-修改稿.diff").read_text(encoding="utf-8").startswith("--- ")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    again = run_cli("check", str(tmp_path / "草稿-修改稿.txt"), "--format", "json")
    assert "TITLE-GENRE" not in again.stdout and "YEAR-PLAN" not in again.stdout


def test_docx_gets_tracked_changes_that_accept_to_the_fix(tmp_path):
    text = ("柳林镇2024年法治政府建设工作总结\n一、主要举措和成效\n（一）加强组织领导。召开会议4次,开展培训。\n"
            "（三）规范执法行为。2024.3.5开展培训。\n二、存在的不足\n学习不够深入，主要原因是重视不够。\n"
            "三、2024年工作安排\n年底前完成文件清理。\n柳林镇人民政府\n2025年1月8日")
    path = tmp_path / "r.docx"
    path.write_bytes(to_docx(text, auto_numbering=False))
    proc = run_cli("fix", str(path), "--apply", "--no-color")
    assert proc.returncode == 0, proc.stderr
    copy = tmp_path / "r-修改稿.docx"
    changes = tracked(copy.read_bytes())
    pairs = {t for k, _, t in changes if k == "ins"}
    assert {"法治政府建设年度报告", "（二）", "2025", "2024年3月5日", "，开"} <= pairs, changes
    # the reader takes insertions and drops deletions: as if every change were accepted
    lines = read_path(copy).lines
    assert "（二）规范执法行为。2024年3月5日开展培训。" in lines and "三、2025年工作安排" in lines
    left = run_cli("check", str(copy), "--format", "json").stdout
    for rule in ("TITLE-GENRE", "STRUCT-NUMBER-SEQUENCE", "YEAR-PLAN", "DATE-NUMERIC", "WORD-HALFWIDTH-PUNCT"):
        assert rule not in left


def test_nothing_to_fix_is_said(tmp_path):
    src = tmp_path / "r.txt"
    shutil.copy(SAMPLES / "柳溪镇_2024_规范.txt", src)
    proc = run_cli("fix", str(src), "--apply")
    assert proc.returncode == 0 and "没有可自动修改之处" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]
