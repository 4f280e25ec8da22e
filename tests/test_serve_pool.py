"""The server's worker pool (checker/serve/pool.py): a bounded number of reports at once, a
bounded number waiting, the rest refused at once; a worker past the time limit killed and
replaced, its request answered with the CLI's reason; a request abandoned mid-check costs its
worker, not the pool."""
from __future__ import annotations

import asyncio
import os
import time

import pytest

from checker import guard
from checker.errors import InputError
from checker.limits import WorkerLimits
from checker.serve import pool as pool_mod
from checker.serve.pool import Busy, Pool


def nap(seconds: float) -> int:
    """A job that takes its time (a slow PDF), run in the worker."""
    time.sleep(seconds)
    return os.getpid()


def boom() -> None:
    raise ValueError("a bug in the job")


@pytest.fixture
def short_limit(monkeypatch):
    short = lambda: WorkerLimits(time_s=1.0, memory_mb=1024)  # noqa: E731
    monkeypatch.setattr(pool_mod, "worker_limits", short)
    monkeypatch.setattr(guard, "worker_limits", short)       # the reason it gives


def _pool(fn, size, waiting) -> Pool:
    p = Pool(fn, size, waiting)
    p.start()
    return p


def test_busy_beyond_the_waiting_room_is_refused_at_once():
    p = _pool(nap, size=1, waiting=1)

    async def main():
        started = time.monotonic()
        tasks = [asyncio.create_task(p.run(f"r{i}", 0.6)) for i in range(4)]
        got = await asyncio.gather(*tasks, return_exceptions=True)
        return got, time.monotonic() - started

    try:
        got, took = asyncio.run(main())
    finally:
        p.close()
    done = [g for g in got if isinstance(g, int)]
    refused = [g for g in got if isinstance(g, Busy)]
    assert len(done) == 2 and len(refused) == 2, got           # one at work, one waiting, two refused
    assert refused[0].busy == 1 and refused[0].waiting == 1
    assert took < 2.5                                           # refusals did not wait


def test_every_request_is_answered_or_refused_none_lost():
    p = _pool(nap, size=2, waiting=3)

    async def main():
        return await asyncio.gather(*[p.run(f"r{i}", 0.05) for i in range(20)], return_exceptions=True)

    try:
        got = asyncio.run(main())
    finally:
        p.close()
    assert len(got) == 20
    assert all(isinstance(g, (int, Busy)) for g in got), got
    assert sum(isinstance(g, int) for g in got) >= 5
    assert len({g for g in got if isinstance(g, int)}) <= 2     # two workers did all of it


def test_a_report_past_the_time_limit_is_given_up_and_its_worker_replaced(short_limit):
    p = _pool(nap, size=1, waiting=0)

    async def main():
        with pytest.raises(InputError) as e:
            await p.run("慢.pdf", 30)
        return e.value, await p.run("next.txt", 0)

    try:
        started = time.monotonic()
        err, pid = asyncio.run(main())
        took = time.monotonic() - started
    finally:
        p.close()
    assert err.path == "慢.pdf" and "检查超过 1 秒" in err.message
    assert took < 10
    assert pid != os.getpid()                                   # a new worker answered the next


def test_a_request_abandoned_mid_check_costs_its_worker_not_the_pool():
    p = _pool(nap, size=1, waiting=0)

    async def main():
        t = asyncio.create_task(p.run("gone.docx", 30))
        await asyncio.sleep(0.3)
        first = p.idle[0] if p.idle else None
        t.cancel()
        with pytest.raises(asyncio.CancelledError):
            await t
        return first, await asyncio.wait_for(p.run("next.txt", 0), 10)

    try:
        first, pid = asyncio.run(main())
    finally:
        p.close()
    assert first is None                                        # it was at work
    assert isinstance(pid, int)


def test_a_failing_job_is_its_requests_error_and_the_worker_stays():
    p = _pool(boom, size=1, waiting=0)

    async def main():
        with pytest.raises(ValueError, match="a bug in the job"):
            await p.run("x.txt")
        return p.idle[0].process.pid

    try:
        before = p.idle[0].process.pid
        assert asyncio.run(main()) == before
    finally:
        p.close()
