"""The whole check, stage by stage: read → clean → classify → parse → meta → outline → rules.
Each stage's time is recorded, for bench/ and for anyone asking where the time goes."""
from __future__ import annotations

from bisect import bisect_right
from pathlib import Path
from time import perf_counter

from .analyse import clean as clean_mod
from .analyse import genre
from .analyse import indicators as indicators_mod
from . import limits
from .analyse import lines as lines_mod
from .analyse import meta as meta_mod
from .analyse import outline as outline_mod
from .analyse import parse as parse_mod
from .checks.engine import run_rules, summarise
from .compiled import compile_kept
from .document import Document
from .models import Removed, Result, Source, Waived
from .read import read_path
from .resources import rule_pack
from .safe import path_text
from .settings import Settings, default_settings
from . import matching as matching_mod
from .matching import Key, normalise
from .waivers import fingerprint


def analyse(source: Source, settings: Settings | None = None) -> Document:
    settings = settings or default_settings()
    t = {}
    t0 = perf_counter()
    limits.check_source(source.path, source.lines)
    cleaned = clean_mod.clean(source)
    t1 = perf_counter(); t["clean"] = t1 - t0
    classified = lines_mod.classify(cleaned.lines)
    limits.check_headings(source.path, classified)
    t2 = perf_counter(); t["classify"] = t2 - t1
    report = parse_mod.parse(classified)
    t3 = perf_counter(); t["parse"] = t3 - t2
    meta = meta_mod.extract(report, cleaned, source.published)
    if settings.level:
        meta.level = settings.level
    omap = outline_mod.map_outline(report, meta.report_year, cleaned.from_web or source.format == "html")
    genre.mark(omap, [c.line.text for c in classified], meta.title)
    t4 = perf_counter(); t["outline"] = t4 - t3
    doc = Document(source=source, cleaned=cleaned, classified=classified, report=report,
                   meta=meta, outline=omap, settings=settings, timings=t)
    doc.indicators = indicators_mod.extract(doc)
    t["indicators"] = perf_counter() - t4
    return doc


def analyse_path(path: str | Path, settings: Settings | None = None) -> Document:
    t0 = perf_counter()
    source = read_path(path)
    t_read = perf_counter() - t0
    doc = analyse(source, settings)
    doc.timings = {"read": t_read, **doc.timings}
    return doc


def result_of(doc: Document, rules, waivers=(), record: dict | None = None) -> Result:
    """Run the rules over an analysed document and assemble the result (the JSON contract)."""
    t0 = perf_counter()
    findings, failures = run_rules(doc, rules)
    for f in findings:
        f.part = _part_of(doc, f.line)
        f.id = fingerprint(f.rule, f.excerpt, f.part)
    expired = apply_waivers(findings, waivers, doc.source.path)
    doc.timings["rules"] = perf_counter() - t0
    config = dict(record or {"layers": doc.settings.layers, "stage": doc.settings.stage,
                             "level": doc.settings.level, "rule_pack": rule_pack()})
    # the grammar the parts' order was parsed with (a level's or the configuration's): the
    # checklist's structure row reads the same parse, whoever built the settings
    config["outline_grammar"] = doc.settings.outline_grammar(doc.meta.level)
    if expired:
        config["waivers_expired"] = expired
    if doc.cleaned.written:
        # evidence quoted as written, like the findings (a mirror in traditional script)
        for item in doc.outline.outline.values():
            for e in (*item.evidence, *item.claimed):
                e.text = doc.cleaned.written.original(e.line, e.text)
    return Result(source=path_text(doc.source.path), format=doc.source.format, encoding=doc.source.encoding,
                  profile=doc.settings.profile_name(doc.meta.level), config=config,
                  meta=doc.meta, parts=doc.outline.parts, outline=doc.outline.outline,
                  findings=findings, summary=summarise(findings), indicators=doc.indicators,
                  removed=_listed_removed(doc.cleaned.removed, doc.cleaned.removed_more),
                  rule_failures=failures)


def check_source(source: Source, rules, settings: Settings | None = None) -> tuple[Document, Result]:
    """A source already read, analysed and checked under `rules` (report.py adds the defaults)."""
    doc = analyse(source, settings)
    return doc, result_of(doc, rules)


def _listed_removed(removed: list[Removed], more: int = 0) -> list[Removed]:
    """What cleaning took out, as a result lists it: the first of them, then one entry saying
    how many more (rules/limits.yaml; the rules have read them all)."""
    cap = limits.limits().removed
    if len(removed) <= cap.max and not more:
        return removed
    last = removed[min(cap.max, len(removed) - 1)]
    listed = removed[:cap.max]
    return [*listed, Removed(line=last.line, text=limits.say(cap.more, n=len(removed) + more - len(listed)),
                                        kind="more", pattern="limits")]


def _part_of(doc: Document, line: int | None) -> str:
    """The element of the top-level part a line is in (head, closing…): findings keep their id
    when text is added elsewhere, and two identical sentences in different parts differ."""
    if not line:
        return "report"
    starts = doc.memo("part-starts", lambda: [p.line for p in doc.report.parts])
    i = bisect_right(starts, line) - 1
    if i < 0:
        return "head"
    part = doc.report.parts[i]
    return (doc.outline.parts[i].element or "part") if line <= part.end_line else "closing"


_WHERE = compile_kept(r"第\s*\d+\s*[行段页]")


def apply_waivers(findings, waivers, path: str) -> list[dict]:
    """Mark the findings a waiver accepts; return the expired waivers that would have applied.

    A waiver applies to the findings with its fingerprint; one that also names the excerpt (and
    part) it was written for applies, failing that, to the one finding of its rule in that part
    whose excerpt is most like it (checker/matching.py, as the baseline matches drafts): the
    sentence edited since, the waiver still holds, and its note says so."""
    expired = []
    waivers = [w for w in waivers if w.covers(path)]
    for f in findings:
        f.fingerprint = _fingerprint(f)
    exact_hit: set[int] = set()
    loose = []                          # findings no waiver names exactly
    for f in findings:
        matching = [w for w in waivers if w.applies(f.rule, f.fingerprint, path)]
        exact_hit.update(id(w) for w in matching)
        if not matching:
            loose.append(f)
        else:
            _waive(f, matching, expired)
    # the near match: waivers that name their excerpt and met no finding exactly
    near = [w for w in waivers if w.excerpt and id(w) not in exact_hit]
    if near and loose:
        keys_w = [Key(w.rule, w.part or None, w.fingerprint, normalise(w.excerpt)) for w in near]
        keys_f = [Key(f.rule, f.part, f.fingerprint, normalise(f.excerpt)) for f in loose]
        for j, (i, ratio) in matching_mod.pair(keys_w, keys_f, exact=False, lone=False).items():
            f, w = loose[j], near[i]
            if _waive(f, [w], expired):
                f.waived.note = matching_mod.thresholds().waiver_note.format(
                    excerpt=w.excerpt, ratio=f"{ratio:.0%}", fingerprint=f.fingerprint)
    return expired


def _fingerprint(f) -> str:
    # the message too: two findings of one rule on one sentence (two rates) differ
    # line numbers in a message say where, not what: without them a waiver survives edits
    # above the finding and the same report as .txt, .docx or .pdf
    # a 「另有 N 处」 finding stands for the rule's findings past the cap as a group: its
    # fingerprint must not change with N, or a waiver on the group would lapse with each edit
    said = "\x00另有" if f.omitted else f.excerpt + "\x00" + _WHERE.sub("", f.message)
    return fingerprint(f.rule, said)


def _waive(f, matching, expired: list[dict]) -> bool:
    """Waive f by the first valid of its waivers (a renewed waiver wins over the expired one it
    replaces), else note the expired one; whether it was waived."""
    valid = next((w for w in matching if not w.expired()), None)
    if valid is not None:
        f.waived = Waived(reason=valid.reason, expires=valid.expires.isoformat(), source=valid.source)
        return True
    w = matching[0]
    expired.append({"rule": w.rule, "fingerprint": w.fingerprint, "expires": w.expires.isoformat()})
    return False
