"""Regular expressions compiled once, kept between runs.

Python compiles a pattern in Python code (re._parser, re._compiler) into a list of integers that
its C engine runs; a check compiles some 330 patterns (the rules, the lexicon, cleaning, the
indicators), ~75 ms of every start, against ~3 ms to hand the same integers to the engine again.
So the integers of each pattern are kept in the private cache (checker/cache.py: this user's
folder only, keyed by fzcheck's code and data and the Python version, with a digest that a
damaged file fails) and a pattern met before is rebuilt from them. Anything unexpected — code
the engine refuses, an entry of another shape, no cache at all — means the pattern is compiled
as `re.compile` would. A pattern's vetting (checker/regex.py: no exponential backtracking) is
kept with it: the verdict depends only on the pattern and that code, both in the key.

What goes through here is the patterns of the code and of the rule data — built-in, a unit's
own rules and term lists, the year-bound patterns of the elements (a few per report year) —
never one made from a report's text, which would fill the table with patterns not seen again.
The table is bounded (MAX_KEPT, MAX_BYTES) all the same.
"""
from __future__ import annotations

import atexit
import re
from array import array

try:                                   # the engine's own compiler, whose output is kept
    import _sre
    import re._compiler as _compiler
    import re._parser as _parser
    _CODE = "I" if array("I").itemsize == _sre.CODESIZE else None
except (ImportError, AttributeError):  # pragma: no cover — another Python: compiled each time
    _CODE = None

# the table's bounds: the built-in patterns are ~330 (~330 KB of code); a unit's own rules and
# term lists add theirs (5,000 titles of its own make one pattern of ~600 KB)
MAX_KEPT = 4096
MAX_BYTES = 8 * 1024 * 1024
_NAME = "regex"

# (type, pattern, flags) → (flags, code as bytes, groups, groupindex, indexgroup, vetted), read
# on first use; None when the cache cannot be used
_table: dict | None = None
_where = None        # the cache entry it is read from and kept in (checker/cache.Entry)
_read = False
_fresh: set = set()  # keys compiled or vetted here since the table was read or last kept
_made: dict = {}     # (type, pattern, flags) → the Pattern, made in this process


def compile_kept(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags): made once in a process (as re's own cache does), and from the
    kept code when it was compiled in a run before."""
    key = (type(pattern), pattern, int(flags))
    made = _made.get(key)
    if made is None:
        if len(_made) >= MAX_KEPT:
            _made.clear()
        made = _made[key] = _compiled(key)
    return made


def _compiled(key) -> re.Pattern:
    _, pattern, flags = key
    table = _loaded()
    if table is None:
        return re.compile(pattern, flags)
    got = table.get(key)
    if got is not None:
        try:
            return _built(pattern, got)
        except Exception:  # noqa: BLE001 — not this engine's code after all: compiled again
            table.pop(key, None)
    if len(table) >= MAX_KEPT:
        return re.compile(pattern, flags)
    try:
        got = _code_of(pattern, flags) + (False,)
        out = _built(pattern, got)
    except Exception:  # noqa: BLE001 — an invalid pattern: re says why, as it would have
        return re.compile(pattern, flags)
    table[key] = got
    _fresh.add(key)
    return out


def _built(pattern, got: tuple) -> re.Pattern:
    return _sre.compile(pattern, got[0], array(_CODE, got[1]).tolist(), got[2], got[3], got[4])


def vetted(pattern: str) -> bool:
    """Whether this pattern was vetted before, by this code (checker/regex.vet)."""
    table = _loaded()
    got = table.get((str, pattern, 0)) if table is not None else None
    return got is not None and got[5]


def mark_vetted(pattern: str) -> None:
    """Note that the pattern (compiled here before) passed vetting."""
    table = _loaded()
    key = (str, pattern, 0)
    got = table.get(key) if table is not None else None
    if got is not None and not got[5]:
        table[key] = got[:5] + (True,)
        _fresh.add(key)


def keep() -> None:
    """Write the table back when this process compiled or vetted something new, merged with
    what another process (a sibling worker) may have written since; past the bounds, only the
    patterns this process used are kept. A table that cannot be written costs the next run the
    compiling, nothing else."""
    if not _fresh or _table is None or _where is None:
        return
    try:
        merged = _valid(_where.load({}))
        for key in _fresh:
            got, theirs = _table.get(key), merged.get(key)
            if got is not None:
                # the same code vetted by either process stays vetted
                merged[key] = got[:5] + (got[5] or theirs[5],) if theirs and theirs[:5] == got[:5] else got
        if len(merged) > MAX_KEPT or sum(len(got[1]) for got in merged.values()) > MAX_BYTES:
            merged = {key: merged[key] for key in _made if key in merged}
        _where.store(merged)
    except Exception:  # noqa: BLE001 — a cache is never a reason to fail (a worker, at exit)
        pass
    finally:
        _fresh.clear()


_SHAPE = (int, bytes, int, dict, tuple, bool)


def _valid(table) -> dict:
    """The entries of a table read back that have the shape written (another version's, a
    damaged one, are left out: compiled again)."""
    if not isinstance(table, dict):
        return {}
    return {key: got for key, got in table.items()
            if isinstance(key, tuple) and len(key) == 3 and key[0] in (str, bytes) and isinstance(key[1], key[0])
            and isinstance(got, tuple) and len(got) == len(_SHAPE)
            and all(isinstance(x, t) for x, t in zip(got, _SHAPE))}


def _code_of(pattern, flags: int) -> tuple:
    """What re._compiler.compile hands the engine for this pattern (its code as bytes)."""
    tree = _parser.parse(pattern, flags)
    code = _compiler._code(tree, flags)
    groupindex = dict(tree.state.groupdict)
    indexgroup = [None] * tree.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (flags | tree.state.flags, array(_CODE, code).tobytes(), tree.state.groups - 1, groupindex,
            tuple(indexgroup))


def _loaded() -> dict | None:
    """The table, read from the cache on first use; None when there is no cache to keep it in."""
    global _table, _read, _where
    if not _read:
        _read = True
        try:
            from . import cache
            # keyed by fzcheck's code and data: a new version starts a fresh table, without the
            # old one's patterns (and the vetting verdicts are regex.py's, part of it)
            _where = cache.Entry.of(_NAME) if _CODE else None
            _table = _valid(_where.load({})) if _where is not None else None
        except Exception:  # noqa: BLE001 — no cache: patterns are compiled as re does
            _table, _where = None, None
    return _table


# what this process compiled, kept when it ends; a worker, which never runs atexit, keeps its
# own after each call (guard._serve)
atexit.register(keep)
