"""Everything the rules may look at, for one report: the stages' outputs side by side."""
from __future__ import annotations

from dataclasses import dataclass, field

from .analyse.clean import Cleaned
from .analyse.lines import CLOSING_KINDS
from .models import Classified, Meta, Report, Source
from .analyse.outline import OutlineMap
from .settings import Settings


@dataclass
class Document:
    source: Source
    cleaned: Cleaned
    classified: list[Classified]
    report: Report
    meta: Meta
    outline: OutlineMap
    settings: Settings
    indicators: list = field(default_factory=list)      # models.Indicator
    _memo: dict = field(default_factory=dict, repr=False)
    timings: dict[str, float] = field(default_factory=dict)

    def memo(self, key: str, build):
        """Something several rules derive from this report (event mentions…), derived once."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def last_content(self) -> Classified | None:
        """The last line of the report's own text, before the closing and attachments."""
        return next((c for c in reversed(self.classified) if c.kind not in CLOSING_KINDS), None)

    def last_content_line(self) -> int | None:
        c = self.last_content()
        return c.line.end if c else None
