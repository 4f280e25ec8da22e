"""grammar/lexicon.yaml loaded once and compiled: the patterns that tell a line's role."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .compiled import compile_kept
from .errors import ConfigError
from .resources import grammar_dir, load_yaml
from .text import int_to_cn


@dataclass(frozen=True)
class Marker:
    style: str
    pattern: re.Pattern
    render: str = ""
    repair: str | None = None
    after: str | None = None       # a repair valid only right after a sibling of this style

    def format(self, n: int) -> str:
        return self.render.format(cn=int_to_cn(n), n=n)


@dataclass(frozen=True)
class Lexicon:
    headings: tuple[Marker, ...]
    item: Marker
    repairs: tuple[Marker, ...]
    lost_marker: re.Pattern
    heading_line: re.Pattern
    not_heading_lead: re.Pattern
    heading_end: re.Pattern
    heading_max: int
    closing_phrase: re.Pattern
    date: re.Pattern
    iso_date: re.Pattern
    bare_date: re.Pattern
    signature: re.Pattern
    attachment: re.Pattern
    tail_lines: re.Pattern
    addressee: re.Pattern
    title_end: re.Pattern
    title_topic: re.Pattern
    title_site_suffix: re.Pattern
    unit_line: re.Pattern
    title_without_unit: re.Pattern
    header_max_lines: int
    title_max: int
    body_line: re.Pattern

    def opens_structure(self, norm: str) -> bool:
        """Does the line open with a heading or item marker (damaged ones included)?"""
        return any(m.pattern.match(norm) for m in (*self.headings, self.item, *self.repairs) if m.after is None)

    def rank(self, style: str) -> int:
        return [m.style for m in self.headings].index(style)

    def render(self, style: str, n: int) -> str:
        for m in (*self.headings, self.item):
            if m.style == style:
                return m.format(n)
        return ""


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    path = grammar_dir() / "lexicon.yaml"
    d = load_yaml(path)
    cn = d["cn_numeral"]

    def rx(field: str, pat: str) -> re.Pattern:
        try:
            return compile_kept(pat.replace("CN", cn))
        except re.error as e:
            raise ConfigError(f"{path}: 字段 {field} 的正则表达式有误：{e}") from None

    def marker(i, m, field) -> Marker:
        return Marker(style=m["style"], pattern=rx(f"{field}[{i}].pattern", m["pattern"]),
                      render=m.get("render", ""), repair=m.get("repair"), after=m.get("after"))

    try:
        headings = tuple(marker(i, m, "headings") for i, m in enumerate(d["headings"]))
        renders = {m.style: m.render for m in headings} | {d["item"]["style"]: d["item"]["render"]}
        repairs = tuple(
            Marker(style=r.style, pattern=r.pattern, render=renders.get(r.style, ""),
                   repair=r.repair, after=r.after)
            for r in (marker(i, m, "repairs") for i, m in enumerate(d["repairs"])))
        return Lexicon(
            headings=headings, item=marker(0, d["item"], "item"), repairs=repairs,
            **{k: rx(k, d[k]) for k in ("lost_marker", "heading_line", "not_heading_lead", "heading_end", "closing_phrase", "date",
                                         "iso_date", "bare_date", "signature", "attachment",
                                         "tail_lines", "addressee", "body_line", "title_end",
                                         "title_topic", "title_site_suffix", "unit_line", "title_without_unit")},
            heading_max=int(d["heading_max"]), header_max_lines=int(d["header_max_lines"]),
            title_max=int(d["title_max"]))
    except KeyError as e:
        raise ConfigError(f"{path}: 缺少字段 {e.args[0]}") from None
