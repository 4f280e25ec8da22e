"""One report handed in several formats is one submission: the .docx, .pdf and .txt of the same
unit's same year's report, whose texts are near-identical, make one row of the summaries, with
the formats listed; only the best-read file (rules/audit.yaml submissions.formats) is counted,
the others are still read and checked, so that a copy that is another draft can be told.

Grouped after the checks, from what the state database keeps (unit, year, the paragraphs copy
detection signs): nothing is read again. Candidates are files of different formats with the same
unit and year, or the same name in the same folder (a PDF whose issuer was not read); two files of
the same format are never one submission (the same .txt twice is a duplicate, found as a copy)."""
from __future__ import annotations

from pathlib import Path

from . import copies
from .statuses import WAS_CHECKED


def file_format(source: str) -> str:
    ext = Path(source).suffix.lower().lstrip(".")
    return "html" if ext == "htm" else ext


def _rank(order: list[str], source: str) -> int:
    fmt = file_format(source)
    return order.index(fmt) if fmt in order else len(order)


def group(state, settings: dict, min_passage: int) -> list[dict]:
    """Every file that is another format of a submission: {source, main, format, similarity,
    page, note}; stored in the state (State.set_groups) and returned.

    The files alike enough (`same_report`) are joined, most alike first, into components — never
    two files of one format in one — and each component's best-read file is its main, whichever
    candidate set (unit and year, or folder and name) found which pair. A file that could not be
    read joins the submission of the same folder and name, so a broken .pdf beside a good .docx
    is told in that submission's row, not counted as a report of its own."""
    order = [f.lower() for f in settings["formats"]]
    files, broken = {}, {}
    for rid, source, status, reason, unit, year, row in state.db.execute(
            "SELECT id, source, status, reason, unit, year, json_extract(row, '$.page') FROM reports"):
        if status in WAS_CHECKED:
            files[source] = (rid, unit, year, row)
        else:
            broken[source] = reason or ""
    # candidate sets: same (unit, year), or same folder and file name without the extension
    keys: dict[tuple, list[str]] = {}
    for source, (_, unit, year, _) in files.items():
        if unit and year:
            keys.setdefault(("unit", unit, year), []).append(source)
        keys.setdefault(_stem(source), []).append(source)
    alike: dict[tuple[str, str], float] = {}
    for key in sorted(keys):
        candidates = sorted(set(keys[key]))
        if len({file_format(s) for s in candidates}) < 2:
            continue
        # the texts of one candidate set only: memory follows the largest set, not the batch
        flats = {s: copies.Flat(state.paragraphs(files[s][0])) for s in candidates}
        for i, a in enumerate(candidates):
            for b in candidates[i + 1:]:
                if file_format(a) != file_format(b) and (a, b) not in alike:
                    alike[a, b] = _similarity(flats[a], flats[b], min_passage)
    component = {s: {s} for s in files}
    for (a, b), sim in sorted(alike.items(), key=lambda kv: (-kv[1], kv[0])):
        ca, cb = component[a], component[b]
        if sim < settings["same_report"] or ca is cb:
            continue
        if {file_format(s) for s in ca} & {file_format(s) for s in cb}:
            continue                                # one format twice: two reports, not one
        ca |= cb
        for s in cb:
            component[s] = ca
    out: list[dict] = []
    taken: dict[str, set[str]] = {}             # main → the formats its submission holds
    mains_of_stem: dict[tuple, set[str]] = {}
    for members in {id(c): c for c in component.values()}.values():
        ranked = sorted(members, key=lambda s: (_rank(order, s), s))
        main = ranked[0]
        taken[main] = {file_format(s) for s in ranked}
        for s in ranked:
            mains_of_stem.setdefault(_stem(s), set()).add(main)
        for s in ranked[1:]:
            # a file may have joined through a third one, never compared with the main itself
            sim = alike.get((min(main, s), max(main, s)))
            if sim is None:
                sim = _similarity(*(copies.Flat(state.paragraphs(files[x][0])) for x in (main, s)), min_passage)
            sim = round(sim, 3)
            note = None
            if sim < settings["same_draft"]:
                note = (f"{file_format(s)} 版（{Path(s).name}）与计入统计的 {file_format(main)} 版文字只有 {sim:.0%} 相同，"
                        f"可能是另一稿；请核对以哪一份为准，必要时只保留定稿后重新审核")
            out.append({"source": s, "main": main, "format": file_format(s), "similarity": sim,
                        "page": files[s][3], "note": note})
    for s, reason in sorted(broken.items()):
        fmt = file_format(s)
        mains = mains_of_stem.get(_stem(s), set())
        # a file of a format a report comes in (not a folder that could not be listed), beside one
        # submission only (two of that name: which one it belongs to cannot be told), of which
        # it is a format not yet held
        if fmt not in order or len(mains) != 1:
            continue
        main = next(iter(mains))
        if fmt in taken[main]:
            continue
        taken[main].add(fmt)
        out.append({"source": s, "main": main, "format": fmt, "similarity": None, "page": None,
                    "note": f"{fmt} 版（{Path(s).name}）无法读取：{reason}"})
    out.sort(key=lambda g: g["source"])
    state.set_groups(out)
    return out


def _stem(source: str) -> tuple:
    p = Path(source)
    return ("name", str(p.parent), p.stem)


def _similarity(a: copies.Flat, b: copies.Flat, min_passage: int) -> float:
    """The share of the longer text found in the other, in passages (copies.shared_passages)."""
    if not a.text or not b.text:
        return 0.0
    _, shared, la, lb = copies.shared_passages(a, b, min_passage)
    return shared / max(la, lb)


def describe(main: str, page: str | None, others: list[dict]) -> tuple[list[dict], str | None]:
    """A submission's files, the checked one first, and what sets the copies apart (or None)."""
    formats = [{"source": main, "format": file_format(main), "checked": True, "page": page, "similarity": 1.0,
                "unreadable": False, "differs": False}]
    formats += [{"source": o["source"], "format": o["format"], "checked": False, "page": o["page"],
                 "similarity": o["similarity"], "unreadable": o["similarity"] is None,
                 "differs": o["similarity"] is not None and bool(o.get("note"))} for o in others]
    notes = [o["note"] for o in others if o.get("note")]
    return formats, "；".join(notes) or None


def label(formats: list[dict]) -> str:
    """The formats of a submission on one line: 「docx（计入统计）、pdf、txt（无法读取）」 (every
    file readable is checked; the one counted is said)."""
    if len(formats) < 2:
        return formats[0]["format"] if formats else ""
    return "、".join(f["format"] + mark(f) for f in formats)


def mark(f: dict) -> str:
    """What a format of a submission of several is: counted, unreadable, or neither (「」)."""
    return "（计入统计）" if f["checked"] else "（无法读取）" if f["unreadable"] else ""
