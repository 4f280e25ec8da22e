"""What is built at every start kept between runs: Lark's LALR analysis of the outline grammar
(~60 ms to build, ~10 ms to load), the built-in rule pack validated (~55 ms to read, validate
and vet, ~5 ms to load) and the compiled regular expressions (checker/compiled.py: ~75 ms to
compile, ~3 ms to load), on a command a clerk runs for one file.

The cache is a private folder of the user's (FZCHECK_CACHE_DIR, else $XDG_CACHE_HOME/fzcheck,
else ~/.cache/fzcheck; FZCHECK_CACHE_DIR="" turns it off). What is loaded from it is a pickle,
so it is only read from a folder and a file this user owns and nobody else may write; a Lark
entry is keyed by Lark itself (grammar text, options, Lark and Python versions), the others by
fzcheck's code and data and the files they are built from (the key is in the file's name: two
installs do not rebuild each other's), and anything unreadable is rebuilt. A cache that cannot be used
never stops a check: what it would hold is then built here."""
from __future__ import annotations

import hashlib
import os
import stat
import time
from functools import lru_cache
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


@lru_cache(maxsize=1)
def code_and_data() -> bytes:
    """The stamp of fzcheck's code and data — every .py file of checker/, every file of rules/
    and grammar/ — taken once in a process (~2 ms): what an entry built from them is keyed by.
    OSError when one cannot be looked at."""
    from .resources import grammar_dir, rules_dir
    code = Path(__file__).resolve().parent
    return _stamp([*(p for d in (rules_dir(), grammar_dir()) for p in d.rglob("*") if p.is_file()),
                   *code.rglob("*.py")])


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


# entries of other versions of the code kept beside this one's (a second install, a rollback)
KEPT_VERSIONS = 2
# a temporary file this old was left by a process killed while writing it
_ABANDONED_S = 600


class Entry:
    """One entry of the private folder: where it is and the key it must carry — the versions of
    its inputs (fzcheck's code and data, the files it is built from, the code of other classes
    it pickles) with this Python — then a digest of what follows, which is a pickle. Like Lark's
    entry, it is loaded only from this user's private folder, never from a file anyone else
    may write; the digest catches a damaged file the unpickling would not (a flipped bit in
    kept regex code still unpickles, and runs)."""

    def __init__(self, path: Path, key: bytes):
        self.path, self.key = path, key

    @classmethod
    def of(cls, name: str, inputs=()) -> "Entry | None":
        """The entry `name` for these inputs; None when the cache is off or something of the key
        cannot be looked at (a file, the data folder): no key to trust, no cache."""
        import sys
        base = folder()
        if base is None:
            return None
        try:
            key = hashlib.sha256(code_and_data() + _stamp(inputs) + sys.version.encode()).digest()
        except Exception:  # noqa: BLE001 — an OSError, a data folder missing (said where it is read)
            return None
        # the key in the name: two installs (two virtual environments, a release and a checkout)
        # each keep their own instead of rebuilding it in turn over each other
        return cls(base / f"{name}-{key.hex()[:16]}.pickle", key)

    def load(self, default=None):
        """What the entry holds when it was written for this key; `default` otherwise (none yet,
        outdated, damaged, a link, a file others may write)."""
        import pickle
        try:
            # opened without following a link, and the file opened is the one judged (no window
            # between a check of the path and the open)
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            with os.fdopen(fd, "rb") as fh:
                st = os.fstat(fh.fileno())
                if not (stat.S_ISREG(st.st_mode) and _private(st)) or fh.read(len(self.key)) != self.key:
                    return default
                digest, payload = fh.read(32), fh.read()
            if hashlib.sha256(payload).digest() == digest:
                return pickle.loads(payload)
        except Exception:  # noqa: BLE001 — none yet, a link, a damaged or outdated entry
            pass
        return default

    def store(self, value) -> None:
        """Written whole, in place of what was there; skipped when it cannot be (a full disk, a
        value that does not pickle): the next run builds it again. Entries of other keys beyond
        the last KEPT_VERSIONS, and what a process killed while writing left, are removed."""
        import pickle
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            from .write import atomic_file
            with atomic_file(self.path) as (fd, _):
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(self.key + hashlib.sha256(payload).digest() + payload)
        except Exception:  # noqa: BLE001 — no cache this time
            pass
        self._prune()

    def _prune(self) -> None:
        import re
        from .write import _PREFIX
        name = self.path.name.rsplit("-", 1)[0]
        mine = re.compile(re.escape(name) + r"-[0-9a-f]{16}\.pickle")
        # what a process killed while writing left: this name's, keyed or (before the key was
        # in the name) not
        left = re.compile(re.escape(_PREFIX + name) + r"(?:-[0-9a-f]{16})?\.pickle\..*\.tmp")
        now = time.time()
        try:
            found = list(self.path.parent.iterdir())
        except OSError:
            return
        others = []
        for p in found:
            try:
                if mine.fullmatch(p.name) and p != self.path:
                    others.append((p.lstat().st_mtime, p))
                elif p.name == f"{name}.pickle" or (left.fullmatch(p.name)
                                                     and now - p.lstat().st_mtime > _ABANDONED_S):
                    p.unlink()
            except OSError:
                pass            # another process removed it first: the others are still looked at
        for _, p in sorted(others, reverse=True)[KEPT_VERSIONS:]:
            try:
                p.unlink()
            except OSError:
                pass


_NONE = object()


def kept(name: str, inputs, build):
    """build(), kept in the private folder between runs: the entry is loaded while fzcheck's code
    and data and `inputs` (what else build() reads, the code of other classes it pickles) are
    the versions it was built from, with this Python; rebuilt and written back otherwise. A cache
    that cannot be used never stops the caller: build() is then run here."""
    entry = Entry.of(name, inputs)
    if entry is None:
        return build()
    value = entry.load(_NONE)
    if value is _NONE:
        value = build()
        entry.store(value)
    return value
