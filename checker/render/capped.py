"""The terminal view of a long report, bounded: a severity's findings grouped by rule, each rule
showing its first few and 「另有 N 处」 for the rest; the figures one line per indicator name,
the lines capped. A text of 40,000 lines must not scroll hundreds of findings past the reader;
JSON, HTML and Markdown keep every finding (rules/cli.yaml, terminal:)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..clidata import cli_data


@dataclass
class RuleBlock:
    rule: str
    shown: list = field(default_factory=list)
    more: int = 0               # findings of the rule not shown here, those the result left out too

    @property
    def more_text(self) -> str:
        return cli_data()["terminal"]["more"].format(n=self.more, rule=self.rule)


def blocks(findings: list) -> list[RuleBlock]:
    """The findings of one severity as blocks of one rule each, in the order each rule first
    comes (a rule's findings stay in their own order). A finding that stands for those the
    result did not list (omitted = N, rules/limits.yaml) is counted into 「另有 N 处」, not shown."""
    cap = int(cli_data()["terminal"]["per_rule"])
    by_rule: dict[str, RuleBlock] = {}
    for f in findings:
        b = by_rule.setdefault(f.rule, RuleBlock(f.rule))
        if f.omitted:
            b.more += f.omitted
        elif len(b.shown) < cap:
            b.shown.append(f)
        else:
            b.more += 1
    return list(by_rule.values())


@dataclass
class IndicatorRow:
    name: str
    values: list[str]
    line: int
    count: int                  # the name's figures in all (more than `values` shows)
    lines: int                  # distinct lines they are on


def indicator_rows(indicators: list) -> tuple[list[IndicatorRow], int]:
    """One row per indicator name (its first values, the line of the first), at most the cap of
    rows; and how many indicators the rows left out."""
    t = cli_data()["terminal"]
    per_line, cap = int(t["values"]), int(t["indicators"])
    rows: dict[str, list] = {}
    for i in indicators:
        rows.setdefault(i.name, []).append(i)
    out = []
    for name, items in rows.items():
        out.append(IndicatorRow(name, [f"{i.value}{i.unit}" for i in items[:per_line]], items[0].line,
                                len(items), len({i.line for i in items})))
    hidden = sum(r.count for r in out[cap:])
    return out[:cap], hidden


def more_indicators(n: int) -> str:
    return cli_data()["terminal"]["indicators_more"].format(n=n)
