"""Side by side: the warm check of this checkout against another (an earlier commit checked out
with `git worktree add ../base REV`), on the same reports, in alternating rounds.

usage: python bench/compare.py OTHER_CHECKOUT [--corpus DIR] [-n REPORTS] [--rounds R]
Each round runs both checkouts in fresh processes, one after the other, and takes each report's
quickest check (check + JSON render, warm), averaged over the reports; the quietest round of
each is reported with the ratio. Alternating rounds put both through the same machine noise.
Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside a checkout: only its own checker package is imported (sys.path[0] = the checkout).
_LOOP = r"""
import json, statistics, sys, time
from pathlib import Path
sys.path.insert(0, ".")
from checker.config import default_rules
from checker.pipeline import analyse_path, result_of
from checker.render import render
files = sorted(Path(sys.argv[1]).glob("*.txt"))
n = int(sys.argv[2])
rules = default_rules()
for f in files:
    render(result_of(analyse_path(f), rules), "json")
best = {}
for i in range(n):
    f = files[i % len(files)]
    t0 = time.perf_counter()
    render(result_of(analyse_path(f), rules), "json")
    t = time.perf_counter() - t0
    best[f] = min(best.get(f, t), t)
# each report at its quietest: the least noisy figure a shared machine gives
print(json.dumps({"ms": statistics.fmean(best.values()) * 1e3}))
"""


def _run(checkout: Path, corpus: Path, n: int) -> float:
    out = subprocess.run([sys.executable, "-c", _LOOP, str(corpus), str(n)], cwd=checkout,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])["ms"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", type=Path, help="the other checkout (e.g. ../base)")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    other = args.other.resolve()
    if not (other / "checker").is_dir():
        sys.exit(f"{other}: not a checkout of fzcheck (no checker/)")
    mine, theirs = [], []
    for r in range(args.rounds):
        for label, checkout, bucket in (("this", ROOT, mine), ("other", other, theirs))[:: 1 if r % 2 == 0 else -1]:
            bucket.append(_run(checkout, args.corpus, args.n))
        print(f"round {r + 1}: this {mine[-1]:.3f} ms, other {theirs[-1]:.3f} ms per report", flush=True)
    a, b = min(mine), min(theirs)
    print(f"warm check, quietest round: this {a:.3f} ms, other ({other.name}) {b:.3f} ms per report; "
          f"this / other = {a / b:.3f} ({(a / b - 1) * 100:+.1f} %)")


if __name__ == "__main__":
    main()
