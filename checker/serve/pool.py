"""A small pool of guarded worker processes (checker/guard.py) for the server's event loop: a
report is checked in a worker, so a slow PDF holds one worker, not the page; a worker past the
time limit is killed and replaced, and its request answered with the same 「检查超过 N 秒」 as
the command line. At most `waiting` requests wait for a worker; the next one is refused at
once (Busy → 503), so a flood of uploads costs refusals, not memory."""
from __future__ import annotations

import asyncio

from .. import guard
from ..errors import InputError
from ..limits import worker_limits


class Busy(Exception):
    """Every worker is on a report and the waiting room is full."""

    def __init__(self, busy: int, waiting: int):
        super().__init__(busy, waiting)
        self.busy, self.waiting = busy, waiting


class Pool:
    """`size` workers serving fn(*args); `run` awaits one call's reply."""

    def __init__(self, fn, size: int, waiting: int):
        self.fn, self.size, self.waiting_max = fn, size, waiting
        self.idle: list[guard.Worker] = []
        self.waiting = 0
        self.gate: asyncio.Semaphore | None = None

    def start(self) -> None:
        """Fork the workers (before the first request: they inherit everything imported)."""
        self.idle = [guard.Worker(self.fn) for _ in range(self.size)]

    def close(self) -> None:
        for w in self.idle:
            w.close()
        self.idle = []

    @property
    def busy(self) -> int:
        return self.size - len(self.idle)

    async def run(self, name: str, *args):
        """fn(*args) in a free worker. InputError(name, …) when the report was given up (time,
        memory, the worker died); Busy when no worker is free and too many wait already."""
        if self.gate is None:
            self.gate = asyncio.Semaphore(self.size)      # made in the loop that uses it
        if self.gate.locked() and self.waiting >= self.waiting_max:
            raise Busy(self.busy, self.waiting)
        self.waiting += 1
        try:
            await self.gate.acquire()
        finally:
            self.waiting -= 1
        try:
            worker = self.idle.pop()
            healthy = False
            try:
                kind, value = await self._call(worker, name, args)
                healthy = True
            finally:
                # a worker that timed out, died or whose request was abandoned (the browser
                # went away while it worked) is replaced: its pipe may hold a stale reply
                if healthy:
                    self.idle.append(worker)
                else:
                    worker.kill()
                    self.idle.append(guard.Worker(self.fn))
        finally:
            self.gate.release()
        if kind == "ok":
            return value
        if kind == "memory":
            raise InputError(name, "无法读取：" + guard.out_of_memory())
        raise value

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
