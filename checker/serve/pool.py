"""A small pool of guarded worker processes (checker/guard.py) for the server's event loop: a
report is checked in a worker, so a slow PDF holds one worker, not the page; a worker past the
time limit is killed and replaced, and its request answered with the same 「检查超过 N 秒」 as
the command line.

A request is admitted before its body is read (`admit`): at most `size` reports are checked
and `waiting` more are read or wait, each holding at most one upload in memory; the next
request is refused at once (Busy → 503) without reading it. So a flood of uploads costs
refusals, not memory."""
from __future__ import annotations

import asyncio
import contextlib

from .. import guard
from ..errors import InputError
from ..limits import worker_limits


class Busy(Exception):
    """Every place is taken: reports being checked, and the waiting room full."""

    def __init__(self, busy: int, waiting: int):
        super().__init__(busy, waiting)
        self.busy, self.waiting = busy, waiting


def zygote():
    """The context the server's workers are started from: multiprocessing's forkserver, a small
    process started once (with the checker warmed: checker/serve/zygote.py) that forks each
    worker. A worker forked from the server itself would carry a copy of whatever the server
    held at that moment — the uploads in flight, the sessions: 400 MB in a replacement forked
    during a burst of large uploads. Plain fork where there is no forkserver."""
    import multiprocessing as mp
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["checker.serve.zygote"])
    return ctx


class Pool:
    """`size` workers serving fn(*args); `run` awaits one call's reply."""

    def __init__(self, fn, size: int, waiting: int):
        self.fn, self.size, self.waiting_max = fn, size, waiting
        self.idle: list[guard.Worker] = []
        self.working = 0                    # calls a worker is on
        self.admitted = 0                   # requests let in: being read, waiting or checked
        self.gate: asyncio.Semaphore | None = None

    def _new(self) -> guard.Worker:
        # from the zygote (below), which holds no upload, no session and no connection
        return guard.Worker(self.fn, ctx=zygote())

    def start(self) -> None:
        """Fork the workers (before the first request: they inherit everything imported)."""
        self.idle = [self._new() for _ in range(self.size)]

    def close(self) -> None:
        """Every worker's pipe closed first, then each awaited: they end together."""
        workers, self.idle = self.idle, []
        for w in workers:
            w.conn.close()
        for w in workers:
            w.process.join(2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(5)

    @property
    def waiting(self) -> int:
        return max(0, self.admitted - self.working)

    @contextlib.contextmanager
    def admit(self):
        """A place for one request, taken before its body is read; Busy when there is none."""
        if self.admitted >= self.size + self.waiting_max:
            raise Busy(self.working, self.waiting)
        self.admitted += 1
        try:
            yield
        finally:
            self.admitted -= 1

    async def run(self, name: str, *args):
        """fn(*args) in a free worker. InputError(name, …) when the report was given up (time,
        memory, the worker died)."""
        if self.gate is None:
            self.gate = asyncio.Semaphore(self.size)      # made in the loop that uses it
        async with self.gate:
            worker = self._take(name)
            self.working += 1
            healthy = False
            try:
                reply = await self._call(worker, name, args)
                healthy = True
            finally:
                self.working -= 1
                # a worker that timed out or died, or whose call was cancelled (the server
                # stopping), is not reused: its pipe may hold a stale reply
                if healthy:
                    self.idle.append(worker)
                else:
                    worker.kill()
        try:
            return guard.answer(name, reply)
        finally:
            del reply                   # no cycle through this frame (guard.answer says why)

    def _take(self, name: str) -> guard.Worker:
        """A live worker: an idle one, those that died while idle replaced; a new one forked
        when none is left (a fork that failed earlier is tried again here)."""
        while self.idle:
            w = self.idle.pop()
            if w.process.is_alive():
                return w
            w.kill()
        try:
            return self._new()
        except OSError as e:
            raise InputError(name, f"无法启动检查进程（{e.strerror or e}），请稍后再试") from None

    async def _call(self, w: guard.Worker, name: str, args: tuple):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + worker_limits().time_s
        if not w.send(*args):
            raise InputError(name, "无法读取：" + guard.DIED)
        while True:
            got, gone = w.replies()
            if got:
                return got[0]
            if gone:
                raise InputError(name, "无法读取：" + guard.DIED)
            left = deadline - loop.time()
            if left <= 0:
                raise InputError(name, "无法读取：" + guard.timed_out())
            await _readable(loop, (w.conn.fileno(), w.sentinel), left)


async def _readable(loop, fds, timeout: float) -> None:
    """Until one of the file descriptors can be read (a reply, the worker's end) or the time is up."""
    ready = loop.create_future()

    def wake():
        if not ready.done():
            ready.set_result(None)

    for fd in fds:
        loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
    except TimeoutError:
        pass
    finally:
        for fd in fds:
            loop.remove_reader(fd)
