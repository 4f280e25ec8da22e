"""The order of the top-level parts, parsed: one token per part (the elements the outline map
assigned it) through the LALR grammar in grammar/outline.lark — or a stricter one a profile
names (grammar/outline-<NAME>.lark). Where the grammar cannot go on, the part is out of place,
and the parser's expected set says what the outline wanted there.

OUT-ORDER (checker/checks/order.py) reports the parts out of place; the checklist's structure
row (checker/checklist.py) says the same from the same parse."""
from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from lark import Lark, Token
from lark.exceptions import LarkError, UnexpectedInput
from lark.lexer import Lexer

from ..compiled import compile_kept
from ..elements import spec
from ..errors import ConfigError
from .. import cache
from ..resources import grammar_dir

DEFAULT = "default"
NONE = "NONE"                       # the token of a part that names no element
_NAME = compile_kept(r"^[a-z0-9][a-z0-9-]{0,40}$")
_MAX_PHASES = 200                   # what may follow a part, explored once per grammar (see _free)


def token(elements: Sequence[str]) -> str:
    """The token of a part: its elements upper-cased and joined in the order of
    rules/outline.yaml (SHORTCOMINGS_REASONS_NEXT_PLAN), NONE when it names none."""
    order = spec()["order"]
    return "_".join(e.upper() for e in order if e in elements) or NONE


@lru_cache(maxsize=1)
def _tokens() -> dict[str, frozenset[str]]:
    """Every token a part can have → its elements."""
    order = spec()["order"]
    out = {}
    for n in range(len(order) + 1):
        for els in combinations(order, n):
            out[token(els)] = frozenset(els)
    return out


class _NoLexer(Lexer):
    """The tokens are fed one by one (structure.parse); there is no text to split."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, data, *_):
        yield from data


def grammar_path(name: str):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"提纲语法名称 {name!r} 无效（应为小写字母、数字和连字符，如 strict）")
    file = "outline.lark" if name == DEFAULT else f"outline-{name}.lark"
    return grammar_dir() / file


def available() -> list[str]:
    names = [DEFAULT]
    for p in sorted(grammar_dir().glob("outline-*.lark")):
        names.append(p.stem.removeprefix("outline-"))
    return names


_ORDER_LINE = compile_kept(r"^//\s*顺序：(.+)$", re.M)


@lru_cache(maxsize=8)
def order_text(name: str = DEFAULT) -> str:
    """The order the grammar describes, in the clerk's words: its 「// 顺序：…」 comment line."""
    m = _ORDER_LINE.search(grammar_path(name).read_text(encoding="utf-8"))
    return m.group(1).strip() if m else "规定提纲的顺序"


@lru_cache(maxsize=8)
def parser(name: str = DEFAULT) -> Lark:
    """The grammar's LALR parser, built once (strict: an ambiguity is an error at load time)."""
    path = grammar_path(name)
    if not path.is_file():
        raise ConfigError(f"提纲语法 {name!r} 不存在：找不到 {path}（可用：{'、'.join(available())}）")
    try:
        text = path.read_text(encoding="utf-8")
        # no tree is built from the parse (only whether and where it fails): no placeholders to add
        lark = cache.lark(f"outline-{name}", text, parser="lalr", lexer=_NoLexer, strict=True,
                          maybe_placeholders=False)
    except (LarkError, OSError) as e:
        raise ConfigError(f"{path}: 语法文件有误：{e}") from None
    unknown = sorted(_terminals(lark) - set(_tokens()))
    if unknown:
        # a misspelt token would never match a part: the grammar would reject what it means to accept
        raise ConfigError(f"{path}: 未知的记号 {', '.join(unknown)}（记号为要素名大写、按 rules/outline.yaml "
                          f"的顺序以 _ 连接，如 SHORTCOMINGS_REASONS；不含要素的部分为 NONE）")
    return lark


def _terminals(lark: Lark) -> set[str]:
    """The tokens the grammar's rules use (declared terminals have no pattern to list them by)."""
    return {s.name for r in lark.rules for s in r.expansion if s.is_term}


@dataclass(frozen=True)
class Misplaced:
    index: int                      # of the part in the report's top-level parts (len(parts): the end)
    elements: tuple[str, ...]       # what the part carries that may not stand here
    expected: tuple[str, ...]       # the elements the grammar expected here, in outline order
    # (element out of place, the earlier part it may not follow): the first part carrying each
    # element the grammar puts after it
    after: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Structure:
    misplaced: tuple[Misplaced, ...]

    @property
    def ok(self) -> bool:
        return not self.misplaced


def _feed(ip, tok: str, index: int):
    """The parser after `tok`, or None when the grammar cannot take it here (ip unchanged:
    LALR may reduce before it finds the error, so the trial runs on a copy)."""
    trial = ip.copy(deepcopy_values=False)
    try:
        trial.feed_token(Token(tok, index))
    except UnexpectedInput:
        return None
    return trial


# parse table → (state stack → the tokens taken next); bounded by the grammar's configurations.
# Keyed by the table, not the grammar's name: a parser built again (from the cache, or after the
# parser cache is cleared) may number its states otherwise, and a stack of the old numbering
# would give the new parser tokens it does not take.
_ACCEPTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _ends(ip) -> bool:
    """May the report end here?"""
    try:
        ip.copy(deepcopy_values=False).feed_eof()
    except UnexpectedInput:
        return False
    return True


def _accepted(ip, grammar: str) -> frozenset[str]:
    """The tokens the parser takes next. An LALR parser's future is its state stack, so the
    answer (140 µs: a trial of every terminal) is kept per stack."""
    table = ip.parser_state.parse_conf.parse_table
    known = _ACCEPTS.get(table)
    if known is None:
        known = _ACCEPTS[table] = {}
    key = tuple(ip.parser_state.state_stack)
    got = known.get(key)
    if got is None:
        got = known[key] = frozenset(t for t in ip.accepts() if t in _tokens())
    return got


def parse(parts: Sequence[Sequence[str]], grammar: str = DEFAULT) -> Structure:
    """Parse the parts' element lists. A part the grammar cannot take is out of place; the parse
    goes on as if it carried only what may stand there (its largest subset the grammar takes),
    so one misplaced element is reported once and the rest of the report is still judged."""
    return _parse(tuple(tuple(els) for els in parts), grammar)


# reports come in few shapes (three to six parts, a dozen common element sets): a shape seen
# before is not parsed again — the interactive parse copies the parser state at every part
@lru_cache(maxsize=1024)
def _parse(parts: tuple[tuple[str, ...], ...], grammar: str) -> Structure:
    lark = parser(grammar)
    ip = lark.parse_interactive(None)
    tokens = tuple(token(els) for els in parts)
    misplaced: list[Misplaced] = []
    for i, tok in enumerate(tokens):
        nxt = _feed(ip, tok, i)
        if nxt is not None:
            ip = nxt
            continue
        accepted = _accepted(ip, grammar)
        carried = tuple(e for e in spec()["order"] if e in parts[i])
        kept: tuple[str, ...] | None = None
        for n in range(len(carried) - 1, -1, -1):
            kept = next((sub for sub in combinations(carried, n) if token(sub) in accepted), None)
            if kept is not None:
                break
        wrong = tuple(e for e in carried if kept is None or e not in kept)
        misplaced.append(Misplaced(i, wrong, _expected(accepted, grammar), _after(parts, i, wrong, grammar)))
        if kept is not None:
            ip = _feed(ip, token(kept), i)
    if not _ends(ip):
        misplaced.append(Misplaced(len(tokens), (), _expected(_accepted(ip, grammar), grammar)))
    return Structure(misplaced=tuple(misplaced))


def _after(parts: Sequence[Sequence[str]], i: int, wrong: Sequence[str], grammar: str) -> tuple:
    """For each element out of place, the first earlier part carrying an element it may not
    follow (a part on it alone after a part on that alone is no report the grammar takes)."""
    first: dict[str, int] = {}
    for j, els in enumerate(parts[:i]):
        for e in els:
            first.setdefault(e, j)
    return tuple((a, first[b]) for a in wrong for b in spec()["order"]
                 if b in first and b != a and not _may_follow(grammar, b, a))


@lru_cache(maxsize=256)
def _may_follow(grammar: str, before: str, after: str) -> bool:
    """Does the grammar take, anywhere, a part on `after` alone right after one on `before`?"""
    for ip in _phases(grammar).values():
        nxt = _feed(ip, token((before,)), 0)
        if nxt is not None and _feed(nxt, token((after,)), 1) is not None:
            return True
    return False


def _expected(accepted: set[str], grammar: str) -> tuple[str, ...]:
    """The elements whose own part the grammar takes here — less those it takes everywhere (a
    part on the causes alone, in the default outline), which say nothing about this place."""
    free = _free(grammar)
    single = {e for t in accepted for e in _tokens()[t] if len(_tokens()[t]) == 1}
    return tuple(e for e in spec()["order"] if e in single and e not in free)


@lru_cache(maxsize=8)
def _phases(grammar: str) -> dict:
    """What may follow a part → one parser configuration that reaches it. The configurations
    are many (every path leaves its own stack); what may follow them is a handful of phases,
    explored once per grammar."""
    ip = parser(grammar).parse_interactive(None)
    phases = {_accepted(ip, grammar): ip}
    todo = [ip]
    while todo and len(phases) < _MAX_PHASES:
        cur = todo.pop()
        for t in _accepted(cur, grammar):
            nxt = _feed(cur, t, 0)
            key = _accepted(nxt, grammar)
            if key not in phases:
                phases[key] = nxt
                todo.append(nxt)
    return phases


@lru_cache(maxsize=8)
def _free(grammar: str) -> frozenset[str]:
    """The elements whose own part the grammar takes everywhere without it changing what may
    follow (a part on the causes alone, in the default outline)."""
    free = set(spec()["order"])
    for accepted, ip in _phases(grammar).items():
        for e in list(free):
            t = token((e,))
            if t not in accepted or _accepted(_feed(ip, t, 0), grammar) != accepted:
                free.discard(e)
    return frozenset(free)


def expected_text(expected: Sequence[str]) -> str:
    """「存在的不足、第一责任人履职情况 或 下一年度主要安排」."""
    labels = [spec()["elements"][e].label for e in expected]
    if not labels:
        return "不再有其他部分"
    if len(labels) == 1:
        return labels[0]
    return "、".join(labels[:-1]) + " 或 " + labels[-1]


def elements_text(elements: Sequence[str]) -> str:
    return "、".join(spec()["elements"][e].label for e in elements) or "未识别的部分"
