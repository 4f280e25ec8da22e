"""What an audit hands over: summary.xlsx (汇总, 问题明细, 指标, 规则统计), summary.html,
findings.jsonl — all streamed from the state database, so a batch of any size fits in memory."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .. import elements
from ..models import ELEMENTS, LEVEL_NAMES, SEVERITY_RANK
from ..render import SEVERITY as SEV
from . import indicator_cells
from .statuses import STATUS_LABEL, WAS_CHECKED
from . import figures, statsheet
from .submissions import file_format, label
from ..safe import visible, xlsx_cell
from ..write import atomic_file


def _path(location: dict | None) -> str:
    """A finding's heading path in a Word file or PDF, as a clerk finds it (its page is a column
    of its own, a number to sort and filter by)."""
    return (location or {}).get("path") or ""


def _page(location: dict | None) -> int | None:
    return (location or {}).get("page") or None


def main_problems(findings: list[dict], cap: int) -> str:
    """The findings of the most severe level a report has, one per rule in the order found, with
    how many there are: all of a report's main problems, not the first alone."""
    live = [f for f in findings if not f.get("waived")]
    if not live:
        return ""
    worst = min(SEVERITY_RANK[f["severity"]] for f in live)
    by_rule: dict[str, list[dict]] = {}
    for f in live:
        if SEVERITY_RANK[f["severity"]] == worst:
            by_rule.setdefault(f["rule"], []).append(f)
    parts = []
    for rule, fs in list(by_rule.items())[:cap]:
        n = sum(f.get("omitted") or 1 for f in fs)        # 「另有 N 处」 stands for N
        parts.append(f"{rule}：{fs[0]['message']}" + (f"（共 {n} 处）" if n > 1 else ""))
    if len(by_rule) > cap:
        parts.append(f"另有 {len(by_rule) - cap} 条规则（见问题明细）")
    return "；".join(parts)


def written(out: Path, rel: str | None) -> str | None:
    """rel when it names a file this audit wrote inside its output folder (reports/…,
    checklists/…), else None: a link's target is never text from a report."""
    if not rel or not rel.startswith(("reports/", "checklists/")):
        return None
    target = (out / rel).resolve()
    folder = (out / rel.split("/", 1)[0]).resolve()
    return rel if target.is_relative_to(folder) and target.is_file() else None


STATUS_MARK = {"standalone": "✔", "embedded": "△", "absent": "✘", "unknown": "？"}


def preload() -> None:
    """Import openpyxl ahead of time (a third of a second on a cold start)."""
    import openpyxl  # noqa: F401


def write_xlsx(state, path: Path, rule_titles: dict[str, str]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    labels = elements.labels()
    may_lack = elements.optional()
    fills = {"✔": PatternFill("solid", fgColor="D1FADF"), "△": PatternFill("solid", fgColor="FEF0C7"),
             "✘": PatternFill("solid", fgColor="FEE4E2"), "？": PatternFill("solid", fgColor="EAECF0")}
    bold = Font(bold=True)
    link_font = Font(color="0563C1", underline="single")
    wrap = Alignment(wrap_text=True, vertical="top")
    out = path.parent
    rules = indicator_cells.workbook_rules()
    wb = Workbook(write_only=True)

    checked: dict[str | None, str | None] = {}

    def link(ws, rel: str | None):
        # a relative link to a page this audit wrote (opens from the folder, wherever it is copied);
        # a report's page is looked for once, not once per finding
        if rel not in checked:
            checked[rel] = written(out, rel)
        target = checked[rel]
        if target is None:
            return None
        c = WriteOnlyCell(ws, value=visible(target))
        c.hyperlink, c.font = target, link_font
        return c

    # every value from a report (a file name, a unit, a quoted line) goes through xlsx_cell:
    # control characters shown, never a formula; a plain value unless it needs a colour or type
    def sheet(title: str, header: list[str], widths: list[int]):
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, w in enumerate(widths):
            ws.column_dimensions[get_column_letter(i + 1)].width = w
        cells = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            cells.append(c)
        ws.append(cells)
        return ws

    def wrapped(ws, text: str):
        # a note of several lines (one per indicator) shown as lines, after xlsx_cell made it safe
        value = xlsx_cell(ws, text)
        c = WriteOnlyCell(ws, value=value) if isinstance(value, str) else value
        c.alignment = wrap
        return c

    def mark_cells(ws) -> dict:
        # a write-only sheet writes a cell out as it is appended, so one styled cell per mark
        # serves every row (styling 60,000 cells anew took a third of the summary's time)
        return {m: xlsx_cell(ws, m, fills[m]) for m in fills}

    # 状态 last: the columns before it keep their places for those who read them by position
    # 格式 just before 状态 (状态 stays last): one submission's files (docx（已检查）、pdf…) and what sets them apart
    header = ["文件", "单位", "层级", "年度", *labels.values(), "错误", "警告", "提示", "得分", "主要问题",
              "报告页面", "核查清单", "格式", "状态"]
    ws = sheet("汇总", header, [40, 24, 8, 8, *[10] * len(labels), 6, 6, 6, 6, 60, 30, 30, 30, 40])
    n = 0
    mark = mark_cells(ws)
    for source, status, reason, row, findings, _ in state.rows():
        n += 1
        if status not in WAS_CHECKED:
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, "（无法读取）"), "", "", *[""] * len(labels), "", "", "", "",
                       xlsx_cell(ws, reason, fills["✘"]), None, None, xlsx_cell(ws, file_format(source)),
                       xlsx_cell(ws, STATUS_LABEL[status])])
            continue
        # the optional element, when not written, is 「—」 as on the summary page, not a failure
        marks = [mark[STATUS_MARK[row["outline"][k]]] if not (k in may_lack and row["outline"][k] == "absent")
                 else "—" for k in labels]
        ws.append([xlsx_cell(ws, source), xlsx_cell(ws, row["unit"]), xlsx_cell(ws, LEVEL_NAMES.get(row["level"] or "", "")),
                   xlsx_cell(ws, row["year"]), *marks, xlsx_cell(ws, row["errors"]),
                   xlsx_cell(ws, row["warnings"]), xlsx_cell(ws, row["infos"]), xlsx_cell(ws, row["score"]),
                   xlsx_cell(ws, main_problems(findings, rules["main_problems"])),
                   link(ws, row.get("page")), link(ws, row.get("checklist")),
                   xlsx_cell(ws, _formats_text(row), fills["△"] if row.get("formats_note") else None),
                   xlsx_cell(ws, _status_text(status, reason), fills["△"] if reason else None)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"

    detail = ["文件", "单位", "行", "级别", "规则", "问题", "建议", "依据", "状态", "位置（标题路径）", "页码", "报告页面"]
    ws = sheet("问题明细", detail, [40, 24, 6, 6, 26, 60, 40, 40, 10, 40, 6, 30])
    m = 0
    for source, status, _, row, findings, _ in state.rows():
        page = (row or {}).get("page")
        for f in (row or {}).get("fixed_items") or []:      # in the baseline's draft, gone from this one
            m += 1
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, (row or {}).get("unit")), xlsx_cell(ws, f.get("line")),
                       xlsx_cell(ws, SEV[f["severity"]]), xlsx_cell(ws, f["rule"]), xlsx_cell(ws, f["message"]),
                       xlsx_cell(ws, f["suggestion"]), xlsx_cell(ws, f["basis"]), xlsx_cell(ws, "已改正"),
                       None, None, link(ws, page)])
        for f in (row or {}).get("rule_failures") or []:     # a rule that crashed: not checked
            # the crash is the problem (said as `check` says it on stderr), reporting it the remedy
            m += 1
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, (row or {}).get("unit")), "", "—",
                       xlsx_cell(ws, f["rule"]), xlsx_cell(ws, f"{f['message']}：{f['error']}"),
                       xlsx_cell(ws, "请将此文件报告维护者"), "", xlsx_cell(ws, "未检查"),
                       None, None, link(ws, page)])
        for f in findings:
            m += 1
            state_label = "已豁免" if f.get("waived") else {"new": "新增", "persisting": "仍存在"}.get(f.get("change") or "", "")
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, f.get("unit")), xlsx_cell(ws, f.get("line")),
                       xlsx_cell(ws, SEV[f["severity"]]), xlsx_cell(ws, f["rule"]), xlsx_cell(ws, f["message"]),
                       xlsx_cell(ws, f["suggestion"]), xlsx_cell(ws, f["basis"]), xlsx_cell(ws, state_label),
                       xlsx_cell(ws, _path(f.get("location"))), _page(f.get("location")), link(ws, page)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(detail))}{m + 1}"

    # one column per indicator, its unit in the header, numbers in the cells (indicator_cells.py)
    gathered = indicator_cells.Columns()
    for _, status, _, _, _, inds in state.rows():
        if status in WAS_CHECKED:
            gathered.add(inds)
    columns = gathered.columns()
    header = ["文件", "单位", *[c.header for c in columns], "说明", "报告页面"]
    ws = sheet("指标", header, [40, 24, *[14] * len(columns), 50, 30])
    k = 0
    for source, status, _, row, _, inds in state.rows():
        if status not in WAS_CHECKED:
            continue
        k += 1
        values, note = indicator_cells.cells(columns, inds)
        ws.append([xlsx_cell(ws, source), xlsx_cell(ws, row["unit"]), *values, wrapped(ws, note) if note else None,
                   link(ws, row.get("page"))])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{k + 1}"

    ws = sheet("规则统计", ["规则", "标题", "出现次数", "涉及报告数"], [28, 50, 10, 12])
    # the same counts as the page's chart and the notice: the batch's figures (figures.compute)
    figs = figures.compute(state, rule_titles)
    for r in figs["rules"]:
        ws.append([xlsx_cell(ws, r["rule"]), xlsx_cell(ws, rule_titles.get(r["rule"], "")), xlsx_cell(ws, r["count"]),
                   xlsx_cell(ws, r["reports"])])
    ws.auto_filter.ref = f"A1:D{len(figs['rules']) + 1}"

    # the batch's figures and their charts, the same numbers as the notice and the page
    statsheet.add(wb, figs)

    with atomic_file(path) as (fd, tmp):
        os.close(fd)
        wb.save(tmp)


def _formats_text(row: dict) -> str:
    """「docx（已检查）、pdf：文件名…」 and the difference between the copies, if any."""
    formats = row.get("formats") or []
    text = label(formats)
    if len(formats) > 1:
        text += "：" + "、".join(Path(f["source"]).name for f in formats)
    return f"{text}；{row['formats_note']}" if row.get("formats_note") else text


def _status_text(status: str, reason: str | None) -> str:
    return f"{STATUS_LABEL[status]}：{reason}" if reason else STATUS_LABEL[status]


def write_tables(state_path: str, out: str, rule_titles: dict[str, str]) -> None:
    """summary.xlsx and findings.jsonl from the state database (runs in a process of its own)."""
    from .state import State
    state = State.reader(Path(state_path))
    try:
        write_xlsx(state, Path(out) / "summary.xlsx", rule_titles)
        write_findings(state, Path(out) / "findings.jsonl")
    finally:
        state.db.close()


def write_findings(state, path: Path) -> None:
    """One JSON object per finding, streamed to the file: of every file read, with `counted`
    false for another format of a submission (its findings are not in the tables' figures)."""
    others = state.other_formats()
    with atomic_file(path) as (fd, _), os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        for source, _, _, row, findings, _ in state.rows(every_file=True):
            counted = source not in others
            for f in (row or {}).get("rule_failures") or []:
                # a rule that crashed on the report: said among its findings, told apart by
                # the key rule_failure (no severity: it is not a finding)
                fh.write(json.dumps({"source": source, "unit": row.get("unit"), "rule": f["rule"],
                                     "rule_failure": f["error"], "message": f["message"], "counted": counted},
                                    ensure_ascii=False, sort_keys=True) + "\n")
            for f in findings:
                fh.write(json.dumps({**f, "counted": counted}, ensure_ascii=False, sort_keys=True) + "\n")
