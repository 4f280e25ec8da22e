"""`fzcheck fix`'s unit of work for one report: its findings' edits planned (checker/fixes.py),
made in its text — in a .docx as tracked changes (checker/word/tracked.py) — and the result
checked again under the same rules, so the command can say that what it fixed is gone and
nothing new appeared."""
from __future__ import annotations

from .fixes import Outcome, apply_text, compare, fixed_findings, planned


ROUNDS = 3     # a fix may bring out another (a comma made full-width lets a heading be read as one)


def fix_report(path, resolved) -> Outcome:
    """One report's fixes: planned from its findings, made in its text — in a .docx as tracked
    changes — and the result checked again under the same rules; what that check finds fixable
    is fixed in turn, a few rounds at most."""
    from .read import load, read_bytes
    from .report import check_report
    doc, result = check_report(path, resolved)
    source = doc.source
    tracker = paragraphs = None
    if source.format == "docx":
        from .word.paragraphs import numbered, open_docx, save
        from .word.tracked import Tracker
        tracker = Tracker(open_docx(load(path)))
        paragraphs = numbered(tracker.document)
    everything: list = []
    current, now, lines = source, result, source.lines
    data = None
    for _ in range(ROUNDS):
        plan = planned(now)
        if not plan:
            break
        if tracker is not None:
            for p in plan:
                where = current.location(p.edit.line)
                p.done = bool(where and where.paragraph in paragraphs
                              and tracker.edit(paragraphs[where.paragraph], p.edit))
            data = save(tracker.document)
            current = read_bytes(data, str(path))
        else:
            lines = apply_text(lines, plan)
            current = source.model_copy(update={"lines": lines, "locations": None, "hints": None, "removed": []})
        everything += plan
        if not any(p.done for p in plan):
            break
        _, now = check_report(current, resolved)
    if tracker is None:
        data = ("\n".join(current.lines) + "\n").encode("utf-8")
    elif data is None:
        data = save(tracker.document)
    gone, new = compare(result, now, everything)
    return Outcome(everything, source.lines, current.lines, data, gone, len(fixed_findings(result, everything)), new,
                   "docx" if tracker is not None else "text")
