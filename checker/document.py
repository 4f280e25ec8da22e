"""Everything the rules may look at, for one report: the stages' outputs side by side."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .clean import Cleaned
from .models import Classified, Meta, Paragraph, Report, Source
from .outline import OutlineMap


@dataclass
class Document:
    source: Source
    cleaned: Cleaned
    classified: list[Classified]
    report: Report
    meta: Meta
    outline: OutlineMap
    timings: dict[str, float] = field(default_factory=dict)

    @cached_property
    def headings(self) -> list[Classified]:
        return [c for c in self.classified if c.kind in ("H1", "H2", "H3", "H4") or c.style]

    @cached_property
    def body(self) -> list[Paragraph]:
        """Every paragraph of the report in order: preamble, then the parts (run-in text too)."""
        out = list(self.report.preamble)
        for p in self.report.parts:
            out.extend(p.paragraphs())
        return out

    def last_content_line(self) -> int | None:
        """The last source line of the report's own text, before closing and attachments."""
        for c in reversed(self.classified):
            if c.kind not in ("ATTACH", "TAIL"):
                return c.line.end
        return None
