"""The required elements' vocabulary (rules/outline.yaml): their names, the cue patterns that
name them in a heading or say them in a paragraph, which cue yields to which. Shared data like
the lexicon: cleaning and line classification ask whether a line names an element, the outline
map assigns parts with it, and the renderers label the elements with it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .compiled import compile_kept
from .errors import ConfigError
from .regex import accelerate
from .resources import load_yaml, rules_dir
from .text import fold, years_in


@dataclass
class Element:
    id: str
    label: str
    name: str
    optional: bool
    heading: str | None
    embedded: str | None
    search_in: tuple[str, ...]
    scope: str | None
    body: str | None = None         # what the text of a part so headed must say (a heading is a claim)


@lru_cache(maxsize=1)
def spec() -> dict:
    path = rules_dir() / "outline.yaml"
    d = load_yaml(path)
    try:
        els = {k: Element(id=k, label=v["label"], name=v["name"], optional=bool(v.get("optional")), heading=v.get("heading"), embedded=v.get("embedded"),
                           search_in=tuple(v.get("search_in") or ()), scope=v.get("scope"),
                           body=v.get("body"))
               for k, v in d["elements"].items()}
        return {"order": d["order"], "elements": els, "suppresses": d.get("suppresses") or {},
                "future": d["future_year_means"], "thematic_before": set(d["thematic_before"]),
                "max_evidence": int(d["max_evidence"])}
    except (KeyError, TypeError) as e:
        raise ConfigError(f"{path}: 缺少或错误的字段 {e}") from None


def labels() -> dict[str, str]:
    """Element id → its label, in the outline's order (what the tables and pages head columns with)."""
    return {k: e.label for k, e in spec()["elements"].items()}


def optional() -> set[str]:
    """The elements a report may leave out (其他需要报告的事项): not written is not missing."""
    return {k for k, e in spec()["elements"].items() if e.optional}


@lru_cache(maxsize=64)
def compiled(year: int | None) -> dict[str, tuple[re.Pattern | None, re.Pattern | None]]:
    """Cue patterns with the report year filled in ({Y}, {Y1})."""
    y = str(year) if year else "(?:19|20)\\d\\d"
    y1 = str(year + 1) if year else "(?!)"
    out = {}
    for k, el in spec()["elements"].items():
        def rx(p):
            if not p:
                return None
            try:
                return compile_kept(accelerate(p.replace("{Y1}", y1).replace("{Y}", y)))
            except re.error as e:
                raise ConfigError(f"{rules_dir() / 'outline.yaml'}: elements.{k} 的正则表达式有误：{e}") from None
        out[k] = (rx(el.heading), rx(el.embedded), rx(el.body))
    return out


# how far into a paragraph a plan cue may start and still open it (「2025年，我镇将…」「下一步，…」)
_PLAN_OPENS_WITHIN = 12


def opens_plan(norm: str, year: int | None) -> bool:
    """Does this paragraph open the next year's plan (rules/outline.yaml next_plan.embedded at
    its start)? Figures after it are targets, problems after it are the plan's."""
    cue = compiled(year)["next_plan"][1]
    return bool(cue and cue.search(norm, 0, _PLAN_OPENS_WITHIN))


def heading_elements(heading: str, year: int | None) -> list[str]:
    """The elements a heading names, in the canonical order, after suppressions."""
    sp = spec()
    rx = compiled(year)
    norm = fold(heading)
    found = [k for k in sp["order"] if rx[k][0] and rx[k][0].search(norm)]
    if year and any(y > year for y in years_in(heading)) and sp["future"] not in found:
        found.append(sp["future"])
    for k in list(found):
        for weaker in sp["suppresses"].get(k, ()):
            if weaker in found:
                found.remove(weaker)
    return [k for k in sp["order"] if k in found]
