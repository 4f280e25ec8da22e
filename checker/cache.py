"""Built parsers kept between runs: Lark's LALR analysis of the outline grammar takes ~60 ms at
every start and loading its result ~10 ms, on a command a clerk runs for one file.

The cache is a private folder of the user's (FZCHECK_CACHE_DIR, else $XDG_CACHE_HOME/fzcheck,
else ~/.cache/fzcheck; FZCHECK_CACHE_DIR="" turns it off). What is loaded from it is a pickle,
so it is only read from a folder and a file this user owns and nobody else may write; an entry
is keyed by Lark itself (grammar text, options, Lark and Python versions), and anything
unreadable is rebuilt. A cache that cannot be used never stops a check: the parser is then
built here."""
from __future__ import annotations

import os
import stat
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


def lark(name: str, grammar: str, **options):
    """The Lark parser of `grammar`, with Lark's own cache in the private folder: Lark keys the
    entry by the grammar, the options and its and Python's versions, rebuilds on a mismatch or a
    damaged entry and writes it back. An entry that is not this user's alone is removed first,
    never unpickled."""
    from lark import Lark
    base = folder()
    if base is None:
        return Lark(grammar, **options)
    path = base / f"{name}.lark"
    try:
        if path.is_symlink() or (path.exists() and not _private(path.stat())):
            path.unlink()
    except OSError:
        return Lark(grammar, **options)
    parser = Lark(grammar, cache=str(path), **options)
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass                    # not written (a full disk): the next run builds it again
    return parser
