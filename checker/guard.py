"""The per-report limits, enforced from outside the check: a report is checked in a worker
process, which the parent kills when it has spent longer than the time limit on one report
(an alarm inside the process cannot interrupt a C parser that never returns), and whose address
space is capped, so a report that needs too much memory fails alone (MemoryError) instead of
taking the machine. One module for `check` and `audit`: the same worker, limits and kill.

The worker is forked once, after the imports, and serves one function for many calls: each call
sends only its own arguments. Where fork is unavailable (or FZCHECK_DEBUG=1, to debug in one
process) the work runs in this process, under the SIGALRM time limit alone."""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sys
import time
from collections import deque
from multiprocessing.connection import wait as wait_any

from .compiled import keep as keep_compiled
from .errors import InputError
from .limits import worker_limits


# why a report was given up, as the summaries and the terminal say it
def timed_out() -> str:
    return f"检查超过 {worker_limits().time_s:g} 秒，已放弃；文件可能异常（如层层嵌套或未闭合的网页标签）"


def out_of_memory() -> str:
    return f"检查所需内存超过 {worker_limits().memory_mb} MB，已放弃；文件可能异常"


DIED = "检查进程意外终止（可能被系统因内存不足结束）；重新运行会再检查一次"


def cores() -> int:
    """The CPU cores this process may run on (its affinity, as a container or taskset sets it;
    os.cpu_count() counts the whole machine's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def forking() -> bool:
    """Whether work goes to guarded worker processes (else: in this process)."""
    return "fork" in mp.get_all_start_methods() and not os.environ.get("FZCHECK_DEBUG")


# in a worker: [item being worked on (< 0: none), since when (time.monotonic, one clock for
# all processes on Linux)]; the parent reads it to know which report to blame and since when
_MARK = None


def mark(item: int) -> None:
    """Say, in a worker, that work on `item` starts now (no-op in the parent)."""
    if _MARK is not None:
        _MARK[1] = time.monotonic()
        _MARK[0] = item


def answer(name: str, reply: tuple):
    """A worker's reply as the caller's value, or the exception it stands for: InputError(name, …)
    when the report took more memory than the cap, the worker's own exception otherwise."""
    kind, value = reply
    if kind == "ok":
        return value
    if kind == "memory":
        raise InputError(name, "无法读取：" + out_of_memory())
    try:
        raise value
    finally:
        # the exception's traceback holds this frame: without this, frame and exception hold each
        # other (and what the caller's frames hold, a 40 MB upload) until the cycle collector runs
        del value, reply


class Worker:
    """One guarded worker process serving fn(*fixed, *args) for each call sent; `init()` runs
    first in it. Replies are ("ok", value), ("memory", None) or ("error", exception)."""

    def __init__(self, fn, fixed: tuple = (), init=None, ctx=None):
        """`ctx`: the multiprocessing context the worker is started from — fork (the default:
        fn and fixed reach the child by copy, never pickled) or a forkserver (the server's:
        they are pickled by reference)."""
        ctx = ctx or mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.marker = ctx.RawArray("d", [-1.0, 0.0])
        # a forked child holds a copy of the parent's end, which it must close; a child of a
        # forkserver never had it
        parent_end = self.conn if ctx.get_start_method() == "fork" else None
        self.process = ctx.Process(target=_serve, args=(child, parent_end, self.marker, fn, fixed, init),
                                   daemon=True)
        self.process.start()
        child.close()

    @property
    def sentinel(self):
        return self.process.sentinel

    def send(self, *args) -> bool:
        try:
            self.conn.send(args)
            return True
        except OSError:             # the worker is gone; its sentinel says so
            return False

    def busy(self) -> tuple[int, float] | None:
        """(item, seconds on it) of the item the worker is on, or None when it waits."""
        item = int(self.marker[0])
        return None if item < 0 else (item, time.monotonic() - self.marker[1])

    def overdue(self) -> int | None:
        b = self.busy()
        return b[0] if b is not None and b[1] > worker_limits().time_s else None

    def replies(self) -> tuple[list, bool]:
        """The replies waiting on the pipe, and whether the worker has gone (pipe closed)."""
        out = []
        try:
            while self.conn.poll():
                try:
                    out.append(self.conn.recv())
                except (EOFError, OSError):
                    raise
                except Exception as e:  # noqa: BLE001 — a reply that does not unpickle here
                    # (an exception class whose arguments do not rebuild): that call's error
                    out.append(("error", RuntimeError(f"{type(e).__name__}: {e}")))
        except (EOFError, OSError):
            return out, True
        return out, not self.process.is_alive() and not self.conn.poll()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def close(self) -> None:
        """Let the worker end by itself (its pipe closes), killed if it does not at once."""
        self.conn.close()
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


def _serve(conn, parent_end, marker, fn, fixed, init) -> None:
    global _MARK
    if parent_end is not None:
        parent_end.close()      # or the worker would never see the parent close the pipe
    _MARK = marker
    _child_setup()
    try:
        if init is not None:
            init()
    except BaseException as e:  # noqa: BLE001 — the parent says what went wrong
        _reply(conn, ("error", e))
        return
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        mark(0)
        try:
            out = ("ok", fn(*fixed, *args))
        except MemoryError:
            out = ("memory", None)
        except BaseException as e:  # noqa: BLE001
            out = ("error", e)
        marker[0] = -1.0
        if not _reply(conn, out):
            return
        # a worker never runs atexit: the patterns it compiled are kept for the next run here
        keep_compiled()


def _reply(conn, out) -> bool:
    try:
        conn.send(out)
    except (OSError, EOFError):
        return False
    except Exception:  # noqa: BLE001 — a value that does not pickle: its text does
        try:
            conn.send(("error", RuntimeError(f"{type(out[1]).__name__}: {out[1]}")))
        except Exception:  # noqa: BLE001
            return False
    return True


def _child_setup() -> None:
    """In a worker: die with the parent (even a killed one, where Linux allows), leave Ctrl-C to
    the parent, which stops the workers itself; cap the address space above what it starts
    with; no inner alarm, the parent keeps the time."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)     # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    try:
        import resource
        # the cap is what the worker may take beyond the image it was forked with: forked from a
        # server that has grown (its sessions, the uploads it holds), a worker gets the same room
        # for a report as one forked from a small `check`
        cap = _address_space() + worker_limits().memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass
    from . import read
    read.TIME_LIMIT = 0


def _address_space() -> int:
    """This process's address space now, in bytes (Linux: /proc/self/status VmSize; 0 elsewhere)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


# workers in a row dying on no call (killed from outside while they waited): something else
# is wrong — Guarded.map gives up the call at the head, the audit's pool stops the run
DEATHS = 3


def _given_up(w: Worker, gone: bool) -> str | None:
    """Why the call a worker is on is given up, or None while it may go on: the worker has gone,
    or it has spent longer than the time limit on the call."""
    if gone:
        return DIED
    return timed_out() if w.overdue() is not None else None

# calls taken, per worker, before the caller has the results before them: the workers go on
# while one report takes longer than its neighbours (a check's result is a few tens of KB; a
# caller of larger results — a commented copy of a Word file — asks for fewer)
WAITING = 8


class Guarded:
    """fn(*fixed, *args) for one report at a time, in a guarded worker (started when first
    needed, replaced after a kill); InputError(name, …) when the report was given up."""

    def __init__(self, fn, *fixed):
        self.fn, self.fixed = fn, fixed
        self.worker: Worker | None = None

    def __call__(self, name: str, *args):
        if not forking():
            from .read import time_limit
            with time_limit(int(worker_limits().time_s), name, message="无法读取：" + timed_out()):
                return self.fn(*self.fixed, *args)
        if self.worker is None:
            self.worker = Worker(self.fn, self.fixed)
        w = self.worker
        w.send(*args)
        while True:
            ready = wait_any([w.conn, w.sentinel], timeout=0.2)
            got, gone = w.replies() if ready else ([], False)
            if got:
                return answer(name, got[0])
            reason = _given_up(w, gone)
            if reason is None:
                continue
            self.worker = None          # a fresh one for the next report
            w.kill()
            raise InputError(name, "无法读取：" + reason)

    def map(self, calls, jobs: int = 1, ahead: int | None = None):
        """(True, fn(*fixed, *args)) or (False, the exception) for each (name, args) of `calls`,
        in their order, as `self(name, *args)` would give them — with up to `jobs` workers, each
        holding two calls: the next waits in its pipe while the worker is on one, so neither the
        worker nor this process waits for the other between reports. A call given up (the time
        limit, the worker's death) costs that call alone; the calls queued behind it go to a
        fresh worker. At most `ahead` (default WAITING) × jobs calls are taken before the caller has
        the results before them: a caller's memory holds that many results at most."""
        if not forking():
            for name, args in calls:
                try:
                    yield True, self(name, *args)
                except Exception as e:  # noqa: BLE001 — the caller says what it means
                    yield False, e
            return
        jobs = max(1, jobs)
        held = max(2, ahead or WAITING) * jobs
        todo = iter(enumerate(calls))
        names: dict[int, str] = {}
        again: deque = deque()                   # calls to send again (their worker was killed)
        sent: dict[Worker, deque] = {}          # each worker's calls, the one it is on first
        done: dict[int, tuple] = {}
        following, more = 0, True                # the next result the caller gets; calls left in `todo`
        idle_deaths = 0                          # workers in a row that died before starting a call

        def take():
            nonlocal more
            if again:
                return again.popleft()
            got = next(todo, None) if more else None
            if got is None:
                more = False
                return None
            i, (name, args) = got
            names[i] = name
            return i, args

        try:
            while True:
                for w in [w for w, q in sent.items() if not q and not w.process.is_alive()]:
                    w.kill()                    # died while it had nothing to do: no call is lost
                    del sent[w]
                while len(sent) < jobs and (again or more):
                    sent[Worker(self.fn, self.fixed)] = deque()
                # one call to each worker in turn (neighbours in the order go to different
                # workers), two at most each, and no more than `held` ahead of the caller
                for depth in (1, 2):
                    for w, queue in sent.items():
                        if len(queue) < depth and (again or len(names) < held):
                            call = take()
                            if call is None:
                                break
                            queue.append(call)
                            w.send(*call[1])
                while following in done:
                    yield done.pop(following)
                    del names[following]
                    following += 1
                busy = [w for w, q in sent.items() if q]
                if not busy and not again and not more:
                    return
                ready = set(wait_any([w.conn for w in busy] + [w.sentinel for w in busy], timeout=0.2))
                for w in busy:
                    queue = sent[w]
                    got, gone = w.replies() if (w.conn in ready or w.sentinel in ready) else ([], False)
                    for reply in got:
                        idle_deaths = 0
                        i, _ = queue.popleft()
                        try:
                            done[i] = (True, answer(names[i], reply))
                        except Exception as e:  # noqa: BLE001
                            done[i] = (False, e)
                    reason = _given_up(w, gone)
                    if reason is None:
                        continue
                    if queue and gone and w.busy() is None and idle_deaths < DEATHS:
                        # killed between two calls (its clock says it was on none): they all go
                        # again — unless workers keep dying so, when the call is given up as below
                        idle_deaths += 1
                        again.extendleft(reversed(queue))
                    elif queue:
                        i, _ = queue.popleft()      # the call it was on; those behind it go again
                        done[i] = (False, InputError(names[i], "无法读取：" + reason))
                        again.extendleft(reversed(queue))
                    w.kill()
                    del sent[w]                     # a fresh one at the top of the loop
        finally:
            # idle after the last call: they end by themselves; stopped mid-batch (Ctrl-C, the
            # caller gone): killed, not waited for
            finished = not any(sent.values())
            for w in sent:
                # every pipe first: a worker forked later holds a copy of an earlier one's end,
                # and the earlier one sees its pipe closed only when that copy is gone too
                w.conn.close()
            for w in sent:
                w.close() if finished else w.kill()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
