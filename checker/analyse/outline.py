"""The outline map: which part carries which required element — standalone (a top-level part
names it), embedded (covered inside other parts) or absent — with the evidence lines.

Everything element-specific (cue patterns, where to look, which cue yields to which) is in
rules/outline.yaml; this module only applies it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..compiled import compile_kept
from ..elements import compiled, heading_elements, spec
from ..lexicon import lexicon
from ..models import Evidence, OutlineItem, Paragraph, Part, PartInfo, Report
from ..text import clip, fold


@dataclass
class OutlineMap:
    parts: list[PartInfo]
    outline: dict[str, OutlineItem]
    regions: dict[str, list[Paragraph]]     # the paragraphs that carry each element (for rules)
    cut: Paragraph | None = None            # the text breaks off in this paragraph
    cut_how: str = ""                       # sentence (in mid-sentence) | ending (after it, nothing)
    not_report: str | None = None           # why the text is not a report at all (checker/analyse/genre.py)

    def judged(self, element: str) -> list[Paragraph]:
        """The paragraphs that carry `element` when the rules can weigh them: the element is
        there, has text, and the text does not break off inside it (else [])."""
        return (self.regions.get(element) or []) if self.can_judge(element) else []

    def can_judge(self, element: str) -> bool:
        """Is `element` there (not absent, not unknown) and does the text not break off inside it?"""
        return self.outline[element].status not in ("absent", "unknown") and not self.is_cut(element)

    def is_cut(self, element: str) -> bool:
        """Does the text break off inside what carries `element` (so its rules cannot judge it)?"""
        region = self.regions.get(element) or []
        return self.cut is not None and any(p is self.cut for p in region)


# A paragraph that ends a sentence: 。！？… perhaps inside closing quotes or brackets.
_ENDS = compile_kept(r"[。！？!?…][”’」』)）\]]*\s*$")


def cut_paragraph(report: Report) -> Paragraph | None:
    """The last paragraph when the text breaks off in it: no closing (特此报告、落款、日期) and the
    last sentence unfinished, or a heading (or a title) with nothing under it — a page copied or
    cut in mid-report. A report that ends on a full sentence without a signature is complete."""
    if any(c.kind in ("CLOSING", "SIGN", "DATE") for c in report.closing) or _closing_before_end(report):
        return None
    last = _last_paragraph(report)
    if last is None:
        if not report.head:
            return None
        # a title and nothing under it: the text stops before the report begins
        c = report.head[-1]
        return Paragraph(text=c.line.text, norm=c.line.norm, line=c.line.start, end_line=c.line.end,
                         kind="H1", spans=c.line.spans)
    text = last.text.rstrip()
    if last.kind.startswith("H") or text.endswith("\ufffd") or not _ENDS.search(text):
        return last
    return None


def _says(part: Part, rx: re.Pattern) -> bool:
    """Does the part's text (its paragraphs, its sub-parts' headings) say what `rx` asks?"""
    return any(rx.search(x.norm) for x in part.content())


def _sentence(text: str, start: int, end: int, width: int = 80) -> str:
    """The sentence around a match, for evidence; a long one cut to a window around it."""
    a = max(text.rfind(p, 0, start) for p in "。；;！？") + 1
    bs = [i for i in (text.find(p, end) for p in "。；;！？") if i >= 0]
    b = min(bs) + 1 if bs else len(text)
    if b - a > width:
        a = max(a, start - width // 3)
        b = min(b, a + width)
        return ("…" if a > 0 else "") + text[a:b].strip() + "…"
    return text[a:b].strip()


def map_outline(report: Report, year: int | None, web: bool = False) -> OutlineMap:
    omap = _map(report, year)
    omap.cut, omap.cut_how = cut_paragraph(report), "sentence"
    if omap.cut is None and web and not report.closing and _only_opening(omap):
        # a web copy cut at a paragraph's end: no closing and nothing of what every report ends
        # with (shortcomings, plan) — the page stops before them, it does not leave them out
        # (a draft that lacks them is judged as written)
        omap.cut, omap.cut_how = _last_paragraph(report), "ending"
    if omap.cut is not None:
        _unknown_after_cut(omap, report)
    return omap


_TAIL_LINES = 6          # lines of page furniture a closing may be followed by


def _closing_before_end(report: Report) -> bool:
    """Is a closing line (特此报告、a date line) among the last lines, with something after it that
    the cleaner did not know as page furniture (「本页访问量：1028」)? The report ended there."""
    lx = lexicon()
    return any(lx.closing_phrase.match(p.norm) or lx.date.match(p.norm) or lx.iso_date.match(p.norm)
               for p in _tail_paragraphs(report, _TAIL_LINES))


def _tail_paragraphs(report: Report, n: int) -> list[Paragraph]:
    out: list[Paragraph] = []
    for part in reversed(report.parts):
        out = [*list(part.paragraphs())[-n:], *out][-n:]
        if len(out) >= n:
            return out
    return [*report.preamble[-n:], *out][-n:]


def _last_paragraph(report: Report) -> Paragraph | None:
    if report.parts:
        part = report.parts[-1]
        while part.children:
            part = part.children[-1]
        return part.body[-1] if part.body else (part.run_in or part.head)
    return report.preamble[-1] if report.preamble else None


def _only_opening(omap: OutlineMap) -> bool:
    """Only the report's opening parts are there: no shortcomings and no plan, not even inside
    other parts."""
    return all(omap.outline[k].status == "absent" for k in ("shortcomings", "next_plan"))


# Elements whose part has a settled place at the end of a report: once one of them has begun,
# what normally comes before it is not still to come. (The first-responsible part moves: it is
# often the first part.)
_SETTLED = ("next_plan", "other")


def _unknown_after_cut(omap: OutlineMap, report: Report) -> None:
    """In a text that breaks off, an element not found is not missing: it may be after the
    break (未能判断) — unless a part that comes after it in every report has already begun, or
    it belongs to a part that the text has already left behind (the causes of shortcomings
    whose part is complete)."""
    order = spec()["order"]
    begun = {e for info in omap.parts for e in info.elements if e in _SETTLED}
    last = report.parts[-1] if report.parts else None
    for k in order:
        item = omap.outline[k]
        if item.status != "absent":
            continue
        if any(order.index(e) > order.index(k) for e in begun):
            continue
        if item.claimed:
            # a heading claims it but its text does not say it yet: judged unless the text
            # breaks off inside that part
            if not omap.is_cut(k):
                continue
        elif k == "reasons":
            carriers = [p for p, info in zip(report.parts, omap.parts) if "shortcomings" in info.elements]
            if carriers and carriers[-1] is not last:
                continue            # the shortcomings part is complete: its causes are missing
        omap.outline[k] = OutlineItem(status="unknown", claimed=item.claimed)


def _map(report: Report, year: int | None) -> OutlineMap:
    sp = spec()
    rx = compiled(year)
    infos: list[PartInfo] = []
    carriers: dict[str, list[Part]] = {k: [] for k in sp["order"]}
    part_kind: list[str] = []       # the element each top-level part is searched as
    seen_late = False
    for p in report.parts:
        els = heading_elements(p.heading, year)
        thematic = False
        if not els and not seen_late:
            thematic = True
        if any(e in sp["thematic_before"] for e in els):
            seen_late = True
        main = els[0] if els else ("measures" if thematic else None)
        infos.append(PartInfo(heading=f"{p.marker}{p.heading}", line=p.line, element=main,
                              elements=els or (["measures"] if thematic else []), thematic=thematic))
        for e in els:
            carriers[e].append(p)
        if thematic:
            carriers["measures"].append(p)
        part_kind.append("thematic" if thematic else (main or "unknown"))

    outline: dict[str, OutlineItem] = {}
    regions: dict[str, list[Paragraph]] = {}
    claimed: dict[str, list[Part]] = {}
    for k in sp["order"]:
        el = sp["elements"][k]
        says_rx = rx[k][2]
        if carriers[k] and says_rx is not None:
            # a heading is a claim: the part carries the element only when its text says so
            held = [p for p in carriers[k] if _says(p, says_rx)]
            if not held:
                claimed[k] = carriers[k]
            carriers[k] = held
        if carriers[k]:
            outline[k] = OutlineItem(status="standalone", evidence=[
                Evidence(line=p.line, text=clip(f"{p.marker}{p.heading}", 80)) for p in carriers[k]])
            regions[k] = [para for p in carriers[k] for para in p.content()]
            continue
        if el.scope == "reasons_of_shortcomings":
            subparts = [c for p in carriers["shortcomings"] for c in p.walk() if c.depth > 1]
            search = [("region", regions.get("shortcomings", []), subparts)]
        else:
            eligible = [p for p, kind in zip(report.parts, part_kind) if kind in el.search_in]
            paras = [para for p in eligible for para in p.paragraphs()]
            if not report.parts:
                paras = list(report.preamble)
            search = [("parts", paras, [c for p in eligible for c in p.walk() if c.depth > 1])]
        evidence: list[Evidence] = []
        region: list[Paragraph] = []
        head_rx, body_rx = rx[k][:2]
        for _, paras, subparts in search:
            for c in subparts:
                if head_rx and head_rx.search(fold(c.heading)):
                    evidence.append(Evidence(line=c.line, text=clip(f"{c.marker}{c.heading}", 80)))
                    region.extend(c.content())
            if body_rx:
                for para in paras:
                    m = body_rx.search(para.norm)
                    if m:
                        evidence.append(Evidence(line=para.line_at(m.start()), text=_sentence(para.text, m.start(), m.end())))
                        region.append(para)
        if evidence:
            evidence.sort(key=lambda e: e.line)
            outline[k] = OutlineItem(status="embedded", evidence=evidence[: sp["max_evidence"]])
            regions[k] = region
        else:
            outline[k] = OutlineItem(status="absent", claimed=[
                Evidence(line=p.line, text=clip(f"{p.marker}{p.heading}", 80)) for p in claimed.get(k, [])])
            regions[k] = [para for p in claimed.get(k, []) for para in p.content()]
    if not report.parts and outline["measures"].status == "absent":
        _measures_without_parts(report, outline, regions, sp["max_evidence"])
    return OutlineMap(parts=infos, outline=outline, regions=regions)


_FIGURE = compile_kept(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:%|余?(?:次|件|场|人|个|项|份|起|宗|期|家|户|万))")   # from a run's start


def _measures_without_parts(report, outline, regions, max_evidence: int) -> None:
    """A report with no part headings at all (「一是…二是…」 paragraphs only): what it did is
    the body that states neither its problems nor its plans — when that body gives figures."""
    elsewhere = {id(p) for k in ("shortcomings", "reasons", "next_plan") for p in regions.get(k, [])}
    body = [p for p in report.preamble if id(p) not in elsewhere]
    done = [p for p in body if _FIGURE.search(p.norm)]
    if len(done) >= 1 and len(body) >= 2:
        outline["measures"] = OutlineItem(status="embedded", evidence=[
            Evidence(line=p.line, text=clip(p.text, 80)) for p in done[:max_evidence]])
        regions["measures"] = body

