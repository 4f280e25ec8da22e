"""Kind `order`: the standalone parts follow the order of the outline."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ..elements import spec
from .base import Hit


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before: list[tuple[str, str]]        # (a, b): every part carrying a comes before those carrying b


def check(doc, p: Params):
    first: dict[str, tuple[int, str]] = {}
    last: dict[str, tuple[int, str]] = {}
    for part in doc.outline.parts:
        for e in part.elements:
            first.setdefault(e, (part.line, part.heading))
            last[e] = (part.line, part.heading)
    names = spec()["elements"]
    for a, b in p.before:
        if a in last and b in first and last[a][0] > first[b][0]:
            line, heading = last[a]
            yield Hit(line, heading, {"heading": heading, "element": names[a].name,
                                      "after": names[b].name, "after_heading": first[b][1]})
