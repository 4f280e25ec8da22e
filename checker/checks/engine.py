"""Running the rules over a Document and turning their hits into Findings."""
from __future__ import annotations

import os
from collections.abc import Iterable

from ..errors import ConfigError, InputError
from ..limits import limits, say
from ..models import SEVERITY_RANK, Edit, Finding, RuleFailure, Summary
from ..text import clip
from . import REGISTRY
from .base import Rule


class _Values(dict):
    """Message placeholders that a hit does not supply stay visible instead of failing."""

    def __missing__(self, key):
        return "{" + key + "}"


def kind_of(rule: Rule):
    """The Kind (its check function and Params) of a rule: the one place the registry is looked up."""
    return REGISTRY[rule.kind]


def failure_of(rule: Rule, e: Exception) -> RuleFailure:
    """What a rule's crash says in a result: the rule and the kind of error, no traceback (the
    report's reader cannot act on one; FZCHECK_DEBUG=1 shows it to whoever can)."""
    detail = " ".join(str(e).split())[:120]
    return RuleFailure(rule=rule.id, error=f"内部错误（{type(e).__name__}{'：' + detail if detail else ''}）")


def run_rules(doc, rules: Iterable[Rule]) -> tuple[list[Finding], list[RuleFailure]]:
    """The findings of every rule, and the rules that failed. A rule that raises is contained:
    it becomes an entry of the failures and the other rules' findings stand — one broken rule
    must not cost a report all its findings. FZCHECK_DEBUG=1 re-raises."""
    findings: list[Finding] = []
    failures: list[RuleFailure] = []
    cap = limits().findings
    more: dict[str, list] = {}          # rule id → [findings not listed, the first of them]
    cut = doc.outline.cut is not None
    other = doc.outline.not_report is not None
    for rule in rules:
        if other and rule.kind != "genre":
            continue        # not a report: NOT-A-REPORT says so once, not each missing part
        if cut and rule.whole:
            continue        # the end of the text, which may hold it, is missing
        try:
            # built apart and kept only when the rule ran to its end: the findings a rule
            # yielded before it crashed are dropped — a half-run rule is not trusted (its
            # findings may be wrong or missing some, and its 「另有 N 处」 count would be short)
            mine: dict[str, list] = {}
            found = _rule_findings(doc, rule, cap.per_rule, mine)
        except (MemoryError, InputError, ConfigError):
            # the report's limits (the worker's memory cap, rules/limits.yaml) or a data file
            # that cannot be used (a grammar, a term list): not this rule's bug, and said as such
            raise
        except Exception as e:  # noqa: BLE001 — any failure of one rule is that rule's
            if os.environ.get("FZCHECK_DEBUG"):
                raise
            failures.append(failure_of(rule, e))
            continue
        findings.extend(found)
        more.update(mine)
    findings = _total_cap(findings, more, cap.total)
    for n, first in more.values():
        # where the first finding not listed is, what the rule's suggestion says for it
        message = f"{first.title}：" + say(cap.more, n=n, per_rule=cap.per_rule, total=cap.total)
        findings.append(first.model_copy(update={"message": message, "excerpt": "", "words": [], "omitted": n,
                                                 "fix": []}))
    written = doc.cleaned.written
    if written:
        # a mirror in traditional script was read in simplified: quote it as written
        for f in findings:
            f.fix = []           # its words were read in simplified script: not the file's to replace
            f.excerpt = written.original(f.line, f.excerpt)
            f.words = [written.original(f.line, w) for w in f.words]
            f.message = written.message(f.line, f.message)
    findings.sort(key=lambda f: (f.line or 0, SEVERITY_RANK[f.severity], f.rule))
    return findings, failures


def _rule_findings(doc, rule: Rule, per_rule: int, more: dict) -> list[Finding]:
    """One rule's findings, at most `per_rule` listed; the rest counted in `more`."""
    out = []
    for hit in kind_of(rule).check(doc, rule.params):
        if len(out) >= per_rule:
            # counted, not built: 500,000 hits of one rule made 4 GB of findings
            if rule.id not in more:
                more[rule.id] = [0, _finding(doc, rule, hit)]
            more[rule.id][0] += 1
            continue
        out.append(_finding(doc, rule, hit))
    return out


def _finding(doc, rule: Rule, hit) -> Finding:
    values = _Values(hit.values)
    values.setdefault("excerpt", clip(hit.excerpt, 60))
    return Finding(
        rule=rule.id, severity=rule.severity, title=rule.title,
        message=rule.message.format_map(values), line=hit.line,
        excerpt=clip(hit.excerpt, 80), words=[w for w in hit.words if w], basis=rule.basis,
        suggestion=rule.suggestion.format_map(values),
        location=_location(doc, hit.line), fix=_edits(rule, hit, values))


def _edits(rule: Rule, hit, values) -> list[Edit]:
    """The edits a rule's `fix:` makes of a hit: each of its words replaced (checks/base.Fix)."""
    fx = rule.fix
    if fx is None or not hit.line:
        return []
    words = [w for w in hit.words if w] or ([""] if fx.at == "start" and fx.replace is not None else [])
    out = []
    table = fx.table() if fx.replace is None else None
    for w in words:
        if table is None:
            new = fx.replace.format_map(_Values({**values, "words": w}))
            if fx.replace and not new:
                continue         # a template that came out empty lacks its value: no deletion
        else:
            new = w.translate(table)
        if new != w and "{" not in new:
            out.append(Edit(line=hit.line, old=w, new=new, at=fx.at, every=fx.every))
    out.extend(Edit(line=line, old=old, new=new, at=fx.at) for line, old, new in hit.follow)
    return out


def _location(doc, line: int | None):
    """The line's place in a structured original (a .docx paragraph, a PDF page) with its heading
    path, for the clerk who looks for it in Word (checker/where.py); None for a plain text,
    whose line number is the place."""
    where = doc.source.location(line) if line else None
    if where is None:
        return None
    from ..where import heading_path
    return where.model_copy(update={"path": heading_path(doc.report, line)})


def _total_cap(findings: list[Finding], more: dict, total: int) -> list[Finding]:
    """At most `total` findings listed: errors first, then warnings, each in text order; the
    rest join their rule's count of findings not listed."""
    if len(findings) <= total:
        return findings
    ordered = sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.line or 0))
    for f in ordered[total:]:
        entry = more.setdefault(f.rule, [0, f])
        entry[0] += 1
        if (f.line or 0) < (entry[1].line or 0):
            entry[1] = f                 # the omitted finding first in the text stands for them
    return ordered[:total]


def summarise(findings: list[Finding]) -> Summary:
    s = Summary()
    for f in findings:
        n = f.omitted or 1               # a 「另有 N 处」 finding counts the N it stands for
        if f.waived is not None:
            s.waived += n
        elif f.severity == "error":
            s.errors += n
        elif f.severity == "warning":
            s.warnings += n
        else:
            s.infos += n
    return s
