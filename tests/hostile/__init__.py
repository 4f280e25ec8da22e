"""Hostile and unlucky inputs, built on demand. Each case makes its files in a fresh folder
(`ctx.root`), says which fzcheck command to run on them and what must come of it: the exit
code, a Chinese message, a time limit — and, for every case, that no file which stood in the
folder before the run was changed, removed or read back as something else.

Cases live in one module per area (text, outputs, audit, bounds); `tests/test_hostile.py`
runs every one, `bench/hostile.py` times them. Inputs are built here, never stored: a file
that attacks the tool should not sit in the repository waiting to attack something else."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent.parent
TIME_LIMIT = 10.0          # seconds, for any one command on any one hostile input


@dataclass
class Ran:
    """One fzcheck command as it ended."""
    args: list[str]
    rc: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float          # peak resident memory of the command and its children


class Context:
    """What a case builds in and runs with: its folder, clean-up to do afterwards, and the
    command line as a user runs it (a new process, in the case's folder)."""

    def __init__(self, root: Path):
        self.root = root
        self._cleanups: list[Callable[[], None]] = []

    def defer(self, fn: Callable[[], None]) -> None:
        self._cleanups.append(fn)

    def cleanup(self) -> None:
        for fn in reversed(self._cleanups):
            try:
                fn()
            except Exception:  # noqa: BLE001 — clean-up is best effort
                pass
        self._cleanups.clear()

    def run(self, *args: str, timeout: float = 120, env: dict | None = None, user: int | None = None,
            unprivileged: bool = False) -> Ran:
        """fzcheck ARGS in a new process; its peak memory read from the kernel's account of it
        (wait4), which includes the worker processes it waited for.
        user: run as that uid/gid (the interpreter must be one every user may run).
        unprivileged: stay root but without the power to override file permissions, so a
        folder of mode 0555 or a file of mode 000 refuses as it would refuse anyone — where
        the interpreter lives under /root/.pyenv, beyond another user's reach."""
        e = dict(os.environ)
        e.pop("FZCHECK_DEBUG", None)
        e.update({"PYTHONPATH": str(ROOT), **(env or {})})
        preexec = None
        if user is not None:           # as another user (a root machine cannot test permissions as root)
            def preexec():
                os.setgid(user)
                os.setuid(user)
        elif unprivileged:
            preexec = drop_file_override
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            p = subprocess.Popen([sys.executable, "-m", "checker", *map(str, args)], stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, cwd=self.root, env=e, preexec_fn=preexec)
            status, usage = _wait(p, timeout)
            seconds = time.perf_counter() - t0
            out.seek(0)
            err.seek(0)
            return Ran([str(a) for a in args], os.waitstatus_to_exitcode(status),
                       out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                       seconds, usage.ru_maxrss / 1024)


def _wait(p: subprocess.Popen, timeout: float):
    """(status, rusage) of the process, killed (and the case failed) past the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)      # Popen must not wait for it again
            return status, usage
        if time.monotonic() > deadline:
            p.kill()
            os.wait4(p.pid, 0)
            p.returncode = -9
            raise AssertionError(f"fzcheck {' '.join(map(str, p.args[3:]))} still running after {timeout} s")
        time.sleep(0.005)


_CAPS_OVERRIDING_PERMISSIONS = (1, 2)       # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH


def drop_file_override() -> None:
    """In a child about to exec: take the file-permission overrides out of its bounding set
    (PR_CAPBSET_DROP), so the program it runs as root obeys permission bits like anyone."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in _CAPS_OVERRIDING_PERMISSIONS:
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def cannot_drop_privileges() -> str | None:
    """Why permission cases cannot run here (a skip reason), or None."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "需要 root（以去掉越权读写能力的方式运行，才能检验权限）"
    try:
        subprocess.run([sys.executable, "-c", "pass"], preexec_fn=drop_file_override, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return f"无法去掉越权读写能力：{e}"
    return None


@dataclass
class Case:
    """name: short, unique (the test id). build(ctx) makes the inputs and returns the fzcheck
    arguments. rc: the exit code(s) allowed. message: a regex that stderr+stdout must match
    (Chinese words saying what is wrong). check(ctx, ran): further assertions, free to run
    more commands (ctx.run). skip(): a reason the machine cannot run the case, or None."""
    name: str
    build: Callable[[Context], list[str]]
    rc: int | tuple[int, ...]
    message: str | None = None
    check: Callable[[Context, Ran], None] | None = None
    skip: Callable[[], str | None] | None = None
    time_limit: float = TIME_LIMIT
    issue: str = ""                       # which class of attack (for the bench table)
    env: dict = field(default_factory=dict)
    unprivileged: bool = False            # run without root's power over permission bits (Context.run)


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file and link under root as it stands: links by target, files by content hash."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out[rel] = ("link", os.readlink(p))
            else:
                try:
                    with open(p, "rb") as fh:
                        out[rel] = ("file", hashlib.sha256(fh.read()).hexdigest())
                except OSError as e:         # a file made unreadable on purpose
                    out[rel] = ("unreadable", e.errno)
    return out


def run_case(case: Case, root: Path) -> Ran:
    """Build, run and judge one case; raises AssertionError with what went wrong."""
    ctx = Context(root)
    try:
        args = case.build(ctx)
        before = snapshot(root)
        ran = ctx.run(*args, env=case.env, timeout=max(60, case.time_limit * 6), unprivileged=case.unprivileged)
        said = ran.stderr + ran.stdout
        allowed = case.rc if isinstance(case.rc, tuple) else (case.rc,)
        assert ran.rc in allowed, f"{case.name}: exit {ran.rc}, expected {allowed}\n{said[-2000:]}"
        assert "Traceback" not in ran.stderr, f"{case.name}: a traceback\n{ran.stderr[-2000:]}"
        if case.message:
            assert re.search(case.message, said), f"{case.name}: no {case.message!r} in\n{said[-2000:]}"
        assert ran.seconds < case.time_limit, f"{case.name}: took {ran.seconds:.1f} s (limit {case.time_limit} s)"
        after = snapshot(root)
        changed = [k for k, v in before.items() if after.get(k) != v]
        assert not changed, f"{case.name}: files that stood before the run were changed or removed: {changed}"
        if case.check:
            case.check(ctx, ran)
        return ran
    finally:
        ctx.cleanup()


def all_cases() -> list[Case]:
    from . import areas
    return areas.cases()
