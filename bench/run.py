"""Benchmark: the whole check on real reports, repeated, with the cost of each stage.

usage: python bench/run.py [--corpus DIR] [-n REPORTS] [--startup]
Prints per-stage milliseconds per report (median over reports), the total, reports per second,
the floor (reading the same files and one regex pass over each: what no checker can go below)
and the check's ratio to it; with --startup also the wall time of a cold `fzcheck check one.txt`
in a new process and the warm cost per report through the command line (N files in one run, checked
by one worker per core as `fzcheck check` does).
This is a benchmark, not a test: it asserts nothing; compare its numbers before and after a change.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.config import default_rules  # noqa: E402
from checker.pipeline import analyse_path, result_of  # noqa: E402
from checker.render import render  # noqa: E402

STAGES = ["read", "clean", "classify", "parse", "outline", "indicators", "rules", "render"]


def _round(files, rules, n: int) -> dict:
    per_stage = {s: [] for s in STAGES}
    totals, chars = [], 0
    t_all = time.perf_counter()
    for i in range(n):
        f = files[i % len(files)]
        t0 = time.perf_counter()
        doc = analyse_path(f)
        result = result_of(doc, rules)
        t1 = time.perf_counter()
        render(result, "json")
        doc.timings["render"] = time.perf_counter() - t1
        totals.append(time.perf_counter() - t0)
        chars += sum(len(x) for x in doc.source.lines)
        for s in STAGES:
            per_stage[s].append(doc.timings.get(s, 0.0))
    return {"stages": per_stage, "totals": totals, "wall": time.perf_counter() - t_all, "chars": chars}


# one pass over the text as every checker makes at least once: runs of Chinese characters
_ONE_PASS = re.compile(r"[\u4e00-\u9fff]+")


def _floor(files, n: int, rounds: int) -> float:
    """Seconds per report to read the file (bytes, decoded) and make one regex pass over it."""
    best = None
    for _ in range(rounds):
        t0 = time.perf_counter()
        for i in range(n):
            text = files[i % len(files)].read_bytes().decode("utf-8", "replace")
            _ONE_PASS.findall(text)
        took = (time.perf_counter() - t0) / n
        best = took if best is None else min(best, took)
    return best


def _cli_warm(files, n: int, cold: float) -> float:
    """Seconds per report through the command line: N copies checked by one `fzcheck check`,
    less the cold start of one (what a clerk's single check pays once)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(n):
            p = Path(tmp) / f"r{i:04d}.txt"
            p.write_bytes(files[i % len(files)].read_bytes())
            paths.append(str(p))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "checker", "check", *paths, "--format", "json"],
                       capture_output=True, check=False)
        return max(time.perf_counter() - t0 - cold, 0.0) / (n - 1)


def _formats(files, check_ms: float) -> None:
    """Reading cost per format, against the whole check of the same report as text."""
    sys.path.insert(0, str(ROOT))
    from checker.read import read_bytes
    from tests.formats import to_docx, to_html, to_pdf
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    builds = {"txt": lambda t: t.encode("utf-8"), "docx": lambda t: to_docx(t, True),
              "pdf": to_pdf, "html": lambda t: to_html(t, "gb18030")}
    print(f"{'format':<8}{'read ms':>10}{'× check of text':>18}")
    for fmt, build in builds.items():
        blobs = [build(t) for t in texts]
        for b in blobs:
            read_bytes(b, f"x.{fmt}")                  # warm: imports, caches
        times = []
        for _ in range(10):
            for b in blobs:
                t0 = time.perf_counter()
                read_bytes(b, f"x.{fmt}")
                times.append(time.perf_counter() - t0)
        ms = statistics.median(times) * 1e3
        print(f"{fmt:<8}{ms:>10.2f}{ms / (check_ms * 1e3):>18.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("-n", type=int, default=300, help="reports to check (the corpus repeated)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="repeat the whole run; the quietest round is reported (shared machines are noisy)")
    ap.add_argument("--startup", action="store_true", help="also time a cold CLI run")
    ap.add_argument("--formats", action="store_true",
                    help="also time reading .docx/.pdf/.html versions of the reports (needs reportlab)")
    args = ap.parse_args()

    files = sorted(args.corpus.glob("*.txt")) or sorted((ROOT / "samples").glob("*.txt"))
    if not files:
        sys.exit(f"no .txt reports in {args.corpus}")
    rules = default_rules()
    for f in files:                       # warm: lazy loads (rules, grammar, lexicon) done once
        result_of(analyse_path(f), rules)

    best = None
    for _ in range(args.rounds):
        run = _round(files, rules, args.n)
        if best is None or statistics.median(run["totals"]) < statistics.median(best["totals"]):
            best = run

    per_stage, totals, wall, chars = best["stages"], best["totals"], best["wall"], best["chars"]
    print(f"fzcheck bench: {args.n} reports ({len(files)} distinct, {chars / args.n:,.0f} chars each on average), "
          f"best of {args.rounds} rounds")
    print(f"{'stage':<12}{'median ms':>10}{'mean ms':>10}")
    for s in STAGES:
        v = per_stage[s]
        print(f"{s:<12}{statistics.median(v) * 1e3:>10.3f}{statistics.fmean(v) * 1e3:>10.3f}")
    print(f"{'total':<12}{statistics.median(totals) * 1e3:>10.3f}{statistics.fmean(totals) * 1e3:>10.3f}")
    print(f"throughput: {args.n / wall:,.0f} reports/s on one core (check + JSON render)")

    if args.formats:
        _formats(files, statistics.median(totals))

    floor = _floor(files, args.n, args.rounds)
    in_process = statistics.median(totals)
    print(f"floor (read + one regex pass): {floor * 1e3:.3f} ms per report; in process {in_process * 1e3:.3f} ms "
          f"= {in_process / floor:.1f}× the floor")

    if args.startup:
        exe = [sys.executable, "-m", "checker", "check", str(files[0]), "--format", "json"]
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(exe, capture_output=True, check=False)
            runs.append(time.perf_counter() - t0)
        cold = statistics.median(runs)
        print(f"cold start, `fzcheck check one.txt`: median {cold * 1e3:.0f} ms over 5 runs")
        warm = _cli_warm(files, args.n, cold)
        from checker.cli import CHECK_JOBS
        from checker.guard import cores
        workers = min(args.n, cores(), CHECK_JOBS)
        print(f"through the command line, warm: {warm * 1e3:.3f} ms per report ({args.n} files in one run, "
              f"{workers} worker{'s' if workers > 1 else ''}) = {warm / floor:.1f}× the floor")


if __name__ == "__main__":
    main()
