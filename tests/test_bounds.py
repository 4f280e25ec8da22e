"""Bounded reading and analysis, piece by piece: the limits of rules/limits.yaml, the findings
cap and its counts, the web page's flattening and iterative walks, the DTD scan of zip
members, NUL bytes, the mojibake judgement (tests/hostile/case_bounds.py runs them whole)."""
import codecs
import io
import zipfile

import pytest

from checker.errors import InputError
from checker.limits import check_source, limits
from checker.report import check_text
from checker.read import htmlbounds, mojibake, read_bytes
from checker.read.txt import read as read_txt
from checker.read.xmlsafe import _prolog_dtd, _text, refuse_dtd
from checker.text import line_at

from .hostile.case_bounds import REPORT


# --- limits of one report ---------------------------------------------------------------------

def test_limits_load_and_each_message_is_chinese_with_its_figures():
    lim = limits()
    most = lim.report.lines.max
    assert most >= 40000 and lim.findings.per_rule > 0   # a 40,000-line text is checked (tests/test_cli_options.py)
    with pytest.raises(InputError, match=f"共 {most + 1:,} 行，超过上限 {most:,} 行"):
        check_source("x.txt", ["a"] * (most + 1))
    with pytest.raises(InputError, match="第 2 行长达 100,001 字"):
        check_source("x.txt", ["a", "字" * 100001])
    check_source("x.txt", ["a"] * most)          # at the limit: read


def test_too_many_headings_refused_before_the_rules():
    with pytest.raises(InputError, match="个标题行，超过上限 10,000 个"):
        check_text("一、\n" * 10001)


def test_findings_capped_per_rule_and_counted_in_full():
    report = REPORT.splitlines()
    text = "\n".join(report[:5] + ["一、"] * 300 + report[5:])
    _, result = check_text(text)
    rules = [f.rule for f in result.findings]
    seq = [f for f in result.findings if f.rule == "STRUCT-NUMBER-SEQUENCE"]
    assert len(seq) == limits().findings.per_rule + 1, rules
    more = [f for f in seq if f.omitted]
    assert len(more) == 1 and "另有" in more[0].message and more[0].omitted >= 250
    assert result.summary.warnings == sum(f.omitted or 1 for f in result.findings if f.severity == "warning")


def test_findings_past_the_cap_keep_one_fingerprint_whatever_their_number():
    """A waiver on the 「另有 N 处」 finding holds when an edit changes N."""
    report = REPORT.splitlines()
    prints = []
    for n in (200, 260):
        _, result = check_text("\n".join(report[:5] + ["一、"] * n + report[5:]))
        more = [f for f in result.findings if f.omitted and f.rule == "STRUCT-NUMBER-SEQUENCE"]
        prints.append((more[0].fingerprint, more[0].omitted))
    assert prints[0][0] == prints[1][0] and prints[0][1] != prints[1][1]


def test_total_cap_keeps_errors_first(monkeypatch):
    from checker.checks import engine as run
    from checker.models import Finding
    fs = [Finding(rule=f"R{i % 3}", severity="warning" if i % 2 else "error", title="t", message="m",
                  line=i, basis="b", suggestion="s") for i in range(10)]
    more = {}
    kept = run._total_cap(fs, more, 4)
    assert [f.severity for f in kept] == ["error"] * 4
    assert sum(n for n, _ in more.values()) == 6
    assert all(first.line == min(f.line for f in fs if f.rule == rule and f not in kept)
               for rule, (n, first) in more.items())


def test_line_at_by_bisection_matches_a_scan():
    spans = [(0, 3), (5, 4), (9, 7), (20, 8)]
    for offset, line in ((-1, 3), (0, 3), (4, 3), (5, 4), (19, 7), (20, 8), (999, 8)):
        assert line_at(spans, offset) == line


# --- web pages --------------------------------------------------------------------------------

def test_deep_nesting_flattened_and_text_kept():
    cfg = limits().html
    page = "<html><body>" + "<div>" * (cfg.depth + 50) + "<p>一、工作</p>" + "</div>" * (cfg.depth + 50) + "</body></html>"
    out = htmlbounds.bound(page, "x.html")
    assert out.count("<div>") == cfg.depth and "<p>一、工作</p>" in out
    assert htmlbounds._depth(htmlbounds._TAG.findall(out)) <= cfg.depth


def test_normal_page_untouched_and_unclosed_p_li_do_not_count():
    page = "<html><body>" + "<p>段落" * 1000 + "<ul>" + "<li>条目" * 1000 + "</ul></body></html>"
    assert htmlbounds.bound(page, "x.html") is page


def test_too_many_tags_refused():
    with pytest.raises(InputError, match="网页有 200,001 个标签"):
        htmlbounds.bound("<b>" * 200_001, "x.html")


def test_lt_without_gt_is_scanned_in_linear_time():
    import time
    t0 = time.perf_counter()
    htmlbounds.bound("<a" * 1_000_000, "x.html")
    assert time.perf_counter() - t0 < 2


def test_html_read_without_recursion_limit():
    from tests.formats import to_html
    body = to_html(REPORT).decode("utf-8")
    deep = body.replace("<body>", "<body>" + "<span>" * 2000).replace("</body>", "</span>" * 2000 + "</body>")
    src = read_bytes(deep.encode("utf-8"), "x.html")
    assert any("法治政府建设" in line for line in src.lines)


# --- DTDs in zip members ----------------------------------------------------------------------

@pytest.mark.parametrize("xml, dtd", [
    (b'<?xml version="1.0"?><w:document/>', False),
    (b'<?xml version="1.0"?><!--' + b"-" * 9000 + b' --><!DOCTYPE a [<!ENTITY e "x">]><a/>', True),
    (b'<?xml version="1.0"?>\n<?pi x?>\n<!-- c -->\n<!DOCTYPE a><a/>', True),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16"), True),
    ('<!DOCTYPE a><a/>'.encode("utf-16-be"), True),
    ('<!DOCTYPE a><a/>'.encode("utf-32-le"), True),
    (codecs.BOM_UTF8 + b"<!DOCTYPE a><a/>", True),
    (b"<a><!DOCTYPE b></a>", False),            # after the root: not a DTD, not well-formed either
])
def test_prolog_scan(xml, dtd):
    assert bool(_prolog_dtd(_text(xml))) is dtd


def test_binary_members_are_not_xml():
    assert _text(b"\x89PNG\r\n\x1a\n") is None


def _zip(members: dict) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_any_member_whatever_its_name_and_odd_encodings():
    with pytest.raises(InputError, match="media/x.bin 含有 DTD"):
        refuse_dtd(_zip({"a.xml": "<a/>", "media/x.bin": "<!DOCTYPE a><a/>"}), "x.docx")
    with pytest.raises(InputError, match="不常见的编码（UTF-7）"):
        refuse_dtd(_zip({"a.xml": '<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE a+AD4-<a/>'}), "x.docx")
    refuse_dtd(_zip({"a.xml": "<a/>", "b.png": b"\x89PNG"}), "x.docx")


# --- NUL bytes --------------------------------------------------------------------------------

def test_stray_nul_dropped_and_noted_on_its_line():
    src = read_txt("第一行\n第二\x00行\n第三行".encode("utf-8"), "x.txt")
    assert src.lines == ["第一行", "第二行", "第三行"]
    assert [(r.line, r.kind, r.pattern) for r in src.removed] == [(2, "control", "nul")]


def test_trailing_padding_dropped_and_many_nuls_still_binary():
    src = read_txt("第一行\n第二行\n".encode("utf-8") + b"\x00" * 4096, "x.txt")
    assert src.lines[-1] == "" and src.removed[0].pattern == "nul-padding" and "4096" in src.removed[0].text
    with pytest.raises(InputError, match="二进制"):
        read_txt(b"\x00".join([b"abc"] * 100), "x.txt")


def test_utf16_text_keeps_its_nuls_unnoted():
    src = read_txt("第一行\n第二行\n".encode("utf-16"), "x.txt")
    assert src.removed == [] and src.lines[0] == "第一行"


# --- mojibake ---------------------------------------------------------------------------------

@pytest.mark.parametrize("garble", [
    lambda t: t.encode("utf-8").decode("gbk", "replace"),        # 「骞村害鍑ゅ嚢」
    lambda t: t.encode("gbk").decode("big5", "replace"),
    lambda t: t.encode("gbk").decode("latin-1"),                 # 「Äê¶È·ï」
    lambda t: t.encode("utf-8").decode("cp1252", "replace"),
    lambda t: t.encode("gbk").decode("utf-8", "replace"),        # 「��ȷ��」
    lambda t: t.encode("utf-16-le").decode("gbk", "replace"),
])
def test_mojibake_judged(garble):
    garbled, common, bad = mojibake.judge(garble(REPORT))
    assert garbled, (common, bad)
    assert "乱码" in mojibake.message(common, bad)


def test_real_reports_not_mojibake_simplified_or_traditional():
    from checker.script import simplified
    assert not mojibake.judge(REPORT)[0]
    from zhconv_rs import zhconv
    assert not mojibake.judge(zhconv(REPORT, "zh-tw"))[0]
    assert simplified("報告") == "报告"
    assert not mojibake.judge("2024年工作报告")[0]             # too few characters to judge
