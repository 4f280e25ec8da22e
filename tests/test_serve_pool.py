"""The server's worker pool (checker/serve/pool.py): a bounded number of requests let in, the
rest refused at once before anything of them is read; a worker past the time limit killed and
replaced, its request answered with the CLI's reason; a worker that died while idle never given
a report; a worker forked from the server keeping none of its connections."""
from __future__ import annotations

import asyncio
import json
import os
import socket
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


def open_files() -> list[str]:
    """What the worker has open (its /proc/self/fd), as the targets of the links."""
    out = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            out.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return out


@pytest.fixture
def short_limit(monkeypatch):
    short = lambda: WorkerLimits(time_s=1.0, memory_mb=1024)  # noqa: E731
    monkeypatch.setattr(pool_mod, "worker_limits", short)
    monkeypatch.setattr(guard, "worker_limits", short)       # the reason it gives


def _pool(fn, size, waiting) -> Pool:
    p = Pool(fn, size, waiting)
    p.start()
    return p


async def ask(p: Pool, name: str, *args):
    """As the server asks: a place first, then the call."""
    with p.admit():
        await asyncio.sleep(0)          # the body being read
        return await p.run(name, *args)


def test_busy_beyond_the_waiting_room_is_refused_at_once():
    p = _pool(nap, size=1, waiting=1)

    async def main():
        started = time.monotonic()
        got = await asyncio.gather(*[ask(p, f"r{i}", 0.6) for i in range(4)], return_exceptions=True)
        return got, time.monotonic() - started

    try:
        got, took = asyncio.run(main())
    finally:
        p.close()
    done = [g for g in got if isinstance(g, int)]
    refused = [g for g in got if isinstance(g, Busy)]
    assert len(done) == 2 and len(refused) == 2, got           # one at work, one waiting, two refused
    assert took < 2.5                                           # refusals did not wait
    assert p.admitted == 0 and p.working == 0


def test_every_request_is_answered_or_refused_none_lost():
    p = _pool(nap, size=2, waiting=3)

    async def main():
        return await asyncio.gather(*[ask(p, f"r{i}", 0.05) for i in range(20)], return_exceptions=True)

    try:
        got = asyncio.run(main())
    finally:
        p.close()
    assert len(got) == 20
    assert all(isinstance(g, (int, Busy)) for g in got), got
    assert sum(isinstance(g, int) for g in got) == 5            # two at work and three waiting: let in
    assert len({g for g in got if isinstance(g, int)}) <= 2     # two workers did all of it


def test_a_report_past_the_time_limit_is_given_up_and_its_worker_replaced(short_limit):
    p = _pool(nap, size=1, waiting=0)

    async def main():
        with pytest.raises(InputError) as e:
            await ask(p, "慢.pdf", 30)
        return e.value, await ask(p, "next.txt", 0)

    try:
        first = p.idle[0].process.pid
        started = time.monotonic()
        err, pid = asyncio.run(main())
        took = time.monotonic() - started
    finally:
        p.close()
    assert err.path == "慢.pdf" and "检查超过 1 秒" in err.message
    assert took < 10
    assert pid not in (first, os.getpid())                     # a new worker answered the next


def test_a_cancelled_call_costs_its_worker_not_the_pool():
    p = _pool(nap, size=1, waiting=0)

    async def main():
        t = asyncio.create_task(ask(p, "gone.docx", 30))
        await asyncio.sleep(0.3)
        at_work = list(p.idle)
        t.cancel()
        with pytest.raises(asyncio.CancelledError):
            await t
        return at_work, await asyncio.wait_for(ask(p, "next.txt", 0), 10)

    try:
        at_work, pid = asyncio.run(main())
    finally:
        p.close()
    assert at_work == []
    assert isinstance(pid, int)


def test_a_worker_that_died_while_idle_is_not_given_a_report():
    p = _pool(nap, size=1, waiting=0)
    dead = p.idle[0]
    dead.process.kill()
    dead.process.join(5)
    try:
        pid = asyncio.run(ask(p, "innocent.txt", 0))
    finally:
        p.close()
    assert pid != dead.process.pid


def test_a_failing_job_is_its_requests_error_and_the_worker_stays():
    p = _pool(boom, size=1, waiting=0)

    async def main():
        with pytest.raises(ValueError, match="a bug in the job"):
            await ask(p, "x.txt")
        return p.idle[0].process.pid

    try:
        before = p.idle[0].process.pid
        assert asyncio.run(main()) == before
    finally:
        p.close()


def test_a_worker_keeps_none_of_the_servers_connections():
    # a connection the server holds when a worker is forked (a replacement, mid-service): the
    # worker must not keep a copy, or the browser never sees the connection closed
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(1)
        p = _pool(open_files, size=1, waiting=0)
        try:
            files = asyncio.run(ask(p, "fds"))
        finally:
            p.close()
    sockets = [f for f in files if f.startswith("socket:")]
    assert len(sockets) == 1, files                                         # its own pipe to the pool
    assert "anon_inode:[eventpoll]" not in files


def slow_job(kind, *args):
    """The server's own job, a second slower (a large PDF)."""
    from checker.serve import work
    time.sleep(1.0)
    return work.job(kind, *args)


def test_a_full_server_answers_503_at_once_without_reading_the_upload():
    httpx = pytest.importorskip("httpx")
    from checker.serve.app import ServeOptions, create_app
    from tests.conftest import SAMPLES
    p = _pool(slow_job, size=1, waiting=1)
    app = create_app(ServeOptions(), pool=p)
    data = (SAMPLES / "柳溪镇_2024_规范.txt").read_bytes()
    read = []

    async def body():
        read.append(1)                  # a chunk of the upload taken from the client
        yield b'{"text": ' + json.dumps(data.decode("utf-8")).encode() + b"}"

    async def one(c):
        t0 = time.monotonic()
        r = await c.post("/api/check", content=body(), headers={"content-type": "application/json"})
        return r.status_code, time.monotonic() - t0, r.json()

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await asyncio.gather(*[one(c) for _ in range(5)])

    try:
        got = asyncio.run(main())
    finally:
        p.close()
    codes = sorted(code for code, _, _ in got)
    assert codes == [200, 200, 503, 503, 503], got
    refused = [(t, j) for code, t, j in got if code == 503]
    assert all(t < 0.5 and "服务器正忙" in j["error"] for t, j in refused)
    assert len(read) == 2                                       # the refused uploads were never read


def take(mb: int) -> int:
    """A job that needs `mb` MB of its own (a large report being read)."""
    block = bytearray(mb * 1024 * 1024)
    return len(block) // (1024 * 1024)


def test_a_worker_forked_from_a_grown_server_has_the_same_room():
    # the server holds 600 MB (sessions, uploads) when it forks a replacement worker: the cap is
    # counted from what the worker starts with, so it can still take 300 MB for a report
    held = bytearray(600 * 1024 * 1024)
    try:
        p = _pool(take, size=1, waiting=0)
        try:
            assert asyncio.run(ask(p, "big.docx", 300)) == 300
            with pytest.raises(InputError, match="内存"):
                asyncio.run(ask(p, "bomb.docx", 4096))
        finally:
            p.close()
    finally:
        del held


def _post_scope(headers: list) -> dict:
    """An ASGI request POST /api/check with a JSON body, as uvicorn hands it to the app."""
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
            "scheme": "http", "path": "/api/check", "raw_path": b"/api/check", "query_string": b"",
            "root_path": "", "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *headers],
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}


def test_a_client_that_hangs_up_frees_its_worker():
    from checker.serve.app import ServeOptions, create_app
    from tests.conftest import SAMPLES
    p = _pool(slow_job, size=1, waiting=0)
    app = create_app(ServeOptions(), pool=p)
    body = json.dumps({"text": (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")}).encode()
    sent = []

    async def main():
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            if messages:
                return messages.pop(0)
            return {"type": "http.disconnect"}       # the browser tab was closed

        async def send(message):
            sent.append(message)

        scope = _post_scope([(b"content-length", str(len(body)).encode())])
        t0 = time.monotonic()
        await app(scope, receive, send)
        return time.monotonic() - t0

    try:
        took = asyncio.run(main())
        assert took < 0.95                                      # not the job's second
        assert p.working == 0 and p.admitted == 0
        assert asyncio.run(ask(p, "next", "check", b"x", "x.txt", None, None))   # the pool still works
    finally:
        p.close()


def test_sessions_are_bounded_by_count_and_by_bytes():
    from checker.models import Source
    from checker.report import check_text
    from checker.serve.sessions import Checked, Sessions
    _, result = check_text("关于柳溪镇2024年法治政府建设情况的报告\n一、主要举措和成效\n开展学习。")

    def checked(chars):
        return Checked(result, Source(path="x.txt", lines=["字" * chars]), "x.txt", None, None, None)

    small, big = checked(1000), checked(2500)
    assert big.size > 2 * small.size            # Python's sizes: 「字」 takes 2 bytes
    store = Sessions(cap=3, minutes=60, budget=3 * small.size + 10)
    ids = [store.new() for _ in range(5)]
    assert len(store) == 3 and not store.known(ids[1]) and store.known(ids[2]) and store.known(ids[4])
    sids = [store.new() for _ in range(3)]
    for sid in sids:
        store.save(sid, checked(1000))          # three fit in the budget
    assert all(store.get(s) for s in sids)
    store.save(sids[0], big)                    # with it, no other fits
    assert store.get(sids[0]) is not None and store.get(sids[1]) is None and store.get(sids[2]) is None


def test_a_client_that_hangs_up_mid_upload_is_no_server_error(caplog):
    from checker.serve.app import ServeOptions, create_app
    p = _pool(nap, size=1, waiting=0)
    app = create_app(ServeOptions(), pool=p)
    sent = []

    async def main():
        messages = [{"type": "http.request", "body": b'{"text": "', "more_body": True}]

        async def receive():
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        scope = _post_scope([])
        await app(scope, receive, send)

    try:
        with caplog.at_level("ERROR"):
            asyncio.run(main())
    finally:
        p.close()
    assert sent[0]["status"] == 499
    assert not [r for r in caplog.records if r.name == "fzcheck.serve"]      # no trace: not a bug
    assert p.admitted == 0


def test_a_body_trickled_in_is_given_up(monkeypatch):
    from checker.serve import upload
    from checker.serve.app import ServeOptions, create_app
    monkeypatch.setattr(upload, "_SLOW_AFTER", 0.5)          # the rule's figures, made short
    p = _pool(nap, size=1, waiting=0)
    app = create_app(ServeOptions(), pool=p)
    sent = []

    async def main():
        async def receive():
            await asyncio.sleep(0.2)
            return {"type": "http.request", "body": b" " * 100, "more_body": True}   # 500 bytes a second

        async def send(message):
            sent.append(message)

        await asyncio.wait_for(app(_post_scope([]), receive, send), 10)

    try:
        asyncio.run(main())
    finally:
        p.close()
    assert sent[0]["status"] == 408
    body = json.loads(b"".join(m.get("body", b"") for m in sent[1:]))
    assert "过慢" in body["error"] and p.admitted == 0
