"""The guard around each report (checker/guard.py) and the audit's own pool: a report that
never finishes is killed at the limit, one that wants too much memory fails alone, a dead worker
costs only its report; the audit's folder locked, its inputs' links and unlistable folders
reported; sqlite's disk errors told apart from damage."""
import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from checker import guard
from checker.audit import inputs, lock, worker
from checker.audit.state import io_reason
from checker.errors import InputError
from checker.limits import WorkerLimits

from .conftest import ROOT, run_cli

needs_fork = pytest.mark.skipif(not guard.forking(), reason="no fork here: the work runs in-process")


@pytest.fixture
def tight(monkeypatch):
    """A 1-second, 300 MB guard (the worker, forked, inherits it)."""
    monkeypatch.setattr(guard, "worker_limits", lambda: WorkerLimits(time_s=1.0, memory_mb=300))


def _forever():
    while True:
        pass


def _sleep():
    time.sleep(3600)


def _hog():
    blocks = []
    while True:
        blocks.append(bytearray(50 * 1024 * 1024))


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def _refuse(name):
    raise InputError(name, "文件为空")


def _echo(x):
    return {"x": x, "pid": os.getpid()}


@needs_fork
@pytest.mark.parametrize("fn", [_forever, _sleep], ids=["busy-loop", "sleep"])
def test_a_call_past_the_limit_is_killed_and_the_next_gets_a_fresh_worker(tight, fn):
    g = guard.Guarded(fn)
    t0 = time.monotonic()
    with pytest.raises(InputError, match="检查超过 1 秒，已放弃") as e:
        g("bomb.html")
    assert e.value.path == "bomb.html"
    assert time.monotonic() - t0 < 4
    g.close()
    ok = guard.Guarded(_echo)
    assert ok("a.txt", 5)["x"] == 5
    ok.close()


@needs_fork
@pytest.mark.parametrize("fn, said", [(_hog, "内存超过 300 MB"), (_die, "检查进程意外终止")], ids=["memory", "killed"])
def test_a_worker_out_of_memory_or_killed_fails_alone_and_is_replaced(tight, fn, said):
    g = guard.Guarded(fn)
    with pytest.raises(InputError, match=said):
        g("x.html")
    if fn is _die:
        assert g.worker is None              # a new one is started for the next call
    g.close()


@needs_fork
def test_one_worker_serves_many_calls_and_input_errors_cross_intact():
    g = guard.Guarded(_echo)
    pids = {g("a", i)["pid"] for i in range(5)}
    assert len(pids) == 1 and os.getpid() not in pids
    g.close()
    r = guard.Guarded(_refuse)
    with pytest.raises(InputError) as e:
        r("空.txt", "空.txt")
    assert (e.value.path, e.value.message) == ("空.txt", "文件为空")
    r.close()


def _by_kind(kind, x):
    """A call that answers, hangs, dies or refuses as `kind` says (several files of one `check`)."""
    if kind == "hang":
        _sleep()
    if kind == "die":
        _die()
    if kind == "refuse":
        _refuse(x)
    if kind == "slow":
        time.sleep(0.3)
    return _echo(x)


@needs_fork
def test_many_calls_on_several_workers_come_back_in_their_order(tight):
    """Neighbours go to different workers and a slow call does not reorder the rest: results
    are given in the order of the calls, from two worker processes."""
    kinds = ["slow" if i % 7 == 3 else "ok" for i in range(40)]
    g = guard.Guarded(_by_kind)
    got = list(g.map([(f"{i}.txt", (k, i)) for i, k in enumerate(kinds)], jobs=2))
    assert [v["x"] for ok, v in got] == list(range(40)) and all(ok for ok, _ in got)
    assert len({v["pid"] for _, v in got}) == 2 and os.getpid() not in {v["pid"] for _, v in got}


@needs_fork
def test_a_hung_or_dead_call_among_many_costs_that_call_alone(tight):
    """The call a worker hangs or dies on is given up with the reason, in its place; the calls
    queued behind it on that worker are done by a fresh one; an InputError crosses intact."""
    kinds = ["ok", "hang", "ok", "ok", "die", "ok", "refuse", "ok", "ok"]
    g = guard.Guarded(_by_kind)
    t0 = time.monotonic()
    got = list(g.map([(f"{i}.txt", (k, f"{i}.txt")) for i, k in enumerate(kinds)], jobs=2))
    assert time.monotonic() - t0 < 6
    said = [v["x"] if ok else (type(v).__name__, v.path, v.message) for ok, v in got]
    assert said[1] == ("InputError", "1.txt", "无法读取：" + guard.timed_out())
    assert said[4] == ("InputError", "4.txt", "无法读取：" + guard.DIED)
    assert said[6] == ("InputError", "6.txt", "文件为空")
    assert [said[i] for i in (0, 2, 3, 5, 7, 8)] == [f"{i}.txt" for i in (0, 2, 3, 5, 7, 8)]


@needs_fork
def test_a_caller_that_stops_early_leaves_no_worker_behind(tight):
    g = guard.Guarded(_by_kind)
    results = g.map([(f"{i}.txt", ("slow", i)) for i in range(20)], jobs=2)
    assert next(results)[1]["x"] == 0
    pids = {c.pid for c in __import__("multiprocessing").active_children()}
    assert pids, "its workers are running"
    results.close()
    left = {c.pid for c in __import__("multiprocessing").active_children()} & pids
    assert not left, "closing the results ends its workers at once"


class _Odd(Exception):
    """An exception that pickles but does not unpickle (its __init__ takes two arguments)."""

    def __init__(self, a, b):
        super().__init__(f"{a}/{b}")


def _odd_or_echo(x):
    if x == 1:
        raise _Odd("a", "b")
    return _echo(x)


@needs_fork
def test_a_reply_that_cannot_be_read_here_costs_its_call_alone():
    got = list(guard.Guarded(_odd_or_echo).map([(f"{i}.txt", (i,)) for i in range(4)], jobs=2))
    assert [ok for ok, _ in got] == [True, False, True, True]
    assert "_Odd" in str(got[1][1]) or "TypeError" in str(got[1][1])


@needs_fork
def test_a_worker_killed_while_idle_costs_no_call(tight):
    """Killed from outside between two calls (here: after answering b, before c reaches it): c,
    sent to the dead worker, never ran there; it is done by a fresh worker, not given up."""
    seen = {}

    def calls():
        yield "a.txt", ("ok", "a")
        yield "b.txt", ("ok", "b")
        time.sleep(0.5)                          # b answered: the worker waits for its next call
        os.kill(seen["a"]["pid"], signal.SIGKILL)
        time.sleep(0.2)
        yield "c.txt", ("ok", "c")

    got = []
    for ok, value in guard.Guarded(_by_kind).map(calls(), jobs=1, ahead=2):
        got.append((ok, value))
        seen.setdefault("a", value)
    assert [ok for ok, _ in got] == [True, True, True], got
    assert got[2][1]["pid"] != got[0][1]["pid"]


def test_in_process_when_debugging(monkeypatch):
    monkeypatch.setenv("FZCHECK_DEBUG", "1")
    g = guard.Guarded(_echo)
    assert g("a", 1)["pid"] == os.getpid()


@needs_fork
def test_audit_gives_up_one_hung_report_and_checks_the_rest(tight, monkeypatch, tmp_path):
    """A report on which the check never returns (made so here, in the test, by wrapping the
    worker's function; the product has no such hook): killed at the limit, recorded with the
    reason, its chunk's other reports done by a new worker."""
    from bench.gen import generate
    generate(tmp_path / "in", 24, seed=4)
    hung = sorted((tmp_path / "in").glob("r*.txt"))[5]
    real = worker._process

    def slow(source, *a, **k):
        if source == str(hung):
            _forever()
        return real(source, *a, **k)
    monkeypatch.setattr(worker, "_process", slow)
    from checker.audit.run import Options, run
    from checker.config import resolve
    out = tmp_path / "out"
    t0 = time.monotonic()
    r = run(resolve(None), Options(paths=[str(tmp_path / "in")], out=out, jobs=2, progress=False))
    assert time.monotonic() - t0 < 15
    by = {x["source"]: x for x in r["reports"]}
    assert len(by) == 24
    assert "检查超过 1 秒" in by[str(hung)]["reason"]
    gave_up = [s for s, x in by.items() if x["status"] == "unreadable" and "检查" in (x["reason"] or "")]
    assert gave_up == [str(hung)]
    assert not list(out.glob(".shard-*"))
    # the verdict is kept with the file's digest: an unchanged file is not tried again
    monkeypatch.setattr(worker, "_process", real)
    again = run(resolve(None), Options(paths=[str(tmp_path / "in")], out=out, jobs=2, progress=False))
    assert again["run"]["counts"]["checked_now"] == 0


def test_the_folder_lock_refuses_a_second_run_naming_the_first(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with lock.holding(out):
        assert (out / lock.LOCK_NAME).read_text().strip() == str(os.getpid())
        r = run_cli("audit", ROOT / "tests" / "data" / "follow", "-o", out)
        assert r.returncode == 2 and f"正在使用：另一个 fzcheck audit（进程 {os.getpid()}）" in r.stderr, r.stderr
        assert sorted(p.name for p in out.iterdir()) == [lock.LOCK_NAME]       # nothing written
    with lock.holding(out):        # released when the block ends
        pass


def _links(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("秘密", encoding="utf-8")
    (root / "a.txt").write_text("某镇报告", encoding="utf-8")
    (root / "out.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (root / "same.txt").symlink_to("a.txt")
    (root / "loop.txt").symlink_to("loop.txt")
    (root / "gone.txt").symlink_to("nowhere.txt")
    (root / "dir").symlink_to(tmp_path / "outside")
    return root


def test_links_leaving_the_folder_are_skipped_with_the_reason(tmp_path):
    root = _links(tmp_path)
    found = inputs.gather([str(root)])
    assert [p.name for p in found.files] == ["a.txt"]       # same.txt is a.txt, read once
    why = {Path(p).name: r for p, r in found.skipped}
    assert set(why) == {"out.txt", "loop.txt", "gone.txt", "dir"}
    assert "之外" in why["out.txt"] and "循环" in why["loop.txt"] and "不存在" in why["gone.txt"]
    assert "文件夹链接" in why["dir"]
    # a glob reaching through the linked folder is held to the same rule
    g = inputs.gather([str(root) + "/**/*.txt"])
    assert "secret.txt" not in {p.name for p in g.files}


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    """As root every folder can be listed: the refusal is made by the test."""
    root = tmp_path / "in"
    (root / "locked").mkdir(parents=True)
    (root / "a.txt").write_text("某镇报告", encoding="utf-8")
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    found = inputs.gather([str(root)])
    assert [p.name for p in found.files] == ["a.txt"]
    assert found.unreadable == [(str(root / "locked"), "文件夹无法读取（没有权限），其中的报告未检查")]


def test_disk_errors_are_told_from_damage(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(sqlite3.DatabaseError) as e:
        sqlite3.connect(bad).execute("SELECT * FROM sqlite_master").fetchall()
    assert io_reason(e.value) is None                      # damage: a cache, rebuilt
    ro = tmp_path / "ro.sqlite"
    sqlite3.connect(ro).execute("CREATE TABLE t (x)")
    with pytest.raises(sqlite3.OperationalError) as e:
        sqlite3.connect(f"file:{ro}?mode=ro", uri=True).execute("INSERT INTO t VALUES (1)")
    assert io_reason(e.value) is not None                  # the disk's (here: the mode's) fault


def test_output_equal_to_or_around_the_input_is_refused(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.txt").write_text("某镇报告", encoding="utf-8")
    for inp, out in (("in", "in"), ("in/sub", "in")):
        r = run_cli("audit", inp, "-o", out, cwd=tmp_path)
        assert r.returncode == 2 and "输出文件夹不能是输入文件夹" in r.stderr, r.stderr
    assert sorted(p.name for p in (tmp_path / "in").rglob("*")) == ["a.txt", "sub"]


def test_check_runs_each_file_guarded_at_small_cost(tmp_path):
    """`check` through the guarded worker gives what the in-process check gives."""
    from bench.gen import generate
    generate(tmp_path / "in", 6, seed=2)
    files = sorted(str(p) for p in (tmp_path / "in").glob("r*.txt"))
    guarded = run_cli("check", *files, "-f", "json", cwd=tmp_path)
    plain = run_cli("check", *files, "-f", "json", cwd=tmp_path, env={"FZCHECK_DEBUG": "1"})
    assert guarded.returncode == plain.returncode
    strip = lambda s: [{k: v for k, v in r.items() if k != "timings"} for r in json.loads(s)]  # noqa: E731
    assert strip(guarded.stdout) == strip(plain.stdout)


@needs_fork
def test_a_stopped_worker_is_replaced_and_the_batch_completes(tight, monkeypatch, tmp_path):
    """A worker stopped (SIGSTOP) where no report's clock runs — between reports, with work
    waiting for it — is taken for dead after the time limit; before, the audit waited forever."""
    from bench.gen import generate
    generate(tmp_path / "in", 40, seed=4)
    real, flag = worker._process, tmp_path / "stopped-once"

    def stop_once(source, *a, **k):
        out = real(source, *a, **k)
        if not flag.exists() and source.endswith("r00005.txt"):     # on disk: workers are forked
            flag.touch()
            guard._MARK[0] = -1.0           # between reports, as the worker is after each one
            os.kill(os.getpid(), signal.SIGSTOP)
        return out
    monkeypatch.setattr(worker, "_process", stop_once)
    from checker.audit.run import Options, run
    from checker.config import resolve
    t0 = time.monotonic()
    r = run(resolve(None), Options(paths=[str(tmp_path / "in")], out=tmp_path / "out", jobs=2, progress=False))
    assert time.monotonic() - t0 < 20
    assert len(r["reports"]) == 40            # every report of the batch, none lost or twice
