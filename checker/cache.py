"""What is built at every start kept between runs: Lark's LALR analysis of the outline grammar
(~60 ms to build, ~10 ms to load) and the built-in rule pack validated (~55 ms to read, validate
and vet, ~5 ms to load), on a command a clerk runs for one file.

The cache is a private folder of the user's (FZCHECK_CACHE_DIR, else $XDG_CACHE_HOME/fzcheck,
else ~/.cache/fzcheck; FZCHECK_CACHE_DIR="" turns it off). What is loaded from it is a pickle,
so it is only read from a folder and a file this user owns and nobody else may write; a Lark
entry is keyed by Lark itself (grammar text, options, Lark and Python versions), the rule pack
by the files it was built from, and anything unreadable is rebuilt. A cache that cannot be used
never stops a check: what it would hold is then built here."""
from __future__ import annotations

import hashlib
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


def _stamp(paths) -> bytes:
    """What identifies these files' versions: path, size and modification time of each — a stat
    each (a hash of their contents would read them all at every start). Hidden files (an
    editor's lock link 「.#load.py」) are not the code. OSError when one cannot be looked at."""
    h = hashlib.sha256()
    for p in sorted(paths):
        if p.name.startswith("."):
            continue
        st = p.stat()
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.digest()


def kept(name: str, inputs, build):
    """build(), kept in the private folder between runs: the entry is loaded while `inputs` (the
    files build() reads, and the code of the classes it pickles) are the versions it was built
    from, with this Python; rebuilt and written back otherwise. Like Lark's entry, it is a pickle:
    loaded only from this user's private folder, never from a file anyone else may write; an
    entry that cannot be read is rebuilt, a cache that cannot be written is skipped."""
    import pickle
    import sys
    base = folder()
    if base is None:
        return build()
    try:
        key = hashlib.sha256(_stamp(inputs) + sys.version.encode()).digest()
    except OSError:
        return build()          # an input that cannot be looked at: no key to trust
    path = base / f"{name}.pickle"
    try:
        # opened without following a link, and the file opened is the one judged (no window
        # between a check of the path and the open)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISREG(st.st_mode) and _private(st) and fh.read(len(key)) == key:
                return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 — a link, a damaged or outdated entry: built again below
        pass
    value = build()
    try:
        from .write import atomic_file
        with atomic_file(path) as (fd, _):
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 — a full disk, a value that does not pickle: no cache this time
        pass
    return value
