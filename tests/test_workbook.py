"""summary.xlsx as a reviewer works in it: indicators are numbers Excel can add (one column per
indicator, its unit in the header, a note where a number is not one plain figure), every sheet
filters and keeps its header in view, each row links to the report's page and checklist the
audit wrote, a report's row names all its main problems, a PDF finding's page is a number."""
import json
import re
import shutil

import pytest

from checker.audit import indicator_cells
from checker.audit.summary import written, main_problems
from checker.models import SEVERITY_RANK

from .conftest import SAMPLES, run_cli
from .formats import to_docx, to_pdf
from .test_audit import findings


def _ind(id_, name, value, unit, line=1):
    return {"id": id_, "name": name, "value": value, "unit": unit, "line": line}


# ---- the numbers of the 指标 sheet (checker/audit/indicator_cells.py)

def _columns(*reports):
    c = indicator_cells.Columns()
    for inds in reports:
        c.add(inds)
    return c.columns()


def test_counts_of_one_thing_add_up_and_the_note_says_so():
    inds = [_ind("reconsideration_received", "行政复议收案", 12, "件", 3),
            _ind("reconsideration_received", "行政复议收案", 3, "宗", 9)]
    [col] = _columns(inds)
    assert col.header == "行政复议收案（件）" and not col.rate
    values, note = indicator_cells.cells([col], inds)
    assert values == [15] and isinstance(values[0], int)
    assert "2 处相加" in note and "第 3 行" in note and "第 9 行" in note


def test_a_lone_figure_has_no_note_and_keeps_its_type():
    inds = [_ind("litigation_cases", "行政诉讼案件", 7, "件")]
    cols = _columns(inds)
    assert indicator_cells.cells(cols, inds) == ([7], "")
    rate = [_ind("appearance_rate", "行政机关负责人出庭应诉率", 98.5, "%")]
    cols = _columns(rate)
    assert cols[0].rate and cols[0].header.endswith("（%）")
    values, note = indicator_cells.cells(cols, rate)
    assert values == [98.5] and isinstance(values[0], float) and note == ""


def test_a_rate_given_twice_is_the_first_not_the_sum():
    inds = [_ind("appearance_rate", "行政机关负责人出庭应诉率", 90, "%", 4),
            _ind("appearance_rate", "行政机关负责人出庭应诉率", 100, "%", 8)]
    values, note = indicator_cells.cells(_columns(inds), inds)
    assert values == [90] and "取第一处" in note and "100%（第 8 行）" in note


def test_a_figure_in_another_unit_is_not_added_but_named():
    # an inspection's 家次 is not its 次: kept out of the sum, said in the note
    inds = [_ind("inspections", "行政检查", 40, "次", 2), _ind("inspections", "行政检查", 5, "次", 3),
            _ind("inspections", "行政检查", 300, "家次", 5)]
    [col] = _columns(inds)
    assert col.unit == "次"
    values, note = indicator_cells.cells([col], inds)
    assert values == [45] and "300家次（第 5 行）" in note and "未计入" in note


def test_the_column_takes_the_unit_the_batch_uses_most_and_units_per_indicator():
    a = [_ind("study_sessions", "学法", 4, "场次")]
    b = [_ind("study_sessions", "学法", 2, "次"), _ind("study_sessions", "学法", 6, "场次")]
    [col] = _columns(a, b, [_ind("study_sessions", "学法", 1, "场次")])
    # rules/workbook.yaml: a study session is one whether it is called 次 or 场次
    assert indicator_cells.cells([col], b)[0] == [8]


def test_a_lower_bound_is_counted_and_said():
    inds = [_ind("disputes_handled", "矛盾纠纷排查调处", 300, "余起"), _ind("disputes_handled", "矛盾纠纷排查调处", 40, "件")]
    [col] = _columns(inds)
    assert col.unit == "件"
    values, note = indicator_cells.cells([col], inds)
    assert values == [340] and "约数" in note


def test_named_rates_each_have_a_column():
    inds = [_ind("rate", "持证率", 95, "%"), _ind("rate", "公示率", 100, "%")]
    cols = _columns(inds)
    assert [c.header for c in cols] == ["公示率（%）", "持证率（%）"]
    assert indicator_cells.cells(cols, inds)[0] == [100, 95]


# ---- 主要问题 and links

def _f(rule, severity, message="m", **kw):
    return {"rule": rule, "severity": severity, "message": message, **kw}


def test_main_problems_are_all_of_the_worst_level():
    fs = [_f("A", "warning"), _f("B", "error", "乙"), _f("C", "error", "丙"), _f("B", "error", "乙2", omitted=3),
          _f("D", "error", waived=True)]
    text = main_problems(fs, 10)
    assert text == "B：乙（共 4 处）；C：丙", text
    assert main_problems([_f("A", "info")], 10) == "A：m"
    assert main_problems([_f(f"R{i}", "error") for i in range(5)], 2).endswith("另有 3 条规则（见问题明细）")
    assert main_problems([_f("D", "error", waived=True)], 10) == ""


def test_a_link_goes_only_to_a_file_the_audit_wrote(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.html").write_text("x", encoding="utf-8")
    (tmp_path / "secret.html").write_text("x", encoding="utf-8")
    assert written(tmp_path, "reports/a.html") == "reports/a.html"
    for bad in ("reports/missing.html", "reports/../secret.html", "/etc/passwd", "secret.html",
                "https://example.org/", "checklists/", None, ""):
        assert written(tmp_path, bad) is None, bad


# ---- an audit's workbook read back with openpyxl

@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    base = tmp_path_factory.mktemp("wb")
    src = base / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "柳溪镇_2024_规范.txt", src)
    (src / "白鹭区司法局_2024_草稿.docx").write_bytes(
        to_docx((SAMPLES / "白鹭区司法局_2024_草稿.txt").read_text(encoding="utf-8"), auto_numbering=False))
    (src / "青石街道_2023.pdf").write_bytes(to_pdf((SAMPLES / "青石街道_2023_网页版.txt").read_bytes().decode("gb18030")))
    (src / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    out = base / "out"
    r = run_cli("audit", src, "-o", out, "--checklists")
    assert r.returncode in (0, 1), r.stderr
    from openpyxl import load_workbook
    return out, load_workbook(out / "summary.xlsx")


def _table(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_every_sheet_filters_and_keeps_its_header(workbook):
    from openpyxl.utils import get_column_letter
    _, wb = workbook
    assert {"汇总", "问题明细", "指标", "规则统计"} <= set(wb.sheetnames)
    for name in ("汇总", "问题明细", "指标", "规则统计"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == f"A1:{get_column_letter(ws.max_column)}{ws.max_row}", name
        assert ws.max_row > 1, name


def test_indicators_are_numbers_with_the_unit_in_the_header(workbook):
    out, wb = workbook
    header, rows = _table(wb["指标"])
    columns = header[2:-2]
    assert header[-2:] == ["说明", "报告页面"] and columns
    assert all(re.fullmatch(r".+（[^（）]+）", h) for h in columns), columns
    numbers = [r[h].value for r in rows for h in columns if r[h].value is not None]
    assert numbers and all(type(v) in (int, float) for v in numbers)
    # a figure the report gives once, in the column's unit, is that figure
    checked = 0
    for r in rows:
        page = r["报告页面"].hyperlink.target
        result = json.loads((out / page).with_suffix(".json").read_text(encoding="utf-8"))
        for h in columns:
            name, unit = re.fullmatch(r"(.+)（([^（）]+)）", h).groups()
            given = [i for i in result["indicators"] if i["name"] == name]
            if len(given) == 1 and given[0]["unit"] == unit and name not in (r["说明"].value or ""):
                assert r[h].value == given[0]["value"], (page, h)
                checked += 1
            if not given:
                assert r[h].value is None, (page, h)
    assert checked >= 3
    notes = [r["说明"] for r in rows if r["说明"].value]
    assert notes and all(c.alignment.wrap_text for c in notes), "a note of several lines is shown as lines"


def test_rows_link_to_the_pages_and_checklists_the_audit_wrote(workbook):
    out, wb = workbook
    header, rows = _table(wb["汇总"])
    assert header[-4:] == ["报告页面", "核查清单", "格式", "状态"], "格式 just before 状态, 状态 stays last"
    linked = 0
    for r in rows:
        if r["单位"].value == "（无法读取）":
            assert r["报告页面"].hyperlink is None and r["核查清单"].hyperlink is None
            continue
        for col, ext in (("报告页面", ".html"), ("核查清单", ".docx")):
            target = r[col].hyperlink.target
            assert not target.startswith("/") and ".." not in target and target.endswith(ext), target
            assert (out / target).is_file(), target
        linked += 1
    assert linked == 3
    for sheet in ("问题明细", "指标"):
        _, rows = _table(wb[sheet])
        targets = {r["报告页面"].hyperlink.target for r in rows if r["报告页面"].hyperlink}
        assert targets and all((out / t).is_file() for t in targets), sheet


def test_numbers_are_numbers_and_a_row_names_all_its_main_problems(workbook):
    out, wb = workbook
    _, rows = _table(wb["汇总"])
    by_source: dict = {}
    for f in findings(out):
        if "severity" in f and not f.get("waived"):
            by_source.setdefault(f["source"], []).append(f)
    for r in rows:
        if r["单位"].value == "（无法读取）":
            continue
        for col in ("错误", "警告", "提示", "得分"):
            assert type(r[col].value) is int, col
        fs = by_source.get(r["文件"].value, [])
        worst = min((SEVERITY_RANK[f["severity"]] for f in fs), default=None)
        rules = {f["rule"] for f in fs if SEVERITY_RANK[f["severity"]] == worst}
        assert all(f"{rule}：" in r["主要问题"].value for rule in rules), (r["文件"].value, rules)
    assert any(r["主要问题"].value and r["主要问题"].value.count("；") >= 1 for r in rows), "more than one problem"


def test_a_pdf_finding_has_its_page_as_a_number(workbook):
    _, wb = workbook
    _, rows = _table(wb["问题明细"])
    pdf = [r for r in rows if str(r["文件"].value).endswith(".pdf")]
    other = [r for r in rows if not str(r["文件"].value).endswith(".pdf")]
    assert pdf and other
    pages = [r["页码"].value for r in pdf if r["页码"].value is not None]
    assert pages and all(type(p) is int and p >= 1 for p in pages)
    assert all(r["页码"].value is None for r in other), "a Word or text file has no pages"
    assert all("第 " not in str(r["位置（标题路径）"].value or "") for r in pdf), "the page is not repeated as text"
