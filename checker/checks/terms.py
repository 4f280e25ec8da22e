"""Kinds `terms.*`: wording checked against the year reported on, from the term lists in
rules/terms/ — stale guidance, expected guidance missing, events cited before they happened,
documents outside their period, wrong forms of fixed terms."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ..compiled import compile_kept
from ..termlists import Automaton, derived
from ..text import fold
from .base import EventGroup, Hit, NoParams, Strict, quoted
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

_GUIDANCE = compile_kept(r"精神|为指导|指导下|指引")
_BEFORE_IT = compile_kept(r"迎接|即将召开|召开前|筹备|喜迎|为")
_AHEAD = compile_kept(r"(胜利)?召开|开幕")
# 「《纲要（2015—2020年）》确定的目标任务总结评估工作顺利完成」: a look back at the expired
# document in the year after, not guidance taken from it
_LOOKING_BACK = compile_kept(r"总结|评估|收官|圆满完成|全面完成|顺利完成|到期|实施情况|期间|以来|验收|检查验收")
_MAX_HITS = 5


def _events(tl) -> Automaton:
    """Every name and short form → the events it cites, and whether it is a full name."""
    def build():
        terms: dict[str, list] = {}
        for e in tl.entries:
            for n in e.names:
                terms.setdefault(fold(n), []).append((e, True))
            for n in e.also:
                terms.setdefault(fold(n), []).append((e, False))
        return Automaton(terms)
    return derived(tl, "events", build)


def _mentions(doc: Document, full_only: bool = True):
    """(classified line, start, end, event) for every event the report names."""
    def build():
        a = _events(doc.settings.terms("events"))
        return [(c, s, e, ev, full) for c in doc.classified
                for s, e, cited in a.find(c.line.norm) for ev, full in cited]
    for c, s, e, ev, full in doc.memo("event-mentions", build):
        if full or not full_only:
            yield c, s, e, ev


@check("terms.stale", NoParams, "以报告年度已过时的提法为指导（rules/terms/events.yaml 的 stale）")
def stale(doc: Document, p: NoParams):
    yield from _cited(doc, "stale")


@check("terms.anachronism", NoParams, "提到报告写成时还没有召开的会议（rules/terms/events.yaml 的 held）")
def anachronism(doc: Document, p: NoParams):
    yield from _cited(doc, "anachronism")


@check("terms.period", NoParams, "所引规划、纲要不在报告年度的有效期内（rules/terms/events.yaml 的 valid）")
def period(doc: Document, p: NoParams):
    yield from _cited(doc, "period")


def _cited(doc: Document, which: str):
    """The events the report names that are out of place in its year: as guidance no longer
    current (stale), before they were held (anachronism), outside their period (period)."""
    y = doc.meta.report_year
    if not y:
        return
    n = 0
    for c, s, e, ev in _mentions(doc):
        text, norm = c.line.text, c.line.norm
        found = text[s:e]
        values = {"match": found, "year": y, "source": ev.source}
        if which == "stale" and ev.stale is not None and y >= ev.stale:
            if not _GUIDANCE.search(norm[e:e + 14]):
                continue
            hit = quoted(c.line, s, e, {**values, "stale": ev.stale})
        elif which == "anachronism" and ev.valid is None and ev.held_ym() > (y + 1, 4):
            # 「迎接党的二十大」「为二十大胜利召开营造…」 look forward to it
            if _BEFORE_IT.search(norm[max(0, s - 8):s]) or _AHEAD.search(norm[e:e + 8]):
                continue
            hy, hm = ev.held_ym()
            hit = quoted(c.line, s, e, {**values, "held": f"{hy}年{hm}月"})
        elif which == "period" and ev.valid is not None and not ev.valid[0] <= y <= ev.valid[1]:
            if y > ev.valid[1] and _LOOKING_BACK.search(norm[e:e + 24]):
                continue
            hit = quoted(c.line, s, e, {**values, "valid": f"{ev.valid[0]}—{ev.valid[1]}"})
        else:
            continue
        yield hit
        n += 1
        if n >= _MAX_HITS:
            return


class ExpectedParams(Strict):
    group: EventGroup | None = Field(
        None, description="只看 events 术语表（rules/terms/events.yaml）中 group 为此值的提法，如 core（指导思想）、plenum（全会精神）；不填则看不分组的")


@check("terms.expected", ExpectedParams, "报告年度应当贯彻的提法一个也没有提到（rules/terms/events.yaml 的 expected）")
def expected(doc: Document, p: ExpectedParams):
    y = doc.meta.report_year
    if y:
        yield from _expected(doc, p.group, y)


@check("terms.wrong_forms", NoParams, "固定提法写错（rules/terms/wrong_forms.yaml）")
def wrong_forms(doc: Document, p: NoParams):
    yield from _wrong_forms(doc)


def _expected(doc: Document, group: str | None, y: int):
    cited = {ev.id for _, _, _, ev in _mentions(doc, full_only=False)}
    missing = []
    for ev in doc.settings.terms("events").entries:
        if ev.group != group or ev.expected is None or ev.id in cited:
            continue
        lo, hi = ev.expected
        if lo <= y and (hi is None or y <= hi):
            missing.append(ev)
    if not missing:
        return
    where = doc.report.preamble[0].line if doc.report.preamble else doc.meta.title_line
    names = "」「".join(ev.names[0] for ev in missing)
    yield Hit(where, "", {"missing": names, "year": y, "source": "；".join(ev.source for ev in missing)})


def _compiled_forms(tl) -> list:
    return derived(tl, "forms", lambda: [(f, compile_kept(f.wrong), [compile_kept(u) for u in f.unless])
                                         for f in tl.entries])


def _wrong_forms(doc: Document):
    forms = _compiled_forms(doc.settings.terms("wrong_forms"))
    n = 0
    for c in doc.classified:
        norm = c.line.norm
        for f, rx, unless in forms:
            for m in rx.finditer(norm):
                if any(u.start() < m.end() and m.start() < u.end() for ux in unless for u in ux.finditer(norm)):
                    continue
                text = c.line.text
                yield quoted(c.line, m.start(), m.end(), {"match": text[m.start():m.end()], "right": m.expand(f.right), "source": f.source})
                n += 1
                if n >= _MAX_HITS:
                    return
