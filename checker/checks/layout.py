"""Kinds `layout.*`: a .docx laid out against GB/T 9704—2012 (党政机关公文格式) — the page and
its margins, the fonts of the title, headings and body, the line spacing, the page number. They
read what the reader took from the document's styles, direct formatting and theme
(Source.layout, checker/read/docxlayout.py) and say nothing on a text without one (.txt, .pdf).

A paragraph's role is the classifier's: the title line, level-one headings (一、), level-two
(（一）), the rest of the text. Paragraphs alike in what is wrong are one finding, at the first
of them, with their count: a body in Calibri is one problem, not two hundred."""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..compiled import compile_kept
from .base import Hit, Regex, Strict, window
from .registry import check

if TYPE_CHECKING:
    from ..document import Document
    from ..models import Format

ROLE_KINDS = {"title": ("TITLE",), "h1": ("H1",), "h2": ("H2",), "body": ("PARA", "ITEM", "H3", "H4")}
ROLE_NAMES = {"title": "标题", "h1": "一级标题", "h2": "二级标题", "body": "正文"}
Role = Literal[tuple(ROLE_KINDS)]


def _paragraphs(doc: Document, roles):
    """(line, its Format) for each paragraph of these roles that the layout knows, once each."""
    layout = doc.source.layout
    seen = set()
    for c in doc.classified:
        if c.kind not in roles or c.line.hint == "table":
            continue
        where = doc.source.location(c.line.start)
        n = where.paragraph if where else None
        if n is None or n in seen or n not in layout.formats:
            continue
        seen.add(n)
        yield c, layout.formats[n]


def _grouped(doc: Document, role: str, wrong):
    """One hit per distinct departure `wrong(format)` returns (a text, or None when right), at
    the first paragraph so formatted, with how many paragraphs share it."""
    groups: dict[str, list] = {}
    for c, fmt in _paragraphs(doc, ROLE_KINDS[role]):
        said = wrong(fmt)
        if said:
            groups.setdefault(said, []).append(c)
    for said, cs in groups.items():
        first = cs[0]
        text = first.line.text
        yield Hit(first.line.start, window(text, 0, min(len(text), 16), pad=0), {
            "found": said, "count": len(cs), "role": ROLE_NAMES[role],
            "many": f"等 {len(cs)} 段" if len(cs) > 1 else ""})


class PageParams(Strict):
    width: float = Field(210, ge=0, description="纸张宽度（毫米），A4 为 210")
    height: float = Field(297, ge=0, description="纸张高度（毫米），A4 为 297")
    top: float = Field(37, ge=0, description="上边距（毫米）")
    left: float = Field(28, ge=0, description="左边距（毫米）")
    text_width: float = Field(156, ge=0, description="版心宽度（毫米）：纸宽减左右边距")
    text_height: float = Field(225, ge=0, description="版心高度（毫米）：纸高减上下边距")
    tolerance: float = Field(1, ge=0, description="允许的误差（毫米）")


@check("layout.page", PageParams, "Word 文档的纸张、页边距和版心与规定尺寸不符（GB/T 9704：A4，上 37 mm，左 28 mm，版心 156×225 mm）")
def page(doc: Document, p: PageParams):
    layout = doc.source.layout
    if layout is None or layout.page is None:
        return
    pg = layout.page
    have = {"纸张宽度": pg.width, "纸张高度": pg.height, "上边距": pg.top, "左边距": pg.left,
            "版心宽度": pg.width - pg.left - pg.right, "版心高度": pg.height - pg.top - pg.bottom}
    want = {"纸张宽度": p.width, "纸张高度": p.height, "上边距": p.top, "左边距": p.left,
            "版心宽度": p.text_width, "版心高度": p.text_height}
    off = [f"{k} {have[k]:.1f} mm（应为 {want[k]:g} mm）" for k in want if abs(have[k] - want[k]) > p.tolerance]
    if off:
        first = next((c for c in doc.classified if c.line.text.strip()), None)
        yield Hit(first.line.start if first else 1, first.line.text[:20] if first else "",
                  {"found": "、".join(off), "paper": f"{pg.width:.0f}×{pg.height:.0f} mm"})


class FontParams(Strict):
    role: Role = Field(description="哪一类段落：title（标题）、h1（一级标题）、h2（二级标题）、body（正文）")
    fonts: Regex = Field(description="可用字体的名称（正则，如 仿宋|FangSong）")
    font_name: str = Field(description="消息中写的规定字体，如 3号仿宋_GB2312")
    size: float | None = Field(None, ge=0, description="规定字号（磅）：2号 22、3号 16、4号 14；不填则不查字号")
    tolerance: float = Field(0.5, ge=0, description="字号允许的误差（磅）")


def _font_said(fmt: Format) -> str:
    return f"「{fmt.font or '未设置字体'}」{fmt.size:g} 磅" if fmt.size else f"「{fmt.font or '未设置字体'}」"


@check("layout.font", FontParams, "Word 文档中某类段落（标题、一级标题、二级标题、正文）的字体或字号与规定不符")
def font(doc: Document, p: FontParams):
    if doc.source.layout is None:
        return
    fonts = compile_kept(p.fonts)

    def wrong(fmt: Format) -> str | None:
        bad_font = not (fmt.font and fonts.search(fmt.font))
        bad_size = p.size is not None and (fmt.size is None or abs(fmt.size - p.size) > p.tolerance)
        return _font_said(fmt) if bad_font or bad_size else None
    for hit in _grouped(doc, p.role, wrong):
        hit.values["want"] = p.font_name
        yield hit


class SpacingParams(Strict):
    roles: list[Role] = Field(["body"], description="查哪几类段落的行距")
    low: float = Field(28, ge=0, description="行距下限（磅）")
    high: float = Field(29.5, ge=0, description="行距上限（磅）")


_RULE_NAME = {"exact": "固定值", "atLeast": "最小值", "auto": "约"}


@check("layout.spacing", SpacingParams, "Word 文档正文的行距不在规定范围内（GB/T 9704：每页 22 行，约 28–29.5 磅）")
def spacing(doc: Document, p: SpacingParams):
    if doc.source.layout is None:
        return

    def wrong(fmt: Format) -> str | None:
        if fmt.spacing is None or p.low <= fmt.spacing <= p.high:
            return None
        return f"{_RULE_NAME.get(fmt.spacing_rule or '', '')} {fmt.spacing:g} 磅"
    for role in p.roles:
        for hit in _grouped(doc, role, wrong):
            hit.values.update(low=f"{p.low:g}", high=f"{p.high:g}")
            yield hit


class PageNumberParams(Strict):
    size: float = Field(14, ge=0, description="页码字号（磅），4号为 14")
    tolerance: float = Field(0.5, ge=0, description="字号允许的误差（磅）")


@check("layout.page_number", PageNumberParams, "Word 文档没有页码、页码不在页脚或字号不符（GB/T 9704：4号半角数字，置于版心下边缘之下）")
def page_number(doc: Document, p: PageNumberParams):
    layout = doc.source.layout
    if layout is None:
        return
    first = next((c for c in doc.classified if c.line.text.strip()), None)
    at = (first.line.start, first.line.text[:20]) if first else (1, "")
    num = layout.page_number
    if num is None:
        found = "没有页码"
    elif not layout.footer:
        found = "页码在页眉而不在页脚"
    elif num.size is None or abs(num.size - p.size) > p.tolerance:
        found = f"页码为 {num.size:g} 磅"
    else:
        return
    yield Hit(at[0], at[1], {"found": found, "size": f"{p.size:g}"})
