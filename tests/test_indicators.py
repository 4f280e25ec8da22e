"""Figures read from the reports: exactly the ones a person recorded for the real corpus, and
never a value that is not written on the line it is reported on."""
import re

import pytest
import yaml

from checker.report import check_path, check_text
from checker.text import fold

from .conftest import CORPUS, ROOT, SAMPLES, needs_corpus

RECORDED = yaml.safe_load((ROOT / "tests" / "data" / "corpus_indicators.yaml").read_text(encoding="utf-8"))


@needs_corpus
@pytest.mark.parametrize("name", sorted(RECORDED))
def test_corpus_indicators_match_what_was_read(name):
    _, r = check_path(CORPUS / name)
    got = sorted((i.id, i.value, i.unit, i.line) for i in r.indicators)
    want = sorted((e["id"], e["value"], e["unit"], e["line"]) for e in RECORDED[name] or [])
    assert got == want


def _all_reports():
    from .conftest import corpus_files
    return [*corpus_files(), *sorted(SAMPLES.glob("*.txt")), *sorted((ROOT / "tests" / "data" / "blind").glob("*.txt"))]


@pytest.mark.parametrize("path", _all_reports(), ids=lambda p: p.name)
def test_no_invented_figures(path):
    doc, r = check_path(path)
    for i in r.indicators:
        line = fold(doc.source.lines[i.line - 1])
        number = str(i.value) if not isinstance(i.value, float) else f"{i.value:g}"
        # the figure, exactly as reported, followed by its unit, on the line the indicator names
        # (or written in 万: 「1.2万余件」 is 12000 余件)
        wan = [float(x) * 10000 for x in re.findall(rf"(?<![\d.])(\d+(?:\.\d+)?)万\s*{re.escape(i.unit)}", line)]
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?:\.0+)?(?![\d.])\s*{re.escape(i.unit)}", line) \
            or any(round(w) == i.value for w in wan), (i, line)


@pytest.mark.parametrize("sentence,want", [
    ("组织开展文件专项清理，清理文件214件，修改3件、废止6件。",
     {("normative_cleaned", 214), ("normative_amended", 3), ("normative_repealed", 6)}),
    ("接收报送备案的规范性文件31件，经审查发现程序瑕疵等问题的4件。", {("normative_filed", 31)}),
    ("共排查出各种矛盾纠纷470余件，成功调解470余件。", {("disputes_handled", 470), ("disputes_resolved", 470)}),
    ("新收行政复议案件287件，行政复议前置调解成功86件。", {("reconsideration_received", 287)}),
    ("对全区行政复议纠错率较高的3个部门进行约谈。", set()),
    # the 2 are the cases the head attended, not the county's litigation
    ("县长带头出庭应诉行政诉讼案件2件，全县发生行政诉讼案件37件。", {("appearance_cases", 2), ("litigation_cases", 37)}),
    ("修改、废止规章11件、规范性文件342件。", set()),            # 11 are 规章; 342 has no verb of its own
    ("审查各县报备的规范性文件57件。", {("normative_filed", 57)}),
    ("偏远村普法活动全年不足2场。", set()),
    ("承接的112项执法事项中，实际办理案件的仅涉及9项。", set()),
    ("力争出庭应诉率提高到60%以上。", set()),
    ("二是行政复议纠错率为12.1%。", {("rate", 12.1)}),
    ("全市调处矛盾纠纷1.2万余件，办理行政处罚案件2.6万件。", {("disputes_handled", 12000), ("enforcement_cases", 26000)}),
    # a channel of application is not the number received
    ("全年网上申请行政复议12件。", set()),
    ("网上受理行政复议申请9件。", set()),
    ("行政复议网上申请12件，受理行政复议申请28件。", {("reconsideration_received", 28)}),
    ("收到行政复议申请30件，其中网上申请12件。", {("reconsideration_received", 30)}),
    # settled by mediation is neither the cases taken up nor (under 行政复议) all those concluded
    ("受理矛盾纠纷150件，调解成功142件，调解成功率94.7%。",
     {("disputes_handled", 150), ("disputes_resolved", 142), ("mediation_rate", 94.7)}),
    ("调解矛盾纠纷150件，调解结案142件。", {("disputes_handled", 150), ("disputes_resolved", 142)}),
    ("排查化解矛盾纠纷86件，达成调解协议80件。", {("disputes_handled", 86), ("disputes_resolved", 80)}),
    ("审结行政复议案件57件，其中调解结案12件。", {("reconsideration_concluded", 57)}),
    # 公职律师 are not 法律顾问: neither their count nor their coverage
    ("配备公职律师5名。", {("public_lawyers", 5)}),
    ("聘请法律顾问3名，配备公职律师5名。", {("legal_advisers", 3), ("public_lawyers", 5)}),
    ("镇政府聘请法律顾问1名，公职律师2名。", {("legal_advisers", 1), ("public_lawyers", 2)}),
    ("公职律师覆盖率达到100%。", {("rate", 100)}),
    # heads in court: cases attended, not hearings watched
    ("行政机关负责人出庭应诉案件12件，出庭应诉率100%。", {("appearance_cases", 12), ("appearance_rate", 100)}),
    ("组织旁听出庭应诉庭审3次。", set()),
])
def test_what_a_figure_counts(sentence, want):
    """A figure is the count of what its own verb did: not the cleanup's changes under 清理, not
    the documents found wanting under 审查, not the disputes settled under those handled."""
    _, r = check_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n" + sentence + "\n")
    assert {(i.id, i.value) for i in r.indicators} == want


def test_plan_in_a_merged_part_gives_no_figures():
    """「存在的问题和下一步工作打算」: from the paragraph that opens the plan on, figures are targets."""
    text = ("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n开展普法活动12场次。\n"
            "二、存在的问题和下一步打算\n行政复议纠错率为12.1%，高于全市平均水平。\n"
            "2025年，我镇将开展普法活动20场次，执法人员持证率达到90%以上。\n执法检查不少于30次。")
    _, r = check_text(text)
    assert {(i.id, i.value) for i in r.indicators} == {("pufa_events", 12), ("rate", 12.1)}


def test_extraction_rules():
    text = ("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n"
            "全年共收到行政复议申请12件，审结10件，纠错2件。行政机关负责人出庭应诉率100%。\n"
            "审核规范性文件6件，清理规范性文件12件，同比增长15件。\n"
            "二、下一步打算\n开展普法活动20场次。")
    _, r = check_text(text)
    got = {(i.id, i.value) for i in r.indicators}
    assert got == {("reconsideration_received", 12), ("reconsideration_concluded", 10),
                   ("reconsideration_corrected", 2), ("appearance_rate", 100),
                   ("normative_reviewed", 6), ("normative_cleaned", 12)}, "plan targets and changes are not results"


def test_a_pattern_is_passed_over_only_where_it_cannot_match():
    import re as _re
    from checker.analyse.indicators import _Needing
    from checker.errors import ConfigError
    rx = _re.compile(r"(?P<name>[\u4e00-\u9fff]{1,12}?率)\s*(?P<v>\d+)\s*%")
    needing = _Needing(rx, ("率", "%"), "indicators.yaml")
    for text in ("案卷合格率98%", "全年办案42件，合格率为98%。", "其中效率提升", "完成98%", ""):
        assert [m.span() for m in needing.finditer(text)] == [m.span() for m in rx.finditer(text)], text
    with pytest.raises(ConfigError, match="needs"):
        _Needing(rx, ("率", "％"), "indicators.yaml")       # a need not written in the pattern
