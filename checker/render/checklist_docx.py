"""The 核查清单 as a Word document (python-docx), for reviewers who work in Word or WPS."""
from __future__ import annotations

import io
from datetime import datetime

from ..checklist import Checklist
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
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋")

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

    document.add_paragraph("结果：✔ 符合　△ 基本符合（散见或有警告）　✘ 不符合　— 不适用或本方案不检查"
                           + ("　未检查 规则运行出错" if c.failures else ""))
    document.add_paragraph("")
    document.add_paragraph("核查人（签字）：＿＿＿＿＿＿＿＿　　复核人（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿")
    document.add_paragraph("核查意见：")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
