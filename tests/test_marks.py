"""Findings marked at their words (checker/render/marks.py): the words found on their line as
written, across a line break or spaces the cleaned text does not have, the whole line marked
when they cannot be placed, never a mark on another line; and the HTML result of `check` marks
the words, not the line."""
from __future__ import annotations

import re

import pytest

from checker.models import Finding
from checker.render.marks import locate, rows
from checker.report import check_text
from checker.render import render
from tests.conftest import SAMPLES


@pytest.mark.parametrize("lines,line,needle,want", [
    (["全年召开会议XX次。"], 1, "XX", [(1, 6, 8)]),
    (["全年召开会议 X X 次。"], 1, "XX", [(1, 7, 10)]),                       # spaces inside the words
    (["依据《法治政府建设实施", "纲要（2021—2025年）》开展"], 1, "《法治政府建设实施纲要", [(1, 2, 11), (2, 0, 2)]),
    (["第一行", "XX在第二行"], 1, "XX", None),                                # must start on its own line
    (["没有这个词"], 1, "XX", None),
    (["XX"], 3, "XX", None),                                                   # a line the text does not have
])
def test_locate(lines, line, needle, want):
    assert locate(lines, line, needle) == want


def _finding(line, excerpt="", words=(), severity="error", rule="R"):
    return Finding(rule=rule, severity=severity, title="t", message="m", line=line, excerpt=excerpt,
                   words=list(words), basis="b", suggestion="s")


def test_rows_cut_a_line_at_each_mark_and_fall_back_to_the_whole_line():
    lines = ["  标题  ", "召开会议XX次，第次会议。", "无关的一行"]
    found = [_finding(2, "…会议XX次…", ["XX"]), _finding(2, "第次", severity="warning"), _finding(1, "找不到的摘录")]
    got, unplaced = rows(lines, found)
    assert unplaced == []
    assert got[2].pieces is None and got[2].notes == []
    pieces = [(p.text, p.findings, p.severity) for p in got[1].pieces]
    assert pieces == [("召开会议", [], ""), ("XX", [0], "error"), ("次，", [], ""), ("第次", [1], "warning"), ("会议。", [], "")]
    assert got[1].severity == "error" and got[1].notes == [0, 1]
    # not placed: the line's text (without its margins) is marked, as such
    title = [p for p in got[0].pieces if p.findings]
    assert [(p.text, p.whole) for p in title] == [("标题", True)]


def test_findings_without_a_line_are_listed_apart():
    got, unplaced = rows(["一行"], [_finding(None), _finding(1, "一行")])
    assert unplaced == [0] and got[0].notes == [1]


def test_the_html_result_marks_the_words_not_the_line():
    text = (SAMPLES / "白鹭区司法局_2024_草稿.txt").read_text(encoding="utf-8")
    doc, result = check_text(text, "草稿.txt")
    page = render(result, "html", doc.source.lines)
    placeholder = next(k for k, f in enumerate(result.findings) if f.rule == "WORD-PLACEHOLDER")
    assert re.search(rf'<a class="anchor" id="M{placeholder}"></a><a class="m m-error" href="#F{placeholder}"[^>]*>XX</a>', page)
    assert f'id="F{placeholder}"' in page and f'href="#M{placeholder}"' in page


def test_words_are_marked_where_they_stand_in_the_quote():
    # a placeholder twice in the quote: both marked; a word the rule passed over earlier on the
    # line (「党的十九大以来」 looks back) is not marked, the one in the quote is
    lines = ["全年召开会议XX次，开展学习XX次。", "回顾党的十九大以来的工作，我们深入学习贯彻党的十九大精神。"]
    twice = _finding(1, "…会议XX次，开展学习XX次。", ["XX"])
    later = _finding(2, "…我们深入学习贯彻党的十九大精神。", ["党的十九大"])
    got, _ = rows(lines, [twice, later])
    assert [p.text for p in got[0].pieces if p.findings] == ["XX", "XX"]
    assert [p.text for p in got[1].pieces if p.findings] == ["党的十九大"]
    starts = [sum(len(q.text) for q in got[1].pieces[:i]) for i, q in enumerate(got[1].pieces) if q.findings]
    assert starts == [lines[1].rindex("党的十九大")]
