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
from .statuses import WAS_CHECKED_SQL


def file_format(source: str) -> str:
    ext = Path(source).suffix.lower().lstrip(".")
    return "html" if ext == "htm" else ext


def _rank(order: list[str], source: str) -> int:
    fmt = file_format(source)
    return order.index(fmt) if fmt in order else len(order)


def group(state, settings: dict, min_passage: int) -> list[dict]:
    """Every file that is another format of a submission: {source, main, format, similarity,
    page, note}; stored in the state (State.set_groups) and returned."""
    order = [f.lower() for f in settings["formats"]]
    files = {}
    for rid, source, unit, year, row in state.db.execute(
            f"SELECT id, source, unit, year, json_extract(row, '$.page') FROM reports WHERE {WAS_CHECKED_SQL}"):
        files[source] = (rid, unit, year, row)
    # candidate sets: same (unit, year), or same folder and file name without the extension
    keys: dict[tuple, list[str]] = {}
    for source, (_, unit, year, _) in files.items():
        if unit and year:
            keys.setdefault(("unit", unit, year), []).append(source)
        p = Path(source)
        keys.setdefault(("name", str(p.parent), p.stem), []).append(source)
    flats: dict[str, copies.Flat] = {}

    def flat(source):
        if source not in flats:
            flats[source] = copies.Flat(state.paragraphs(files[source][0]))
        return flats[source]

    main_of: dict[str, str] = {}
    members: dict[str, set[str]] = {}          # main → formats taken
    similarity: dict[str, float] = {}
    for key in sorted(keys):
        candidates = sorted(set(keys[key]), key=lambda s: (_rank(order, s), s))
        if len({file_format(s) for s in candidates}) < 2:
            continue
        for s in candidates:
            if s in main_of or s in members:
                continue
            for m in [c for c in candidates if c in members]:
                if file_format(s) in members[m]:
                    continue
                sim = _similarity(flat(m), flat(s), min_passage)
                if sim >= settings["same_report"]:
                    main_of[s], similarity[s] = m, sim
                    members[m].add(file_format(s))
                    break
            else:
                members[s] = {file_format(s)}
    out = []
    for s, m in sorted(main_of.items()):
        sim = round(similarity[s], 3)
        note = None
        if sim < settings["same_draft"]:
            note = (f"{file_format(s)} 版（{Path(s).name}）与已检查的 {file_format(m)} 版文字只有 {sim:.0%} 相同，"
                    f"可能是另一稿；请核对以哪一份为准，必要时只保留定稿后重新审核")
        out.append({"source": s, "main": m, "format": file_format(s), "similarity": sim,
                    "page": files[s][3], "note": note})
    state.set_groups(out)
    return out


def _similarity(a: copies.Flat, b: copies.Flat, min_passage: int) -> float:
    """The share of the longer text found in the other, in passages (copies.shared_passages)."""
    if not a.text or not b.text:
        return 0.0
    _, shared, la, lb = copies.shared_passages(a, b, min_passage)
    return shared / max(la, lb)


def describe(main: str, page: str | None, others: list[dict]) -> tuple[list[dict], str | None]:
    """A submission's files, the checked one first, and what sets the copies apart (or None)."""
    formats = [{"source": main, "format": file_format(main), "checked": True, "page": page, "similarity": 1.0}]
    formats += [{"source": o["source"], "format": o["format"], "checked": False, "page": o["page"],
                 "similarity": o["similarity"]} for o in others]
    notes = [o["note"] for o in others if o.get("note")]
    return formats, "；".join(notes) or None


def label(formats: list[dict]) -> str:
    """The formats of a submission on one line: 「docx（已检查）、pdf、txt」."""
    if len(formats) < 2:
        return formats[0]["format"] if formats else ""
    return "、".join(f"{f['format']}（已检查）" if f["checked"] else f["format"] for f in formats)
