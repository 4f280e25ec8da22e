"""Benchmark of `fzcheck serve`: how long a clerk waits, and what a burst of uploads costs.

usage: python bench/serve.py [--file REPORT.txt] [-n 20] [--burst 20] [--rounds 3] [--large 30]
- the page: a .docx draft of ~5,000 characters (a real report of ../shared/corpus/, written as
  Word) sent as the page sends it (POST /check) and its result page fetched (GET /result):
  median, 90th percentile and worst of n, the server warm;
- the API: POST /api/check of the same .docx, the same way;
- a burst: `burst` uploads at once from as many threads, `rounds` times — each answered (200)
  or refused while busy (503), none lost (no connection error, no other status) — and the
  memory of the server with its workers (RSS, MB) after each round: it must stay flat;
- with --large N: N uploads of 39 MB at once, `rounds` times — the server lets in only as many
  as it has places for (rules/serve.yaml) before reading them: the peak and the memory after
  each round (it must come back down).
A benchmark, not a test: it prints figures; compare them before and after a change.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.formats import to_docx  # noqa: E402
from tests.serving import running  # noqa: E402


def _default_report() -> Path:
    corpus = ROOT.parent / "shared" / "corpus"
    files = sorted(corpus.glob("*.txt")) or sorted((ROOT / "samples").glob("*.txt"))
    # the one nearest 5,000 characters
    return min(files, key=lambda f: abs(len(f.read_bytes().decode("utf-8", "ignore")) - 5000))


def _rss_mb(pid: int) -> float:
    """The resident memory of a process and all below it (the zygote, the workers), in MB."""
    total = 0
    for p in _family(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _family(pid: int) -> list[int]:
    """The process and its descendants (the workers are the zygote's children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += _children(p)
    return out


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _server_pid(port: int) -> int | None:
    """The process listening on the port (the server's main process)."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if int(f[1].rsplit(":", 1)[1], 16) == port and f[3] == "0A":
                inode = f[9]
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and inode:
            try:
                if any(os.readlink(fd) == f"socket:[{inode}]" for fd in (d / "fd").iterdir()):
                    return int(d.name)
            except OSError:
                pass
    return None


def _times(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def _say(label: str, ts: list[float]) -> None:
    ts = sorted(ts)
    p90 = ts[min(len(ts) - 1, int(len(ts) * 0.9))]
    print(f"{label:<34} median {statistics.median(ts) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   worst {ts[-1] * 1000:7.1f} ms")


def _in_browser(url: str, data: bytes, n: int) -> None:
    """The clerk's wait as the browser sees it: the file chosen → the verdict on screen
    (Debian's chromium through Playwright; skipped without them)."""
    import shutil
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: playwright not installed, skipped")
        return
    if not shutil.which("chromium"):
        print("browser: no chromium, skipped")
        return
    from tests.test_serve_browser import FLAGS
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "草稿.docx"
        path.write_bytes(data)
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        ts = []
        for i in range(n + 1):
            page.goto(url + "/")
            t0 = time.perf_counter()
            page.set_input_files("#file", str(path))
            page.wait_for_url("**/result")
            page.wait_for_selector("#verdict", state="visible")
            page.wait_for_load_state("load")
            if i:                                   # the first one warms the browser
                ts.append(time.perf_counter() - t0)
        browser.close()
    _say("browser: file chosen → verdict shown", ts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path, default=None)
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--burst", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--large", type=int, default=0)
    a = ap.parse_args()
    src = a.file or _default_report()
    text = src.read_bytes().decode("utf-8", "ignore")
    data = to_docx(text, auto_numbering=False)
    print(f"report: {src.name}, {len(text):,} characters, as .docx {len(data) / 1024:.0f} KB")
    with tempfile.TemporaryDirectory() as tmp, running(cwd=Path(tmp)) as url:
        pid = _server_pid(int(url.rsplit(":", 1)[1]))
        files = {"file": ("草稿.docx", data)}
        with httpx.Client(base_url=url, timeout=120) as c:
            def page():
                r = c.post("/check", files=files)
                assert r.status_code == 303, r.text[:200]
                assert c.get("/result").status_code == 200

            def api():
                assert c.post("/api/check", files=files).status_code == 200

            page()                                                  # warm
            _say("page: upload → result shown", _times(page, a.n))
            _say("api: POST /api/check", _times(api, a.n))
        _in_browser(url, data, a.n)
        print(f"memory (server + workers) before the bursts: {_rss_mb(pid):.0f} MB" if pid else "")

        def one(_):
            try:
                return httpx.post(f"{url}/api/check", files=files, timeout=120).status_code
            except httpx.HTTPError as e:
                return type(e).__name__
        for r in range(a.rounds):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(a.burst) as ex:
                got = list(ex.map(one, range(a.burst)))
            took = time.perf_counter() - t0
            ok, busy = got.count(200), got.count(503)
            lost = [g for g in got if g not in (200, 503)]
            mem = f", memory {_rss_mb(pid):.0f} MB" if pid else ""
            print(f"burst {r + 1}: {a.burst} at once → {ok} answered, {busy} refused (503), "
                  f"{len(lost)} lost{' ' + str(lost) if lost else ''} in {took:.2f} s{mem}")
        if a.large and pid:
            _large(url, pid, a.large, a.rounds)


def _large(url: str, pid: int, n: int, rounds: int) -> None:
    import threading
    data = b"%PDF-1.4\n" + b"0" * (39 * 1024 * 1024)
    peak, stop = [_rss_mb(pid)], [False]

    def watch():
        while not stop[0]:
            peak[0] = max(peak[0], _rss_mb(pid))
            time.sleep(0.05)
    threading.Thread(target=watch, daemon=True).start()

    def one(_):
        try:
            return httpx.post(f"{url}/api/check", files={"file": ("big.pdf", data)}, timeout=120).status_code
        except httpx.HTTPError as e:
            return type(e).__name__
    for r in range(rounds):
        peak[0] = _rss_mb(pid)
        with ThreadPoolExecutor(n) as ex:
            got = list(ex.map(one, range(n)))
        time.sleep(1)
        counts = ", ".join(f"{v} × {k}" for k, v in sorted({c: got.count(c) for c in set(got)}.items(), key=str))
        print(f"large {r + 1}: {n} × 39 MB at once → {counts}; memory peak {peak[0]:.0f} MB, after {_rss_mb(pid):.0f} MB")
    stop[0] = True


if __name__ == "__main__":
    main()
