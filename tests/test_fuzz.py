"""Property-based tests: whatever text or bytes come in, the pipeline never raises, never
reports a line outside the input, always fills the six outline elements, and the classifier
only ever hands the parser token sequences the grammar accepts (nothing recovered)."""
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.analyse.meta import parse_date
from checker.models import ELEMENTS, Source
from checker.report import check_text
from checker.read import read_bytes
from checker.read.txt import split_lines
from checker.text import fold

from .conftest import SAMPLES

STATUSES = {"standalone", "embedded", "absent", "unknown"}

# Each test stays well under 10 s (the whole file runs in about half a minute).
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
MANY = settings(max_examples=800, deadline=None, suppress_health_check=_QUIET)
FAST = settings(max_examples=400, deadline=None, suppress_health_check=_QUIET)
SLOW = settings(max_examples=200, deadline=None, suppress_health_check=_QUIET)


def assert_sane(text: str):
    """A result that stays inside the input, or (for text with nothing left after cleaning) an
    InputError — which the command line turns into exit 2 and one line."""
    try:
        doc, result = check_text(text, "fuzz.txt")
    except InputError as e:
        assert e.message and "\n" not in e.message
        assert not "".join(c for c in text if not c.isspace()) or "没有正文" in e.message, e.message
        return None, None
    n = len(split_lines(text))
    for f in result.findings:
        assert f.line is None or 1 <= f.line <= n, (f.rule, f.line, n)
    assert set(result.outline) == set(ELEMENTS)
    for el, item in result.outline.items():
        assert item.status in STATUSES, (el, item.status)
        for ev in item.evidence:
            assert 1 <= ev.line <= n, (el, ev.line, n)
    for p in result.parts:
        assert 1 <= p.line <= n, (p.heading, p.line, n)
    assert doc.report.recovered == [], doc.report.recovered
    assert result.summary.errors == sum(f.severity == "error" for f in result.findings)
    return doc, result


# --- report-like text ----------------------------------------------------------------------

_CN = "一二三四五六七八九十"

MARKER_LINES = [
    "一、", "二、", "三、", "十、", "十一、", "（二）", "(三)", "（ 一 ）", "（一", "一）", "二)",
    ")强化", "）强化普法辐射", "()推进", "（）推进依法决策", "是抓", "是抓宣传教育，", "一是抓学习",
    "二是", "1、", "2.", "3．", "（3）", "(4)", "1)", "12、", "第一部分", "第二部分：",
    "特此报告。", "特此报告", "以上报告", "专此报告！", "2025年1月8日", "2025127", "二〇二五年一月八日",
    "（2025年2月30日）", "2024-03-05", "2024/3/5", "附件：", "附件1：", "附件", "联系人：张三",
    "联系电话：12345678", "抄送：县委办", "首页 > 专题 > 九、…", "当前位置：首页 > 政务公开",
    "发布时间：2024-03-05", "【打印】【关闭】", "扫一扫在手机打开当前页", "相关文章：", "XX", "XXX",
    "县委、县政府：", "关于2024年度法治政府建设情况的报告", "2024年法治政府建设工作总结",
    "青禾县柳溪镇人民政府", "中共青禾县柳溪镇委员会", "[bookmark: _GoBack]", "<p>", "&nbsp;",
    "{{单位}}", "—", "---", "　", "\t", "\ufeff", "\u200b", "\x0c", "\u2028",
]

SENTENCES = [
    "存在的问题和不足", "存在的不足和原因", "主要举措和成效", "下一年度工作安排",
    "党政主要负责人履行推进法治建设第一责任人职责情况", "其他需要报告的情况",
    "2024年推进法治政府建设的主要举措和成效", "2025年推进法治政府建设的主要安排",
    "化解矛盾纠纷，提升依法治理能力水平。", "规范行政执法行为",
    "一是抓学习，二是抓宣传，三是抓落实。", "究其原因，主要是执法力量不足。",
    "共召开局党组会议XX次，研究法治建设议题。", "以上报告，妥否，请批示。",
    "群众 and 企业满意度持续提升。", "进行法制审核和全过程记", "录,执法决定公示率100%。",
    "今年以来，我镇认真贯彻落实党中央、国务院关于法治政府建设的决策部署，取得积极成效。",
    "下一步，我们将继续深入学习贯彻习近平法治思想，推动法治政府建设再上新台阶。",
    "2023年", "2024年度", "2025年", "第次局务会议",
]

_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_brackets = st.sampled_from(list("()（）【】[]〔〕「」<>《》"))
_punct = st.sampled_from(list("，。、；：！？,.;:!? ＞>·…—-"))

fragment = st.one_of(
    st.sampled_from(MARKER_LINES),
    st.sampled_from(SENTENCES),
    st.sampled_from(_CN).map(lambda c: c + "、"),
    st.integers(0, 120).map(str),
    st.text(_cjk, min_size=1, max_size=30),
    st.text(st.one_of(_cjk, _brackets, _punct, st.sampled_from(_CN + "0123456789是年月日")), max_size=40),
)

line = st.one_of(
    st.lists(fragment, min_size=0, max_size=4).map("".join),
    st.just(""),
    st.just("   "),
    fragment.map(lambda s: s * 40),            # a long line
)

newline = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"])


@st.composite
def report_like(draw):
    lines = draw(st.lists(line, min_size=0, max_size=60))
    out = []
    for ln in lines:
        out.append(ln)
        out.append(draw(newline))
    return "".join(out)


@MANY
@given(st.one_of(st.text(), st.lists(st.text(), max_size=30).map("\n".join),
                 st.lists(st.text(), max_size=30).map("\r\n".join)))
@example("")
@example("\n\n\n")
@example("\r\n\r\n")
@example("\r\r\r")
@example("　\t \n")
@example("\ufeff")
@example("一、")
@example(")强化")
@example("是抓")
@example("特此报告。")
@example("2025年1月8日")
@example("2025127")
@example("附件：")
def test_arbitrary_unicode(text):
    assert_sane(text)


@FAST
@given(report_like())
def test_report_like_text(text):
    assert_sane(text)


@SLOW
@given(st.lists(st.sampled_from(MARKER_LINES + SENTENCES + [""]), min_size=1, max_size=80),
       newline)
def test_report_like_lines_only(lines, nl):
    """Whole lines drawn only from the report vocabulary: the densest mix of markers."""
    assert_sane(nl.join(lines))


@SLOW
@given(st.sampled_from(["\n", "\r\n", "\r"]), st.integers(1, 200))
def test_blank_lines_only(nl, n):
    doc, result = assert_sane(nl * n)
    assert result is None, "blank text is not a report"


@SLOW
@given(st.text(st.one_of(_cjk, _punct, _brackets), min_size=1, max_size=30), st.integers(100, 3000))
def test_very_long_line(chunk, times):
    assert_sane("关于2024年度法治政府建设情况的报告\n一、" + chunk * times + "\n特此报告。\n2025年1月8日\n")


# --- bytes ---------------------------------------------------------------------------------

def assert_bytes_ok(data: bytes):
    try:
        src = read_bytes(data, "fuzz.txt")
    except InputError as e:
        assert e.path == "fuzz.txt"
        assert e.message and "\n" not in e.message
        return
    assert isinstance(src, Source)
    assert src.lines
    text = "\n".join(src.lines)
    assert_sane(text)


@MANY
@given(st.binary(max_size=2000))
@example(b"")
@example(b"\x00")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe")
@example(b"\xfe\xff")
@example(b"\xff\xfe\x00\x00")
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf\xff")
@example(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
@example(b"\x80\x81\x82\x83")
def test_arbitrary_bytes(data):
    assert_bytes_ok(data)


_encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be",
                              "utf-32", "big5", "latin-1"])


@SLOW
@given(report_like(), _encodings)
def test_encoded_report_like(text, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode(enc, errors="replace")
    assert_bytes_ok(data)


@SLOW
@given(report_like(), st.binary(min_size=1, max_size=50), st.integers(0, 10_000))
def test_text_with_corruption(text, junk, pos):
    data = text.encode("utf-8")
    pos = pos % (len(data) + 1)
    assert_bytes_ok(data[:pos] + junk + data[pos:])


# --- mutations of the sample reports -------------------------------------------------------

_SAMPLE_LINES = [
    p.read_bytes().decode("gb18030" if p.name == "青石街道_2023_网页版.txt" else "utf-8").split("\n")
    for p in sorted(SAMPLES.glob("*.txt"))
]
_EXOTIC = ["２０２５年１月８日", "٢٠٢٥年1月8日", "𝟐𝟎𝟐𝟓年𝟏月𝟖日", "（１）", "１．", "(十二)", "(0)", "0、",
           "99.", "第十部分", "一二三、", "十十、", "二〇二五年十三月四十日", "2025年0月0日",
           "1999年12月31日", "2099-12-31", "20251231", "2024年—2025年", "２０２４年度",
           "二〇二四年度法治政府建设情况的报告", "二O二五年工作安排", "二零二四年", "二〇〇〇年"]


@st.composite
def mutated_sample(draw):
    lines = list(draw(st.sampled_from(_SAMPLE_LINES)))
    for _ in range(draw(st.integers(1, 12))):
        op = draw(st.sampled_from(["delete", "dup", "swap", "insert", "strip", "splice", "cut"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(MARKER_LINES + SENTENCES + _EXOTIC + [""])))
        elif op == "strip":          # a marker lost in copying
            k = draw(st.integers(0, 4))
            lines[i] = lines[i][k:]
        elif op == "splice":         # a piece pasted at the start of a line
            lines[i] = draw(st.sampled_from(MARKER_LINES + _EXOTIC)) + lines[i]
        elif op == "cut":            # a line broken in the middle
            k = draw(st.integers(0, len(lines[i])))
            lines[i:i + 1] = [lines[i][:k], lines[i][k:]]
    return draw(newline).join(lines)


@SLOW
@given(mutated_sample())
def test_mutated_samples(text):
    assert_sane(text)


@SLOW
@given(st.one_of(report_like(), mutated_sample()),
       st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unambiguous_encodings_read_back_the_same_lines(text, enc):
    """UTF-8 and BOM-marked Unicode are never ambiguous: whatever is read is the text written,
    split as check_text splits it. (GB18030 and BOM-less UTF-16 can be: 「一一一」 in GB18030
    is valid UTF-8; see tests/test_read.py for the BOM-less UTF-16 bug.) Text that looks like a
    web page is read as one, whatever the file is called: that is another test's business."""
    from checker.read.detect import sniff
    data = text.encode(enc)
    if sniff(data, "fuzz.txt") != "txt":
        return
    try:
        src = read_bytes(data, "fuzz.txt")
    except InputError:
        return
    assert src.lines == split_lines(text.lstrip("\ufeff"))


# --- the closing date a finding quotes is the one it judges ------------------------------------

_CLOSING_DATES = ["2025年1月8日", "2025年2月30日", "2030年1月8日", "2023年12月31日", "2025年13月1日",
                  "二〇二五年一月八日", "2031-01-08", "（2025年1月8日）"]


@SLOW
@given(st.lists(st.sampled_from(_CLOSING_DATES), min_size=1, max_size=3))
@example(["2025年2月30日", "2030年1月8日"])
def test_signed_year_finding_quotes_the_signed_date(dates):
    text = "\n".join(["关于2024年度法治政府建设情况的报告",
                      "一、2024年推进法治政府建设的主要举措和成效",
                      "今年以来，我镇认真贯彻落实党中央决策部署，取得积极成效。",
                      "青禾县柳溪镇人民政府", *dates])
    doc, result = assert_sane(text)
    lines = split_lines(text)
    for f in result.findings:
        if f.rule in ("DATE-SIGNED-LATE", "DATE-SIGNED-EARLY"):
            assert doc.meta.signed
            line = lines[f.line - 1]
            assert f.excerpt.strip() == line.strip()
            assert parse_date(fold(line.strip()))[0] == doc.meta.signed, (f.line, line, doc.meta.signed)
