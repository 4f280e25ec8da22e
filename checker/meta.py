"""Metadata of a report: title, issuer, report year, level and dates (rules/meta.yaml)."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .lexicon import lexicon
from .models import Classified, Meta, Removed, Report
from .resources import load_yaml, rules_dir
from .text import YEAR, cn_to_int, fold, year_value, years_in


@lru_cache(maxsize=1)
def _cfg() -> dict:
    d = dict(load_yaml(rules_dir() / "meta.yaml"))
    d["issuer_rx"] = [re.compile(p) for p in d["issuer_in_title"]]
    d["unit_line_rx"] = re.compile(d["unit_line"])
    d["pub_rx"] = re.compile(d["publication_date"])
    d["units_rx"] = re.compile("|".join(f"(?P<{u['level']}>{u['pattern']})" for u in d["units"]))
    d["dept_rx"] = re.compile(d["department"])
    d["not_dept_rx"] = re.compile(d["not_department"])
    d["joint_rx"] = re.compile(d["joint_prefer"])
    return d


def title_of(head: list[Classified]) -> tuple[str | None, int | None]:
    """The first complete title among the head lines, unit lines joined with a space."""
    cfg = _cfg()
    pieces: list[str] = []
    first = None
    for c in head:
        if c.kind != "TITLE":
            continue
        text = re.sub(r"\s+", " ", c.line.text)
        if first is None:
            first = c.line.start
        if pieces and cfg["unit_line_rx"].search(fold(pieces[-1])):
            pieces.append(" " + text)
        else:
            pieces.append(text)
        if lexicon().title_end.search(fold(text)):
            break
    if not pieces:
        return None, None
    return "".join(pieces).strip(), first


def publication_date_in(text: str) -> re.Match | None:
    """「发布时间：2025-04-15」 in a line of page furniture (rules/meta.yaml publication_date),
    matched on the folded text: offsets index `text` too."""
    return _cfg()["pub_rx"].search(fold(text))


def issuer_from_title(title: str | None) -> str | None:
    if not title:
        return None
    norm = fold(title)
    for rx in _cfg()["issuer_rx"]:
        m = rx.search(norm)
        if m:
            s, e = m.span("issuer")
            issuer = title[s:e].strip(" ,，")
            if len(issuer) >= 2 and not issuer.startswith("关于"):
                return issuer
    return None


def level_of(issuer: str | None) -> str | None:
    """The level from the innermost unit named, or department when the issuer is one."""
    if not issuer:
        return None
    cfg = _cfg()
    names = issuer.split()
    name = next((n for n in names if cfg["joint_rx"].search(n)), names[0] if names else issuer)
    name = re.sub(r"^(中共|中国共产党)", "", fold(name))
    last = None
    for m in cfg["units_rx"].finditer(name):
        last = m
    rest = name[last.end():] if last else name
    if rest and cfg["dept_rx"].match(rest) and not cfg["not_dept_rx"].match(rest):
        return "department"
    return last.lastgroup if last else None


def parse_date(norm: str) -> tuple[str | None, bool]:
    """(ISO date, well_formed) from a date line; (None, False) when it cannot be a date."""
    lx = lexicon()
    m = lx.date.match(norm) or lx.iso_date.match(norm)
    if not m:
        return None, False
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        return date(year_value(y), int(cn_to_int(mo) or 0), int(cn_to_int(d) or 0)).isoformat(), True
    except (ValueError, TypeError):
        return None, False


_REPORTING = re.compile(rf"现将.{{0,24}}?({YEAR})\s*年")


def _year_in(text: str) -> int | None:
    """The year a title or an opening sentence is about: 「现将…2023年…」 first, else its first
    year that is not part of a span (《纲要（2021—2025年）》 names a period)."""
    m = _REPORTING.search(fold(text))
    if m:
        return year_value(m.group(1))
    ys = years_in(text)
    return ys[0] if ys else None


def extract(report: Report, removed: list[Removed], published: str | None = None) -> Meta:
    cfg = _cfg()
    title, title_line = title_of(report.head)
    issuer = issuer_from_title(title)
    signature = " ".join(c.line.text.strip() for c in report.closing if c.kind == "SIGN") or None
    meta = Meta(title=title, title_line=title_line, issuer=issuer or signature)
    meta.level = level_of(issuer) or level_of(signature)

    for c in report.closing:
        if c.kind == "DATE":
            iso, ok = parse_date(c.line.norm)
            if ok:
                meta.signed = iso
    pub = published
    for r in removed:
        m = publication_date_in(r.text)
        if m and pub is None:
            try:
                pub = date(int(m.group(3)), int(m.group(4)), int(m.group(5))).isoformat()
            except ValueError:
                pass
    head_date = next((d for c in report.head if c.kind == "HDATE" and (d := parse_date(c.line.norm)[0])), None)
    web = any(r.kind == "chrome" for r in removed)
    if web and pub is None:
        pub = head_date                 # a web page's date under the title (来源、浏览字体… around it)
    if not web and meta.signed is None:
        # 「（2026年1月20日）」 under the title of a document: the date it was written
        meta.signed = head_date
    meta.published = pub
    meta.date = meta.signed or meta.published

    meta.report_year = _year_in(title) if title else None
    if meta.report_year is None and report.preamble:
        meta.report_year = _year_in(report.preamble[0].text)
    if meta.report_year is None:
        years = [y for p in report.parts if (y := _year_in(p.heading))]
        if years:
            meta.report_year = min(years)
    if meta.report_year is None and meta.date:
        meta.report_year = int(meta.date[:4]) - 1
    return meta
