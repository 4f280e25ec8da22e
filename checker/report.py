"""One report checked, whole: the entry points that take the built-in rules when none are given
(tests, bench/, the rule examples of a unit's files). Above pipeline (the stages and the rule
run) and config (which rules), so neither imports the other."""
from __future__ import annotations

from pathlib import Path

from .config import default_rules
from .document import Document
from .models import Result, Source
from .pipeline import analyse, analyse_path, result_of
from .read.txt import split_lines
from .settings import Settings


def check_text(text: str, name: str = "<text>", rules=None, settings: Settings | None = None,
               waivers=()) -> tuple[Document, Result]:
    """Check a report given as a string (tests, rule examples)."""
    doc = analyse(Source(path=name, lines=split_lines(text)), settings)
    return doc, result_of(doc, default_rules() if rules is None else rules, waivers)


def check_path(path: str | Path, rules=None, settings: Settings | None = None, waivers=(),
               record: dict | None = None) -> tuple[Document, Result]:
    doc = analyse_path(path, settings)
    return doc, result_of(doc, default_rules() if rules is None else rules, waivers, record)


def check_source(source: Source, rules=None, settings: Settings | None = None) -> tuple[Document, Result]:
    """Check a source already read (tests that build one in memory)."""
    doc = analyse(source, settings)
    return doc, result_of(doc, default_rules() if rules is None else rules)
