"""Writing outputs atomically: a reader never sees half a file, an interrupted run leaves none.

write_atomic replaces its target: for the files a tool owns (an audit's own folder). write_new
never replaces anything: for results written among the user's files (`check -o`, `checklist -o`),
where a file of the same name may stand — or appear while the result is being written."""
from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

# a temporary file is ".fzcheck-NAME.XXXXXXXX.tmp" next to its target: hidden, and recognisable
# as ours — sweep_partial deletes only these, never a user's ".notes.tmp"
_PREFIX = ".fzcheck-"
_PARTIAL = f"{_PREFIX}*.tmp"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; an output file gets the permissions any
# new file would (0644 under the usual umask), so colleagues and web servers can read results
_MODE = 0o666 & ~_umask()


@contextmanager
def atomic_file(path: Path) -> Iterator[tuple[int, str]]:
    """(descriptor, path) of a temporary file that replaces `path` when the block ends well."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{_PREFIX}{path.name}.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _MODE)
        yield fd, tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _fill(fd: int, content: str | bytes) -> None:
    if isinstance(content, bytes):
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
    else:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)


def write_atomic(path: Path, content: str | bytes) -> None:
    with atomic_file(path) as (fd, _):
        _fill(fd, content)


# a file system without hard links (FAT, exFAT, some network shares) says one of these
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}


def write_new(folder: Path, names: Iterable[str], content: str | bytes) -> Path:
    """Write `content` under the first of `names` in `folder` that no file holds, and return its
    path. Written whole to a temporary file first, then linked in under the name — a link fails
    if the name is taken, even by a file that appeared a moment ago, so nothing is replaced.
    Where hard links are not supported, the name is claimed with an exclusive create and the
    finished file moved over that empty claim (the only file it can replace is its own).
    On an error (a full disk, a read-only folder) no temporary file, claim or part is left."""
    folder = Path(folder)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{_PREFIX}new.", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, _MODE)
        _fill(fd, content)
        for name in names:
            target = folder / name
            if _claim(tmp, target):
                return target
        raise FileExistsError(errno.EEXIST, "没有可用的文件名", str(folder))
    finally:
        try:
            os.unlink(tmp)          # linked in: the name holds the file; failed: nothing stays
        except OSError:
            pass


def _claim(tmp: str, target: Path) -> bool:
    """Put the finished `tmp` under `target` if no file holds that name; False if one does."""
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError as e:
        if e.errno not in _NO_LINKS:
            raise
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), _MODE))
    except FileExistsError:
        return False
    try:
        os.replace(tmp, target)
    except BaseException:
        os.unlink(target)
        raise
    return True


def sweep_partial(folder: Path) -> None:
    """Remove what a killed run left half-written in an output folder (only our own temp files)."""
    for stale in Path(folder).glob(_PARTIAL):
        try:
            stale.unlink()
        except OSError:
            pass
