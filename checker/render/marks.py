"""Where each finding sits in the report's text, down to the words: the pieces of each source
line a page marks (the result page of `check --format html`, the audit's report pages, the
clerk's page of `fzcheck serve`).

A finding names its source line and either the words it concerns (`words`, where the rule
knows them exactly) or a quote with a little context (`excerpt`). Both come from the cleaned
text, which may differ from the source line in ways that do not move a reader's eye: spaces
trimmed or dropped, a line broken in two by the file (a PDF's line ends, a hard return inside a
sentence). So the words are looked for with white space ignored, from the finding's line over
the next few lines; a finding whose words cannot be placed marks its whole line, never nothing
(`Row.whole`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import SEVERITY_RANK, Finding

# how many line breaks a quote may run over (a sentence broken by a PDF's line ends)
REACH = 4
_ELLIPSIS = "…"


@dataclass
class Piece:
    """A stretch of one line: plain text (`findings` empty) or marked for those findings."""
    text: str
    findings: list[int] = field(default_factory=list)    # indexes into the result's findings
    starts: list[int] = field(default_factory=list)      # the findings whose first mark this is

    @property
    def marked(self) -> bool:
        return bool(self.findings)


@dataclass
class Row:
    """One source line as a page shows it."""
    no: int
    pieces: list[Piece]
    notes: list[int] = field(default_factory=list)       # findings that say something here
    whole: list[int] = field(default_factory=list)       # findings on this line not placed at words


def locate(lines: list[str], line: int, needle: str) -> list[tuple[int, int, int]] | None:
    """Where `needle` stands, white space ignored, starting on line `line` (1-based) and running
    over at most REACH line breaks: [(line, start, end)] per source line it covers, or None."""
    want = "".join(needle.split())
    if not want or not 0 < line <= len(lines):
        return None
    chars: list[str] = []
    where: list[tuple[int, int]] = []          # (line, column) of each char kept
    for no in range(line, min(len(lines), line + REACH) + 1):
        for col, ch in enumerate(lines[no - 1]):
            if not ch.isspace():
                chars.append(ch)
                where.append((no, col))
        if no == line and len(chars) >= len(want) and "".join(chars).find(want) >= 0:
            break                               # found on its own line: look no further
    i = "".join(chars).find(want)
    if i < 0 or where[i][0] != line:
        return None
    spans: dict[int, list[int]] = {}
    for no, col in where[i:i + len(want)]:
        s = spans.setdefault(no, [col, col + 1])
        s[1] = col + 1
    return [(no, a, b) for no, (a, b) in spans.items()]


def _targets(f: Finding) -> list[str]:
    """What to look for: the exact words, else the quote without its ellipses (the part of a
    quote clipped with 「…」 is still a piece of the text)."""
    if f.words:
        return list(f.words)
    core = f.excerpt.strip().strip(_ELLIPSIS).strip()
    return [core] if core else []


def rows(lines: list[str], findings: list[Finding]) -> tuple[list[Row], list[int]]:
    """Every source line as pieces, marked where findings are; and the findings that have no line
    (the report as a whole: a part missing, a title wanted). Waived findings are not marked."""
    spans: dict[int, list[tuple[int, int, int]]] = {}    # line → (start, end, finding)
    notes: dict[int, list[int]] = {}
    whole: dict[int, list[int]] = {}
    unplaced: list[int] = []
    for k, f in enumerate(findings):
        if f.waived:
            continue
        if not f.line or not 0 < f.line <= len(lines):
            unplaced.append(k)
            continue
        notes.setdefault(f.line, []).append(k)
        placed = False
        for target in _targets(f):
            for no, a, b in locate(lines, f.line, target) or ():
                spans.setdefault(no, []).append((a, b, k))
                placed = True
        if not placed:
            whole.setdefault(f.line, []).append(k)
            text = lines[f.line - 1]
            a = len(text) - len(text.lstrip())
            b = len(text.rstrip())
            if b > a:
                spans.setdefault(f.line, []).append((a, b, k))
    seen: set[int] = set()
    out = []
    for no, text in enumerate(lines, 1):
        out.append(Row(no, _pieces(text, spans.get(no, []), seen), notes.get(no, []), whole.get(no, [])))
    return out, unplaced


def _pieces(text: str, marks: list[tuple[int, int, int]], seen: set[int]) -> list[Piece]:
    """The line cut at every mark's ends; each piece knows the findings that cover it."""
    if not marks:
        return [Piece(text)]
    cuts = sorted({0, len(text), *(a for a, _, _ in marks), *(b for _, b, _ in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = sorted({k for s, e, k in marks if s <= a and b <= e})
        starts = [k for k in covering if k not in seen]
        seen.update(starts)
        out.append(Piece(text[a:b], covering, starts))
    return out


def top_severity(findings: list[Finding], indexes: list[int]) -> str:
    """The gravest severity among these findings (the colour of a mark where several meet)."""
    return min((findings[k].severity for k in indexes), key=SEVERITY_RANK.__getitem__)
