"""`fzcheck serve` started as a user starts it — a new process on a free loopback port (--port 0,
the address read from what it prints) — for the tests of the page and the API."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Server(str):
    """The server's base URL (http://127.0.0.1:PORT); `.output` the lines it printed up to it,
    `.readline()` the next one."""
    output: list[str]
    readline = None


@contextmanager
def running(*args, cwd: Path | None = None, env: dict | None = None):
    """The server (its base URL, a Server) while it runs; stopped with its workers afterwards."""
    e = {k: v for k, v in os.environ.items() if k != "FZCHECK_DEBUG"}
    e.update(env or {})
    proc = subprocess.Popen([sys.executable, "-m", "checker", "serve", "--port", "0", "--no-open", *map(str, args)],
                            cwd=cwd or ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    url, seen, deadline = None, [], time.monotonic() + 60
    try:
        while url is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"(http://[\d.]+:\d+)/", line)
            if m:
                url = m.group(1)
        if url is None:
            raise RuntimeError("fzcheck serve did not start:\n" + "".join(seen))
        server = Server(url)
        server.output, server.readline = seen, proc.stdout.readline
        yield server
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        proc.stdout.close()
