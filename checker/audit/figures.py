"""The batch in numbers, computed once from the state database for the three outputs that show
them — the notice (审核情况通报.docx), the 「统计」 sheet of summary.xlsx and summary.html — so
that the three always agree. What counts as 「须重新报送」 and how many problems are listed is
data (rules/notice.yaml)."""
from __future__ import annotations

from collections import Counter

from ..models import LEVEL_NAMES
from ..resources import load_yaml, rules_dir
from .statuses import PARTIAL, WAS_CHECKED

# the statuses an element can have in a row (checker/audit/summary.STATUS_MARK), in the order shown
STATUSES = ("standalone", "embedded", "absent", "unknown")
STATUS_NAMES = {"standalone": "单列", "embedded": "散见", "absent": "缺失", "unknown": "未能判断"}
# the batch counts, in the order and with the words every output uses (the tests match them)
COUNT_NAMES = {"received": "收到报告", "checked": "已检查", "partial": "部分检查", "unreadable": "无法读取",
               "with_errors": "有错误的报告", "errors": "错误", "warnings": "警告", "infos": "提示"}


def settings() -> dict:
    return load_yaml(rules_dir() / "notice.yaml")


def share(n: int, total: int) -> float:
    """A percentage with one decimal, 0 of an empty batch (the same rounding everywhere)."""
    return round(100 * n / total, 1) if total else 0.0


def compute(state, rule_titles: dict[str, str], follows: list[dict] | None = None) -> dict:
    """Every figure of the batch; `follows` (run._follow) adds last year's plans not followed
    through, when there is a comparison."""
    from ..elements import labels, optional
    conf = settings()
    redo_rules = set(conf["redo"]["rules"])
    required = {k: v for k, v in labels().items() if k not in optional()}
    counts = dict.fromkeys(COUNT_NAMES, 0)
    elements = {k: dict.fromkeys(STATUSES, 0) for k in required}
    levels: Counter = Counter()
    years: Counter = Counter()
    occurrences: Counter = Counter()
    reports: Counter = Counter()
    examples: dict[str, dict] = {}
    redo, unreadable = [], []
    for source, status, reason, row, findings, _ in state.rows():
        counts["received"] += 1
        if status not in WAS_CHECKED:
            counts["unreadable"] += 1
            unreadable.append({"source": source, "reason": reason or ""})
            continue
        counts["checked"] += 1
        counts["partial"] += status == PARTIAL
        counts["with_errors"] += 1 if row["errors"] else 0
        for k in ("errors", "warnings", "infos"):
            counts[k] += row[k]
        levels[LEVEL_NAMES.get(row.get("level") or "", "未识别")] += 1
        years[row.get("year")] += 1
        for k in required:
            got = row["outline"].get(k)
            elements[k][got if got in STATUSES else "unknown"] += 1
        seen = set()
        grave = []
        for f in findings:
            if f.get("waived"):
                continue
            occurrences[f["rule"]] += f.get("omitted") or 1        # 「另有 N 处」 stands for N
            seen.add(f["rule"])
            # the example quoted for a rule: the first finding that quotes the report's words
            # (one short enough to quote whole, when there is one)
            if f.get("excerpt") and (f["rule"] not in examples or (
                    len(examples[f["rule"]]["excerpt"]) > conf["quote_max"] >= len(f["excerpt"]))):
                examples[f["rule"]] = {"unit": f.get("unit") or row.get("unit") or "", "source": source,
                                       "excerpt": f["excerpt"], "line": f.get("line"), "message": f["message"]}
            if f["rule"] in redo_rules and f["severity"] == conf["redo"]["severity"]:
                grave.append(f)
        reports.update(seen)
        if len(grave) >= conf["redo"]["min_findings"]:
            redo.append({"unit": row.get("unit") or "", "source": source,
                         "reasons": [g["message"] for g in grave]})
    checked = counts["checked"]
    # every rule's count, most frequent first: the chart, 规则统计 and the notice's list take this one
    rules = [{"rule": rule, "title": rule_titles.get(rule, rule), "count": n, "reports": reports[rule]}
             for rule, n in sorted(occurrences.items(), key=lambda x: (-x[1], -reports[x[0]], x[0]))]
    top = [{**r, "example": examples.get(r["rule"])} for r in rules[:conf["top"]]]
    return {
        "counts": counts,
        "levels": sorted(levels.items(), key=lambda x: (-x[1], x[0])),
        "years": sorted(((y, n) for y, n in years.items()), key=lambda x: (x[0] is None, -(x[0] or 0))),
        "elements": [{"key": k, "label": label, **elements[k],
                      **{f"share_{s}": share(elements[k][s], checked) for s in STATUSES}}
                     for k, label in required.items()],
        "rules": rules,
        "top": top,
        "redo": redo,
        "unreadable": unreadable,
        "deadline": conf.get("deadline"),
        "follow": [{"unit": f["unit"], "year": f["year"], "source": f["source"], "previous": f.get("previous"),
                    "missing": f["missing"]} for f in (follows or []) if f["missing"]],
        "compared": len(follows or []),
    }
