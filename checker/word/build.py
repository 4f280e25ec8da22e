"""A .docx of a report text laid out as asked: to GB/T 9704 by default (A4, margins 37/35/28/26
mm, 2号小标宋 title, 黑体 and 楷体 headings, 3号仿宋 body at a fixed 29 pt, a 4号 page number in the
footer), each part of it changed by a spec — the layout rules' examples (checks/base.DocxSpec)
and the tests' fixtures. Each line's role is the classifier's, as the layout rules read it."""
from __future__ import annotations

from ..checks.base import DocxSpec, RoleFormat
from ..models import Source
from ..read.txt import split_lines
from .paragraphs import empty_docx, save, xml_text

GBT9704 = {
    "page": {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26},
    "title": RoleFormat(font="方正小标宋简体", size=22, spacing=29),
    "h1": RoleFormat(font="黑体", size=16, spacing=29),
    "h2": RoleFormat(font="楷体_GB2312", size=16, spacing=29),
    "body": RoleFormat(font="仿宋_GB2312", size=16, spacing=29),
    "page_number": 14,
}
_ROLE = {"TITLE": "title", "H1": "h1", "H2": "h2"}


def roles(text: str) -> list[str]:
    """Each line's role (title, h1, h2, body), as the classifier sees the text."""
    from ..analyse import clean, lines
    source = Source(path="<layout>", lines=split_lines(text))
    out = ["body"] * len(source.lines)
    for c in lines.classify(clean.clean(source).lines):
        for _, n in c.line.spans:
            out[n - 1] = _ROLE.get(c.kind, "body")
    return out


def formatted_docx(text: str, spec: DocxSpec | None = None) -> bytes:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    spec = spec or DocxSpec()
    document = empty_docx()
    if spec.defaults == "word":           # python-docx's own template, untouched
        for line in split_lines(text):
            document.add_paragraph(xml_text(line))
        return save(document)
    page = {**GBT9704["page"], **spec.page}
    section = document.sections[0]
    section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
    section.top_margin, section.bottom_margin = Mm(page["top"]), Mm(page["bottom"])
    section.left_margin, section.right_margin = Mm(page["left"]), Mm(page["right"])
    for line, role in zip(split_lines(text), roles(text)):
        fmt = getattr(spec, role) or GBT9704[role]
        base = GBT9704[role]
        p = document.add_paragraph()
        run = p.add_run(xml_text(line))
        _font(run, fmt.font or base.font, fmt.size or base.size, qn, Pt)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(fmt.spacing or base.spacing)
    size = GBT9704["page_number"] if spec.page_number is None else spec.page_number
    if size:
        footer = section.footer.paragraphs[0]
        for part in ("begin", "PAGE", "end"):
            run = footer.add_run()
            _font(run, "宋体", size, qn, Pt)
            if part == "PAGE":
                instr = run._r.makeelement(qn("w:instrText"), {})
                instr.text = " PAGE "
                run._r.append(instr)
            else:
                run._r.append(run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): part}))
    return save(document)


def _font(run, name: str, size: float, qn, Pt) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
