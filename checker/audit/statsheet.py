"""The 「统计」 sheet of summary.xlsx: the batch's figures (checker/audit/figures.py) as numbers,
with native Excel bar charts drawn from those very cells — so the chart and the numbers beside it
cannot disagree, and the reviewer can copy either into the notice."""
from __future__ import annotations

from ..safe import xlsx_cell
from .figures import COUNT_NAMES, STATUS_NAMES, STATUSES

SHEET = "统计"


def add(wb, figs: dict) -> None:
    """Append the sheet to the write-only workbook `wb` (after the others: they keep their places)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    ws = wb.create_sheet(SHEET)
    for col, width in zip("ABCDEFGH", (30, 12, 12, 12, 12, 12, 12, 12)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    row = 0

    def put(values, header=False):
        nonlocal row
        row += 1
        cells = []
        for v in values:
            c = xlsx_cell(ws, v) if not header else WriteOnlyCell(ws, value=v)
            if header:
                c.font = bold
            cells.append(c)
        ws.append(cells)
        return row

    put(["本批次", "数量"], header=True)
    for key, name in COUNT_NAMES.items():
        put([name, figs["counts"][key]])
    put([])

    # element shares: counts then percentages of the reports checked, one row per required element
    head = put(["要素", *[STATUS_NAMES[s] for s in STATUSES], *[f"{STATUS_NAMES[s]}占比(%)" for s in STATUSES[:3]]],
               header=True)
    for e in figs["elements"]:
        put([e["label"], *[e[s] for s in STATUSES], *[e[f"share_{s}"] for s in STATUSES[:3]]])
    el_first, el_last = head + 1, row
    put([])

    top_head = put(["最常见的问题", "出现次数", "涉及报告数", "规则", "示例单位", "示例原文"], header=True)
    for t in figs["top"]:
        ex = t["example"] or {}
        put([t["title"], t["count"], t["reports"], t["rule"], ex.get("unit", ""), ex.get("excerpt", "")])
    top_first, top_last = top_head + 1, row
    put([])

    redo_head = put(["须重新报送的报告（单位）", "文件", "原因"], header=True)
    for r in figs["redo"]:
        put([r["unit"], r["source"], "；".join(r["reasons"])])
    for r in figs["unreadable"]:
        put(["（无法读取）", r["source"], r["reason"]])
    # a sheet has one filter: on the list that can run to hundreds of rows (the tables above are short)
    ws.auto_filter.ref = f"A{redo_head}:C{row}"

    if el_last >= el_first:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        chart.title = "各要素的报告占比（%）"
        chart.y_axis.title = "%"
        chart.y_axis.scaling.max = 100
        chart.add_data(Reference(ws, min_col=6, max_col=8, min_row=head, max_row=el_last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=el_first, max_row=el_last))
        chart.width, chart.height = 18, 8
        ws.add_chart(chart, "J2")
    if top_last >= top_first:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "最常见的问题（出现次数）"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=2, min_row=top_head, max_row=top_last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top_first, max_row=top_last))
        chart.x_axis.scaling.orientation = "maxMin"     # the most common first, at the top
        chart.width, chart.height = 18, 10
        ws.add_chart(chart, "J20")
