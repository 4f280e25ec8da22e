"""Benchmark: every hostile or unlucky input of tests/hostile/, built afresh and run through
the command line, with its time and peak memory; the slowest and the largest at the end.

usage: python bench/hostile.py [-k SUBSTRING]
The budget (issue 9): no single input under the size cap takes more than 10 s or 500 MB. The
line of a case over budget is marked, and the exit code is 1 when any is (so it can gate a run).
A case that fails its own assertions is listed with the first line of why; the test suite
(tests/test_hostile.py) is where such a failure is looked into.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import Case, all_cases, run_case  # noqa: E402

BUDGET_S, BUDGET_MB = 10.0, 500.0


def _one(case: Case) -> tuple[str, float | None, float | None, str]:
    reason = case.skip() if case.skip else None
    if reason:
        return "skip", None, None, reason
    with tempfile.TemporaryDirectory(prefix="fzcheck-hostile-") as tmp:
        try:
            ran = run_case(case, Path(tmp))
        except AssertionError as e:
            return "FAIL", None, None, str(e).splitlines()[0][:90]
    return "ok", ran.seconds, ran.peak_mb, ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", default="", help="only cases whose name contains this")
    args = ap.parse_args()
    rows = []
    print(f"{'case':<34} {'result':<6} {'s':>7} {'MB':>7}  class")
    for case in all_cases():
        if args.k not in case.name:
            continue
        status, s, mb, why = _one(case)
        over = (s or 0) > BUDGET_S or (mb or 0) > BUDGET_MB
        rows.append((case.name, s, mb, over, status))
        sec = f"{s:7.2f}" if s is not None else "      —"
        mem = f"{mb:7.0f}" if mb is not None else "      —"
        print(f"{case.name:<34} {status:<6} {sec} {mem}  {case.issue}{'  ← 超出预算' if over else ''}"
              f"{'  ' + why if why else ''}", flush=True)
    timed = [r for r in rows if r[1] is not None]
    if timed:
        slow = max(timed, key=lambda r: r[1])
        big = max(timed, key=lambda r: r[2])
        print(f"\nslowest: {slow[0]} {slow[1]:.2f} s · largest: {big[0]} {big[2]:.0f} MB "
              f"(budget {BUDGET_S:.0f} s, {BUDGET_MB:.0f} MB; peak memory counts the command and its workers)")
    failed = [r[0] for r in rows if r[4] == "FAIL"]
    if failed:
        print(f"failed: {', '.join(failed)} (run pytest tests/test_hostile.py -k NAME to see why)")
    return 1 if failed or any(r[3] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
