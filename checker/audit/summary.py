"""What an audit hands over: summary.xlsx (汇总, 问题明细, 指标, 规则统计), summary.html,
findings.jsonl — all streamed from the state database, so a batch of any size fits in memory."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from ..models import ELEMENTS, LEVEL_NAMES
from ..render import SEVERITY as SEV
from .state import STATUS_LABEL, WAS_CHECKED
from .submissions import file_format, label
from ..safe import xlsx_cell
from ..write import atomic_file

def _where(location: dict | None) -> str:
    """A finding's place in a Word file or PDF as a clerk finds it: page, heading path."""
    if not location:
        return ""
    page = f"第 {location['page']} 页" if location.get("page") else ""
    return " · ".join(x for x in (page, location.get("path") or "") if x)


STATUS_MARK = {"standalone": "✔", "embedded": "△", "absent": "✘", "unknown": "？"}


def element_labels() -> dict[str, str]:
    from ..elements import spec
    return {k: spec()["elements"][k].label for k in ELEMENTS}


def preload() -> None:
    """Import openpyxl ahead of time (a third of a second on a cold start)."""
    import openpyxl  # noqa: F401


def write_xlsx(state, path: Path, rule_titles: dict[str, str]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    labels = element_labels()
    fills = {"✔": PatternFill("solid", fgColor="D1FADF"), "△": PatternFill("solid", fgColor="FEF0C7"),
             "✘": PatternFill("solid", fgColor="FEE4E2"), "？": PatternFill("solid", fgColor="EAECF0")}
    bold = Font(bold=True)
    wb = Workbook(write_only=True)

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

    def mark_cells(ws) -> dict:
        # a write-only sheet writes a cell out as it is appended, so one styled cell per mark
        # serves every row (styling 60,000 cells anew took a third of the summary's time)
        return {m: xlsx_cell(ws, m, fills[m]) for m in fills}

    # 状态 last: the columns before it keep their places for those who read them by position
    # 格式 just before it: one submission's files (docx（已检查）、pdf…) and what sets them apart
    header = ["文件", "单位", "层级", "年度", *labels.values(), "错误", "警告", "提示", "得分", "主要问题", "格式", "状态"]
    ws = sheet("汇总", header, [40, 24, 8, 8, *[10] * len(labels), 6, 6, 6, 6, 60, 30, 40])
    n = 0
    mark = mark_cells(ws)
    for source, status, reason, row, _, _ in state.rows():
        n += 1
        if status not in WAS_CHECKED:
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, "（无法读取）"), "", "", *[""] * len(labels), "", "", "", "",
                       xlsx_cell(ws, reason, fills["✘"]), xlsx_cell(ws, file_format(source)), xlsx_cell(ws, STATUS_LABEL[status])])
            continue
        # the optional element, when not written, is 「—」 as on the summary page, not a failure
        marks = [mark[STATUS_MARK[row["outline"][k]]] if not (k == "other" and row["outline"][k] == "absent")
                 else "—" for k in labels]
        ws.append([xlsx_cell(ws, source), xlsx_cell(ws, row["unit"]), xlsx_cell(ws, LEVEL_NAMES.get(row["level"] or "", "")),
                   xlsx_cell(ws, row["year"]), *marks, xlsx_cell(ws, row["errors"]),
                   xlsx_cell(ws, row["warnings"]), xlsx_cell(ws, row["infos"]), xlsx_cell(ws, row["score"]), xlsx_cell(ws, row["top"]),
                   xlsx_cell(ws, _formats_text(row), fills["△"] if row.get("formats_note") else None),
                   xlsx_cell(ws, _status_text(status, reason), fills["△"] if reason else None)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"

    ws = sheet("问题明细", ["文件", "单位", "行", "级别", "规则", "问题", "建议", "依据", "状态", "位置（标题路径、页码）"],
               [40, 24, 6, 6, 26, 60, 40, 40, 10, 40])
    rule_count: Counter = Counter()
    rule_reports: Counter = Counter()
    m = 0
    for source, status, _, row, findings, _ in state.rows():
        seen = set()
        for f in (row or {}).get("fixed_items") or []:      # in the baseline's draft, gone from this one
            m += 1
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, (row or {}).get("unit")), xlsx_cell(ws, f.get("line")),
                       xlsx_cell(ws, SEV[f["severity"]]), xlsx_cell(ws, f["rule"]), xlsx_cell(ws, f["message"]),
                       xlsx_cell(ws, f["suggestion"]), xlsx_cell(ws, f["basis"]), xlsx_cell(ws, "已改正")])
        for f in (row or {}).get("rule_failures") or []:     # a rule that crashed: not checked
            # the crash is the problem (said as `check` says it on stderr), reporting it the remedy
            m += 1
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, (row or {}).get("unit")), "", "—",
                       xlsx_cell(ws, f["rule"]), xlsx_cell(ws, f"{f['message']}：{f['error']}"),
                       xlsx_cell(ws, "请将此文件报告维护者"), "", xlsx_cell(ws, "未检查")])
        for f in findings:
            m += 1
            state_label = "已豁免" if f.get("waived") else {"new": "新增", "persisting": "仍存在"}.get(f.get("change") or "", "")
            ws.append([xlsx_cell(ws, source), xlsx_cell(ws, f.get("unit")), xlsx_cell(ws, f.get("line")),
                       xlsx_cell(ws, SEV[f["severity"]]), xlsx_cell(ws, f["rule"]), xlsx_cell(ws, f["message"]),
                       xlsx_cell(ws, f["suggestion"]), xlsx_cell(ws, f["basis"]), xlsx_cell(ws, state_label),
                       xlsx_cell(ws, _where(f.get("location")))])
            if not f.get("waived"):
                rule_count[f["rule"]] += f.get("omitted") or 1     # 「另有 N 处」 stands for N
                seen.add(f["rule"])
        rule_reports.update(seen)
    ws.auto_filter.ref = f"A1:J{m + 1}"

    ids: dict[str, str] = {}
    for _, _, _, _, _, inds in state.rows():
        for i in inds:
            ids.setdefault(i["id"] if i["id"] != "rate" else f"rate:{i['name']}", i["name"])
    order = sorted(ids)
    ws = sheet("指标", ["文件", "单位", *[ids[k] for k in order]], [40, 24, *[14] * len(order)])
    for source, status, _, row, _, inds in state.rows():
        if status not in WAS_CHECKED:
            continue
        values: dict[str, list[str]] = {}
        for i in inds:
            k = i["id"] if i["id"] != "rate" else f"rate:{i['name']}"
            values.setdefault(k, []).append(f"{i['value']}{i['unit']}")
        ws.append([xlsx_cell(ws, source), xlsx_cell(ws, row["unit"]), *[xlsx_cell(ws, "；".join(values.get(k, []))) for k in order]])

    ws = sheet("规则统计", ["规则", "标题", "出现次数", "涉及报告数"], [28, 50, 10, 12])
    for rule, count in sorted(rule_count.items(), key=lambda x: (-x[1], x[0])):
        ws.append([xlsx_cell(ws, rule), xlsx_cell(ws, rule_titles.get(rule, "")), xlsx_cell(ws, count), xlsx_cell(ws, rule_reports[rule])])

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
    """One JSON object per finding, streamed to the file."""
    with atomic_file(path) as (fd, _), os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        for source, _, _, row, findings, _ in state.rows():
            for f in (row or {}).get("rule_failures") or []:
                # a rule that crashed on the report: said among its findings, told apart by
                # the key rule_failure (no severity: it is not a finding)
                fh.write(json.dumps({"source": source, "unit": row.get("unit"), "rule": f["rule"],
                                     "rule_failure": f["error"], "message": f["message"]},
                                    ensure_ascii=False, sort_keys=True) + "\n")
            for f in findings:
                fh.write(json.dumps(f, ensure_ascii=False, sort_keys=True) + "\n")


def rule_stats(state) -> list[tuple[str, int]]:
    c: Counter = Counter()
    for _, _, _, _, findings, _ in state.rows():
        for f in findings:
            if not f.get("waived"):
                c[f["rule"]] += f.get("omitted") or 1        # 「另有 N 处」 stands for N
    return sorted(c.items(), key=lambda x: (-x[1], x[0]))
