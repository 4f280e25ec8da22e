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
    severity: str = ""                                   # the gravest of `findings`
    whole: bool = False                                  # marks a line whose words were not found


@dataclass
class Row:
    """One source line as a page shows it; `pieces` None for a line with nothing marked (most
    lines: the page writes them as they are)."""
    no: int
    text: str
    pieces: list[Piece] | None = None
    notes: list[int] = field(default_factory=list)       # findings that say something here
    severity: str = ""                                   # the gravest of `notes`

    @property
    def blank(self) -> bool:
        return not self.notes and not self.text.strip()


def locate(lines: list[str], line: int, needle: str) -> list[tuple[int, int, int]] | None:
    """Where `needle` stands, white space ignored, starting on line `line` (1-based) and running
    over at most REACH line breaks: [(line, start, end)] per source line it covers, or None."""
    want = "".join(needle.split())
    if not want or not 0 < line <= len(lines):
        return None
    i = lines[line - 1].find(needle.strip())
    if i >= 0:                                  # as it stands on its line: the usual case
        return [(line, i, i + len(needle.strip()))]
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


def _core(f: Finding) -> str:
    """The quote without its ellipses (the part of a quote clipped with 「…」 is still a piece
    of the text)."""
    return f.excerpt.strip().strip(_ELLIPSIS).strip()


def place(lines: list[str], f: Finding) -> list[tuple[int, int, int]]:
    """Where a finding is marked: [(line, start, end)]. Its words where it names them — every
    time they stand inside its quote (「XX次……XX次」 is marked twice, and a word the rule
    passed over earlier on the line is not marked), else where they first stand from its line
    on —, else its quote; [] when neither can be found."""
    core = _core(f)
    region = locate(lines, f.line, core) if core else None
    if not f.words:
        return region or []
    out = []
    for w in f.words:
        inside = _within(lines, region or [], w.strip())
        out += inside or locate(lines, f.line, w) or []
    return out


def _within(lines: list[str], region: list[tuple[int, int, int]], word: str) -> list[tuple[int, int, int]]:
    """Every place `word` stands inside the region (each of its lines apart)."""
    out = []
    for no, a, b in region if word else ():
        piece, i = lines[no - 1][a:b], 0
        while (i := piece.find(word, i)) >= 0:
            out.append((no, a + i, a + i + len(word)))
            i += len(word)
    return out


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
        placed = place(lines, f)
        for no, a, b in placed:
            spans.setdefault(no, []).append((a, b, k))
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
        row = Row(no, text)
        if no in spans:
            row.pieces = _pieces(text, spans[no], seen, findings, set(whole.get(no, ())))
        if no in notes:
            row.notes = notes[no]
            row.severity = top_severity(findings, row.notes)
        out.append(row)
    return out, unplaced


def _pieces(text: str, marks: list[tuple[int, int, int]], seen: set[int], findings: list[Finding],
            whole: set[int]) -> list[Piece]:
    """The line cut at every mark's ends; each piece knows the findings that cover it."""
    cuts = sorted({0, len(text), *(a for a, _, _ in marks), *(b for _, b, _ in marks)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = sorted({k for s, e, k in marks if s <= a and b <= e})
        starts = [k for k in covering if k not in seen]
        seen.update(starts)
        out.append(Piece(text[a:b], covering, starts, top_severity(findings, covering) if covering else "",
                         bool(whole.intersection(covering))))
    return out


def top_severity(findings: list[Finding], indexes: list[int]) -> str:
    """The gravest severity among these findings (the colour of a mark where several meet)."""
    return min((findings[k].severity for k in indexes), key=SEVERITY_RANK.__getitem__)
