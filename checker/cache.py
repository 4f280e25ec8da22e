"""Built parsers kept between runs: Lark's LALR analysis of the outline grammar takes ~60 ms at
every start and loading its result ~10 ms, on a command a clerk runs for one file.

The cache is a private folder of the user's (FZCHECK_CACHE_DIR, else $XDG_CACHE_HOME/fzcheck,
else ~/.cache/fzcheck; FZCHECK_CACHE_DIR="" turns it off). What is loaded from it is a pickle,
so it is only read from a folder and a file this user owns and nobody else may write; an entry
is named by the digest of everything it was built from (grammar text, options, Lark and Python
versions), written to a temporary file and renamed into place, and anything unreadable is
rebuilt. A cache that cannot be used never stops a check: the parser is then built here."""
from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path


def folder() -> Path | None:
    """The cache folder, created private on first use; None when off or not safely usable."""
    given = os.environ.get("FZCHECK_CACHE_DIR")
    if given is not None:
        if not given:
            return None
        base = Path(given)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = Path(xdg) / "fzcheck" if xdg else Path.home() / ".cache" / "fzcheck"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        return base if _private(base.stat()) and not base.is_symlink() else None
    except (OSError, RuntimeError):         # RuntimeError: no home folder to be found
        return None


def _private(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (a pickle from anywhere else could run code)."""
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def key(*parts: str) -> str:
    import lark
    h = hashlib.sha256()
    for p in (*parts, lark.__version__, sys.version):
        h.update(p.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]


def lark_parser(name: str, digest: str, build: Callable):
    """The parser built by `build()`, from the cache when an entry for `digest` is there."""
    from lark import Lark
    base = folder()
    if base is None:
        return build()
    path = base / f"{name}-{digest}.lark"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            if _private(os.fstat(fh.fileno())):
                return Lark.load(fh)      # the lexer class is saved by name with the options
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 — a damaged or foreign entry is rebuilt, never trusted
        pass
    parser = build()
    tmp = base / f".{name}-{digest}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            parser.save(fh)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 — a full or read-only disk: the next run builds it again
        try:
            tmp.unlink()
        except OSError:
            pass
    return parser
