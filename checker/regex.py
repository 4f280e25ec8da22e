"""Compiling patterns from rule files: fast, and safe to run on any text.

Python's regex engine scans quickly only when a pattern starts with a literal or a character
class (or alternatives that all do); a leading look-behind (common in rules: 「(?<![A-Za-z])XX」)
or an alternative opening with a group makes it try the whole pattern at every position,
3–10× slower. `accelerate` reads the pattern's syntax tree, works
out which characters a match can start with, and prefixes a look-ahead class that the engine
can scan for. Matches are unchanged.
"""
from __future__ import annotations

import re

try:                                   # Python ≥ 3.11
    import re._constants as C
    import re._parser as P
except ImportError:                    # pragma: no cover — Python 3.10
    import sre_constants as C          # type: ignore
    import sre_parse as P              # type: ignore

_CATEGORY = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s", C.CATEGORY_WORD: r"\w",
             C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_NOT_WORD: r"\W"}
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}


class _Unknown(Exception):
    """The first character cannot be bounded (., a negated class, a back-reference…)."""


def _esc(code: int) -> str:
    return re.escape(chr(code)) if chr(code) not in "-]\\^" else "\\" + chr(code)


def _charset(items) -> list[str]:
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(_esc(av))
        elif op is C.RANGE:
            out.append(f"{_esc(av[0])}-{_esc(av[1])}")
        elif op is C.CATEGORY and av in _CATEGORY:
            out.append(_CATEGORY[av])
        else:                           # NEGATE and the like: anything may start the match
            raise _Unknown
    return out


def _first(seq) -> tuple[list[str], bool]:
    """(characters that may start a match of `seq`, whether `seq` can match the empty string)."""
    chars: list[str] = []
    for op, av in seq:
        if op in _ZERO_WIDTH:
            continue
        if op is C.LITERAL:
            return chars + [_esc(av)], False
        if op is C.IN:
            return chars + _charset(av), False
        if op is C.SUBPATTERN:
            sub, empty = _first(av[-1])
        elif op is C.BRANCH:
            sub, empty = [], False
            for alt in av[1]:
                c, e = _first(alt)
                sub += c
                empty = empty or e
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            lo, _, item = av
            sub, empty = _first(item)
            empty = empty or lo == 0
        elif getattr(C, "ATOMIC_GROUP", None) is not None and op is C.ATOMIC_GROUP:
            sub, empty = _first(av)
        else:
            raise _Unknown
        chars += sub
        if not empty:
            return chars, False
    return chars, True


def first_chars(pattern: str) -> str | None:
    """A character class that every match of `pattern` starts with, or None."""
    try:
        chars, empty = _first(P.parse(pattern))
    except (_Unknown, re.error, TypeError, ValueError):
        return None
    if empty or not chars:
        return None
    return "[" + "".join(dict.fromkeys(chars)) + "]"


_ANCHORS = {C.AT_BEGINNING, C.AT_BEGINNING_STRING}


def _lead(seq) -> str:
    """How a pattern opens, for the engine's scan: "anchor" (^: tried at the start only),
    "literal" (scanned for), "assertion" (a look-around or \\b: tried everywhere) or "other"."""
    if not seq:
        return "other"
    op, av = seq[0]
    if op is C.AT:
        return "anchor" if av in _ANCHORS else "assertion"
    if op in _ZERO_WIDTH:
        return "assertion"
    if op is C.LITERAL:
        return "literal"
    if op is C.SUBPATTERN:
        return _lead(av[-1])
    if op is C.BRANCH:
        # the engine scans for the first characters of alternatives only when each opens with a
        # literal itself (not with a group of literals)
        leads = {"literal" if alt and alt[0][0] is C.LITERAL else _lead(alt) if alt and alt[0][0] is C.AT else "other"
                 for alt in av[1]}
        return "literal" if leads <= {"anchor", "literal"} else "mixed"
    return "other"


def _slow_start(seq) -> bool:
    """Does the pattern open where the engine's own scan fails: a zero-width assertion, or
    alternatives not all opening with a literal (「(党政|政府)主要负责人|一把手」: the engine
    then tries every alternative at every character)? An anchored pattern is fast as it is."""
    return _lead(list(seq)) in ("assertion", "mixed")


def accelerate(pattern: str) -> str:
    """The same pattern, led by a look-ahead on its possible first characters when that helps
    (a pattern opening with a literal or a class is already scanned fast by the engine)."""
    if _IGNORECASE.search(pattern):
        return pattern                 # the look-ahead class would have to list both cases
    try:
        if not _slow_start(P.parse(pattern)):
            return pattern
    except (re.error, TypeError, ValueError):
        return pattern
    cls = first_chars(pattern)
    return f"(?={cls})(?:{pattern})" if cls else pattern


_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
_IGNORECASE = re.compile(r"\(\?[aLmsux]*i")


def alternation(patterns: list[str]) -> re.Pattern:
    """One compiled, accelerated pattern for several; a leading (?i) stays scoped to its own
    pattern. Raises re.error for an invalid one."""
    parts = []
    for p in patterns:
        m = _FLAGS.match(p)
        parts.append(f"(?{m.group(1)}:{p[m.end():]})" if m else f"(?:{p})")
    return re.compile(accelerate("|".join(parts)))


_MAXREPEAT = getattr(C, "MAXREPEAT", None)
_REPEATS = tuple(x for x in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if x is not None)
_MAX_PATTERN = 2000
_MAX_PRODUCT = 10_000


def _hazard(seq, outer: int | None) -> str | None:
    """A construct that can make the engine backtrack exponentially: a repeat inside a repeat
    (「(\\s*\\d+)*」), or a back-reference. `outer` is the enclosing repeat's maximum."""
    for op, av in seq:
        if op is C.GROUPREF or op is getattr(C, "GROUPREF_EXISTS", None):
            return "含反向引用"
        if op in _REPEATS:
            lo, hi, item = av
            unbounded = hi == _MAXREPEAT or hi > 65535
            if outer is not None and hi > 1:
                if unbounded or outer == -1 or outer * hi > _MAX_PRODUCT:
                    return "量词嵌套（如 (a+)+），可能使匹配耗时呈指数增长"
            inner = (-1 if unbounded else hi) if hi > 1 else outer
            found = _hazard(item, inner if hi > 1 else outer)
            if found:
                return found
        elif op is C.SUBPATTERN:
            found = _hazard(av[-1], outer)
            if found:
                return found
        elif op is C.BRANCH:
            for alt in av[1]:
                found = _hazard(alt, outer)
                if found:
                    return found
        elif op in (C.ASSERT, C.ASSERT_NOT):
            found = _hazard(av[1], outer)
            if found:
                return found
    return None


def vet(pattern: str, where: str = "") -> re.Pattern:
    """Compile a pattern from a rule or term file, refusing what could hang a batch."""
    from .errors import ConfigError
    prefix = f"{where}：" if where else ""
    if len(pattern) > _MAX_PATTERN:
        raise ConfigError(f"{prefix}正则表达式过长（{len(pattern)} 字符，上限 {_MAX_PATTERN}）")
    try:
        compiled = re.compile(pattern)
        tree = P.parse(pattern)
    except re.error as e:
        raise ConfigError(f"{prefix}正则表达式 {pattern!r} 有误：{e}") from None
    hazard = _hazard(tree, None)
    if hazard:
        raise ConfigError(f"{prefix}正则表达式 {pattern!r} {hazard}；请改写")
    return compiled
