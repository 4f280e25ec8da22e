"""fzcheck audit: every report of a batch checked in parallel, resumably, into one folder of
results — per-report pages, summary.xlsx, summary.html, findings.jsonl, run.json — with
copies and follow-through found across the batch."""
from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections import OrderedDict
from multiprocessing.connection import wait as wait_any
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .. import baseline as baseline_mod
from ..compiled import compile_kept
from ..config import Resolved
from ..errors import ConfigError, InputError, RunError, os_reason
from ..models import LEVEL_NAMES
from ..read import load
from ..resources import load_yaml, rule_pack, rules_dir
from ..safe import one_line, terminal
from ..write import atomic_file, sweep_partial, write_atomic
from .. import guard
from . import copies, figures, follow, lock, pool, submissions, summary, worker
from .inputs import collect, gather
from .state import State, io_reason, pack, stopped
from .statuses import PARTIAL, STATUS_LABEL, SUBMISSION_SQL, UNREADABLE, WAS_CHECKED, WAS_CHECKED_SQL

def shown(text: str) -> str:
    """A file name or reason on one terminal line (a name with a newline must not fake a line)."""
    return terminal(one_line(text))


COMMIT_EVERY = 25
REFRESH_S = 0.1         # the progress display at most this often (refreshed by the main loop)


@dataclass
class Options:
    paths: list[str]
    out: Path
    jobs: int = 0
    checklists: str | None = None
    previous: list[str] = field(default_factory=list)
    baseline: Path | None = None
    fresh: bool = False
    progress: bool = True
    notice: bool = False        # also write 审核情况通报.docx (checker/audit/notice.py)


def _settings() -> dict:
    return load_yaml(rules_dir() / "audit.yaml")


def _run_key(resolved: Resolved, opts: Options) -> str:
    """What the stored results depend on besides each file's content."""
    parts = [json.dumps(rule_pack(), sort_keys=True), json.dumps(resolved.record(), sort_keys=True, default=str),
             str(opts.checklists), str(opts.baseline), __version__]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def run(resolved: Resolved, opts: Options, console=None) -> dict:
    """The audit; a `kill` (SIGTERM) stops it as Ctrl-C does: workers stopped, what was finished kept."""
    _refuse_overlap(opts.paths, opts.out)
    _refuse_foreign(opts.out)
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        opts.out.mkdir(parents=True, exist_ok=True)
        with lock.holding(opts.out):
            return _run(resolved, opts, console)
    except sqlite3.DatabaseError as e:
        # the disk's fault, not a damaged file (those are handled where they are read): stop,
        # keep everything; never a summary of part of the results
        if io_reason(e) is None:
            raise
        raise stopped(opts.out, io_reason(e)) from None
    except OSError as e:
        # inputs are read through read.load (InputError): an OSError here is a write of the run's
        raise stopped(Path(e.filename) if e.filename else opts.out, os_reason(e)) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _refuse_overlap(paths: list[str], out: Path) -> None:
    """The output folder must not be an input folder or hold one: its results would be mixed
    with the reports (an output folder inside an input folder is fine: it is passed over)."""
    o = Path(os.path.realpath(out))        # realpath: a looping link makes Path.resolve raise
    for raw in paths:
        if raw.startswith("@") or any(ch in raw for ch in "*?["):
            continue
        p = Path(os.path.realpath(raw))
        if p.is_dir() and (p == o or o in p.parents):
            raise ConfigError(f"{out}: 输出文件夹不能是输入文件夹{'' if p == o else ' ' + raw + ' 的上级'}，"
                              f"否则结果会和报告混在一起；请用 -o 指定输入文件夹之外的位置")


def _refuse_foreign(out: Path) -> None:
    """The output folder is the audit's own: it replaces summary.xlsx, run.json, reports/… and
    clears its temporary files there. A folder that already holds other files and is not an
    earlier audit's output (no state.sqlite, no lock) is the user's: refused, nothing written."""
    try:
        if not out.is_dir() or (out / "state.sqlite").exists() or (out / lock.LOCK_NAME).exists():
            return
        if next(out.iterdir(), None) is None:
            return
    except OSError:
        return              # unreadable: said where it is first written
    raise ConfigError(f"{out}: 输出文件夹中已有其他文件，且不是之前 audit 的结果文件夹；为免覆盖或删除其中的文件，"
                      f"请用 -o 指定一个空的或新的文件夹，或之前 audit 的输出文件夹")


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def _run(resolved: Resolved, opts: Options, console=None) -> dict:
    t_start = time.perf_counter()
    found = gather(opts.paths, exclude=opts.out)
    files = [str(p) for p in found.files]
    if found.own and console is not None:       # results of earlier runs beside the reports: not reports
        console.print(f"跳过 {len(found.own)} 个 fzcheck 生成的结果文件（检查结果、核查清单），未当作报告", highlight=False)
    if not files and not found.unreadable:
        raise InputError(" ".join(opts.paths), "没有找到报告文件（支持 .txt .docx .pdf .html .doc .wps .odt）")
    previous = collect(opts.previous) if opts.previous else []
    if opts.previous and not previous:
        raise InputError(" ".join(opts.previous), "--previous 指定的位置没有找到上年报告文件")
    out = opts.out
    for sub in ("reports", *(["checklists"] if opts.checklists else [])):
        (out / sub).mkdir(parents=True, exist_ok=True)
        sweep_partial(out / sub)
    sweep_partial(out)
    settings = _settings()
    state = State(out, _run_key(resolved, opts), fresh=opts.fresh)
    unlisted = [folder for folder, _ in found.unreadable]
    for gone in state.forget_missing(set(files) | set(unlisted)):
        # its pages would otherwise linger in reports/ and checklists/ as if still in the batch
        name = worker.slug(gone)
        for page in [*(out / "reports").glob(f"{name}.*"), *(out / "checklists").glob(f"{name}-核查清单.*")]:
            page.unlink(missing_ok=True)
    for folder, why in found.unreadable:
        # a row of its own, counted unreadable: its reports are missing from the batch
        state.save(pack(worker._unreadable(folder, "", why)))
    done = state.done()
    todo = []
    for f in files:
        if f not in done:           # new to this run: nothing to compare, no need to read it here
            todo.append(f)
            continue
        try:
            digest = worker.digest_of(load(f))
        except InputError:
            digest = ""
        if done[f] != digest or digest == "":
            todo.append(f)
    skipped = len(files) - len(todo)

    # each file's earlier version (checker/baseline.py says which is which)
    baseline = baseline_mod.load(opts.baseline).matching(files) if opts.baseline is not None else {}
    matched = len(baseline)
    if opts.baseline is not None and not matched and console is not None:
        console.print(f"[yellow]注意[/yellow]：基线 {shown(str(opts.baseline))} 中没有与本次输入对应的报告，问题都不会标出新增或已改正",
                      highlight=False)
    job = worker.Job(resolved=resolved, out=out, checklists=opts.checklists,
                     baseline=baseline, score=settings["score"])
    jobs = opts.jobs or os.cpu_count() or 1
    t_check = time.perf_counter()
    _check_all(todo, job, jobs, state, console if opts.progress else None, skipped)
    t_check = time.perf_counter() - t_check

    t_across = time.perf_counter()
    # before anything is counted or compared: the formats of one submission make one row
    submissions.group(state, settings["submissions"], settings["copies"]["min_passage"])
    # the summary tables take as long as the comparison across reports and need none of it:
    # with more than one job they are written by another process meanwhile
    titles = {r.id: r.title for r in resolved.known}
    tables = _Tables(state.path, out, titles, parallel=jobs > 1 and guard.forking())
    try:
        _status(console if opts.progress else None, "比对报告之间的雷同段落、上年问题整改情况…")
        pairs = _copies(state, settings["copies"], _stock(resolved))
        follows = _follow(state, resolved, previous, console)
        t_across = time.perf_counter() - t_across

        t_write = time.perf_counter()
        _status(console if opts.progress else None, "写汇总表 summary.xlsx、summary.html…")
        counts, reports = _counts(state)
        # one set of figures for the notice and the page (the workbook's sheet computes the same)
        figs = figures.compute(state, titles, follows)
        notice_path = None
        if opts.notice:
            from . import notice        # python-docx and the Word helpers: only when asked for
            notice_path = notice.write(figs, out)
        _write_html(state, out / "summary.html", counts, pairs, follows, titles,
                    resolved, baseline_mod.shared_folder(files), baseline=opts.baseline is not None,
                    figs=figs, notice=notice_path.name if notice_path else None)
        tables.finish()         # last: with jobs > 1 the page above was written while it ran
        t_write = time.perf_counter() - t_write
    finally:
        tables.stop()           # interrupted (Ctrl-C, kill): its process stopped at once

    run_info = {
        "tool": {"name": "fzcheck", "version": __version__}, "rule_pack": rule_pack(),
        "config": resolved.record(), "inputs": opts.paths, "jobs": jobs,
        "baseline": {"path": str(opts.baseline), "matched": matched} if opts.baseline is not None else None,
        "counts": {**counts, "checked_now": len(todo), "reused": skipped},
        "skipped": [{"path": p, "reason": why} for p, why in found.skipped],
        # reports some rule could not check: which rules, and why (also in summary.xlsx/html)
        "partial": [{"source": r["source"], "status": "部分检查", "rule_failures": r["rule_failures"]}
                    for r in reports if r["status"] == PARTIAL],
        # reports checked whose checklist could not be built (--checklists): not written, and why
        "checklists_not_written": [{"source": r["source"], "reason": r["checklist_error"]}
                                   for r in reports if r.get("checklist_error")],
        "timings": {"total": round(time.perf_counter() - t_start, 3), "check": round(t_check, 3),
                    "across_reports": round(t_across, 3), "summaries": round(t_write, 3)},
        "reports_per_second": round(len(todo) / t_check, 1) if todo and t_check else None,
        "memory_mb": _peak_memory(),
    }
    write_atomic(out / "run.json", json.dumps(run_info, ensure_ascii=False, indent=2))
    state.close()
    return {"counts": counts, "reports": reports, "copies": pairs, "follow_through": follows,
            "out": str(out), "run": run_info, "skipped": run_info["skipped"],
            "notice": str(notice_path) if notice_path else None}


class _Tables:
    """summary.xlsx and findings.jsonl, written by a guarded worker process (checker/guard.py)
    meanwhile when `parallel`; if that process dies (killed, out of memory) they are written
    here instead — the tables only read the state, so doing them again is safe."""

    def __init__(self, state_path: Path, out: Path, titles: dict, parallel: bool):
        self.args = (str(state_path), str(out), titles)
        self.worker = guard.Worker(summary.write_tables, self.args) if parallel else None
        if self.worker is not None:
            self.worker.send()

    def finish(self) -> None:
        w, self.worker = self.worker, None
        if w is None:
            summary.write_tables(*self.args)
            return
        try:
            while True:
                wait_any([w.conn, w.sentinel])
                got, gone = w.replies()
                if got:
                    kind, value = got[0]
                    if kind == "error":
                        raise value         # the run's own trouble (a full disk) or a bug
                    if kind == "ok":
                        return
                    break                   # over the worker's memory cap: here, without it
                if gone:
                    break
        finally:
            w.kill()
        summary.write_tables(*self.args)

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.kill()
            self.worker = None


def _status(console, message: str) -> None:
    """What is being done, said on a terminal. A line, not a spinner: a spinner runs a thread,
    and guarded workers forked while another thread holds a lock can hang."""
    if console is not None:
        console.print(f"[dim]{message}[/dim]", highlight=False)


def _peak_memory() -> dict:
    """Peak resident memory of this process and of the largest worker, in MB (Linux: KB units)."""
    try:
        import resource
    except ImportError:          # pragma: no cover — not on Unix
        return {}
    return {"main": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "workers": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def _check_all(todo: list[str], job, jobs: int, state: State, console, skipped: int) -> None:
    progress = None
    if console is not None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        progress = Progress(TextColumn("检查"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}"), console=console, transient=True,
                            auto_refresh=False)
        # refreshed from here, not by rich's thread: workers are forked during the run (a
        # replacement for a killed one) and a fork while a thread holds a lock can hang the child
        progress.start()
        task = progress.add_task("", total=len(todo) + skipped, completed=skipped)
    try:
        n = 0
        shown_at = 0.0

        def advance(source: str):
            nonlocal shown_at
            if progress is not None:
                progress.update(task, advance=1, description=shown(Path(source).name[:40]))
                now = time.monotonic()
                if now - shown_at >= REFRESH_S:
                    shown_at = now
                    progress.refresh()

        def record(out: dict):
            nonlocal n
            state.save(out)
            n += 1
            if n % COMMIT_EVERY == 0:
                state.commit()
            advance(out["source"])

        worker.init(job)
        if todo:
            worker.warm_up()        # once, here: every worker is forked warm
        if not guard.forking():     # no fork (or FZCHECK_DEBUG): in this process, one by one
            for f in todo:
                record(worker.process(f))
        elif todo:
            try:
                pool.check_all(todo, job, jobs, state, advance)
            except KeyboardInterrupt:
                _keep_shards(state)
                raise
            state.merge_shards()
            # a shard found damaged at the merge is dropped with the reports in it: checked
            # again here, or the summary would silently lack them
            done = state.done()
            for f in todo:
                if f not in done:
                    record(worker.process(f))
        state.commit()
    finally:
        if progress is not None:
            progress.stop()


def _keep_shards(state: State) -> None:
    """Ctrl-C or a kill during the checks: the workers are stopped by now (pool.check_all), so
    what they finished is taken into the state and their .shard-<pid>.sqlite and -journal files
    go, instead of lying in the output folder until the next run. The main process's own unsaved
    verdicts are dropped (rolled back: one cut mid-write is not half kept); their reports are
    redone next time. A second interruption here leaves the shards for the next run to merge."""
    try:
        state.db.rollback()
        state.merge_shards()
    except (sqlite3.Error, RunError):
        pass            # a full disk: the shards stay, and the next run merges them


def _previous_facts(resolved: Resolved, source: str) -> tuple[tuple[str, int | None], dict]:
    """A last-year report, in a guarded worker: its (unit, year) and the facts a comparison needs."""
    from ..pipeline import analyse_path
    d = analyse_path(source, resolved.settings)
    return (follow.unit_key(d.meta.issuer), d.meta.report_year), follow.facts(d)


def _stock(resolved: Resolved):
    """The stock paragraphs a copy pair's quote passes over (rules/terms/stock_passages.yaml)."""
    from ..regex import alternation
    entries = resolved.settings.terms("stock_passages").entries
    try:        # each entry was vetted on loading; together, a flag like (?i) stays in its own
        return alternation(entries) if entries else compile_kept("(?!)")
    except re.error as e:
        raise ConfigError(f"词表 stock_passages 的正则表达式有误：{e}") from None


def _copies(state: State, limits: dict, stock) -> list[dict]:
    """Candidate pairs from shared signature bands, each compared passage by passage on the
    paragraphs kept in the state database (no report is read or analysed again)."""
    # only between submissions: the .pdf of a .docx is the same report, not a copy of it
    ids = dict(state.db.execute("SELECT id, source FROM reports WHERE " + SUBMISSION_SQL))
    recent: OrderedDict[int, copies.Flat] = OrderedDict()

    def flat(rid):
        # a few recent reports only: memory stays flat however large the batch (an indexed
        # report is a few hundred KB); pairs come sorted, so the indexed side repeats anyway
        if rid in recent:
            recent.move_to_end(rid)
        else:
            recent[rid] = copies.Flat(state.paragraphs(rid))
            if len(recent) > 32:
                recent.popitem(last=False)
        return recent[rid]

    out = []
    # order each pair by file name (the same pair reads the same however the batch was run),
    # then sort so that the first report, whose index is built, repeats
    pairs = sorted({(a, b) if ids[a] <= ids[b] else (b, a)
                    for a, b in copies.candidates(state.db, limits["template_reports"], "SELECT id FROM reports WHERE " + SUBMISSION_SQL)
                    if a in ids and b in ids},
                   key=lambda p: (ids[p[0]], ids[p[1]]))
    for a, b in pairs:
        passages, shared, la, lb = copies.shared_passages(flat(a), flat(b), limits["min_passage"])
        similarity = shared / max(1, min(la, lb))
        if shared >= limits["min_shared"] or (passages and similarity >= limits["min_similarity"]):
            out.append({"a": ids[a], "b": ids[b], "similarity": round(similarity, 3), "shared_chars": shared,
                        "passages": copies.quotes(flat(a), flat(b), passages, stock)})
    return sorted(out, key=lambda c: (-c["similarity"], c["a"], c["b"]))


def _follow(state: State, resolved: Resolved, previous: list[Path], console=None) -> list[dict]:
    """Units with reports of two consecutive years, in the batch or last year's in `previous`:
    compared from the facts kept at check time; a previous report is analysed once, and kept
    only when a report of the batch needs it."""
    by_unit: dict[tuple[str, int], str] = {}
    for unit, year, source in state.db.execute(
            f"SELECT unit, year, source FROM reports WHERE {SUBMISSION_SQL} AND unit IS NOT NULL "
            "AND year IS NOT NULL ORDER BY source"):
        by_unit.setdefault((unit, year), source)
    wanted = {(unit, year - 1) for unit, year in by_unit}
    earlier: dict[tuple[str, int], tuple[str, dict | None]] = {k: (v, None) for k, v in by_unit.items()}
    # last year's files are as untrusted as this year's: each analysed in a guarded worker
    # (time limit, memory cap, a crash costs that file only); one that fails is skipped, said once
    analysed = guard.Guarded(_previous_facts, resolved)
    try:
        for p in previous:
            try:
                key, facts = analysed(str(p), str(p))
            except InputError as e:
                _skipped_previous(console, p, e.message)
                continue
            except Exception as e:  # noqa: BLE001 — RecursionError and the like, in that file
                _skipped_previous(console, p, f"内部错误（{type(e).__name__}）")
                continue
            if key in wanted and key not in earlier:
                earlier[key] = (str(p), facts)
    finally:
        analysed.close()
    out = []
    for (unit, year), source in sorted(by_unit.items()):
        prev, before = earlier.get((unit, year - 1), (None, None))
        before = before or (state.follow_facts(prev) if prev else None)
        now = state.follow_facts(source)
        if before is None or now is None:
            continue
        out.append({"unit": unit, "year": year, "source": source, "previous": prev,
                    **follow.follow_through(before, now, resolved.settings)})
    return out


def _skipped_previous(console, path: Path, why: str) -> None:
    if console is not None:
        console.print(f"[yellow]跳过上年报告[/yellow] {shown(str(path))}：{shown(why)}；上年安排的对照不含此文件",
                      highlight=False)


def _counts(state: State) -> tuple[dict, list[dict]]:
    # partial: checked, but some rule crashed on it — counted among the checked (its findings
    # are there) and apart, so that it is neither 「无法读取」 nor taken for a clean report
    counts = {"reports": 0, "checked": 0, "partial": 0, "unreadable": 0, "with_errors": 0, "errors": 0,
              "warnings": 0, "infos": 0, "new": 0, "fixed": 0}
    reports = []
    for source, status, reason, row, _, _ in state.rows():
        counts["reports"] += 1
        if status not in WAS_CHECKED:
            counts["unreadable"] += 1
            reports.append({"source": source, "status": UNREADABLE, "reason": reason})
            continue
        counts["checked"] += 1
        counts["partial"] += status == PARTIAL
        counts["errors"] += row["errors"]
        counts["warnings"] += row["warnings"]
        counts["infos"] += row["infos"]
        counts["with_errors"] += 1 if row["errors"] else 0
        counts["new"] += row.get("new", 0)          # against --baseline
        counts["fixed"] += row.get("fixed", 0)
        reports.append({"source": source, "status": status, "reason": reason, "unit": row["unit"],
                        "errors": row["errors"], "warnings": row["warnings"], "score": row["score"],
                        "rule_failures": row.get("rule_failures", []), "checklist_error": row.get("checklist_error"),
                        # the submission's files, the checked one first; what sets them apart, or None
                        "formats": [{k: f[k] for k in ("source", "format", "checked", "similarity", "unreadable", "differs")}
                                    for f in row["formats"]],
                        "formats_note": row["formats_note"]})
    return counts, reports


def _write_html(state, path, counts, pairs, follows, titles, resolved, folder: str = "",
                baseline: bool = False, figs: dict | None = None, notice: str | None = None) -> None:
    from ..elements import labels as element_labels, optional as optional_elements
    from ..render import env
    short = (lambda s: s[len(folder):] if folder and s.startswith(folder) else s)
    # each row carries the rules it has findings of: a bar of the chart filters the table by its rule
    rows = ({"source": s, "name": short(s), "status": st, "reason": reason, "row": _linked(row, path.parent),
             "rules": " ".join(sorted({f["rule"] for f in findings if not f.get("waived")}))}
            for s, st, reason, row, findings, _ in state.rows())
    # the chart: the same counts as the notice and the workbook (figures.compute)
    top = [(r["rule"], r["title"], r["count"]) for r in (figs or {}).get("rules", [])[:12]]
    named = {x for c in pairs for x in (c["a"], c["b"])} | {x for f in follows for x in (f["source"], f["previous"]) if x}
    chunks = env().get_template("audit_summary.html.j2").generate(
        counts=counts, rows=rows, copies=pairs, follow=follows, top_rules=top, labels=element_labels(),
        pages=_pages(state, named, path.parent),
        optional=optional_elements(),
        levels=LEVEL_NAMES, marks=summary.STATUS_MARK, was_checked=WAS_CHECKED, status_label=STATUS_LABEL, pack=rule_pack(), folder=folder.rstrip(os.sep), short=short, baseline=baseline,
        figures=figs, notice=notice, format_mark=submissions.mark, status_names=figures.STATUS_NAMES, count_names=figures.COUNT_NAMES,
        profile=f"{resolved.settings.level or '按单位识别'}/{resolved.settings.stage}")
    # streamed: the page of a 10,000-report batch rendered whole took 60 MB
    with atomic_file(path) as (fd, _), os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(chunks)


def _linked(row: dict | None, out: Path) -> dict | None:
    """The row with its page links kept only where they name a page this audit wrote (a page
    not written — a disk that filled — is named, not linked)."""
    if not row:
        return row
    row = {**row, "page": summary.written(out, row.get("page"))}
    row["formats"] = [{**f, "page": summary.written(out, f.get("page"))} for f in row.get("formats") or []]
    return row


def _pages(state, sources: set[str], out: Path) -> dict[str, str]:
    """The report page (relative to the summary page) of each of these files that has one: a
    file of the copies or of last year's plans links to it; a last-year file from --previous has
    none (it was analysed, not checked) and is named only."""
    found = {}
    for source in sources:
        got = state.db.execute(f"SELECT row FROM reports WHERE source = ? AND {WAS_CHECKED_SQL}", (source,)).fetchone()
        page = json.loads(got[0]).get("page") if got else None
        if page and (out / page).is_file():
            found[source] = page
    return found


def print_summary(result: dict, console) -> None:
    """The run in a few lines; file names, units and reasons are rich markup made safe (shown)."""
    c = result["counts"]
    partial = f"（其中部分检查 {c['partial']} 份）" if c["partial"] else ""
    console.print(f"[bold]审核完成[/bold]：{c['reports']} 份报告，已检查 {c['checked']} 份{partial}，无法读取 {c['unreadable']} 份；"
                  f"{c['with_errors']} 份有错误（共 {c['errors']} 个错误、{c['warnings']} 个警告）", highlight=False)
    run = result["run"]
    several = [r for r in result["reports"] if len(r.get("formats") or []) > 1]
    if several:
        # a copy that was read and differs, and one that could not be read, are told apart
        differ = sum(1 for r in several if any(f["differs"] for f in r["formats"]))
        broken = [f["source"] for r in several for f in r["formats"] if f["unreadable"]]
        console.print(f"其中 {len(several)} 份收到多种格式（共 {sum(len(r['formats']) for r in several)} 个文件），每份只计一次、"
                      f"只计最好读的格式" + (f"；{differ} 份的几种格式文字不一致（可能不是同一稿），见汇总表的「格式」列" if differ else ""),
                      highlight=False)
        if broken:
            console.print(f"另有 {len(broken)} 个其他格式的文件无法读取（已有可读的格式计入统计）：" + "、".join(
                shown(Path(b).name) for b in broken[:5]) + ("等" if len(broken) > 5 else ""), highlight=False)
    if run["counts"]["reused"]:
        console.print(f"沿用上次结果 {run['counts']['reused']} 份（内容未变），本次检查 {run['counts']['checked_now']} 份",
                      highlight=False)
    if run["reports_per_second"]:
        console.print(f"速度：{run['reports_per_second']} 份/秒（{run['jobs']} 个进程）", highlight=False)
    unreadable = [r for r in result["reports"] if r["status"] == UNREADABLE]
    for r in unreadable[:10]:
        console.print(f"  [red]无法读取[/red] {shown(r['source'])}：{shown((r['reason'] or '').removeprefix('无法读取：'))}", highlight=False)
    if len(unreadable) > 10:
        console.print(f"  ……另有 {len(unreadable) - 10} 份无法读取，见 summary.xlsx", highlight=False)
    partial = [r for r in result["reports"] if r["status"] == PARTIAL]
    for r in partial[:10]:
        said = "；".join(f"{f['message']}：{f['error']}" for f in r["rule_failures"])
        console.print(f"  [yellow]部分检查[/yellow] {shown(r['source'])}：{shown(said)}", highlight=False)
    if len(partial) > 10:
        console.print(f"  ……另有 {len(partial) - 10} 份部分检查，见 summary.xlsx", highlight=False)
    no_checklist = [r for r in result["reports"] if r.get("checklist_error")]
    for r in no_checklist[:10]:
        console.print(f"  [yellow]核查清单未写出[/yellow] {shown(r['source'])}：{shown(r['checklist_error'])}", highlight=False)
    if len(no_checklist) > 10:
        console.print(f"  ……另有 {len(no_checklist) - 10} 份的核查清单未写出，见 run.json", highlight=False)
    skipped = result.get("skipped", [])
    if skipped:
        console.print(f"跳过 {len(skipped)} 个链接或文件（原因如下，也记在 run.json 的 skipped 中）：", highlight=False)
        for s in skipped[:10]:
            console.print(f"  [yellow]跳过[/yellow] {shown(s['path'])}：{shown(s['reason'])}", highlight=False)
        if len(skipped) > 10:
            console.print(f"  ……另有 {len(skipped) - 10} 个", highlight=False)
    if run.get("baseline"):
        console.print(f"与基线相比（{run['baseline']['matched']} 份报告有上一稿）：新增 {c['new']} 个问题，"
                      f"已改正 {c['fixed']} 个", highlight=False)
    worst = sorted((r for r in result["reports"] if r["status"] in WAS_CHECKED and r["errors"]),
                   key=lambda r: (-r["errors"], -r["warnings"], r["source"]))
    if worst:
        console.print("有错误的报告（错误最多的在前）：", highlight=False)
        for r in worst[:10]:
            console.print(f"  [red]{r['errors']} 个错误[/red]、{r['warnings']} 个警告  {shown(r['unit'] or '—')}  "
                          f"{shown(r['source'])}", highlight=False)
        if len(worst) > 10:
            console.print(f"  ……另有 {len(worst) - 10} 份，见 summary.xlsx", highlight=False)
    if result["copies"]:
        console.print(f"疑似雷同：{len(result['copies'])} 对报告共享大段文字", highlight=False)
    missing = sum(len(f["missing"]) for f in result["follow_through"])
    if result["follow_through"]:
        console.print(f"上年安排：{len(result['follow_through'])} 个单位有连续两年的报告，{missing} 项安排未见落实",
                      highlight=False)
    if result.get("notice"):
        console.print(f"审核情况通报（请修改主送、落款后印发）：{shown(result['notice'])}", highlight=False)
    extra = "、checklists/" if os.path.isdir(os.path.join(result["out"], "checklists")) else ""
    console.print(f"结果在 {shown(result['out'])}/：summary.xlsx、summary.html、findings.jsonl、run.json、reports/{extra}",
                  highlight=False)


def main_json(result: dict) -> str:
    keep = {"counts": result["counts"], "reports": result["reports"], "copies": result["copies"],
            "follow_through": [{"unit": f["unit"], "year": f["year"], "missing": f["missing"],
                                "carried_over": len(f["carried_over"])} for f in result["follow_through"]],
            "out": result["out"], "skipped": result.get("skipped", []), "notice": result.get("notice")}
    return json.dumps(keep, ensure_ascii=False, indent=2)


if __name__ == "__main__":        # pragma: no cover
    sys.exit("use: fzcheck audit")
