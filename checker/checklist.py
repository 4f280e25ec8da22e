"""The 核查清单: the requirements of rules/checklist.yaml, each with the result for one report,
the evidence (quoted, with where it is) and what to fix — or blank, for a unit to self-check."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from .analyse import structure
from .errors import ConfigError
from .models import LEVEL_NAMES, Result, Source, place
from .resources import load_yaml, rules_dir
from .settings import outline_grammar
from .text import clip

if TYPE_CHECKING:
    from .checks.base import Rule

MARKS = {"pass": "✔", "partial": "△", "fail": "✘", "skip": "—", "unchecked": "未检查", "blank": ""}


@dataclass
class Row:
    id: str
    requirement: str
    basis: str
    result: str = "blank"               # pass | partial | fail | skip | unchecked (a rule crashed) | blank
    evidence: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)

    @property
    def mark(self) -> str:
        return MARKS[self.result]


@dataclass
class Checklist:
    title: str
    unit: str
    report_title: str
    year: str
    level: str
    profile: str
    checked_on: str
    source: str
    rows: list[Row]
    # 「规则 X 运行出错，此项未检查」, each rule that crashed on the report (its rows say 未检查)
    failures: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def spec() -> dict:
    path = rules_dir() / "checklist.yaml"
    d = load_yaml(path)
    if not isinstance(d, dict) or not isinstance(d.get("items"), list):
        raise ConfigError(f"{path}: 应有 title 和 items（要求列表）")
    for i, it in enumerate(d["items"]):
        for key in ("id", "requirement", "basis"):
            if key not in it:
                raise ConfigError(f"{path}: items[{i}] 缺少字段 {key}")
        if "rules" in it:
            # one place says which row a rule feeds: the rule itself
            raise ConfigError(f"{path}: items[{i}]（{it['id']}）字段 rules：一项由哪些规则判断，改由各规则的 "
                              f"checklist: {it['id']} 写明（rules/checks/*.yaml），此处请删去")
    return d


def rows_of(rules) -> dict[str, set[str]]:
    """Row id → the ids of the rules (among `rules`) that say they feed it."""
    rows: dict[str, set[str]] = {}
    for r in rules:
        if r.checklist:
            rows.setdefault(r.checklist, set()).add(r.id)
    return rows


def _where(line: int | None, source: Source | None) -> str:
    return place(line, source.location(line) if source and line else None)


_ORDER_NOTES = 3          # misplaced parts quoted in the structure row


def _order(result: Result, row: Row, source: Source | None) -> bool | None:
    """The order of the parts, from the same parse as OUT-ORDER (checker/analyse/structure.py):
    the note for the row, and whether the grammar took the report (None: nothing to judge)."""
    parts = result.parts
    if not parts or any(f.rule == "NOT-A-REPORT" for f in result.findings):
        return None
    # as OUT-ORDER parsed it (pipeline.result_of records the grammar); a result written before
    # it did: the level's
    grammar = (result.config or {}).get("outline_grammar") or outline_grammar(result.meta.level)
    st = structure.parse([p.elements for p in parts], grammar)
    if st.ok:
        seq: list[str] = []
        for p in parts:
            label = structure.elements_text(p.elements)
            if not seq or seq[-1] != label:
                seq.append(label)
        row.evidence.insert(0, f"部分顺序符合提纲：{' → '.join(seq)}")
        return True
    for m in st.misplaced[:_ORDER_NOTES]:
        p = parts[min(m.index, len(parts) - 1)]
        what = structure.elements_text(m.elements) if m.index < len(parts) else "报告在此结束"
        row.evidence.append(f"{_where(p.line, source)}：「{clip(p.heading, 30)}」（{what}）位置不对，"
                            f"按提纲此处应为：{structure.expected_text(m.expected)}")
    return False


def build(result: Result | None, enabled_rules: Iterable[Rule], source: Source | None = None,
          level: str | None = None, profile: str = "") -> Checklist:
    """The checklist for one result, or blank (result None) for the given level; a row's rules
    are those of `enabled_rules` whose `checklist:` names it."""
    sp = spec()
    by_row = rows_of(enabled_rules)
    rows = []
    crashed = {f.rule: f.message for f in result.rule_failures} if result is not None else {}
    for it in sp["items"]:
        row = Row(it["id"], it["requirement"], it["basis"])
        rules = by_row.get(it["id"], set())
        element = it.get("element")
        if not rules and not element:
            row.result = "skip" if result is not None else "blank"
            if result is None:
                row.advice.append("本检查方案不检查此项")
            rows.append(row)
            continue
        if result is None:
            rows.append(row)
            continue
        if it.get("needs_docx") and result.format != "docx":
            row.result = "skip"
            row.evidence.append("不是 Word 文档（.docx/.doc/.wps），版式无从检查")
            rows.append(row)
            continue
        state = "pass"
        if element:
            item = result.outline[element]
            if item.status == "absent":
                state = "skip" if it.get("optional") else "fail"
                if it.get("optional"):
                    row.evidence.append("未写（此项可选）")
            elif item.status == "embedded":
                state = "partial"
            elif item.status == "unknown":
                state = "skip"
                row.evidence.append("未能判断：报告文本在此项之前中断")
            for ev in item.evidence[:2]:
                row.evidence.append(f"{_where(ev.line, source)}「{clip(ev.text, 40)}」")
        # a crashed OUT-ORDER: the same parse would fail here too (the row says 未检查 below)
        order = _order(result, row, source) if "OUT-ORDER" in rules and "OUT-ORDER" not in crashed else None
        if order is False and state == "pass":
            state = "partial"
        for f in result.findings:
            if f.rule not in rules or f.waived:
                continue
            if f.severity == "error":
                state = "fail"
            elif f.severity == "warning" and state == "pass":
                state = "partial"
            if len(row.evidence) < 4 and not (order is not None and f.rule == "OUT-ORDER"):
                row.evidence.append(f"{_where(f.line, source)}：{clip(f.message, 70)}")
            if f.suggestion not in row.advice and len(row.advice) < 3:
                row.advice.append(f.suggestion)
        if it.get("needs_date") and state == "pass":
            m = result.meta
            if m.signed or m.published:
                row.evidence.append("；".join(x for x in (f"成文日期 {m.signed}" if m.signed else "",
                                                         f"发布日期 {m.published}" if m.published else "") if x))
            else:
                state = "skip"
                row.evidence.append("无法判断：报告没有可识别的成文日期或发布日期")
                row.advice.append("在落款处写明真实、完整的成文日期，再核对是否按期报送")
        unchecked = [crashed[r] for r in rules if r in crashed]
        if unchecked:
            # a rule of the row did not run: whatever the others found, the row was not checked
            state = "unchecked"
            row.evidence[:0] = unchecked
        row.result = state
        rows.append(row)
    m = result.meta if result else None
    lv = (m.level if m else None) or level
    return Checklist(
        title=sp["title"], unit=(m.issuer if m and m.issuer else ""), report_title=(m.title if m and m.title else ""),
        year=str(m.report_year) if m and m.report_year else "", level=LEVEL_NAMES.get(lv or "", ""),
        profile=(profile or (result.profile if result else "")).replace("unknown/", "各层级通用/"), checked_on=date.today().isoformat() if result else "",
        source=result.source if result else "", rows=rows, failures=list(crashed.values()))
