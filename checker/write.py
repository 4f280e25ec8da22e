"""Writing outputs atomically: a reader never sees half a file, an interrupted run leaves none."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# a temporary file is ".NAME.XXXXXXXX.tmp" next to its target: hidden, and recognisable as ours
_PARTIAL = ".*.tmp"


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
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def write_atomic(path: Path, content: str | bytes) -> None:
    with atomic_file(path) as (fd, _):
        if isinstance(content, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(content)


def sweep_partial(folder: Path) -> None:
    """Remove what a killed run left half-written in an output folder (only our own temp files)."""
    for stale in Path(folder).glob(_PARTIAL):
        try:
            stale.unlink()
        except OSError:
            pass
