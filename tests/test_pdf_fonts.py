"""PDFs whose digits and Latin letters are set in another font than the Chinese around them (Times
beside 宋体, as Word and browsers do): each line reads in order, whatever the fonts' ascents, sizes
or drawing order, and the report gets the same verdict as in plain text."""
import html
import io
import json
import re
import shutil
import subprocess

import pytest

from checker.report import check_source
from checker.read import read_bytes

from .conftest import SAMPLES, run_cli
from .formats import _marker, need_cjk_font

CJK, LATIN = "STSong-Light", "Times-Roman"
_RUN = re.compile(r"[\x20-\x7e]+|[^\x20-\x7e]+")
CHROMIUM = "/usr/bin/chromium"


def mixed_pdf(text: str, latin_size: float = 16, latin_last: bool = False, head: bool = True) -> bytes:
    """A4 pages like tests.formats.to_pdf, justified, Chinese in 16pt STSong and every run of ASCII
    in Times at `latin_size`, drawn piece by piece on the line's baseline (Latin pieces after the
    Chinese ones when `latin_last`), with 「— n —」 page numbers and a running head (`head`)."""
    need_cjk_font()
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))
    size, lead = 16, 28
    width, height = A4
    left, right, top, bottom = 72, width - 72, height - 90, 90
    c = canvas.Canvas(buf := io.BytesIO(), pagesize=A4)
    state = {"page": 1, "y": top}

    def font_of(run):
        return (LATIN, latin_size) if run[0].isascii() else (CJK, size)

    def width_of(s):
        return sum(pdfmetrics.stringWidth(r, *font_of(r)) for r in _RUN.findall(s))

    def draw(x, y, s, fill=0.0):
        """`s` from `x`, justified to `fill` points wide when given (extra space between letters)."""
        space = max(0.0, (fill - width_of(s)) / max(1, len(s) - 1)) if fill else 0.0
        pieces = []
        for r in _RUN.findall(s):
            pieces.append((x, r))
            x += pdfmetrics.stringWidth(r, *font_of(r)) + space * len(r)
        if latin_last:
            pieces.sort(key=lambda p: p[1][0].isascii())
        for x, r in pieces:
            c.setFont(*font_of(r))
            c.drawString(x, y, r, charSpace=space)

    def furniture():
        if head:
            c.setFont(CJK, 10.5)
            c.drawCentredString(width / 2, height - 45, "丰源市白鹭区人民政府文件")
        no = f"— {state['page']} —"
        draw(width / 2 - width_of(no) / 2, 45, no)

    furniture()
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        heading = _marker(line) is not None or len(line) < 30
        x0 = left if heading else left + 2 * size
        rest = line
        while rest:
            n = 1
            while n < len(rest) and width_of(rest[: n + 1]) <= right - x0:
                n += 1
            draw(x0, state["y"], rest[:n], fill=right - x0 if n < len(rest) else 0.0)
            rest, x0 = rest[n:], left
            state["y"] -= lead
            if state["y"] < bottom:
                c.showPage()
                state["page"] += 1
                state["y"] = top
                furniture()
    c.showPage()
    c.save()
    return buf.getvalue()


SHORT = """白鹭区司法局2024年法治政府建设年度报告
一、2024年推进法治政府建设的主要举措和成效
全年审核规范性文件18件、重大行政决策7件，提出审查意见45条，审查意见采纳率为95.6%；备案审查规范性文件31件，清理规范性文件214件，废止3件、修改6件。
区政府行政复议机构全年收到行政复议申请279件，同比增长41.6%，审结231件，纠错率10.4%，行政机关负责人出庭应诉率100%。
（三）引入ISO 9001质量管理标准
二、存在的不足和原因
行政复议办案压力较大，区复议机构在编工作人员仅7名，人均审结案件33件，部分案件审理期限接近法定期限。
白鹭区司法局
2025年2月10日"""

LAYOUTS = [pytest.param({}, id="same-size"), pytest.param({"latin_size": 12}, id="smaller-latin"),
           pytest.param({"latin_size": 18, "latin_last": True}, id="larger-latin-drawn-last")]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_lines_read_in_order(layout):
    source = read_bytes(mixed_pdf(SHORT, head=False, **layout), "x.pdf")   # one page: no running head
    assert source.lines == SHORT.split("\n")
    assert {loc.page for loc in source.locations} == {1}


def quoted_pdf(lines: list[str], size: float = 16) -> bytes:
    """Lines (paragraphs indented, headings not) whose 「“」「”」 are all drawn in one Times text
    object after the Chinese, placed by TJ offsets, as LibreOffice writes them: pdfium's content
    order puts a line's quotes together."""
    need_cjk_font()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))
    c = canvas.Canvas(buf := io.BytesIO())
    for n, line in enumerate(lines):
        x, y, quotes = (72 if _marker(line) else 72 + 2 * size), 700 - 28 * n, []
        for ch in line:
            if ch in "“”":
                quotes.append((x, ch))
                x += pdfmetrics.stringWidth(ch, LATIN, size)
            else:
                c.setFont(CJK, size)
                c.drawString(x, y, ch)
                x += pdfmetrics.stringWidth(ch, CJK, size)
        if not quotes:
            continue
        text = c.beginText(quotes[0][0], y)
        text.setFont(LATIN, size)
        parts, end = [], quotes[0][0]
        for qx, q in quotes:
            if parts:
                parts.append(f"{-(qx - end) / size * 1000:.1f}")
            parts.append("(\\223)" if q == "“" else "(\\224)")      # WinAnsi “ ”
            end = qx + pdfmetrics.stringWidth(q, LATIN, size)
        text._code.append(f"[{' '.join(parts)}] TJ")
        c.drawText(text)
    c.save()
    return buf.getvalue()


def test_quotes_drawn_apart_from_their_line():
    lines = ["（五）严格规范公正文明执法",
             "一是坚持“办、审、定”三分离制度，按照“谁办理谁负责”的原则。",
             "稳步推动“湘易办”升级过渡。"]
    assert read_bytes(quoted_pdf(lines), "x.pdf").lines == lines


def verdict(source):
    _, r = check_source(source)
    return ({k: v.status for k, v in r.outline.items()}, [p.heading for p in r.parts],
            sorted({f.rule for f in r.findings if f.severity == "error"}))


def _plain(name):
    return read_bytes((SAMPLES / name).read_bytes(), name)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["白鹭区司法局_2024_草稿.txt", "柳溪镇_2024_规范.txt"])
def test_same_verdict_as_plain_text(name, layout):
    plain = _plain(name)
    want = [ln.strip() for ln in plain.lines if ln.strip()]
    source = read_bytes(mixed_pdf("\n".join(want), **layout), "x.pdf")
    assert source.lines == want, "running heads and page numbers dropped, paragraphs rebuilt"
    assert len({loc.page for loc in source.locations}) > 1
    assert verdict(source) == verdict(plain)


def _has_cjk_font():
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(out.strip())


def _check_json(path):
    r = run_cli("check", "-f", "json", "--no-color", path)
    assert r.stdout.strip(), r.stderr
    d = json.loads(r.stdout)
    return ({k: v["status"] for k, v in d["outline"].items()}, [p["heading"] for p in d["parts"]],
            sorted({f["rule"] for f in d["findings"] if f["severity"] == "error"}), d["meta"]["title"])


@pytest.mark.skipif(not shutil.which(CHROMIUM) or not _has_cjk_font(),
                    reason="needs /usr/bin/chromium and a Chinese font")
def test_chromium_printed_page(tmp_path):
    """A web page printed to PDF by Chromium: digits in a Latin font, the browser's own running
    head (date, page title) and foot (address, n/m) on every page."""
    name = "白鹭区司法局_2024_草稿.txt"
    want = [ln.strip() for ln in _plain(name).lines if ln.strip()]
    body = "\n".join(f"<p>{html.escape(ln)}</p>" for ln in want)
    page = tmp_path / "report.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>报告</title><style>'
                    "body { font-size: 16pt } p { margin: 0 0 .3em; text-indent: 2em }</style></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    try:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
                        f"--print-to-pdf={pdf}", page.as_uri()], capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish printing")
    if not pdf.exists() or pdf.stat().st_size == 0:
        pytest.skip("chromium could not print here")

    source = read_bytes(pdf.read_bytes(), "report.pdf")
    for line in ("丰源市白鹭区司法局2024年法治政府建设工作总结", "一、2024年推进法治政府建设的主要举措和成效",
                 "四、2024年工作计划", "2025年2月30日"):
        assert line in source.lines
    text = "".join(source.lines)
    for piece in ("审查意见采纳率95.6%", "（2021—2025年）", "纠错率10.4%", "全年共召开局党组会议XX次"):
        assert piece in text
    furniture = re.compile(r"\d{1,2}/\d{1,2}/\d{2}|report\.html|^报告$")
    assert not any(furniture.search(ln) for ln in source.lines), "the browser's head and foot dropped"
    assert len({loc.page for loc in source.locations}) > 1
    assert _check_json(pdf) == _check_json(SAMPLES / name)
