"""bench/run.py prints, in one run, what every speed change is judged by: the stages, the floor
(reading the files and one regex pass), the check's ratio to it in process and through the
command line, and the cold start."""
import re
import subprocess
import sys

from .conftest import ROOT


def test_one_bench_run_prints_the_floor_the_ratios_and_the_cold_start():
    r = subprocess.run([sys.executable, "bench/run.py", "-n", "6", "--rounds", "1", "--startup"], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    floor = re.search(r"floor \(read \+ one regex pass\): ([\d.]+) ms per report; in process ([\d.]+) ms = ([\d.]+)× the floor", out)
    cli = re.search(r"through the command line, warm: ([\d.]+) ms per report .* = ([\d.]+)× the floor", out)
    cold = re.search(r"cold start, `fzcheck check one.txt`: median (\d+) ms", out)
    assert floor and cli and cold, out
    f, inproc, ratio = map(float, floor.groups())
    assert 0 < f < inproc and abs(inproc / f - ratio) < 0.1 * ratio     # the ratio is of the figures shown
    assert float(cli.group(1)) > 0 and int(cold.group(1)) > 0
