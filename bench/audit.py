"""Benchmark of fzcheck audit: speed-up from 1 to 2 jobs, and memory as the batch grows.

usage: python bench/audit.py [--sizes 1000 10000] [--jobs 1 2]
Generates batches of fictitious reports (bench/gen.py), audits each, prints reports per second
and the peak memory of the main process and of the largest worker (from run.json)."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.gen import generate  # noqa: E402


def audit(folder: Path, out: Path, jobs: int) -> dict:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "checker", "audit", str(folder), "-o", str(out), "-j", str(jobs),
                    "-f", "json", "--fresh"], cwd=ROOT, capture_output=True, check=False)
    wall = time.perf_counter() - t0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"wall": wall, **run}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fzcheck-bench-") as tmp:
        tmp = Path(tmp)
        print(f"{'reports':>8}{'jobs':>6}{'wall s':>9}{'check s':>9}{'reports/s':>11}{'main MB':>9}{'worker MB':>11}")
        base = None
        for n in args.sizes:
            folder = tmp / f"in{n}"
            generate(folder, n, seed=3)
            for j in (args.jobs if n == args.sizes[0] else [max(args.jobs)]):
                r = audit(folder, tmp / f"out{n}-{j}", j)
                rate = r["reports_per_second"] or 0
                print(f"{n:>8}{j:>6}{r['wall']:>9.1f}{r['timings']['check']:>9.1f}{rate:>11.1f}"
                      f"{r['memory_mb'].get('main', 0):>9.0f}{r['memory_mb'].get('workers', 0):>11.0f}")
                if n == args.sizes[0]:
                    if j == min(args.jobs):
                        base = r["timings"]["check"]
                    elif base:
                        print(f"{'':>8}speed-up with {j} jobs over {min(args.jobs)}: {base / r['timings']['check']:.2f}×")


if __name__ == "__main__":
    main()
