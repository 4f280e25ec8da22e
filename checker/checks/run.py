"""Running the rules over a Document and turning their hits into Findings."""
from __future__ import annotations

from collections.abc import Iterable

from ..models import SEVERITIES, Finding, Summary
from ..text import clip
from . import REGISTRY
from .base import Rule


class _Values(dict):
    """Message placeholders that a hit does not supply stay visible instead of failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def run_rules(doc, rules: Iterable[Rule]) -> list[Finding]:
    findings: list[Finding] = []
    cut = doc.outline.cut is not None
    other = doc.outline.not_report is not None
    for rule in rules:
        if other and rule.kind != "genre":
            continue        # not a report: NOT-A-REPORT says so once, not each missing part
        if cut and rule.whole:
            continue        # the end of the text, which may hold it, is missing
        for hit in REGISTRY[rule.kind].check(doc, rule.params):
            values = _Values(hit.values)
            values.setdefault("excerpt", clip(hit.excerpt, 60))
            findings.append(Finding(
                rule=rule.id, severity=rule.severity, title=rule.title,
                message=rule.message.format_map(values), line=hit.line,
                excerpt=clip(hit.excerpt, 80), basis=rule.basis,
                suggestion=rule.suggestion.format_map(values),
                location=doc.source.location(hit.line) if hit.line else None))
    written = doc.cleaned.written
    if written:
        # a mirror in traditional script was read in simplified: quote it as written
        for f in findings:
            f.excerpt = written.original(f.line, f.excerpt)
            f.message = written.message(f.line, f.message)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: (f.line or 0, rank[f.severity], f.rule))
    return findings


def summarise(findings: list[Finding]) -> Summary:
    s = Summary()
    for f in findings:
        if f.waived is not None:
            s.waived += 1
        elif f.severity == "error":
            s.errors += 1
        elif f.severity == "warning":
            s.warnings += 1
        else:
            s.infos += 1
    return s
