"""The 核查清单 as a Word document (python-docx), for reviewers who work in Word or WPS."""
from __future__ import annotations

import io
from datetime import datetime

from ..checklist import Checklist, spec
from ..safe import visible      # every text from the report: XML refuses control characters
from ..mark import TEXT as MARK


def to_docx(c: Checklist) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    # A4 landscape (python-docx's template is US Letter): the six columns take 25.3 of 26.1 cm
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    props = document.core_properties          # not the template's 「python-docx」, 2013
    props.author = props.last_modified_by = "fzcheck"
    props.title, props.comments = visible(c.title), visible(f"fzcheck 生成的核查清单（{c.unit or ''}）")
    props.created = props.modified = datetime.now()
    props.keywords = MARK                     # an audit of the folder passes it over (checker/mark.py)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts()
    one_font(document, spec().get("font") or "仿宋")

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(visible(c.title))
    run.bold, run.font.size = True, Pt(18)
    head = [("被检查单位", c.unit), ("报告标题", c.report_title), ("报告年度", c.year), ("单位层级", c.level),
            ("检查方案", c.profile), ("检查日期", c.checked_on)]
    for label, value in head:
        document.add_paragraph(visible(f"{label}：{value or '＿＿＿＿＿＿'}"))
    for failure in c.failures:
        document.add_paragraph().add_run(visible(failure)).bold = True

    table = document.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["序号", "要求", "依据", "结果", "证据", "整改建议"], strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for i, r in enumerate(c.rows, 1):
        cells = table.add_row().cells
        values = [str(i), r.requirement, r.basis, r.mark, "\n".join(r.evidence), "\n".join(r.advice)]
        for cell, text in zip(cells, values, strict=True):
            cell.text = visible(text)
        cells[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    # fixed layout with explicit column widths: LibreOffice and WPS ignore cell widths otherwise
    table.autofit = False
    widths = [Cm(1.2), Cm(5.5), Cm(4.2), Cm(1.4), Cm(7.5), Cm(5.5)]
    for col, w in zip(table.columns, widths, strict=True):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    keep_rows(table)

    document.add_paragraph("结果：✔ 符合　△ 基本符合（散见或有警告）　✘ 不符合　— 不适用或本方案不检查"
                           + ("　未检查 规则运行出错" if c.failures else ""))
    document.add_paragraph("")
    document.add_paragraph("核查人（签字）：＿＿＿＿＿＿＿＿　　复核人（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿")
    document.add_paragraph("核查意见：")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


_THEMES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def one_font(document, font: str) -> None:
    """Latin letters and digits in the same family as the Chinese around them. Word takes a
    run's font by script — ascii for ASCII, hAnsi for other Latin, eastAsia for Chinese — and
    python-docx's template gives the Latin ones theme fonts (Calibri, Cambria), which win over a
    named font: 「2024年」 came out in two families. So every rFonts of the styles and their
    defaults names the one font for all three, and no theme."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        # the defaults hold for any text no style reaches (a table style's cells included)
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            rpr_default.append(rpr)
        if rpr.find(qn("w:rFonts")) is None:
            rpr.insert(0, OxmlElement("w:rFonts"))
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in _THEMES:
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(attr), font)


def keep_rows(table) -> None:
    """A long checklist runs over pages: the header row is repeated at the top of each
    (w:tblHeader) and no row is split between two pages (w:cantSplit), so that a row's result
    and its evidence are read together."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for i, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        # CT_TrPr's order: cantSplit comes before tblHeader
        for tag in ("w:cantSplit", *(["w:tblHeader"] if i == 0 else [])):
            if trpr.find(qn(tag)) is None:
                trpr.append(OxmlElement(tag))
