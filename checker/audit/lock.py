"""One audit at a time per output folder: two runs writing the same state and pages would
mix each other's rows and leave orphan pages. The lock is an flock on a file in the folder,
held for the run and released by the system however the run ends (a kill -9 too)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from ..errors import RunError, os_reason

LOCK_NAME = ".fzcheck-audit.lock"


@contextmanager
def holding(folder: Path):
    """The folder locked for this run; RunError (in Chinese, with the other run's pid) if in use."""
    try:
        import fcntl
    except ImportError:          # pragma: no cover — not on Unix: no lock
        yield
        return
    path = folder / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise RunError(f"{folder}: 无法写入输出文件夹：{os_reason(e)}；请用 -o 指定一个可以写入的文件夹") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f"（进程 {pid}）" if pid.isdigit() else ""
            raise RunError(f"{folder}: 输出文件夹正在使用：另一个 fzcheck audit{who}正在向其中写入结果；"
                           f"请等它结束后再运行，或用 -o 指定另一个文件夹") from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass                 # a full disk: the lock holds all the same, without the pid
        yield
    finally:
        os.close(fd)
