"""Metadata of a report: title, issuer, report year, level and dates (rules/meta.yaml)."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from . import places
from ..compiled import compile_kept
from ..lexicon import lexicon
from ..models import Classified, Meta, Report
from ..resources import load_yaml, rules_dir
from .pagemeta import iso_date

if TYPE_CHECKING:
    from .clean import Cleaned
from ..text import YEAR, YEAR_SPAN, cn_to_int, fold, year_value, years_in


@lru_cache(maxsize=1)
def _cfg() -> dict:
    d = dict(load_yaml(rules_dir() / "meta.yaml"))
    d["issuer_rx"] = [compile_kept(p) for p in d["issuer_in_title"]]
    d["pub_rx"] = compile_kept(d["publication_date"])
    sub = d["subject"]
    d["subject_rx"] = {k: compile_kept(v) for k, v in sub.items() if isinstance(v, str)}
    d["subject_paragraphs"] = int(sub.get("paragraphs", 3))
    return d


# A title's own furniture: a page date after it (「…报告 (2023-01-20)」), a column prefix
# (「【法治建设报告】」) before the issuer.
_TITLE_DATE = compile_kept(r"\s*[(（]\s*(?:19|20)\d{2}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?\s*[)）]\s*$")
_COLUMN = compile_kept(r"^\s*【[^】]{1,12}】\s*")
_RUN_IN_TITLE = compile_kept(r"^(?P<title>[^，,。；;：:、\s]{6,40}?(?:年度报告|情况报告|自查报告|的报告|工作报告|工作总结))(?=[^，,。；;：:、\s]{4})")


def title_of(head: list[Classified], written=None) -> tuple[str | None, int | None]:
    """The title among the head lines (lines.py marks them TITLE), unit lines joined with a
    space, a page date after it left out; each line as written (`written`: lines converted from
    traditional script)."""
    lx = lexicon()
    pieces: list[str] = []
    first = None
    prev = ""                   # the last piece's folded text, in simplified characters
    for c in head:
        if c.kind != "TITLE":
            continue
        text = c.line.text if not written else written.original(c.line.start, c.line.text)
        text = re.sub(r"\s+", " ", text)
        if first is None:
            first = c.line.start
        if pieces and lx.unit_line.search(prev):
            pieces.append(" " + text)
        else:
            pieces.append(text)
        prev = c.line.norm
        if lx.title_end.search(lx.title_site_suffix.sub("", c.line.norm)):
            break
    if not pieces:
        return None, None
    title = lx.title_site_suffix.sub("", _TITLE_DATE.sub("", "".join(pieces)).strip())
    return title.strip(), first


def publication_date_in(text: str) -> re.Match | None:
    """「发布时间：2025-04-15」 in a line of page furniture (rules/meta.yaml publication_date),
    matched on the folded text: offsets index `text` too."""
    return _cfg()["pub_rx"].search(fold(text))


def issuer_from_title(title: str | None) -> str | None:
    if not title:
        return None
    title = _COLUMN.sub("", title)
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
    """The level of the unit a name stands for (checker/analyse/places.py)."""
    unit = places.level_of(issuer)
    return unit.level if unit else None


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


_REPORTING = compile_kept(rf"现将.{{0,24}}?({YEAR})\s*年")
# 「2025年，我镇…」「2024年度，…」「2024年是…之年」: the year an opening sentence is about
_LEADING = compile_kept(rf"^\s*({YEAR})\s*年(?:度)?\s*(?:[,，、]|是|全年)")
# 「2023年以来，…」: usually the year reported on, but 「2018年以来」 reaches back — weaker
_SINCE = compile_kept(rf"^\s*({YEAR})\s*年(?:度)?\s*以来")
# words that name a year not of the report: a title in 《》, a document number 〔2019〕
_NOT_ABOUT = compile_kept(r"《[^《》]{0,80}》|[〔\[(（]\s*(?:19|20)\d{2}\s*[〕\])）]")


def _plain(norm: str) -> str:
    """`norm` with the years that are not about the report blanked out (same length): titles in
    《》, document numbers 〔2019〕, spans of years."""
    norm = _NOT_ABOUT.sub(lambda x: " " * len(x.group(0)), norm)
    return YEAR_SPAN.sub(lambda x: " " * len(x.group(0)), norm)


def _year_in(text: str) -> int | None:
    """The year a title or an opening sentence is about: 「现将…2023年…」 first, else a year
    leading the text, else its first year that is not part of a span (《纲要（2021—2025年）》
    names a period), a title in 《》 or a document number."""
    norm = _plain(fold(text))
    m = _REPORTING.search(norm)
    if m:
        return year_value(m.group(1))
    m = _LEADING.match(norm) or _SINCE.match(norm)
    if m:
        return year_value(m.group(1))
    ys = years_in(norm)
    return ys[0] if ys else None


def _opening(report: Report, n: int) -> list:
    """The paragraphs that open the report: the preamble, or the first part's text."""
    paras = list(report.preamble[:n])
    if len(paras) < n and report.parts:
        paras += list(report.parts[0].paragraphs())[: n - len(paras)]
    return paras


def _body_year(report: Report, n: int) -> tuple[int | None, int | None, bool]:
    """The year the report's own text says it reports on, the line saying so, and whether it
    says so plainly: 「现将2024年度…报告如下」 or a year leading an opening paragraph
    (「2025年，我镇…」) do; 「2023年以来，…」 or the first year the first paragraph names
    (「按照市委2023年工作部署…」) only hint."""
    paras = _opening(report, n)
    plain = [(p, _plain(p.norm)) for p in paras]
    for p, norm in plain:
        m = _REPORTING.search(norm)
        if m:
            return year_value(m.group(1)), p.line_at(m.start(1)), True
    for p, norm in plain:
        m = _LEADING.match(norm)
        if m:
            return year_value(m.group(1)), p.line, True
    for p, norm in plain:
        m = _SINCE.match(norm)
        if m:
            return year_value(m.group(1)), p.line, False
    if paras:
        ys = years_in(plain[0][1])
        if ys:
            return ys[0], paras[0].line, False
    return None, None, False


def _heading_year(report: Report) -> int | None:
    years = [y for p in report.parts if (y := _year_in(p.heading))]
    return min(years) if years else None


def _own_words(report: Report) -> tuple[str, str] | None:
    """The report's words for itself in its opening (「我镇」「本街道」, else 「全县」), and which:
    weaker evidence than a name, ranked below the disclosure block's publisher."""
    cfg = _cfg()
    paras = _opening(report, cfg["subject_paragraphs"])
    for key in ("self", "field"):
        for p in paras:
            m = cfg["subject_rx"][key].search(p.norm)
            if m:
                return m.group(0), key
    return None


def _subject(report: Report) -> tuple[str, str] | None:
    """The unit the opening names as its subject (「现将XX2024年度…」, 「2025年，XX坚持…」),
    and how it was found."""
    cfg = _cfg()
    rx = cfg["subject_rx"]
    paras = _opening(report, cfg["subject_paragraphs"])
    for p in paras:
        m = rx["reporting"].search(p.norm)
        if m and places.level_of(m.group("unit")):
            return p.text[m.start("unit"):m.end("unit")], "现将"
    for p in paras:
        norm = _NOT_ABOUT.sub("，", p.norm)
        norm = rx["superior"].sub("，", norm)
        for clause in re.split(r"[，,。；;：:!！?？]", norm):
            clause = clause.strip()
            while (m := rx["lead"].match(clause)) and m.end():
                clause = clause[m.end():]
            if not clause or rx["not_subject"].match(clause):
                continue
            m = rx["unit"].match(clause)
            if m and places.level_of(m.group("unit")):
                return m.group("unit"), "subject"
    return None


def _first_level(evidence: list[tuple[str | None, str]]) -> tuple[str, str] | None:
    """The level of the first name that gives one, and where it came from."""
    for name, where in evidence:
        unit = places.level_of(name)
        if unit is not None:
            return unit.level, f"{where}: {name}"
    return None


def _page(cleaned: Cleaned) -> dict[str, tuple[str, int]]:
    """The page's disclosure block: field → (first value, line)."""
    out: dict[str, tuple[str, int]] = {}
    for f in cleaned.page:
        out.setdefault(f.field, (f.value, f.line))
    return out


def extract(report: Report, cleaned: Cleaned, published: str | None = None) -> Meta:
    """The metadata from the parsed report, the cleaner's output (what it removed, the page's
    disclosure block, the lines it converted) and a publication date the reader found."""
    page = _page(cleaned)
    title, title_line = title_of(report.head, cleaned.written)
    sources: dict[str, str] = {}
    if title:
        sources["title"] = "title"
    elif "title" in page:
        # no title line above the text: the title the page's disclosure block gives
        title, title_line = _TITLE_DATE.sub("", page["title"][0]).strip() or None, page["title"][1]
        sources["title"] = "metadata"
    elif report.preamble and (m := _RUN_IN_TITLE.match(report.preamble[0].text)) \
            and lexicon().title_topic.search(fold(m.group("title"))):
        # a copy that lost its line breaks: the title runs into the first line of the text
        title, title_line = m.group("title"), report.preamble[0].line
        sources["title"] = "run-in"
    if title and sources["title"] != "title" and cleaned.written:
        title = cleaned.written.original(title_line, title)      # quoted as written
    signature = " ".join(c.line.text.strip() for c in report.closing if c.kind == "SIGN") or None
    meta = Meta(title=title, title_line=title_line)
    meta.publisher = page.get("publisher", (None,))[0]
    meta.document_number = page.get("number", (None,))[0]
    if meta.publisher:
        sources["publisher"] = "metadata"
    if meta.document_number:
        sources["document_number"] = "metadata"

    # whose report: the first piece of evidence that names a unit of known level (the opening's
    # subject is read only when the title and the signature name none)
    evidence = [(issuer_from_title(title), sources.get("title", "title")), (signature, "signature")]
    level = _first_level(evidence)
    if level is None:
        subject, own = _subject(report), _own_words(report)
        evidence += [(subject[0] if subject else None, f"body:{subject[1]}" if subject else ""),
                     (meta.publisher, "metadata"),
                     (own[0] if own else None, f"body:{own[1]}" if own else "")]
        level = _first_level(evidence[2:])
    if level is not None:
        meta.level, sources["level"] = level
    named = [(name, where) for name, where in evidence if name and where not in ("body:field", "body:self")]
    if named:
        meta.issuer, sources["issuer"] = named[0]

    for c in report.closing:
        if c.kind == "DATE":
            iso, ok = parse_date(c.line.norm)
            if ok:
                meta.signed = iso
    pub, pub_from = published, "page" if published else None
    if pub is None and "published" in page:
        pub, pub_from = iso_date(page["published"][0]), "metadata"
    for r in cleaned.removed:
        m = publication_date_in(r.text) if pub is None else None
        if m and (iso := iso_date(m.group(0))):
            pub, pub_from = iso, "page"
    if "written" in page:
        meta.written = iso_date(page["written"][0])
        if meta.written:
            sources["written"] = "metadata"
    head_date = next((d for c in report.head if c.kind == "HDATE" and (d := parse_date(c.line.norm)[0])), None)
    web = cleaned.from_web
    if web and pub is None and head_date:
        pub, pub_from = head_date, "page"      # a web page's date under the title (来源、浏览字体… around it)
    if not web and meta.signed is None:
        # 「（2026年1月20日）」 under the title of a document: the date it was written
        meta.signed = head_date
    meta.published = pub
    if pub:
        sources["published"] = pub_from
    if meta.signed:
        sources["signed"] = "text"
    meta.date = meta.signed or meta.published

    # the year reported on: the report's own words, never a page's or a publication date
    meta.title_year = _year_in(title) if title else None
    body_year, body_line, plainly = _body_year(report, _cfg()["subject_paragraphs"])
    if plainly or not meta.title_year:
        # the body's own words decide; a mere hint (「2018年以来」) only where the title names none
        meta.body_year, meta.body_year_line = body_year, body_line
    meta.report_year = meta.body_year or meta.title_year
    sources["report_year"] = "body" if meta.body_year else "title" if meta.title_year else ""
    if meta.report_year is None and (y := _heading_year(report)):
        meta.report_year, sources["report_year"] = y, "headings"
    if meta.report_year is None and meta.signed:
        meta.report_year = int(meta.signed[:4]) - 1
        sources["report_year"] = "signed"
    meta.sources = {k: v for k, v in sources.items() if v}
    return meta
