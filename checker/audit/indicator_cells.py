"""The 指标 sheet's numbers: one column per indicator with its unit in the header, one number per
report and indicator that Excel can add up, and a note wherever the number is not the whole story
(several figures added, a rate given twice, a figure in another unit). The units that count the
same thing are data (rules/workbook.yaml)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ..errors import ConfigError
from ..resources import load_yaml, rules_dir

RATE = "%"


@lru_cache(maxsize=1)
def workbook_rules() -> dict:
    path = rules_dir() / "workbook.yaml"
    d = load_yaml(path)
    try:
        canon = {u: str(g[0]) for g in d["same_unit"] for u in map(str, g)}
        own = {str(k): {u: str(g[0]) for g in groups for u in map(str, g)}
               for k, groups in (d.get("by_indicator") or {}).items()}
        approx = tuple(str(a) for a in d["approx"])
        cap = int(d["main_problems"])
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise ConfigError(f"{path}: 缺少或错误的字段 {e}（应有 same_unit、approx、main_problems，"
                          f"by_indicator 可选）") from None
    return {"canon": canon, "by_indicator": own, "approx": approx, "main_problems": cap}


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    """indicator id → count | rate, as rules/indicators.yaml declares it."""
    d = load_yaml(rules_dir() / "indicators.yaml")
    kinds = {ind["id"]: ind.get("kind", "count") for ind in d.get("indicators") or []}
    if d.get("other_rates"):
        kinds[d["other_rates"]["id"]] = "rate"
    return kinds


def base_unit(unit: str, indicator: str = "") -> tuple[str, bool]:
    """(the unit its group counts in, whether the figure was a lower bound): 「余宗」 → (件, True)."""
    r = workbook_rules()
    approx = False
    for a in r["approx"]:
        if unit.startswith(a) and len(unit) > len(a):
            unit, approx = unit[len(a):], True
            break
    return r["by_indicator"].get(indicator, r["canon"]).get(unit, unit), approx


def key(ind: dict) -> str:
    # the other rates (rules/indicators.yaml other_rates) share one id: each named rate is its own column
    return f"{ind['id']}:{ind['name']}" if ind["id"] == _other_id() else ind["id"]


@lru_cache(maxsize=1)
def _other_id() -> str | None:
    d = load_yaml(rules_dir() / "indicators.yaml")
    return (d.get("other_rates") or {}).get("id")


@dataclass
class Column:
    key: str
    name: str
    unit: str
    rate: bool

    @property
    def header(self) -> str:
        return f"{self.name}（{self.unit}）"


class Columns:
    """Gathered over the batch, one report's indicators at a time: a column's unit is the one
    its figures are most often given in (a batch that counts 人 gets 「（人）」)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._units: dict[str, Counter] = {}

    def add(self, inds: list[dict]) -> None:
        for i in inds:
            k = key(i)
            self._names.setdefault(k, i["name"])
            self._units.setdefault(k, Counter())[base_unit(i["unit"], i["id"])[0]] += 1

    def columns(self) -> list[Column]:
        kinds = _kinds()
        out = []
        for k in sorted(self._names):
            unit = self._units[k].most_common(1)[0][0]
            out.append(Column(k, self._names[k], unit, kinds.get(k.split(":")[0]) == "rate" or unit == RATE))
        return out


def _shown(i: dict) -> str:
    return f"{_number(i['value'])}{i['unit']}（第 {i['line']} 行）"


def _number(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def cells(columns: list[Column], inds: list[dict]) -> tuple[list, str]:
    """A report's numbers, one per column (None where it gives none), and the note that says
    what a number stands for when it is not one plain figure."""
    by_key: dict[str, list[dict]] = {}
    for i in inds:
        by_key.setdefault(key(i), []).append(i)
    values, notes = [], []
    for col in columns:
        given = by_key.get(col.key) or []
        same = [i for i in given if base_unit(i["unit"], i["id"])[0] == col.unit]
        other = [i for i in given if i not in same]
        value = None
        note = []
        if same and not col.rate:
            # counts of one thing in one unit add up: 「收案12件……另收案3件」 is 15
            total = sum(i["value"] for i in same)
            value = _number(round(total, 6) if isinstance(total, float) else total)
            if len(same) > 1:
                # a figure restated, or one of another scope (全县 and 本级), would be counted twice:
                # the note names each, for the reviewer to check against the text
                note.append(f"{len(same)} 处相加（如为重复或范围不同，请按原文核对）：" + "、".join(_shown(i) for i in same))
            if any(base_unit(i["unit"], i["id"])[1] for i in same):
                note.append("含约数（余、多），实际不少于此数")
        elif same:
            # a rate is never added: the first one given, the others named
            value = _number(same[0]["value"])
            if len(same) > 1:
                note.append("取第一处，另有 " + "、".join(_shown(i) for i in same[1:]))
        if other:
            note.append(f"单位与本列（{col.unit}）不同，未计入，请核对：" + "、".join(_shown(i) for i in other))
        values.append(value)
        if note:
            notes.append(f"{col.name}：" + "；".join(note))
    return values, "\n".join(notes)
