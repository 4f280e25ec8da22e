"""The shared vocabulary of the pipeline: each stage hands the next one of these models.

The per-line structures (Line, Classified, Paragraph, Part, Report) are slotted dataclasses:
~90 of them per report, and building them as pydantic models cost 1.8 ms of a 5 ms check even
without validation (bench/). They never leave the program; what does (Source, Result and its
parts, findings, rules, configuration) is pydantic and validated.

read → Source · clean → Cleaned (Line, Removed) · lines → Classified · parse → Report (Part)
· outline → OutlineItem · meta → Meta · checks → Finding · pipeline → Result
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from pydantic import BaseModel, Field

from .text import line_at


def _version() -> str:
    from . import __version__
    return __version__

Severity = Literal["error", "warning", "info"]
Status = Literal["standalone", "embedded", "absent", "unknown"]
Level = Literal["province", "city", "county", "district", "township", "street", "department"]
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "district": "区级", "township": "乡镇",
               "street": "街道", "department": "部门"}
ELEMENTS = ("measures", "first_responsible", "shortcomings", "reasons", "next_plan", "other")
SEVERITIES: tuple[Severity, ...] = get_args(Severity)   # the order of gravity: every ranking derives from it
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def place(line: int | None, location=None) -> str:
    """Where something is, as a reader of the original finds it: the page of a PDF, the heading
    path of a Word file (else its paragraph), with the line of the extracted text; else the line."""
    if not line:
        return "第 — 行"
    path = getattr(location, "path", None)
    if location is not None and location.page:
        return f"第 {location.page} 页 · {path}（第 {line} 行）" if path else f"第 {location.page} 页（第 {line} 行）"
    if path:
        return f"{path}（第 {line} 行）"
    if location is not None and location.paragraph:
        table = f"表格 {location.table}，" if location.table else ""
        return f"第 {location.paragraph} 段（{table}第 {line} 行）"
    return f"第 {line} 行"


class Location(BaseModel):
    """Where a line sits in a structured original (docx paragraph, pdf page)."""
    paragraph: int | None = None
    page: int | None = None
    table: int | None = None
    # the heading path of a finding's line, as a clerk finds it in Word (checker/where.py):
    # 「三、存在的不足 › 第2段」; set on findings, not on the reader's locations
    path: str | None = None


class Removed(BaseModel):
    """Text the cleaner took out: kept, because a reviewer may need it and rules may report it."""
    line: int
    text: str
    kind: str          # chrome | markup | tail | control (NUL bytes the reader dropped) | more (how many more, past the cap of rules/limits.yaml)
    pattern: str       # id of the pattern in rules/clean.yaml that removed it


class Format(BaseModel):
    """A paragraph's formatting as Word shows it (direct formatting over its styles over the
    document's defaults and theme): the font of its Chinese text, size and line spacing."""
    font: str | None = None              # east-Asian font name, as the document names it
    size: float | None = None            # points
    spacing: float | None = None         # line pitch in points (fixed, at least, or n lines × size)
    spacing_rule: str | None = None      # exact | atLeast | auto


class Page(BaseModel):
    """The first section's page, millimetres."""
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float


class Layout(BaseModel):
    """What a .docx says of its layout (checker/read/docxlayout.py): the layout rules read this."""
    page: Page | None = None
    formats: dict[int, Format] = Field(default_factory=dict)   # Location.paragraph → its format
    page_number: Format | None = None    # the footer's PAGE field, None when there is none
    footer: bool = False                 # the page number (if any) is in the footer


class Source(BaseModel):
    """What a reader produced: the text as lines, each traceable to the original file."""
    path: str
    format: str = "txt"
    encoding: str | None = None
    lines: list[str]                                   # lines[0] is line 1 of the input
    locations: list[Location | None] | None = None     # same length as lines, for docx/pdf
    hints: list[str | None] | None = None              # same length: "h1".."h4" (a heading style),
                                                       # "table" (a table cell: never structure)
    published: str | None = None                       # a date the reader found outside the text
    title: str | None = None                           # a title the reader found outside the text
    removed: list[Removed] = Field(default_factory=list)   # what the reader dropped (NUL bytes)
    layout: Layout | None = None                       # a .docx's page and fonts (GB/T 9704 rules)

    def hint(self, line: int) -> str | None:
        if self.hints and 0 < line <= len(self.hints):
            return self.hints[line - 1]
        return None

    def location(self, line: int) -> Location | None:
        if self.locations and 0 < line <= len(self.locations):
            return self.locations[line - 1]
        return None


@dataclass(slots=True)
class Line:
    """A logical line after cleaning: one or more source lines joined, artefacts removed.

    `text` is as written (trimmed); `norm` is the same length with full-width forms folded to
    ASCII, so patterns match both widths and offsets found in `norm` index `text`.
    `spans` maps character offsets back to source lines: (offset where a source line starts, line).
    """
    text: str
    norm: str
    spans: list[tuple[int, int]]
    hint: str | None = None          # from the reader: h1..h4 (a heading style), table (a table cell)

    @property
    def start(self) -> int:
        return self.spans[0][1]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    def line_at(self, offset: int) -> int:
        """The source line on which the character at `offset` sits."""
        return line_at(self.spans, offset)


@dataclass(slots=True)
class Classified:
    """A line with its role in the report. kind is one of the grammar's terminals."""
    line: Line
    kind: str                      # TITLE HDATE ADDRESSEE PARA ITEM H1..H4 CLOSING SIGN DATE ATTACH TAIL
    style: str | None = None       # heading style: cn (一、) cn_paren ((一)) num (1.) num_paren ((1)) item (一是)
    number: int | None = None      # the number the heading carries, or the one inferred for a repair
    marker: str = ""               # the marker as written, e.g. "(一)"; "" when lost entirely
    heading: str = ""              # heading text without marker (up to the first full stop)
    body: str = ""                 # text run into the heading line after it
    body_at: int = 0               # offset in line.text where `body` starts
    repair: str | None = None      # lost_number | lost_bracket | lost_marker | unnumbered | item_parts | repeated | skipped | out_of_order
    expected_marker: str | None = None   # the marker a repaired heading should have carried


@dataclass(slots=True)
class Paragraph:
    text: str
    norm: str                      # `text` with full-width forms folded (see Line)
    line: int
    end_line: int
    kind: str = "PARA"
    spans: list[tuple[int, int]] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        return line_at(self.spans, offset) if self.spans else self.line


@dataclass(slots=True)
class Part:
    """A heading and everything under it."""
    depth: int
    heading: str
    marker: str
    number: int | None
    line: int
    end_line: int
    style: str | None = None
    body: list[Paragraph] = field(default_factory=list)
    children: list["Part"] = field(default_factory=list)
    run_in: Paragraph | None = None    # body text on the heading's own line
    head: Paragraph | None = None      # the heading line itself (marker and heading, no run-in)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def paragraphs(self):
        """All paragraphs of this part, its run-in text first, in reading order."""
        if self.run_in:
            yield self.run_in
        yield from self.body
        for c in self.children:
            yield from c.paragraphs()

    def content(self):
        """What the part says, in reading order: its paragraphs and its sub-parts' headings
        too — a plan or a list of problems is often nothing but headings
        (「（一）充实审核力量，争取增加编制2名。」), each a full sentence."""
        if self.run_in:
            yield self.run_in
        yield from self.body
        for c in self.children:
            if c.head:
                yield c.head
            yield from c.content()


@dataclass(slots=True)
class Report:
    head: list[Classified] = field(default_factory=list)       # title, header date, addressee
    preamble: list[Paragraph] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    closing: list[Classified] = field(default_factory=list)
    recovered: list[int] = field(default_factory=list)          # lines the parser had to skip


class Evidence(BaseModel):
    line: int
    text: str


class OutlineItem(BaseModel):
    status: Status
    evidence: list[Evidence] = Field(default_factory=list)
    # absent though a part's heading names it: the headings whose text does not carry it
    claimed: list[Evidence] = Field(default_factory=list)


class PartInfo(BaseModel):
    heading: str
    line: int
    element: str | None           # the main element this part carries (None: not recognised)
    elements: list[str] = Field(default_factory=list)
    thematic: bool = False        # a themed part counted toward the measures


class Meta(BaseModel):
    title: str | None = None
    title_line: int | None = None
    issuer: str | None = None
    report_year: int | None = None        # the body's year, else the title's
    level: Level | None = None
    date: str | None = None        # signing date, else publication date (ISO)
    signed: str | None = None
    published: str | None = None
    written: str | None = None            # 成文日期 of the page's disclosure block
    publisher: str | None = None          # 发布机构 of the page's disclosure block
    document_number: str | None = None    # 文号 of the page's disclosure block
    title_year: int | None = None         # the year the title names
    body_year: int | None = None          # the year the report's own text says it reports on
    body_year_line: int | None = None
    sources: dict[str, str] = Field(default_factory=dict)   # field → where it came from


class Waived(BaseModel):
    reason: str
    expires: str
    source: str = ""
    # set when the waiver applied to an edited sentence by similarity, not by its fingerprint:
    # says so, with the wording it was written for and the fingerprint to write now
    note: str = ""


class Edit(BaseModel):
    """A change of the text that cannot change its meaning, declared by the rule (its `fix:`):
    on source line `line`, `old` becomes `new` — at the line's start (a heading's number), at
    its first occurrence, or at every one (`every`: a punctuation mark). An `old` that is no
    longer there is not applied (the text changed under it)."""
    line: int
    old: str
    new: str
    at: Literal["anywhere", "start"] = "anywhere"
    every: bool = False


class Finding(BaseModel):
    rule: str
    severity: Severity
    title: str
    message: str
    line: int | None
    excerpt: str = ""
    # the words the finding concerns, as written, where the rule knows them exactly (a placeholder,
    # a misquoted title): what the pages mark (checker/render/marks.py); [] when the excerpt is
    # the place
    words: list[str] = Field(default_factory=list)
    basis: str
    suggestion: str
    location: Location | None = None
    fingerprint: str = ""               # rule + normalised excerpt: what a waiver names
    id: str = ""                         # rule + part + normalised excerpt: stable across drafts
    # the element of the top-level part the finding is in (measures, shortcomings…; head,
    # closing, report): near matches across drafts stay within it (checker/matching.py)
    part: str = ""
    waived: Waived | None = None         # accepted by a waiver: shown, not counted
    change: Literal["new", "persisting", "fixed"] | None = None   # against a baseline (check/audit --baseline)
    # a rule's findings beyond the cap of rules/limits.yaml: this one finding stands for `omitted`
    # findings not listed one by one (its message says 「另有 N 处」); 0 for an ordinary finding
    omitted: int = 0
    # what `fzcheck fix` would change for it (the rule's `fix:`); [] when the rule fixes nothing
    fix: list[Edit] = Field(default_factory=list)


class RuleFailure(BaseModel):
    """A rule that crashed on this report: it was not checked (its findings are not listed)."""
    rule: str
    error: str                          # a short Chinese text with the exception's type

    @property
    def message(self) -> str:
        return f"规则 {self.rule} 运行出错，此项未检查"


class Summary(BaseModel):
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    waived: int = 0

    @property
    def exit_code(self) -> int:
        """`check`'s exit code for the report: 1 when an error-level finding counts."""
        return 1 if self.errors else 0


class Indicator(BaseModel):
    """A figure the report gives (rules/indicators.yaml)."""
    id: str
    name: str
    value: int | float
    unit: str
    line: int
    text: str


class Result(BaseModel):
    tool: dict = Field(default_factory=lambda: {"name": "fzcheck", "version": _version()})
    source: str
    format: str
    encoding: str | None = None
    profile: str = ""                    # level/stage the rules ran with
    config: dict = Field(default_factory=dict)   # layers, rule pack, counts (config.Resolved.record)
    meta: Meta
    parts: list[PartInfo]
    outline: dict[str, OutlineItem]
    findings: list[Finding]
    summary: Summary
    indicators: list[Indicator] = Field(default_factory=list)
    fixed: list[Finding] = Field(default_factory=list)       # in the baseline, gone now
    removed: list[Removed] = Field(default_factory=list)
    # rules that crashed on this report (always present, [] when none): a partial check
    rule_failures: list[RuleFailure] = Field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return self.summary.exit_code
