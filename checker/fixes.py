"""`fzcheck fix`: the findings' own edits (a rule's `fix:`, checks/base.Fix) applied to the text,
and the fixed text checked again — what is fixed must be gone and nothing new may appear."""
from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field

from .models import Edit, Finding, Result


@dataclass
class Planned:
    finding: Finding
    edit: Edit
    done: bool = False


@dataclass
class Outcome:
    """What fixing one report did: its edits (applied or not), the text before and after, and
    the check of the fixed text."""
    planned: list[Planned]
    before: list[str]
    after: list[str]
    data: bytes | None = None           # the fixed copy: .docx with tracked changes, else text
    gone: int = 0                       # of the original's findings fixed (every edit made), those no longer found
    fixed: int = 0                      # the original's findings whose every edit was made
    new: list[Finding] = field(default_factory=list)   # findings the fixed text has and the original had not
    format: str = "text"                # of `data`: "docx" (tracked changes) or "text" (UTF-8)

    @property
    def applied(self) -> list[Planned]:
        return [p for p in self.planned if p.done]


def planned(result: Result) -> list[Planned]:
    return [Planned(f, e) for f in result.findings if f.waived is None for e in f.fix]


def apply_line(text: str, edit: Edit) -> str | None:
    """The line with the edit made, None when its words are not there (any more)."""
    if edit.at == "start":
        lead = text[:len(text) - len(text.lstrip())]
        rest = text[len(lead):]
        if not rest.startswith(edit.old):
            return None
        return lead + edit.new + rest[len(edit.old):]
    if not edit.old or edit.old not in text:
        return None
    return text.replace(edit.old, edit.new, -1 if edit.every else 1)


def apply_text(lines: list[str], plan: list[Planned]) -> list[str]:
    """The lines with every edit that still fits made; a line the edits emptied (a leftover
    removed whole) is dropped."""
    out = list(lines)
    emptied = set()
    for p in plan:
        i = p.edit.line - 1
        if not 0 <= i < len(out):
            continue
        changed = apply_line(out[i], p.edit)
        if changed is not None:
            p.done = True
            if out[i].strip() and not changed.strip():
                emptied.add(i)
            out[i] = changed
    return [t for i, t in enumerate(out) if i not in emptied]


def fixed_findings(before: Result, plan: list[Planned]) -> list[Finding]:
    """The findings of the original whose every edit was made."""
    done: dict[int, bool] = {}
    for p in plan:
        done[id(p.finding)] = done.get(id(p.finding), True) and p.done
    return [f for f in before.findings if done.get(id(f))]


def compare(before: Result, after: Result, plan: list[Planned]) -> tuple[int, list[Finding]]:
    """(how many of the fixed findings are gone from the check of the fixed text, the findings
    that are new: of a rule that has more findings than before, those past its former count)."""
    still = {f.id for f in after.findings}
    gone = sum(1 for f in fixed_findings(before, plan) if f.id not in still)
    was = Counter(f.rule for f in before.findings)
    now = Counter(f.rule for f in after.findings)
    grew = {r for r in now if now[r] > was[r]}
    seen = Counter()
    new = []
    for f in after.findings:
        if f.rule in grew:
            seen[f.rule] += 1
            if seen[f.rule] > was[f.rule]:
                new.append(f)
    return gone, new


def unified(before: list[str], after: list[str], name: str) -> list[str]:
    return list(difflib.unified_diff(before, after, f"{name}（原文）", f"{name}（修改后）", lineterm="", n=1))

