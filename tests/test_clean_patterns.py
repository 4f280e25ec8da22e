"""The cleaning step tries its patterns of one kind together first (checker/analyse/clean.py
_Tried): the same pattern wins as when they are tried one by one in file order, and patterns
that cannot be combined are still tried."""
import re

from checker.analyse.clean import _Pattern, _Tried


def _p(id_, rx):
    return _Pattern(id_, "chrome", re.compile(rx))


def test_the_first_in_file_order_wins_not_the_leftmost_match():
    tried = _Tried((_p("late", "打印本页"), _p("early", "首页")))
    text = "首页 > 政务公开 > 打印本页"
    assert tried.first(text).id == "late"          # listed first, though it matches further right
    assert tried.first("法治政府建设年度报告") is None and not tried.some("法治政府建设年度报告")


def test_patterns_that_cannot_stand_together_are_tried_one_by_one():
    tried = _Tried((_p("a", r"(?P<n>来源)："), _p("b", r"(?P<n>作者)：")))      # one group name twice
    assert tried.first("作者：张三").id == "b" and tried.first("正文") is None
    assert _Tried(()).first("任何文字") is None
