"""Worst cases under the size cap, timed one by one in a fresh process: wall time, peak memory
and the size of the JSON output of `fzcheck check --format json` for each generated input.

usage: python bench/bounds.py [NAME ...]     (no names: all of them)
The limits of rules/limits.yaml are what keeps these near-linear; this shows whether they do.
A benchmark, not a test: it asserts nothing (tests/hostile/case_bounds.py does)."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CAP = 3_900_000            # bytes: just under the 4 MB cap on text


def _fill(unit: str, sep: str = "\n") -> bytes:
    piece = (unit + sep).encode("utf-8")
    return piece * (CAP // len(piece))


def _report_with(lines: list[str]) -> bytes:
    head = ["XX县人民政府关于2024年度法治政府建设情况的报告", "一、主要举措和成效"]
    return "\n".join(head + lines).encode("utf-8")


def _page(around: str) -> bytes:
    body = "".join(f"<p>全年办理行政复议案件{i}件，依法行政。</p>" for i in range(300))
    half = len(around) // 2 if "</" in around else len(around)
    return f"<html><body>{around[:half]}{body}{around[half:]}</body></html>".encode("utf-8")


CASES = {
    "many-一、-lines": lambda: _fill("一、"),
    "one-3.9MB-line": lambda: _fill("我县推进法治政府建设，依法行政水平提高。", ""),
    "one-ascii-line": lambda: _fill("a", ""),
    "100k-short-lines": lambda: "\n".join("加强法治宣传教育" for _ in range(100_000)).encode("utf-8"),
    "50k-headings": lambda: "\n".join(f"（{i}）完善制度" for i in range(50_000)).encode("utf-8"),
    "deep-numbering": lambda: "\n".join(
        ["一、", "（一）", "1.", "（1）", "①"][i % 5] + "推进依法行政" for i in range(40_000)).encode("utf-8"),
    "20k-numerals": lambda: _report_with(
        [f"全年办理行政复议案件{i}件，行政诉讼{i + 1}件，败诉{i % 7}件。" for i in range(7_000)]),
    "many-placeholders": lambda: _report_with(["XX镇XX村XXX同志于XX月XX日办理XX件。"] * 15_000),
    "placeholders-one-line": lambda: _report_with(["XX镇" * 300_000]),
    # web pages (read as pages whatever the extension): open elements without end, nesting
    "html-700k-unclosed-div": lambda: _page("<div>" * 700_000),
    "html-150k-unclosed-div": lambda: _page("<div>" * 150_000),
    "html-1000-nested": lambda: _page("<div>" * 1000 + "</div>" * 1000),
    # just under the limits of rules/limits.yaml: what a file is still checked with
    "19k-lines": lambda: _report_with([f"全年办理行政复议案件{i}件，依法行政。XX" for i in range(19_000)]),
    "9.9k-headings": lambda: _report_with([f"（{i}）完善制度。XX镇办理{i}件。" for i in range(9_900)]),
    "99k-char-line": lambda: _report_with([("依法行政水平提高，办理案件12件，XX" * 6000)[:99_000]]),
}


def _run(path: Path) -> tuple[float, float, int, int]:
    """Wall time, the process's own peak memory (wait4's rusage), output bytes, exit code."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen([sys.executable, "-m", "checker", "check", "--format", "json", str(path)],
                             stdout=out, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        size = out.seek(0, os.SEEK_END)
    return seconds, usage.ru_maxrss / 1024, size, os.waitstatus_to_exitcode(status)


def main(names: list[str]) -> None:
    print(f"{'case':<24}{'MB in':>7}{'s':>8}{'peak MB':>9}{'out KB':>9}{'rc':>4}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in CASES.items():
            if names and name not in names:
                continue
            path = Path(tmp) / f"{name}.txt"
            path.write_bytes(build())
            s, mb, out, rc = _run(path)
            print(f"{name:<24}{path.stat().st_size / 1e6:>7.1f}{s:>8.2f}{mb:>9.0f}{out / 1024:>9.0f}{rc:>4}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
