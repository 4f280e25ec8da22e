"""One report of an audit, in a worker process: read, check, write its own HTML and JSON (and
checklist), and hand back only the compact facts the batch summaries need."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .. import guard
from ..errors import InputError, RunError, os_reason
from ..read import load, read_bytes
from ..report import check_report
from . import copies, follow
from .state import Shard, pack, stopped
from .statuses import CHECKED, PARTIAL, UNREADABLE


@dataclass
class Job:
    """What every worker needs, set once per process."""
    resolved: object            # config.Resolved
    out: Path
    checklists: str | None      # docx | html | md, or None
    baseline: dict              # source → its earlier version (baseline.Earlier)
    score: dict


_JOB: Job | None = None


def init(job: Job) -> None:
    global _JOB
    _JOB = job


def open_shard(job: Job) -> None:
    """First thing in a guarded audit worker (checker/guard.py): the job, and its own shard."""
    global _SHARD
    init(job)
    _SHARD = Shard(job.out)


_SHARD: Shard | None = None


def process_into_shard(items: list[tuple[int, str]]) -> list[tuple[str, str]]:
    """Check reports — (item number, source) — and store them in this worker's shard; hand back
    (source, status) only. Each report is marked as begun, for the parent's clock."""
    done = []
    for item, s in items:
        guard.mark(item)
        record = process(s)
        _SHARD.save(record)
        done.append((s, record["status"]))
    _SHARD.commit()
    return done


def slug(source: str) -> str:
    """A stable, unique, readable file name for a report's outputs: the file's name with its
    format (报告.docx and 报告.pdf of one submission have pages of their own, told apart at a
    glance), and a hash of the whole path for uniqueness."""
    p = Path(source)
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", p.stem)[:60]
    ext = re.sub(r"[^0-9A-Za-z]+", "", p.suffix)[:8].lower()
    return f"{stem}{'-' + ext if ext else ''}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:6]}"


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def score(summary, weights: dict) -> int:
    return max(0, weights["base"] - weights["error"] * summary.errors - weights["warning"] * summary.warnings
               - weights["info"] * summary.infos)


def body_paragraphs(doc) -> list:
    """The paragraphs copy detection signs, in a fixed order (preamble, then the parts)."""
    return [*doc.report.preamble, *(p for part in doc.report.parts for p in part.paragraphs())]


def process(source: str) -> dict:
    """One report, whatever happens to it: a failure inside the checker is recorded for this
    file (as unreadable, with the reason) and the batch goes on."""
    try:
        return pack(_process(source))
    except RunError:
        raise                   # the run's own trouble (its folder full), not this report's
    except MemoryError:
        # over the guard's cap on the worker's memory: freed by now, the worker goes on
        return pack(_unreadable(source, content_digest(source), guard.out_of_memory()))
    except Exception as e:  # noqa: BLE001
        if os.environ.get("FZCHECK_DEBUG"):
            raise               # the traceback, as `check` shows it (the audit runs in-process then)
        return pack(_unreadable(source, "", f"内部错误（{type(e).__name__}: {e}），请将此文件报告维护者"))


def content_digest(source: str) -> str:
    """The digest of a report given up at a limit: stored with the verdict, an unchanged file is
    not tried again on the next run (it would only hit the limit again); "" if it cannot be read."""
    try:
        return digest_of(load(source))
    except (InputError, MemoryError):
        return ""


# a few lines that go through every stage of a check once, templates included
_WARM_UP = "某镇2024年法治政府建设年度报告\n一、主要举措和成效\n召开会议4次。\n二、存在的不足和原因\n人员不足。\n"


def warm_up() -> None:
    """Build the parser, compile rules and templates once, in the process the workers are forked
    from: each worker otherwise spends its first 0.2 s on it."""
    try:
        _process("warm-up.txt", _WARM_UP.encode("utf-8"), write=False)
    except Exception:  # noqa: BLE001 — only a head start; a real failure shows on a real report
        pass


def _process(source: str, data: bytes | None = None, write: bool = True) -> dict:
    from ..checklist import build
    from ..models import SEVERITY_RANK
    from ..render import render, render_checklist
    from ..write import write_atomic

    job = _JOB
    name = slug(source)
    if data is None:
        try:
            data = load(source)
        except InputError as e:
            return _unreadable(source, "", e.message)
    digest = digest_of(data)
    try:
        src = read_bytes(data, source)
    except InputError as e:
        return _unreadable(source, digest, e.message)
    r = job.resolved
    try:
        doc, result = check_report(src, r, job.baseline.get(source))
    except InputError as e:          # past the limits of rules/limits.yaml: not a report
        return _unreadable(source, digest, e.message)
    pages = {f"{name}.json": result.model_dump_json(indent=2), f"{name}.html": render(result, "html", src.lines)}
    checklist, checklist_error = None, None
    if job.checklists:
        try:
            checklist = render_checklist(build(result, r.rules, src), job.checklists)
        except MemoryError:
            raise               # over the guard's cap: process() says so for the whole report
        except Exception as e:  # noqa: BLE001 — the checklist's trouble: the report stays checked
            if os.environ.get("FZCHECK_DEBUG"):
                raise
            checklist_error = f"核查清单生成出错（{type(e).__name__}: {e}），未写出；请将此文件报告维护者"
    if not write:
        return {}
    checklist_path = job.out / "checklists" / f"{name}-核查清单.{job.checklists}"
    try:
        for page, content in pages.items():
            write_atomic(job.out / "reports" / page, content)
        if checklist is not None:
            write_atomic(checklist_path, checklist)
        elif checklist_error:
            checklist_path.unlink(missing_ok=True)      # an earlier run's checklist is not this result's
    except OSError as e:
        # the output folder's trouble (full, read-only), not this report's: the run stops
        raise stopped(job.out, os_reason(e)) from None
    paragraphs = body_paragraphs(doc)
    m, s = result.meta, result.summary
    top = min((f for f in result.findings if not f.waived), key=lambda f: SEVERITY_RANK[f.severity], default=None)
    row = {"file": source, "unit": m.issuer, "level": m.level, "year": m.report_year, "title": m.title,
           "outline": {k: v.status for k, v in result.outline.items()}, "errors": s.errors, "warnings": s.warnings,
           "infos": s.infos, "waived": s.waived, "score": score(s, job.score),
           "top": f"{top.rule}：{top.message}" if top else "", "page": f"reports/{name}.html",
           "checklist": f"checklists/{checklist_path.name}" if checklist is not None else None,
           "fixed": len(result.fixed), "new": sum(1 for f in result.findings if f.change == "new"),
           "fixed_items": [f.model_dump(mode="json", include={"rule", "severity", "line", "message", "suggestion", "basis"})
                           for f in result.fixed],
           "rule_failures": [{**f.model_dump(), "message": f.message} for f in result.rule_failures],
           "checklist_error": checklist_error}
    # the place in a Word file or PDF (page, heading path) where there is one: summary.xlsx's
    # 页码 and 位置 columns
    findings = [{"source": source, "unit": m.issuer, **f.model_dump(mode="json", exclude={"location"}),
                 **({"location": f.location.model_dump(exclude_none=True)} if f.location else {})}
                for f in result.findings]
    indicators = [{"id": i.id, "name": i.name, "value": i.value, "unit": i.unit, "line": i.line}
                  for i in result.indicators]
    # a rule that crashed: the report was read and checked by the others — 「部分检查」, never
    # 「无法读取」 (state.PARTIAL)
    partial = bool(result.rule_failures)
    # what the report's row says beside its findings: the rules that crashed, a checklist not written
    notes = [f.message for f in result.rule_failures] + ([checklist_error] if checklist_error else [])
    # a result with a crash in it is not kept for the next run (no digest, as after an internal
    # error): the crash is the checker's, and once it is fixed the same content must be checked again
    return {"source": source, "digest": "" if notes else digest, "status": PARTIAL if partial else CHECKED,
            "reason": "；".join(notes) or None,
            "unit": follow.unit_key(m.issuer),
            "year": m.report_year, "row": row, "findings": findings, "indicators": indicators,
            "bands": copies.bands([p.text for p in paragraphs]),
            "paragraphs": [(p.text, p.line) for p in paragraphs], "follow": follow.facts(doc)}


def _unreadable(source: str, digest: str, reason: str) -> dict:
    return {"source": source, "digest": digest, "status": UNREADABLE, "reason": reason,
            "row": {"file": source, "reason": reason}}
