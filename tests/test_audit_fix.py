"""The audit's own processes and folder: the summary-tables process killed, a shard damaged at
the merge, a hostile last-year report — the audit still completes with every report; an output
folder holding the user's files is refused."""
import os
import shutil
import signal
from pathlib import Path

import pytest

from checker import guard
from checker.audit import run as audit_run, summary
from checker.audit.state import SHARD_GLOB, State
from checker.config import resolve
from checker.write import sweep_partial, write_atomic

from .conftest import ROOT, run_cli

import sys
sys.path.insert(0, str(ROOT))
from bench.gen import generate  # noqa: E402

needs_fork = pytest.mark.skipif(not guard.forking(), reason="no fork here: the work runs in-process")


def _audit(tmp_path, **kw):
    opts = audit_run.Options(paths=[str(tmp_path / "in")], out=tmp_path / "out", jobs=2, progress=False, **kw)
    return audit_run.run(resolve(None), opts)


def _sources(tmp_path) -> set[str]:
    return {str(p) for p in (tmp_path / "in").iterdir() if p.name != "manifest.json"}


@needs_fork
def test_the_tables_process_killed_the_tables_are_written_all_the_same(tmp_path, monkeypatch):
    generate(tmp_path / "in", 12, seed=3)
    parent, real = os.getpid(), summary.write_tables
    killed = []

    def dies_in_child(*a):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        killed.append(True)          # here only after the child died
        return real(*a)
    monkeypatch.setattr(summary, "write_tables", dies_in_child)
    r = _audit(tmp_path)
    assert killed, "the tables were not redone after their process died"
    out = tmp_path / "out"
    assert (out / "summary.xlsx").stat().st_size > 0
    assert (out / "findings.jsonl").read_text(encoding="utf-8").strip()
    assert len(r["reports"]) == len(_sources(tmp_path))


@needs_fork
def test_a_shard_damaged_at_the_merge_its_reports_are_checked_again(tmp_path, monkeypatch):
    generate(tmp_path / "in", 16, seed=4)
    real = State.merge_shards
    damaged = []

    def corrupt_first(self):
        shards = sorted(self.path.parent.glob(SHARD_GLOB))
        if shards and not damaged:      # the end-of-run merge (the one at start finds none)
            shards[0].write_bytes(b"not a database" * 100)
            damaged.append(shards[0])
        return real(self)
    monkeypatch.setattr(State, "merge_shards", corrupt_first)
    r = _audit(tmp_path)
    assert damaged
    assert {x["source"] for x in r["reports"]} == _sources(tmp_path)
    assert r["counts"]["reports"] == len(_sources(tmp_path))


@needs_fork
def test_a_previous_report_that_crashes_its_analysis_is_skipped(tmp_path, monkeypatch, capsys):
    generate(tmp_path / "in", 6, seed=5)
    prev = tmp_path / "prev"
    prev.mkdir()
    good = sorted((tmp_path / "in").glob("r*.txt"))[0]
    shutil.copy(good, prev / good.name)
    (prev / "bad.txt").write_text("某镇2023年法治政府建设年度报告\n一、主要举措和成效\n", encoding="utf-8")
    real = audit_run._previous_facts

    def crashes(resolved, source):
        if source.endswith("bad.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(resolved, source)
    monkeypatch.setattr(audit_run, "_previous_facts", crashes)
    from rich.console import Console
    console = Console(record=True, width=200)
    opts = audit_run.Options(paths=[str(tmp_path / "in")], out=tmp_path / "out", jobs=2, progress=False,
                             previous=[str(prev)])
    r = audit_run.run(resolve(None), opts, console=console)
    said = console.export_text()
    assert said.count("跳过上年报告") == 1 and "bad.txt" in said and "RecursionError" in said
    assert len(r["reports"]) == 6
    assert (tmp_path / "out" / "summary.xlsx").is_file()


def test_a_nested_previous_html_does_not_stop_the_audit(tmp_path):
    generate(tmp_path / "in", 4, seed=6)
    prev = tmp_path / "prev"
    prev.mkdir()
    good = sorted((tmp_path / "in").glob("r*.txt"))[0]
    shutil.copy(good, prev / good.name)
    (prev / "nested.html").write_text(
        "<html><body>" + "<div>" * 1000 + "某镇2023年法治政府建设年度报告<p>一、主要举措和成效</p>" + "</div>" * 1000
        + "</body></html>", encoding="utf-8")
    p = run_cli("audit", tmp_path / "in", "-o", tmp_path / "out", "--previous", prev)
    assert p.returncode in (0, 1), p.stderr
    assert "内部错误" not in p.stdout + p.stderr and "Traceback" not in p.stderr
    assert (tmp_path / "out" / "summary.xlsx").is_file() and (tmp_path / "out" / "findings.jsonl").is_file()


def test_only_our_own_temporary_files_are_swept(tmp_path):
    (tmp_path / ".notes.tmp").write_text("mine", encoding="utf-8")
    write_atomic(tmp_path / "a.txt", "x")
    (tmp_path / ".fzcheck-a.txt.abc123.tmp").write_text("left by a killed run", encoding="utf-8")
    sweep_partial(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", "a.txt"]


def test_the_progress_display_refreshes_without_a_thread(tmp_path, monkeypatch):
    """auto_refresh off (no thread to fork under), refreshed by the loop: it still shows."""
    from rich.console import Console
    from rich.progress import Progress
    generate(tmp_path / "in", 8, seed=7)
    refreshed = []
    real = Progress.refresh
    monkeypatch.setattr(Progress, "refresh", lambda self: (refreshed.append(1), real(self))[1])
    monkeypatch.setattr(audit_run, "REFRESH_S", 0.0)
    console = Console(force_terminal=True, width=120, file=open(os.devnull, "w"))
    opts = audit_run.Options(paths=[str(tmp_path / "in")], out=tmp_path / "out", jobs=2, progress=True)
    audit_run.run(resolve(None), opts, console=console)
    import threading
    assert not [t for t in threading.enumerate() if "Refresh" in type(t).__name__]
    assert len(refreshed) >= 8
