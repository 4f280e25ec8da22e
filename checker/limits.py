"""The bounds on one report (rules/limits.yaml): the source refused when it cannot be a report
(too many lines, a line too long, too many headings), and the findings capped per rule and per
report. Each bound keeps the analysis near-linear and the output small (bench/bounds.py)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from .errors import InputError
from .resources import load_model, load_yaml, rules_dir



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Bound(_Strict):
    max: int
    message: str


class Report(_Strict):
    lines: Bound
    line_chars: Bound
    headings: Bound


class Findings(_Strict):
    per_rule: int
    total: int
    more: str


class Indicators(_Strict):
    max: int


class Html(_Strict):
    depth: int
    elements: int
    elements_message: str


class Mojibake(_Strict):
    sample: int
    min_han: int
    min_common: float
    max_bad: float
    message: str


class Text(_Strict):
    stray_nuls: int


class RemovedCap(_Strict):
    max: int
    keep: int
    more: str


class Limits(_Strict):
    report: Report
    text: Text
    findings: Findings
    indicators: Indicators
    removed: RemovedCap
    sentence_chars: int
    html: Html
    mojibake: Mojibake


@lru_cache(maxsize=1)
def limits() -> Limits:
    return load_model("limits.yaml", Limits)


@dataclass(frozen=True)
class WorkerLimits:
    """What one guarded worker may spend on one file (rules/audit.yaml `worker:`): the guard
    kills it past these, and LibreOffice's own timeout is set below them."""
    time_s: float
    memory_mb: int


@lru_cache(maxsize=1)
def worker_limits() -> WorkerLimits:
    w = load_yaml(rules_dir() / "audit.yaml")["worker"]
    return WorkerLimits(time_s=float(w["time_limit_s"]), memory_mb=int(w["memory_mb"]))


def say(template: str, **values) -> str:
    """A limit's message with its figures, thousands apart (「557,143 行」)."""
    return template.format(**{k: f"{v:,}" if isinstance(v, int) else v for k, v in values.items()})


def check_source(path: str, lines: list[str]) -> None:
    """Refuse a text that cannot be a report before any analysis is spent on it."""
    b = limits().report
    if len(lines) > b.lines.max:
        raise InputError(path, say(b.lines.message, n=len(lines), max=b.lines.max))
    longest = max(lines, key=len, default="")
    if len(longest) > b.line_chars.max:
        raise InputError(path, say(b.line_chars.message, n=len(longest), max=b.line_chars.max,
                                    line=lines.index(longest) + 1))


def check_headings(path: str, classified) -> None:
    from .analyse.lines import HEADING_KINDS
    b = limits().report.headings
    n = sum(1 for c in classified if c.kind in HEADING_KINDS)
    if n > b.max:
        raise InputError(path, say(b.message, n=n, max=b.max))
