"""Metadata: level from the issuer, issuer and year from the title, dates."""
import pytest

from checker.analyse.meta import issuer_from_title, level_of, parse_date
from checker.report import check_text


@pytest.mark.parametrize("issuer,level", [
    ("东凤镇", "township"), ("凤凰镇", "township"), ("柳林乡", "township"), ("某某苏木", "township"),
    ("广州市荔湾区人民政府东漖街道办事处", "street"), ("青石街道办事处", "street"),
    ("中共云阳县故陵镇委员会 云阳县故陵镇人民政府", "township"),
    ("衡阳市雁峰区", "district"), ("衡阳市雁峰区人民政府", "district"), ("成都高新区管委会", "district"),
    ("云阳县人民政府", "county"), ("峨边彝族自治县人民政府", "county"), ("达拉特旗人民政府", "county"),
    ("衡阳市人民政府", "city"), ("恩施土家族苗族自治州人民政府", "city"), ("阿拉善盟行政公署", "city"),
    ("湖南省人民政府", "province"), ("广西壮族自治区人民政府", "province"),
    ("丰源市白鹭区司法局", "department"), ("衡阳市人民政府办公室", "department"),
    ("湖南省司法厅", "department"), ("某县发展和改革委员会", "department"),
    ("某市市场监督管理局", "department"), ("中共某县委员会", "county"), ("某区卫生健康委", "department"),
    ("", None), (None, None),
])
def test_level_of(issuer, level):
    assert level_of(issuer) == level


@pytest.mark.parametrize("title,issuer", [
    ("东凤镇2024年法治政府建设年度报告", "东凤镇"),
    ("广州市荔湾区人民政府东漖街道办事处关于2024年度法治政府建设情况的报告", "广州市荔湾区人民政府东漖街道办事处"),
    ("2021 年度凤凰镇法治政府工作报告", "凤凰镇"),
    ("关于2024年度法治政府建设情况的报告", None),
    ("2024年度法治政府建设情况报告", None),
    ("中共某镇委员会 某镇人民政府 关于2023年法治政府建设情况的报告", "中共某镇委员会 某镇人民政府"),
])
def test_issuer_from_title(title, issuer):
    assert issuer_from_title(title) == issuer


@pytest.mark.parametrize("text,iso,ok", [
    ("2024年1月8日", "2024-01-08", True), ("2025-01-15", "2025-01-15", True),
    ("二〇二五年一月八日", "2025-01-08", True), ("（2025年2月10日）", "2025-02-10", True),
    ("2025年2月30日", None, False), ("2025127", None, False), ("2025年13月1日", None, False),
])
def test_parse_date(text, iso, ok):
    assert parse_date(text) == (iso, ok)


def _meta(text):
    return check_text(text)[1].meta


def test_multi_line_and_repeated_titles():
    m = _meta("中共某镇委员会\n某镇人民政府\n关于2023年法治政府建设情况的报告\n\n县委、县政府：\n"
              "2023年，我镇坚持依法行政，取得了新成效。\n一、主要举措和成效\n召开会议4次。")
    assert m.title == "中共某镇委员会 某镇人民政府 关于2023年法治政府建设情况的报告"
    assert m.report_year == 2023 and m.level == "township"
    m = _meta("某区2024年度法治政府建设情况报告\n\n某区2024法治政府建设情况报告\n\n2024年，全区坚持依法行政，取得新成效。")
    assert m.title == "某区2024年度法治政府建设情况报告" and m.level == "district"
    m = _meta("某镇2024年法治政府\n建设年度报告\n2024年，我镇坚持依法行政，取得新成效。")
    assert m.title == "某镇2024年法治政府建设年度报告"


def test_year_from_body_when_title_has_none():
    m = _meta("某镇法治政府建设年度报告\n2024年，我镇坚持依法行政，取得新成效。\n一、主要举措和成效\n召开会议4次。")
    assert m.report_year == 2024
    m = _meta("一、主要举措和成效\n召开会议4次。\n某镇人民政府\n2025年1月8日")
    assert m.report_year == 2024 and m.signed == "2025-01-08" and m.level == "township"


def test_signature_dates_and_publication():
    m = _meta("当前位置：首页 > 政务公开\n某街道关于2024年度法治政府建设情况的报告\n发布时间：2025-03-02 来源：某街道\n"
              "2024年，我街道坚持依法行政，取得新成效。")
    assert m.published == "2025-03-02" and m.date == "2025-03-02" and m.signed is None
