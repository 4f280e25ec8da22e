"""Build .docx, .html and .pdf versions of a plain-text report at test time, the way reports
really come: Word with typed numbers or with automatic numbering (numbering.xml, chineseCounting
「一、」), web pages with site chrome around the article, PDFs with a text layer, wrapped lines,
running heads and page numbers."""
from __future__ import annotations

import glob
import html
import io
import shutil
import subprocess
from functools import lru_cache

import pytest

from checker.lexicon import lexicon
from checker.text import fold

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# one list: 一、 › （一） › 1、 › （1）, as Word writes Chinese outline numbering
LEVELS = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3、"), ("decimal", "（%4）")]
STYLE_LEVEL = {"cn": 0, "cn_paren": 1, "num": 2, "num_paren": 3}


def _marker(line: str):
    """(level, rest of the line) when the line opens with a clean heading marker."""
    norm = fold(line.strip())
    for mk in lexicon().headings:
        m = mk.pattern.match(norm)
        if m and mk.style in STYLE_LEVEL and "第" not in norm[: m.end()]:
            return STYLE_LEVEL[mk.style], line.strip()[m.end():]
    return None


def _add_numbering(document):
    from docx.oxml import parse_xml
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>' for i, (fmt, text) in enumerate(LEVELS))
    numbering.insert(0, parse_xml(f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def to_docx(text: str, auto_numbering: bool) -> bytes:
    import docx
    from docx.oxml import parse_xml
    document = docx.Document()
    if auto_numbering:
        _add_numbering(document)
    for line in text.split("\n"):
        found = _marker(line) if auto_numbering else None
        if found is None:
            document.add_paragraph(line.strip())
            continue
        level, rest = found
        p = document.add_paragraph(rest, style="Heading 1" if level == 0 else None)
        ppr = p._p.get_or_add_pPr()
        ppr.append(parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_html(text: str, encoding: str = "utf-8", published: str = "2025-02-20") -> bytes:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = next((ln for ln in lines if "报告" in ln), lines[0])
    body = "\n".join(f"<p>{html.escape(ln)}</p>" for ln in lines)
    page = f"""<!DOCTYPE html>
<html><head><meta charset="{encoding}"><title>{html.escape(title)}_某某区人民政府门户网站</title>
<meta name="ArticleTitle" content="{html.escape(title)}"><meta name="PubDate" content="{published} 09:30">
<script>var x = "<p>不是正文</p>";</script><style>p {{ margin: 0 }}</style></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hd">互动交流</a></li><li><a href="/bs">办事服务</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zt">专题专栏</a> &gt; 法治政府建设</div>
<div class="main"><h1>{html.escape(title)}</h1>
<div class="info">发布时间：{published} 来源：司法所 浏览次数：128 【字体：大 中 小】【打印】</div>
<div class="TRS_Editor">{body}</div>
<div class="share">分享到：微信 微博</div></div>
<div class="side"><h3>相关文章</h3><ul><li><a href="/a1">关于开展法治宣传教育的通知</a></li>
<li><a href="/a2">2024年政府信息公开工作年度报告</a></li></ul></div>
<div class="footer">版权所有：某某区人民政府 主办单位：某某区人民政府办公室 网站标识码：1234567890 ICP备12345678号</div>
</body></html>"""
    return page.encode(encoding, errors="xmlcharrefreplace")


@lru_cache(maxsize=1)
def _cjk_font_installed() -> bool:
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        return bool(out.strip())
    return bool(glob.glob("/usr/share/fonts/**/*[Ww][Qq][Yy]*", recursive=True)
                + glob.glob("/usr/share/fonts/**/*[Cc][Jj][Kk]*", recursive=True))


def need_cjk_font() -> None:
    """The PDFs built here use reportlab's STSong-Light, which it cannot embed (it ships no CJK
    font file): pdfium lays their text out with a Chinese font of the machine, and without one
    it returns flat boxes and drops characters. .ci/run installs fonts-wqy-microhei."""
    if not _cjk_font_installed():
        pytest.skip("没有中文字体（apt-get install fonts-wqy-microhei）：无法读取测试生成的未嵌入字体的 PDF")


def to_pdf(text: str, read_back: bool = True) -> bytes:
    """`read_back`: the test reads the PDF's text (a truncated copy, refused unread, does not)."""
    if read_back:
        need_cjk_font()
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font, size, lead = "STSong-Light", 12, 20
    width, height = A4
    left, right, top, bottom = 72, width - 72, height - 80, 80
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    page = [1]
    y = [top]

    def furniture():
        c.setFont(font, 9)
        c.drawCentredString(width / 2, height - 40, "某某区人民政府文件")
        c.drawCentredString(width / 2, 40, f"— {page[0]} —")
        c.setFont(font, size)

    def newline():
        y[0] -= lead
        if y[0] < bottom:
            c.showPage()
            page[0] += 1
            furniture()
            y[0] = top

    furniture()
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        heading = _marker(line) is not None or len(line) < 30
        x0 = left if heading else left + 2 * size          # body paragraphs indent two characters
        rest = line
        while rest:
            room = right - x0
            n = 1
            while n < len(rest) and pdfmetrics.stringWidth(rest[: n + 1], font, size) <= room:
                n += 1
            c.drawString(x0, y[0], rest[:n])
            rest = rest[n:]
            x0 = left
            newline()
    c.showPage()
    c.save()
    return buf.getvalue()
