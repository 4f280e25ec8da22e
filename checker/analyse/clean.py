"""Cleaning: web chrome and conversion artefacts out (kept aside, never lost), lines broken in
mid-sentence joined. Every cleaned Line keeps the source lines it came from, so all later line
numbers refer to the input file."""
from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from ..compiled import compile_kept
from ..errors import ConfigError, InputError
from ..limits import limits
from ..lexicon import lexicon
from ..models import Line, Removed, Source
from ..elements import heading_elements
from .pagemeta import PageField, is_value_line, read_line
from ..resources import load_yaml, rules_dir
from ..script import Written, is_traditional, simplified
from ..text import fold


@dataclass(frozen=True)
class _Pattern:
    id: str
    kind: str
    rx: re.Pattern
    max_len: int = 10_000
    joins: bool = False          # furniture inside the text flow: sentences join across it
    web: bool = True             # only a web page has it (not a PDF's page number or letterhead)
    decode: bool = False         # markup standing for a character (an HTML entity): put that back
    keep: int = 0                # markup wrapped around text (「**…**」「【一、…】」): this group stays
    trigger: re.Pattern | None = None   # a cheap test a line must pass before the pattern is tried


@dataclass
class Cleaned:
    lines: list[Line]
    removed: list[Removed] = field(default_factory=list)
    removed_more: int = 0        # markup taken out past the cap of what is kept (rules/limits.yaml)
    page: list[PageField] = field(default_factory=list)     # the page's disclosure block
    written: Written = field(default_factory=Written)       # lines converted from traditional script
    # the text shows it was taken from a web page: site furniture (rules/clean.yaml `web`), a
    # disclosure block, a mirror's traditional script
    from_web: bool = False


@lru_cache(maxsize=1)
def _patterns() -> dict[str, tuple[_Pattern, ...]]:
    path = rules_dir() / "clean.yaml"
    d = load_yaml(path) or {}
    out = {}
    for kind in ("chrome", "tail", "markup"):
        items = []
        for i, p in enumerate(d.get(kind) or []):
            try:
                # report: false — removed and kept, but not a leftover the markup rule reports
                items.append(_Pattern(
                    p["id"], "wrapper" if p.get("report") is False else kind, compile_kept(p["pattern"]),
                    max_len=int(p.get("max_len", 10_000)), joins=bool(p.get("joins", False)),
                    web=bool(p.get("web", kind == "chrome")), decode=bool(p.get("decode", False)),
                    keep=int(p.get("keep", 0)), trigger=compile_kept(p["trigger"]) if p.get("trigger") else None))
            except (KeyError, TypeError) as e:
                raise ConfigError(f"{path}: {kind}[{i}] 缺少字段 {e}") from None
            except re.error as e:
                raise ConfigError(f"{path}: {kind}[{i}]（{p.get('id')}）的正则表达式有误：{e}") from None
        out[kind] = tuple(items)
    return out


_CASELESS = compile_kept(r"\(\?[a-zA-Z]*i[a-zA-Z]*[:)-]")       # (?i) (?i:…) (?ai-m:…)


@lru_cache(maxsize=1)
def _markup_opening() -> re.Pattern | None:
    """The characters every markup pattern's match starts with (those without a trigger of
    their own), as one class: a line with none of them (most lines) is tried against none of
    the patterns, one scan instead of one search each. None when some pattern can start with
    anything (then every line is tried)."""
    from ..regex import first_chars
    tried = [p for p in _patterns()["markup"] if p.trigger is None]
    classes = [first_chars(p.rx.pattern) for p in tried]
    # first_chars reads the characters as written: 「(?i)m」 or 「(?i:m)」 may start with 「M」 too
    if not classes or None in classes or any(p.rx.flags & re.IGNORECASE or _CASELESS.search(p.rx.pattern)
                                             for p in tried):
        return None
    return compile_kept("[" + "".join(c[1:-1] for c in classes) + "]")


@lru_cache(maxsize=1)
def _chrome_by_length() -> tuple[list[int], list[tuple[_Pattern, ...]]]:
    """The chrome patterns that apply to a line of each length, in file order: most patterns
    take only short lines (a long line is never a site header), so a paragraph is tried against
    a few instead of all."""
    chrome = _patterns()["chrome"]
    bounds = sorted({p.max_len for p in chrome})
    return bounds, [tuple(p for p in chrome if p.max_len >= b) for b in bounds]


# A physical line that ends a sentence (possibly inside closing quotes or brackets).
_ENDS_SENTENCE = compile_kept(r"[。！？；：!?;:…][\"”’」』)）\]]*$")
_HAS_PAUSE = compile_kept(r"[，,、。；;]")
_FULL_STOP = compile_kept(r"[。；;]")
_JOIN_MIN = 20     # a wrapped line is long; a short line without a full stop is a heading or title


def _starts_block(norm: str) -> bool:
    """A line that opens something new: heading, item, closing line, date, attachment."""
    lx = lexicon()
    return bool(lx.opens_structure(norm) or lx.closing_phrase.match(norm) or lx.date.match(norm) or lx.iso_date.match(norm)
                or lx.bare_date.match(norm) or lx.attachment.match(norm) or lx.signature.match(norm)
                or lx.tail_lines.match(norm))


def _width(s: str) -> int:
    """Display width, as on a printed page: ASCII takes one cell, Chinese text two."""
    return 2 * len(s) - len(s.encode("ascii", "ignore"))

_WRAP_MIN = 40          # cells: shorter lines say nothing about a wrap width
_WRAP_LINES = 8         # fewer long lines than this could be chance
_PARAGRAPH = 120        # cells: a line this wide is a whole paragraph, not a wrapped piece


def wrap_width(texts: list[str]) -> int | None:
    """The width at which a copy from PDF or a fixed-width page was hard-wrapped, if it was:
    no line as wide as a paragraph, and most wide lines stopping mid-sentence."""
    measured = [(_width(t), t) for t in texts]
    widths = sorted(w for w, _ in measured)
    long = [t for w, t in measured if w >= _WRAP_MIN]
    if len(long) < _WRAP_LINES:
        return None
    p90 = widths[int(len(widths) * 0.9)]
    unfinished = sum(1 for t in long if not _ENDS_SENTENCE.search(fold(t)))
    if p90 > _PARAGRAPH or unfinished < 0.5 * len(long):
        return None
    return p90


@dataclass
class _Joined:
    """A logical line being built from source lines; joined once at the end (no quadratic
    re-copying when thousands of wrapped pieces make one paragraph)."""
    texts: list[str]
    norms: list[str]
    spans: list[tuple[int, int]]
    length: int
    hint: str | None = None

    def add(self, no: int, text: str, norm: str) -> None:
        self.spans.append((self.length, no))
        self.texts.append(text)
        self.norms.append(norm)
        self.length += len(text)

    def line(self) -> Line:
        return Line(text="".join(self.texts), norm="".join(self.norms), spans=self.spans, hint=self.hint)


def _continues(prev: _Joined, norm: str, wrap: int | None) -> bool:
    """Is `norm` the rest of a sentence that `prev` left unfinished?"""
    last, last_norm, single = prev.texts[-1], prev.norms[-1], len(prev.texts) == 1
    if _ENDS_SENTENCE.search(last_norm):
        return False
    lx = lexicon()
    if wrap is not None:
        # hard-wrapped text: a line that came near the wrap width goes on in the next line
        # (proportional fonts and line-breaking rules make wrapped lines vary in width);
        # a heading line wraps only when it is full
        is_heading = single and lx.opens_structure(last_norm)
        return _width(last) >= (wrap - 4 if is_heading else wrap * 0.7) and not _starts_block(norm)
    if len(last) < _JOIN_MIN or (single and lx.title_end.search(last_norm)):
        return False
    if len(last) < 40 and not _HAS_PAUSE.search(last):
        return False
    if _starts_block(norm):
        return False
    # A line that reads as a heading whose number was lost ends there.
    if single and (lx.heading_line.match(last_norm)
                   or (len(last_norm) <= lx.heading_max and not _FULL_STOP.search(last_norm)
                       and heading_elements(last, None))):
        return False
    # A heading line continues only when its body runs in (a full stop after the heading).
    if (single and lx.opens_structure(last_norm)
            and not _FULL_STOP.search(last_norm) and len(last_norm) < lx.heading_max):
        return False
    return True


def clean(source: Source) -> Cleaned:
    pats = _patterns()
    bounds, by_length = _chrome_by_length()
    removed: list[Removed] = list(source.removed)      # what the reader dropped (NUL bytes)
    # markup is taken out however much there is, but kept only up to a cap: 800,000 entities in
    # one text made 400 MB of Removed records
    keep, more = limits().removed.keep, 0
    kept: list[tuple[int, str, str, bool, str | None]] = []   # (line, text, norm, chrome before, hint)
    boundary = True            # chrome between two lines means they cannot be one sentence
    cut_at = None
    begun = False              # a sentence of the report has been seen
    page: list[PageField] = []
    in_block = False           # the line before was part of the page's disclosure block
    pending: PageField | None = None   # a key of the block whose value is on the next line
    written = Written()
    web = False
    traditional = is_traditional(source.lines)
    opening = _markup_opening()
    for no, raw in enumerate(source.lines, 1):
        if cut_at is not None:
            if raw.strip():
                removed.append(Removed(line=no, text=raw.strip(), kind="tail", pattern=cut_at))
            continue
        text = raw.strip()
        if not text:
            continue
        if traditional:
            converted = simplified(text)
            written.add(no, converted, text)
            text = converted
        norm = fold(text)
        # the block stands above the report: 「来源：县统计局」 inside the text is the text
        fields = read_line(norm, no, in_block) if not begun or in_block else None
        if fields is None and pending is not None and is_value_line(norm):
            fields = [PageField(pending.field, pending.key, text, no)]
        if fields is not None:
            removed.append(Removed(line=no, text=text, kind="chrome", pattern="gov-metadata"))
            page.extend(f for f in fields if f.value)
            pending = fields[-1] if not fields[-1].value else None
            in_block = True
            boundary = True
            continue
        in_block, pending = False, None
        # 「相关文章」 ends the page only once the report has begun (a menu above it may say so too)
        hit = next((p for p in pats["tail"] if p.rx.search(norm)), None) if begun else None
        if hit:
            cut_at = hit.id
            removed.append(Removed(line=no, text=text, kind="tail", pattern=hit.id))
            continue
        k = bisect_left(bounds, len(norm))
        hit = next((p for p in by_length[k] if p.rx.search(norm)), None) if k < len(bounds) else None
        if hit:
            removed.append(Removed(line=no, text=text, kind="chrome", pattern=hit.id))
            web = web or hit.web
            boundary = boundary or not hit.joins
            continue
        # removing markup never brings in a character the line did not have (an entity decoded
        # to 「<」 needed its 「&」), so the opening test made before holds for every pattern
        untried = opening is not None and not opening.search(norm)
        for p in pats["markup"]:
            if p.trigger is None and untried:
                continue
            if len(norm) <= p.max_len and (p.trigger is None or p.trigger.search(norm)) and p.rx.search(norm):
                pieces, pos = [], 0
                for m in p.rx.finditer(norm):
                    found = text[m.start():m.end()]
                    if len(removed) < keep:
                        removed.append(Removed(line=no, text=found, kind=p.kind, pattern=p.id))
                    else:
                        more += 1
                    pieces.append(text[pos:m.start()])
                    if p.keep:
                        pieces.append(text[m.start(p.keep):m.end(p.keep)])
                    elif p.decode:
                        # 「&ldquo;法治政府&rdquo;」 keeps its quotation marks; a stray &nbsp; a space
                        pieces.append(html.unescape(found).replace("\xa0", " "))
                    pos = m.end()
                pieces.append(text[pos:])
                text = "".join(pieces).strip()
                norm = fold(text)
        if not text:
            continue
        kept.append((no, text, norm, boundary, source.hint(no)))
        begun = begun or bool(_ENDS_SENTENCE.search(norm)) or len(norm) >= 40
        boundary = False

    if not kept:
        raise InputError(source.path, "清除网页栏目等内容后没有正文，这不像一份报告")
    wrap = wrap_width([t for _, t, _, _, _ in kept])
    joined: list[_Joined] = []
    for no, text, norm, after_chrome, hint in kept:
        # a heading style or a table cell from the reader is a line of its own
        if (joined and not after_chrome and hint is None and joined[-1].hint is None
                and _continues(joined[-1], norm, wrap)):
            joined[-1].add(no, text, norm)
        else:
            joined.append(_Joined([text], [norm], [(0, no)], len(text), hint))
    return Cleaned(lines=[j.line() for j in joined], removed=removed, removed_more=more, page=page, written=written,
                   from_web=web or bool(page) or bool(written))
