"""Faults a reviewer plants in real reports (the rule library's acceptance test): each is caught,
on its line, by the rule meant for it."""
import pytest

from checker.report import check_text

from .conftest import CORPUS, needs_corpus

pytestmark = needs_corpus


def load(prefix):
    path = next(CORPUS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").split("\n")


def plant(prefix, old, new):
    """Replace `old` by `new` on the one line holding it; return the text and that line."""
    lines = load(prefix)
    at = [i for i, line in enumerate(lines) if old in line]
    assert len(at) == 1, (old, at)
    lines[at[0]] = lines[at[0]].replace(old, new, 1)
    return "\n".join(lines), at[0] + 1


def findings(text):
    return check_text(text, "variant.txt")[1].findings


@pytest.mark.parametrize("prefix,old,new,rule,severity", [
    # a 2024 report guided by the 19th congress
    ("000", "深入学习贯彻党的二十大精神、二十届三中全会精神", "深入学习贯彻党的十九大精神", "TERM-STALE-GUIDANCE", "warning"),
    # a rate of 120%
    ("004", "出庭应诉率继续保持100%", "出庭应诉率继续保持120%", "IND-RATE-OVER-100", "error"),
    # a plan for a year already past
    ("001", "三、2025年推进法治建设重点工作计划", "三、2023年推进法治建设重点工作计划", "YEAR-PLAN", "error"),
    # signed after the deadline
    ("002", "2024年1月8日", "2024年3月18日", "DATE-SIGNED-LATE", "error"),
    # a misquoted regulation title
    ("002", "故陵镇党委书记作为本辖区推进法治建设第一责任人",
     "故陵镇党委书记按照《党政主要负责人履行推进法治建设第一责任人职责的规定》，作为本辖区推进法治建设第一责任人",
     "TERM-REGULATION-TITLE", "warning"),
    # the plenum named as a congress's
    ("001", "深入学习贯彻党的二十大和二十届二中、三中全会精神,全面贯彻", "深入学习贯彻党的二十大和二十大三中全会精神,全面贯彻", "TERM-WRONG-FORM", "warning"),
    # a 纲要 for the wrong years
    ("000", "《法治政府建设实施纲要(2021-2025年)》", "《法治政府建设实施纲要(2015-2020年)》", "TERM-DOCUMENT-PERIOD", "warning"),
])
def test_planted_fault_is_caught_on_its_line(prefix, old, new, rule, severity):
    text, line = plant(prefix, old, new)
    hits = [f for f in findings(text) if f.rule == rule]
    assert hits, rule
    assert line in [f.line for f in hits] and all(f.severity == severity for f in hits)
    original = [f for f in findings("\n".join(load(prefix))) if f.rule == rule]
    assert line not in [f.line for f in original], "the fault was already there"


def test_shortcomings_cut_to_one_stock_sentence():
    lines = load("003")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、法治政府建设工作存在的问题"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    cut = lines[:start + 1] + ["", "思想认识有待进一步提高。", ""] + lines[end:]
    hits = [f for f in findings("\n".join(cut)) if f.rule == "QUAL-SHORTCOMINGS-TOKEN"]
    assert [f.line for f in hits] == [start + 1]
    assert not [f for f in findings("\n".join(lines)) if f.rule == "QUAL-SHORTCOMINGS-TOKEN"]


def test_a_report_without_figures():
    lines = load("003")
    start = next(i for i, line in enumerate(lines) if line.startswith("二、2021年法治政府建设"))
    end = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    body = ["", "我镇依法全面履行政府职能，坚持依法行政，法治政府建设取得明显成效。", ""]
    text = "\n".join(lines[:start + 1] + body + lines[end:])
    doc, r = check_text(text, "variant.txt")
    # the measures part has no figure; the first-responsible part (before it) still has its dates only
    assert "QUAL-NO-FIGURES" in {f.rule for f in r.findings}
