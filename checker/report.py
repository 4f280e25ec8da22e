"""One report checked, whole. `check_report` is the one unit of work every command runs for a
report — check, checklist, the audit's worker (and a server, annotate): read → analyse →
rules → waivers and fingerprints → baseline, with one error policy. The others are entry
points that take the built-in rules when none are given (tests, bench/). Above pipeline (the
stages and the rule run) and config (which rules), so neither imports the other."""
from __future__ import annotations

from pathlib import Path

from . import baseline as baseline_mod
from . import pipeline
from .config import Resolved, default_rules
from .document import Document
from .models import Result, Source
from .pipeline import analyse, analyse_path, result_of
from .read.txt import split_lines
from .settings import Settings


def check_report(report: str | Path | Source, resolved: Resolved,
                 baseline: "baseline_mod.Earlier | None" = None) -> tuple[Document, Result]:
    """One report — a path, or a Source already read — checked under a resolved configuration
    (its rules, settings, waivers, record), marked against its earlier version when given.

    The error policy, the same for every caller: InputError (a file that cannot be read, a text
    past the limits) passes through, for the caller to say in its own way (a line on stderr, a
    row 「无法读取」); a rule that fails is contained (checker/checks/engine.py): the result has
    the other rules' findings and an entry in rule_failures. Anything else is a bug of the
    checker and propagates (the CLI says 「内部错误」, the audit records the file)."""
    doc = analyse(report, resolved.settings) if isinstance(report, Source) else analyse_path(report, resolved.settings)
    result = result_of(doc, resolved.rules, resolved.waivers, resolved.record())
    if baseline is not None:
        baseline_mod.apply(result, baseline, {r.id for r in resolved.rules})
    return doc, result


def check_source(source: Source, rules=None, settings: Settings | None = None) -> tuple[Document, Result]:
    """Check a source already read (tests that build one in memory), the built-in rules unless
    others are given."""
    return pipeline.check_source(source, default_rules() if rules is None else rules, settings)


def check_text(text: str, name: str = "<text>", rules=None, settings: Settings | None = None) -> tuple[Document, Result]:
    """Check a report given as a string (tests)."""
    return check_source(Source(path=name, lines=split_lines(text)), rules, settings)


def check_path(path: str | Path, rules=None, settings: Settings | None = None) -> tuple[Document, Result]:
    """Check a file (tests, bench/), the built-in rules unless others are given."""
    doc = analyse_path(path, settings)
    return doc, result_of(doc, default_rules() if rules is None else rules)
