"""Where a line stands in the report as a clerk finds it in Word: the heading path and the
paragraph under the last heading (「三、存在的不足 › 第2段」). Word shows no line numbers, and 「第 25
段」 counts paragraphs nobody counts; a heading is what the eye looks for."""
from __future__ import annotations

from bisect import bisect_right

from .models import Part, Report
from .text import clip

SEP = " › "


def heading_path(report: Report, line: int) -> str:
    """The headings above `line`, outermost first, and its paragraph under the last of them;
    「标题」, 「开头 › 第k段」 or 「落款」 outside the parts."""
    if any(c.line.start <= line <= c.line.end for c in report.head):
        return "标题"
    starts = [p.line for p in report.parts]
    i = bisect_right(starts, line) - 1
    if i < 0:
        return _nth("开头", report.preamble, line)
    part = report.parts[i]
    if line > part.end_line:
        return "落款" if any(c.line.start <= line for c in report.closing) else "正文末尾"
    trail = []
    while True:
        trail.append(clip(part.marker + part.heading, 16))
        inner = next((c for c in part.children if c.line <= line <= c.end_line), None)
        if inner is None:
            break
        part = inner
    if line == part.line:
        return SEP.join(trail)
    return _nth(SEP.join(trail), _own(part), line)


def _own(part: Part):
    """The paragraphs directly under a part's heading, its run-in text first."""
    return ([part.run_in] if part.run_in else []) + list(part.body)


def _nth(where: str, paragraphs, line: int) -> str:
    for k, p in enumerate(paragraphs, 1):
        if p.line <= line <= p.end_line:
            return f"{where}{SEP}第{k}段"
    return where
