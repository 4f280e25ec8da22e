"""The audit's workers: reports go a few at a time to guarded worker processes
(checker/guard.py), which store what they check in shards of their own. A worker that dies —
killed at the time limit, by the out-of-memory killer, by someone's kill -9 — costs only the
report it was on, recorded as unreadable with the reason; a new worker takes over the rest."""
from __future__ import annotations

import time
from collections import deque
from functools import partial
from multiprocessing.connection import wait as wait_any

from .. import guard
from ..errors import RunError
from . import summary, worker
from .state import State, pack

CHUNK = 4            # reports per message to a worker: each message costs the main process bookkeeping


def check_all(todo: list[str], job: worker.Job, jobs: int, state: State, advance) -> None:
    """Every report of `todo` checked into the workers' shards (merged by the caller)."""
    chunk = max(1, min(CHUNK, len(todo) // (jobs * 4)))
    # two messages per worker: the next waits in the pipe while the worker is on the first
    in_flight = 2 * chunk
    queue = deque(enumerate(todo, 1))          # items from 1: 0 is the guard's "a call, no item yet"
    start = partial(guard.Worker, worker.process_into_shard, init=partial(worker.open_shard, job))
    workers: dict[guard.Worker, deque] = {}
    heard: dict[guard.Worker, float] = {}      # when each worker last answered (or was started)
    deaths = 0
    try:
        for _ in range(min(jobs, len(todo))):
            w = start()
            workers[w], heard[w] = deque(), time.monotonic()
        # imported here, while the workers are busy: the process that writes summary.xlsx is
        # forked from this one
        summary.preload()
        while queue or any(workers.values()):
            for w, sent in workers.items():
                while len(sent) < in_flight and queue:
                    batch = [queue.popleft() for _ in range(min(chunk, len(queue)))]
                    sent.extend(batch)
                    w.send(batch)
            ready = set(wait_any([w.conn for w in workers] + [w.sentinel for w in workers], timeout=1.0))
            for w in list(workers):
                got, gone = w.replies() if (w.conn in ready or w.sentinel in ready) else ([], False)
                reason = None
                if got or w.busy() is not None:      # answering, or on a report (its clock runs)
                    heard[w] = time.monotonic()
                for kind, value in got:
                    if kind == "ok":
                        for source, _ in value:
                            workers[w].popleft()
                            advance(source)
                        deaths = 0
                    elif kind == "memory":         # outside a report (process() takes its own)
                        reason = guard.out_of_memory()
                    else:
                        raise value                 # RunError (the folder is full…) or a bug
                if reason is None and gone:
                    reason = guard.DIED
                # the item read once: the worker may move on to the next before it is killed,
                # and the report that overran is the one to blame, not the one after it
                over = w.overdue() if reason is None else None
                if over is not None:
                    reason = guard.timed_out()
                elif reason is None and workers[w] and w.busy() is None and \
                        time.monotonic() - heard[w] > guard.worker_limits().time_s:
                    # work waits for it, yet it takes none and says nothing: stopped (SIGSTOP) or
                    # stuck between reports, where no report's clock runs
                    reason = guard.DIED
                if reason is not None:
                    blamed = _replace(w, workers, queue, state, reason, over)
                    deaths = 0 if blamed else deaths + 1
                    if deaths >= guard.DEATHS:
                        raise RunError("检查进程接连意外终止（可能是内存不足或被其他程序结束）；"
                                       "已完成的检查结果都已保留，重新运行同一命令会从中断处继续")
                    w = start()
                    workers[w], heard[w] = deque(), time.monotonic()
    finally:
        for w in workers:
            w.kill()


def _replace(w: guard.Worker, workers: dict, queue: deque, state: State, reason: str,
             overran: int | None = None) -> bool:
    """A dead (or overdue, now killed) worker: the report it was on (`overran`, for one killed
    at the limit) is recorded as unreadable, the rest of what it was sent goes back to the
    front of the queue. Returns whether a report was blamed."""
    w.kill()
    busy = w.busy()             # read once it is dead: the report it was on when it stopped
    sent = workers.pop(w)
    blamed = overran if overran is not None else (busy[0] if busy else None)
    for item, source in sent:
        if item == blamed:
            # given up at a limit: not tried again while the file is unchanged; died: redone next run
            digest = "" if reason == guard.DIED else worker.content_digest(source)
            state.save(pack(worker._unreadable(source, digest, reason)))
    queue.extendleft(reversed([x for x in sent if x[0] != blamed]))
    return any(item == blamed for item, _ in sent)
