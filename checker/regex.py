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
from functools import lru_cache

from .compiled import compile_kept, mark_vetted, vetted

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


_FLAGS = compile_kept(r"^\(\?([aiLmsux]+)\)")
_IGNORECASE = compile_kept(r"\(\?[aLmsux]*i")


def alternation(patterns: list[str]) -> re.Pattern:
    """One compiled, accelerated pattern for several; a leading (?i) stays scoped to its own
    pattern. Raises re.error for an invalid one."""
    parts = []
    for p in patterns:
        m = _FLAGS.match(p)
        parts.append(f"(?{m.group(1)}:{p[m.end():]})" if m else f"(?:{p})")
    return compile_kept(accelerate("|".join(parts)))


_MAXREPEAT = getattr(C, "MAXREPEAT", None)
_REPEATS = tuple(x for x in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) if x is not None)
_MAX_PATTERN = 2000
_MAX_PRODUCT = 10_000


# A repeat whose alternatives may read the same text: 「(a|a)*b」, 「(\\d|\\d\\d)*x」 try every way of
# splitting the text between them, 2ⁿ on n characters. Bounded repeats up to this many are let be.
_AMBIGUOUS_FROM = 16
_ALL = ((0, 0x10FFFF),)
_AMBIGUOUS = "分支可匹配相同的文字且被重复（如 (a|a)*、(\\d|\\d\\d)*），可能使匹配耗时呈指数增长"


def _hazard(seq, outer: int | None, flags: int = 0) -> str | None:
    """A construct that can make the engine backtrack exponentially: a repeat inside a repeat
    (「(\\s*\\d+)*」), alternatives under a repeat that may match the same text (「(a|a)*」),
    or a back-reference. `outer` is the enclosing repeat's maximum."""
    for op, av in seq:
        if op is C.GROUPREF or op is getattr(C, "GROUPREF_EXISTS", None):
            return "含反向引用"
        if op in _REPEATS:
            lo, hi, item = av
            unbounded = hi == _MAXREPEAT or hi > 65535
            if outer is not None and hi > 1:
                if unbounded or outer == -1 or outer * hi > _MAX_PRODUCT:
                    return "量词嵌套（如 (a+)+），可能使匹配耗时呈指数增长"
            if (unbounded or hi > _AMBIGUOUS_FROM) and _ambiguous(item, flags):
                return _AMBIGUOUS
            inner = (-1 if unbounded else hi) if hi > 1 else outer
            found = _hazard(item, inner if hi > 1 else outer, flags)
            if found:
                return found
        elif op is C.SUBPATTERN:
            found = _hazard(av[-1], outer, flags)
            if found:
                return found
        elif op is C.BRANCH:
            for alt in av[1]:
                found = _hazard(alt, outer, flags)
                if found:
                    return found
        elif op in (C.ASSERT, C.ASSERT_NOT):
            found = _hazard(av[1], outer, flags)
            if found:
                return found
    return None


# -- alternatives that may match the same text ------------------------------------------------
# Characters as sorted (low, high) ranges; what cannot be bounded counts as any character, so
# that the test errs towards refusing.

_CATEGORY_CHARS: dict = {}


def _category(code) -> tuple:
    if code not in _CATEGORY_CHARS:
        if code not in _CATEGORY:
            _CATEGORY_CHARS[code] = _ALL
        else:
            # the runs of the plane the class matches, found by the engine in one pass over all
            # of it (a match per character took 57 ms at every start for the six classes)
            cls = _CATEGORY[code]
            out = [(m.start(), m.end() - 1) for m in re.finditer(f"{cls}+", _bmp())]
            if re.match(cls, "\U00020000"):          # beyond the BMP: counted whole where it matches CJK
                out.append((0x10000, 0x10FFFF))
            _CATEGORY_CHARS[code] = tuple(out)
    return _CATEGORY_CHARS[code]


@lru_cache(maxsize=1)
def _bmp() -> str:
    return "".join(map(chr, range(0x10000)))


def _complement(ranges) -> tuple:
    out, at = [], 0
    for a, b in sorted(ranges):
        if a > at:
            out.append((at, a - 1))
        at = max(at, b + 1)
    if at <= 0x10FFFF:
        out.append((at, 0x10FFFF))
    return tuple(out)


def _literal(code: int, flags: int) -> tuple:
    c = chr(code)
    if flags & re.IGNORECASE:
        return tuple((ord(x), ord(x)) for x in {c, c.lower(), c.upper()} if len(x) == 1)
    return ((code, code),)


def _chars(op, av, flags: int) -> tuple:
    """The characters one single-character item may match."""
    if op is C.LITERAL:
        return _literal(av, flags)
    if op is C.NOT_LITERAL:
        return _complement(_literal(av, flags))
    if op is C.ANY:
        return _ALL if flags & re.DOTALL else _complement(((10, 10),))
    out, negate = [], False
    for iop, iav in av:                               # IN
        if iop is C.NEGATE:
            negate = True
        elif iop is C.LITERAL:
            out += _literal(iav, flags)
        elif iop is C.RANGE:
            out.append(iav) if not flags & re.IGNORECASE else out.extend(_ALL)
        elif iop is C.CATEGORY:
            out += _category(iav)
        else:
            return _ALL
    return _complement(out) if negate else tuple(out)


def _meet(a, b) -> bool:
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


_SINGLE = (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN)
_END = "end"


def _steps(seq, flags: int, depth: int = 0) -> list:
    """How `seq` may go on: ("end",), (characters, the rest) for one character read, or
    ("opaque", characters) where it reads something this test does not follow (a repeat)."""
    if depth > 40:
        return [("opaque", _ALL)]
    seq = list(seq)
    if not seq:
        return [(_END,)]
    (op, av), rest = seq[0], seq[1:]
    if op in _SINGLE:
        return [(_chars(op, av, flags), rest)]
    if op in _ZERO_WIDTH:
        return _steps(rest, flags, depth + 1)
    if op is C.SUBPATTERN:
        return _steps([*av[-1], *rest], flags, depth + 1)
    if op is C.BRANCH:
        return [s for alt in av[1] for s in _steps([*alt, *rest], flags, depth + 1)]
    if op in _REPEATS:
        lo, hi, item = av
        if hi <= 1:                                   # x? : without it, or once
            once = _steps([*item, *rest], flags, depth + 1)
            return once if lo else [*_steps(rest, flags, depth + 1), *once]
        skipped = _steps(rest, flags, depth + 1) if lo == 0 else []
        return [("opaque", _first_set(item, flags, depth + 1)), *skipped]
    return [("opaque", _ALL)]


def _first_set(seq, flags: int, depth: int = 0) -> tuple:
    """The characters `seq` may start with (any character where it may be empty)."""
    out: list = []
    for s in _steps(seq, flags, depth):
        out += _ALL if s[0] == _END else s[1] if s[0] == "opaque" else s[0]
    return tuple(out)


def _same_text(a, b, follow, flags: int, budget: list) -> bool:
    """May `a` and `b` (two ways through one repeated part) read the same text, or may one read
    a prefix of the other's text and the next repetition (starting with `follow`) read the rest?"""
    todo = [(a, b)]
    while todo:
        budget[0] -= 1
        if budget[0] < 0:
            return True                               # too many ways to follow: refuse
        x, y = todo.pop()
        for sx in _steps(x, flags):
            for sy in _steps(y, flags):
                if sx[0] == _END and sy[0] == _END:
                    return True
                if sx[0] == _END or sy[0] == _END:
                    other = sy if sx[0] == _END else sx
                    if _meet(other[1] if other[0] == "opaque" else other[0], follow):
                        return True
                elif sx[0] == "opaque" or sy[0] == "opaque":
                    if _meet(sx[1] if sx[0] == "opaque" else sx[0], sy[1] if sy[0] == "opaque" else sy[0]):
                        return True
                elif _meet(sx[0], sy[0]):
                    todo.append((sx[1], sy[1]))
    return False


def _ambiguous(item, flags: int) -> bool:
    """Does a repeated `item` hold alternatives (at any depth) that may read the same text?"""
    follow = _first_set(item, flags)
    budget = [5000]

    def walk(seq, cont) -> bool:
        seq = list(seq)
        for i, (op, av) in enumerate(seq):
            tail = [*seq[i + 1:], *cont]
            if op is C.BRANCH:
                alts = [[*alt, *tail] for alt in av[1]]
                if any(_same_text(alts[j], alts[k], follow, flags, budget)
                       for j in range(len(alts)) for k in range(j + 1, len(alts))):
                    return True
                if any(walk(alt, tail) for alt in av[1]):
                    return True
            elif op is C.SUBPATTERN:
                if walk(av[-1], tail):
                    return True
            elif op in _REPEATS:
                if walk(av[2], tail):
                    return True
        return False
    return walk(item, [])


def vet(pattern: str, where: str = "") -> re.Pattern:
    """Compile a pattern from a rule or term file, refusing what could hang a batch."""
    from .errors import ConfigError
    prefix = f"{where}：" if where else ""
    if len(pattern) > _MAX_PATTERN:
        raise ConfigError(f"{prefix}正则表达式过长（{len(pattern)} 字符，上限 {_MAX_PATTERN}）")
    if vetted(pattern):
        return compile_kept(pattern)       # vetted by this code before (checker/compiled.py)
    try:
        compiled = compile_kept(pattern)
        tree = P.parse(pattern)
    except re.error as e:
        raise ConfigError(f"{prefix}正则表达式 {pattern!r} 有误：{e}") from None
    hazard = _hazard(tree, None, tree.state.flags)
    if hazard:
        raise ConfigError(f"{prefix}正则表达式 {pattern!r} {hazard}；请改写")
    mark_vetted(pattern)
    return compiled
