"""What every rule kind shares: the rule model loaded from YAML, the field types of the kinds'
Params (a vetted regex, an outline element), and the Hit a kind returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ..compiled import compile_kept
from ..errors import ConfigError
from ..models import ELEMENTS, Severity
from ..regex import vet

RULE_ID = compile_kept(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


class RoleFormat(BaseModel):
    """How one kind of paragraph of an example .docx is formatted (any field left out: GB/T 9704's)."""
    model_config = ConfigDict(extra="forbid")
    font: str | None = None
    size: float | None = Field(None, gt=0)          # points
    spacing: float | None = Field(None, gt=0)       # fixed line spacing, points


class DocxSpec(BaseModel):
    """An example's text made into a .docx laid out so (checker/word/build.py): to GB/T 9704
    except where it says otherwise, or as python-docx's own template (`defaults: word`)."""
    model_config = ConfigDict(extra="forbid")
    defaults: Literal["gbt9704", "word"] = "gbt9704"
    page: dict[Literal["width", "height", "top", "bottom", "left", "right"], float] = Field(default_factory=dict)
    title: RoleFormat | None = None
    h1: RoleFormat | None = None
    h2: RoleFormat | None = None
    body: RoleFormat | None = None
    page_number: float | None = Field(None, ge=0)   # its size in points; 0: no page number


class Example(BaseModel):
    """A report text the rule must pass, or fail — a fail example optionally on a given line, with
    a message containing given words, or with a given number of findings. With `docx`, the text
    is checked as a .docx laid out as it says (the layout rules)."""
    model_config = ConfigDict(extra="forbid")
    text: str
    docx: DocxSpec | None = None
    line: int | None = Field(None, ge=1)
    message: str | None = None          # fail: some finding's message contains this
    count: int | None = None            # fail: this many findings of the rule
    fixed: str | None = None            # fail, a rule with `fix:`: the text once fixed


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    pass_: list[Example] = Field(default_factory=list, alias="pass")
    fail: list[Example] = Field(default_factory=list)

    @field_validator("pass_", "fail", mode="before")
    @classmethod
    def _strings(cls, v):
        return [{"text": x} if isinstance(x, str) else x for x in (v or [])]

    @model_validator(mode="after")
    def _pass_expects_nothing(self):
        for i, ex in enumerate(self.pass_, 1):
            if ex.line is not None or ex.message is not None or ex.count is not None or ex.fixed is not None:
                raise ValueError(f"第 {i} 个通过示例：line、message、count、fixed 只用于不通过（fail）示例")
        return self


class Fix(BaseModel):
    """How a rule's finding is corrected without changing the meaning (`fzcheck fix`): each of
    the finding's words becomes `replace` (a template over the hit's values, {words} the words
    themselves; "" deletes them), or the words with `translate`'s characters swapped. `at:
    start` fixes the words at the start of the line only (a heading's number; no words there:
    `replace` is put in front); `every` fixes every occurrence in the line, not the first."""
    model_config = ConfigDict(extra="forbid")
    replace: str | None = None
    translate: dict[str, str] = Field(default_factory=dict)
    at: Literal["anywhere", "start"] = "anywhere"
    every: bool = False

    @model_validator(mode="after")
    def _one_way(self):
        if (self.replace is None) == (not self.translate):
            raise ValueError("fix 须写 replace（替换为）或 translate（逐字替换）其中之一")
        if any(len(k) != 1 for k in self.translate):
            raise ValueError("fix.translate 的键应为单个字符")
        return self

    def table(self) -> dict[int, str]:
        """`translate` as str.translate takes it, made once (a finding may have 20 words)."""
        made = self.__dict__.get("_table")
        if made is None or made[0] != self.translate:      # a copy with other characters
            made = self.__dict__["_table"] = (dict(self.translate), str.maketrans(self.translate))
        return made[1]


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: str
    severity: Severity
    title: str
    basis: str
    message: str
    suggestion: str
    rationale: str = ""
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True
    # judges what the whole text lacks (a signature, a term never used): not run on a text that
    # breaks off, whose end may hold it (STRUCT-INCOMPLETE says so instead)
    whole: bool = False
    params: Any = None           # validated by the kind's own Params model at load time
    checklist: str | None = None  # the row of rules/checklist.yaml whose result it feeds
    fix: Fix | None = None        # how `fzcheck fix` corrects its findings, if it can safely
    examples: Examples = Field(default_factory=Examples)
    source: str = ""             # the file the rule came from (rules/checks/….yaml, or a unit's path)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError("规则编号应为大写字母、数字和连字符，如 OUT-MEASURES")
        return v


class Strict(BaseModel):
    """Every kind's Params: a parameter the kind does not take is refused, not ignored."""
    model_config = ConfigDict(extra="forbid")


class NoParams(Strict):
    pass


def _vetted(pattern: str) -> str:
    try:
        vet(pattern)        # compiled, and refused if it could hang a batch (checker/regex.py)
    except ConfigError as e:
        raise ValueError(str(e)) from None
    return pattern


VETTED = AfterValidator(_vetted)
Regex = Annotated[str, VETTED]
"""A regular expression from a rule file, vetted when the rule is loaded."""

Element = Literal[ELEMENTS]
"""The name of an outline element (models.ELEMENTS)."""


def _known(names, refusal):
    """A field validator: the value is one of `names()` (looked up when a rule is loaded, the
    data imported then, not with this module), else `refusal(value, names)` in Chinese."""
    def check(name: str) -> str:
        known = names()
        if name not in known:
            raise ValueError(refusal(name, "、".join(known)))
        return name
    return AfterValidator(check)


def _indicator_ids():
    from ..analyse.indicators import indicator_ids
    return indicator_ids()


def _area_lists():
    # a unit's term files add entries to the lists of termlists.ENTRY_MODELS, never a list of
    # another name (refused as 未知的词表): the names are known here, before any configuration
    from ..termlists import ENTRY_MODELS, Area
    return [n for n, m in ENTRY_MODELS.items() if m is Area]


def _event_groups():
    # the groups are those of rules/terms/events.yaml: a unit's events may join one, not add one
    # (termlists.term_lists refuses that), so that a rule naming a group is checked here
    from ..termlists import event_groups
    return event_groups()


KNOWN_INDICATOR = _known(_indicator_ids, lambda n, _: f"未知的指标 {n!r}（见 rules/indicators.yaml）")
Indicator = Annotated[str, KNOWN_INDICATOR]
"""The id of an indicator of rules/indicators.yaml."""

KNOWN_AREA_LIST = _known(_area_lists, lambda n, known: f"未知的领域词表 {n!r}（可用：{known}，见 rules/terms/）")
AreaList = Annotated[str, KNOWN_AREA_LIST]
"""The name of a term list of areas and their cue words (rules/terms/, as gangyao_areas)."""

KNOWN_EVENT_GROUP = _known(_event_groups,
                           lambda n, known: f"未知的提法分组 {n!r}（rules/terms/events.yaml 中的分组：{known}）")
EventGroup = Annotated[str, KNOWN_EVENT_GROUP]
"""A group of the events term list (rules/terms/events.yaml `group`: core, plenum)."""


@dataclass
class Hit:
    """One place a rule fires: the source line, the text to quote, values for the message, and
    the words it concerns where the rule knows them exactly (a page marks those, not the whole
    quote; checker/render/marks.py)."""
    line: int | None
    excerpt: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    words: tuple[str, ...] = ()
    # edits a rule's fix makes beside the hit's own words, (line, old, new): the headings after a
    # skipped number, renumbered with it (checks/numbering.py)
    follow: tuple[tuple[int, str, str], ...] = ()


def quoted(line, start: int, end: int, values: dict[str, Any]) -> Hit:
    """A hit on line.text[start:end] of a cleaned Line: its source line, the words with a little
    context, the words themselves."""
    return Hit(line.line_at(start), window(line.text, start, end), values, words=(line.text[start:end].strip(),))


def window(text: str, start: int, end: int, pad: int = 14) -> str:
    """The matched text with a little context either side, as written."""
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")
