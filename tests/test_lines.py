"""Cleaning and line classification on small texts: chrome out and kept, broken lines joined,
headings at their level whatever width or damage their markers have."""
import pytest

from checker.report import check_text

HEAD = "某镇2024年法治政府建设年度报告\n2024年，我镇坚持依法行政，取得新成效。\n"


def kinds(text):
    doc, _ = check_text(text)
    return [(c.line.start, c.kind, c.repair, c.expected_marker) for c in doc.classified]


@pytest.mark.parametrize("line,kind", [
    ("一、主要举措和成效", "H1"), ("一.主要举措和成效", "H1"), ("第一部分 主要举措", "H1"),
    ("（一）加强领导", "H2"), ("(一)加强领导", "H2"), ("( 一 )加强领导", "H2"),
    ("1.加强领导", "H3"), ("1、加强领导", "H3"), ("１．加强领导", "H3"), ("（1）加强领导", "H4"),
    ("一是加强领导。二是…", "ITEM"), ("12.4国家宪法日开展宣传。", "PARA"), ("2021年，我镇…", "PARA"),
])
def test_marker_styles_full_and_half_width(line, kind):
    text = HEAD + "一、主要举措和成效\n（一）加强组织\n1.建立制度\n（1）细则\n" + line + "\n"
    got = kinds(text)[-1]
    assert got[1] == kind, got


def test_skipped_levels_nest_by_order_of_styles():
    """A report using 一、 then 1、 (no （一）) still nests 1、 under 一、."""
    doc, _ = check_text(HEAD + "一、主要举措和成效\n1、建立制度。\n2、完善机制。\n二、存在的不足\n1、学习不深。")
    assert [p.heading for p in doc.report.parts] == ["主要举措和成效", "存在的不足"]
    assert [c.number for c in doc.report.parts[0].children] == [1, 2]


def test_repairs():
    text = HEAD + ("一、主要举措和成效\n(一)加强组织领导。成立领导小组。\n)规范执法行为。开展培训。\n"
                   "一)强化监督。开展检查。\n二、下一步打算\n一是抓学习、强理论。\n是抓宣传、强教育。\n")
    got = {k[0]: k for k in kinds(text)}
    assert got[5][2:] == ("lost_number", "（二）")
    assert got[6][2:] == ("lost_bracket", None) or got[6][2] == "lost_bracket"
    assert got[9][2:] == ("lost_number", "二是")


def test_numbering_anomalies():
    text = HEAD + "一、主要举措和成效\n召开会议。\n一、存在的不足\n学习不深。\n四、下一步打算\n加强学习。"
    got = {k[0]: k for k in kinds(text)}
    assert got[5][2:] == ("repeated", "二、")
    assert got[7][2] == "skipped"


def test_chrome_removed_and_kept():
    text = ("当前位置：首页 > 专题专栏 > 九、法治政府建设组织领导\n某镇2024年法治政府建设年度报告\n"
            "发布时间：2025-01-15 来源：某镇 浏览次数：12\n【打印】【字体：大 中 小】\n"
            "2024年，我镇坚持依法行政。\n一、主要举措和成效\n召开会议。\n扫一扫在手机打开当前页\n相关文章：\n另一篇文章标题\n")
    doc, r = check_text(text)
    assert [p.heading for p in doc.report.parts] == ["主要举措和成效"], "the breadcrumb's 九、 is not a part"
    assert {x.line for x in r.removed} == {1, 3, 4, 8, 9, 10}
    assert {x.kind for x in r.removed} == {"chrome", "tail"}


def test_markup_cut_out_and_entities_put_back_as_characters():
    text = HEAD + "一、主要举措和成效\n[bookmark: _GoBack]推进&ldquo;法治政府&rdquo;建设&nbsp;，召开会议4次。<o:p></o:p>\n"
    doc, r = check_text(text)
    line = next(c.line.text for c in doc.classified if c.line.start == 4)
    assert line == "推进“法治政府”建设 ，召开会议4次。"
    assert sorted(x.text for x in r.removed) == sorted(["[bookmark: _GoBack]", "&ldquo;", "&rdquo;", "&nbsp;", "<o:p>", "</o:p>"])


def _cleaned(text, with_opening, monkeypatch):
    from checker.analyse import clean
    from checker.read.txt import read
    monkeypatch.setattr(clean, "_markup_opening", clean._markup_opening if with_opening else lambda: None)
    c = clean.clean(read(text.encode("utf-8"), "x.txt"))
    return [(x.text, x.norm, x.spans) for x in c.lines], [(x.line, x.text, x.kind, x.pattern) for x in c.removed]


def test_the_markup_opening_test_never_changes_what_is_cleaned(monkeypatch):
    """A line with none of the characters markup starts with is tried against no markup pattern:
    the cleaned lines and what was removed are the same as trying every pattern on every line —
    on the real reports and openings, and on a line of each kind of markup, mixed."""
    from .conftest import CORPUS
    from checker.analyse.clean import _markup_opening
    assert _markup_opening() is not None, "the markup patterns all start with known characters"
    planted = HEAD + "一、主要举措和成效\n" + "\n".join([
        "**加强组织领导**，召开会议4次。", "【一、主要举措】", "[bookmark: _GoBack]推进工作。", "[object]附件",
        "推进&lt;b&gt;法治&lt;/b&gt;建设&amp;nbsp;。", "<span>依法行政</span>取得成效。", "{{单位名称}}召开会议。",
        "MERGEFIELD 单位 推进工作。", "<img src=\"data:image/png;base64,AAAA\">图片", "法治（fǎ zhì）政府建设。",
        "——某某网站|首页", "没有任何标记的一句话，召开会议4次。"])
    texts = [planted] + [f.read_text(encoding="utf-8", errors="replace")
                         for f in sorted(CORPUS.glob("*.txt")) + sorted((CORPUS / "openings").glob("*.txt"))]
    for text in texts:
        assert _cleaned(text, True, monkeypatch) == _cleaned(text, False, monkeypatch)
    assert len(_cleaned(planted, True, monkeypatch)[1]) >= 8, "the planted markup was found"


def test_sentence_broken_across_lines_is_joined_but_headings_are_not():
    text = HEAD + ("一、主要举措和成效\n我镇党委理论学习中心组分别于4月27日、11月8日对习近平法治思想进行专题学习，并在全\n\n"
                   "体机关干部中开展讲座，以习近平法治思想指引全镇工作。\n强化组织领导，统筹推进法治建设\n开展培训。")
    doc, _ = check_text(text)
    joined = [c for c in doc.classified if c.line.start == 4]
    assert joined and joined[0].line.end == 6 and "在全体机关干部" in joined[0].line.text
    assert doc.classified[-2].line.text == "强化组织领导，统筹推进法治建设"


def test_location_of_a_finding_in_a_joined_line():
    text = HEAD + "一、主要举措和成效\n我镇党委理论学习中心组分别于4月27日、11月8日对习近平法治思想进行专题学习，并在全\n体机关干部中开展第次讲座。"
    _, r = check_text(text)
    assert [f.line for f in r.findings if f.rule == "WORD-PLACEHOLDER"] == [5]


BODY = HEAD + ("一、主要举措和成效\n召开会议4次。\n二、存在的不足和原因\n学法不深，原因是重视不够。\n"
               "三、2025年工作安排\n加强学法。\n")


@pytest.mark.parametrize("appendix", [
    "附表：主要指标\n行政复议收案 5件\n",
    "附件1\n" + "".join(f"{i}.第{i}项指标完成情况 {i}件\n" for i in range(1, 31)) + "附件2\n行政诉讼案件 3件\n",
    "附：2024年法治政府建设重点任务清单\n（一）加强组织领导\n1.召开会议\n",
])
def test_attachments_after_the_date_are_not_body(appendix):
    """However long, an appendix after the signature and date is neither body nor headings."""
    text = BODY + "某镇人民政府\n2025年1月8日\n" + appendix
    doc, r = check_text(text)
    assert [p.heading for p in doc.report.parts][-1] == "2025年工作安排"
    kinds = [c.kind for c in doc.report.closing]
    assert kinds[:3] == ["SIGN", "DATE", "ATTACH"] and set(kinds[3:]) <= {"TAIL", "ATTACH"}
    assert not [f.rule for f in r.findings if f.rule.startswith(("CLOSE-", "STRUCT-"))]


def test_closing_block():
    doc, _ = check_text(HEAD + "一、主要举措和成效\n召开会议。\n特此报告。\n\n某镇人民政府\n2025年1月8日\n附件：1.统计表\n2.清单")
    assert [c.kind for c in doc.report.closing] == ["CLOSING", "SIGN", "DATE", "ATTACH", "TAIL"]


def test_parts_above_numbered_headings():
    """「第一部分」 is the rung above 「一、」 when a report uses both; a 「五、」 that carries on
    the parts' numbers is one more part."""
    text = HEAD + ("第一部分 2024年工作开展情况\n一、坚持高位推动\n(1)强化组织领导。召开会议6次。\n"
                   "二、聚焦依法行政\n(1)规范决策行为。审查合同213份。\n第二部分 存在的不足及原因\n"
                   "学法不深，原因是重视不够。\n第三部分 2025年工作打算\n加强学法。\n四、其他需要报告的情况\n无。\n")
    doc, r = check_text(text)
    assert [p.heading for p in doc.report.parts] == ["2024年工作开展情况", "存在的不足及原因", "2025年工作打算",
                                                     "其他需要报告的情况"]
    assert [c.heading for c in doc.report.parts[0].children] == ["坚持高位推动", "聚焦依法行政"]
    assert not [f for f in r.findings if f.rule == "STRUCT-NUMBER-SEQUENCE"]
    assert [f.line for f in r.findings if f.rule == "STRUCT-MARKER-FORM"] == [12]


def test_report_without_part_headings_still_has_its_measures():
    text = ("某镇2023年法治政府建设年度报告\n2023年，我镇坚持依法行政，现将有关情况报告如下：\n"
            "一是压实法治建设责任。镇党委书记履行第一责任人职责，主持专题会议4次。\n"
            "二是规范执法。开展案卷评查2次，评查案卷60卷。\n"
            "同时，我镇还存在一些不足：一是干部法治意识不强；二是执法人员不足。\n"
            "2024年，我镇将重点做好以下工作：一是加强学法；二是规范执法。\n")
    doc, r = check_text(text)
    assert not doc.report.parts
    assert doc.outline.outline["measures"].status == "embedded"
    assert 3 in [e.line for e in doc.outline.outline["measures"].evidence]
    assert "OUT-MEASURES" not in {f.rule for f in r.findings}


def test_unnumbered_parts_after_numbered_sub_parts():
    """A report that numbers none of its parts: 「存在的不足」 after （一）…（三） is the next part,
    not a sub-part that lost 「（四）」."""
    text = ("某县2023年法治政府建设年度报告\n主要举措和成效\n（一）健全制度体系\n审查文件6件。\n"
            "（二）规范执法\n评查案卷60卷。\n（三）化解纠纷\n调处纠纷356件。\n存在的不足\n"
            "执法人员不足，全县仅有执法人员40名。\n下一步打算\n2024年，我县将充实执法力量。\n")
    doc, r = check_text(text)
    assert [p.heading for p in doc.report.parts] == ["主要举措和成效", "存在的不足", "下一步打算"]
    assert doc.outline.outline["shortcomings"].status == "standalone"
    assert doc.outline.outline["next_plan"].status == "standalone"
    assert "STRUCT-LOST-NUMBER" not in {f.rule for f in r.findings}


def test_letterhead_and_document_number_are_not_the_title():
    """A copy of the PDF: 「…人民政府文件」 on top and as a running head, and 「南府报〔2025〕5号」,
    whose year is not the report's."""
    text = ("南岗县人民政府文件\n南府报〔2025〕5号\n南岗县人民政府\n关于2024年度法治政府建设情况的报告\n"
            "一、2024年推进法治政府建设的主要举措和成效\n全县政务服务事项网上可办率达到96.3%，\n- 2 -\n南岗县人民政府文件\n"
            "全年办件12.6万件。\n二、2025年工作安排\n加强学法。\n南岗县人民政府\n2025年2月20日\n")
    doc, r = check_text(text)
    assert doc.meta.report_year == 2024 and "文件" not in (doc.meta.title or "")
    assert "YEAR-PLAN" not in {f.rule for f in r.findings}
    assert any("网上可办率达到96.3%，全年办件12.6万件。" in p.text for p in doc.report.parts[0].body)


def test_headings_in_brackets_or_markdown_bold_are_headings():
    text = ("**石门镇2024年法治政府建设年度报告**\n\n【一、主要举措和成效】\n**（一）规范决策**\n审查合同12份。\n"
            "【二、存在的不足】\n执法力量不足，仅有执法人员4名。\n【三、2025年工作打算】\n充实执法力量。\n")
    doc, r = check_text(text)
    assert doc.meta.title == "石门镇2024年法治政府建设年度报告"
    assert [p.heading for p in doc.report.parts] == ["主要举措和成效", "存在的不足", "2025年工作打算"]
    assert [f.line for f in r.findings if f.rule == "STRUCT-MARKUP"] == [1, 4], "** is a leftover, 【】 a house style"


def test_parts_led_by_yi_shi_with_no_other_headings():
    """「一是主要举措和成效。……」「二是…」: with no 「一、」 anywhere and leads that name the outline's
    elements, the 一是 paragraphs are the report's parts; items inside a part stay items."""
    text = ("柳林镇2024年法治政府建设年度报告\n2024年，我镇坚持依法行政，现将有关情况报告如下：\n"
            "一是主要举措和成效。全年召开党委会专题研究法治建设4次，审核规范性文件6件。\n"
            "一是加强学法。组织会前学法8次。二是规范执法。开展案卷评查2次。\n"
            "二是存在的不足和原因。执法人员不足，全镇仅有执法人员4名，主要原因是编制有限。\n"
            "三是2025年工作安排。充实执法力量，开展普法活动12场次。\n柳林镇人民政府\n2025年2月20日\n")
    doc, r = check_text(text)
    assert [(p.marker, p.heading, p.line) for p in doc.report.parts] == [
        ("一是", "主要举措和成效", 3), ("二是", "存在的不足和原因", 5), ("三是", "2025年工作安排", 6)]
    assert doc.report.parts[0].run_in.text.startswith("全年召开党委会")
    assert [p.line for p in doc.report.parts[0].body] == [4], "the inner 一是 run is the part's paragraph"
    out = doc.outline.outline
    assert {k: out[k].status for k in ("measures", "shortcomings", "reasons", "next_plan")} == dict.fromkeys(
        ("measures", "shortcomings", "reasons", "next_plan"), "standalone")
    rules = [f.rule for f in r.findings]
    assert rules.count("STRUCT-UNNUMBERED") == 1
    assert not {"STRUCT-NUMBER-SEQUENCE", "STRUCT-LOST-NUMBER", "STRUCT-MARKER-FORM", "OUT-MEASURES",
                "OUT-SHORTCOMINGS", "OUT-NEXT-PLAN"} & set(rules), rules
    assert ("pufa_events", 12) not in {(i.id, i.value) for i in r.indicators}, "the plan's figures are targets"


def test_yi_shi_parts_between_named_ones_are_thematic_parts():
    """「一是坚持党的领导」 names no element, but stands where the first part is: a thematic part."""
    text = ("柳林镇2024年法治政府建设年度报告\n"
            "一是坚持党的领导，统筹推进法治建设。召开专题会议4次。\n"
            "二是存在的问题。执法人员不足，全镇仅有执法人员4名。\n"
            "三是下一步打算。充实执法力量。\n")
    doc, _ = check_text(text)
    assert [p.heading for p in doc.report.parts] == ["坚持党的领导", "存在的问题", "下一步打算"]
    assert [i.thematic for i in doc.outline.parts] == [True, False, False]


@pytest.mark.parametrize("text", [
    # a run of shortcomings: every lead names the same element
    "柳林镇2024年法治政府建设年度报告\n2024年，我镇开展培训3次，审核文件6件。\n"
    "一是学法存在不足。干部学法不够深入。\n二是执法力量不足。仅有执法人员4名。\n",
    # the items sit under an (unnumbered) part heading: a list, not the parts
    "柳林镇2024年法治政府建设年度报告\n存在的问题和下一步打算\n一是存在的不足。执法人员不足。\n二是下一步打算。充实执法力量。\n",
    # items written inside one paragraph are not paragraphs of their own
    "柳林镇2024年法治政府建设年度报告\n2024年，我镇开展培训3次。一是主要举措和成效。二是存在的不足。三是下一步打算。\n",
    # leads that are whole sentences, not a part's name
    "柳林镇2024年法治政府建设年度报告\n2024年，我镇开展培训3次。\n"
    "一是对照去年查摆的各项问题认真开展整改落实工作情况。\n二是认真研究谋划明年全镇法治建设各项工作的具体安排。\n",
])
def test_ordinary_yi_shi_runs_stay_items(text):
    doc, _ = check_text(text)
    assert not any(c.repair == "item_parts" for c in doc.classified if c is not None)
