"""What every rule kind shares: the rule model loaded from YAML, and the Hit a kind returns."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..models import Severity

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


class Example(BaseModel):
    """A report text the rule must pass, or fail — optionally on a given line."""
    model_config = ConfigDict(extra="forbid")
    text: str
    line: int | None = None


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    pass_: list[Example] = Field(default_factory=list, alias="pass")
    fail: list[Example] = Field(default_factory=list)

    @field_validator("pass_", "fail", mode="before")
    @classmethod
    def _strings(cls, v):
        return [{"text": x} if isinstance(x, str) else x for x in (v or [])]


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
    examples: Examples = Field(default_factory=Examples)
    source: str = ""             # the file the rule came from

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError("规则编号应为大写字母、数字和连字符，如 OUT-MEASURES")
        return v


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass
class Hit:
    """One place a rule fires: the source line, the text to quote, values for the message."""
    line: int | None
    excerpt: str = ""
    values: dict[str, Any] = field(default_factory=dict)


def window(text: str, start: int, end: int, pad: int = 14) -> str:
    """The matched text with a little context either side, as written."""
    a, b = max(0, start - pad), min(len(text), end + pad)
    return ("…" if a else "") + text[a:b].strip() + ("…" if b < len(text) else "")
