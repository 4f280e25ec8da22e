"""Kinds `quote.*`: titles in 《》 read against the known titles of rules/terms/regulations.yaml.

quote.title — close to a known title but not it (a misquotation): within a similarity ratio,
one or two characters off, or the kind of act swapped (《…暂行规定》 for 《…暂行条例》);
quote.period — a known title cited as current in a year it was not in force (not yet in
force, or already repealed or replaced)."""
from __future__ import annotations

import re
from datetime import date
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from pydantic import Field

from ..compiled import compile_kept
from ..termlists import derived
from ..text import fold
from .base import Hit, NoParams, Strict, quoted
from .registry import check

if TYPE_CHECKING:
    from ..document import Document

_TITLE = compile_kept(r"《([^《》]{4,60})》")
# The kind of act a title ends with: 《…实施方案（2021—2025年）》 is not a misquoted 《…实施纲要（…）》.
_KIND = compile_kept(r"(纲要|规划|方案|规定|条例|办法|规则|细则|意见|决定|通知|计划|法)(?:\(.*\))?$")
# Kinds of act a writer swaps by slip (《…暂行规定》 for 《…暂行条例》): a title that differs from
# a known one only there names the same act. Other kinds (方案, 纲要, 意见…) name other documents.
_YEARS = compile_kept(r"\(.*\)$")
_ACTS = frozenset(("条例", "规定", "办法", "规则", "细则"))
# 《XX省重大行政决策程序规定》, 《沛县…》: a place before a known title makes it a local act.
_PLACE_END = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "州", "盟", "县",
              "旗", "区", "镇", "乡", "街道")
_PLACE_MAX = 14          # characters a place prefix may take (省 + 市 + 县 names)
# looking back at a repealed title, or forward to one not yet in force, is not citing it as current
_BEFORE = compile_kept(r"(?:原|旧|废止的|已废止|已失效|修订前的?|施行前的?)$")
_AFTER = compile_kept(r"^[^。；;]{0,12}?(?:废止|失效|停止(?:施行|执行)|不再(?:施行|执行|适用)|取代|替代|代替|"
                      r"修订为|修改为|更名|即将|将于|施行前|正式施行|颁布|出台|公布|印发)")


class TitleParams(Strict):
    similarity: float = Field(0.8, ge=0, le=1, description="与已知名称的相似度（0–1）达到此数即视为引错")
    max_edits: int = Field(2, ge=0, description="名称最多可差几个字仍视为引错（且每 4 个字至多 1 个）")


_EDITS = TitleParams.model_fields["max_edits"].default   # quote.period shares the titles read for this


def _key(s: str) -> str:
    return re.sub(r"\s+", "", fold(s))


def _strip(k: str, prefixes: tuple[str, ...]) -> str:
    for pre in prefixes:
        if k.startswith(pre):
            return k[len(pre):]
    return k


def _kind(key: str) -> tuple[str, str]:
    """The kind of act and the title without it (a year range after it kept)."""
    m = _KIND.search(key)
    if not m:
        return "", key
    return m.group(1), key[:m.start()] + key[m.end(1):]


class _Known:
    __slots__ = ("key", "title", "entry", "kind", "stem", "sm", "edits", "implements", "chars", "stem_chars")

    def __init__(self, key: str, entry, max_edits: int):
        self.key, self.title, self.entry = key, entry.title, entry
        self.kind, self.stem = _kind(key)
        self.implements = self.stem.endswith("实施")
        self.chars, self.stem_chars = frozenset(key), frozenset(self.stem)
        self.sm = SequenceMatcher(None)      # indexes its second sequence once
        self.sm.set_seq2(key)
        self.edits = min(max_edits, len(key) // 4)


def _known(tl, max_edits: int):
    """Known titles (without shared prefixes): by key, and grouped by their kind of act (a title
    is compared only with titles of its own kind, or of another kind of act when swapped)."""
    def build():
        prefixes = tuple(_key(x) for x in (tl.model_extra.get("prefixes") or ()))
        by_key = {}
        for r in tl.entries:
            k = _strip(_key(r.title), prefixes)
            by_key[k] = _Known(k, r, max_edits)
        groups: dict[str, list[_Known]] = {}
        for e in by_key.values():
            groups.setdefault(e.kind, []).append(e)
        # a title that contains a known one, or that a known one contains, in one C-level search
        inner = compile_kept("|".join(map(re.escape, sorted(by_key, key=len, reverse=True)))) if by_key else None
        return prefixes, by_key, groups, inner, "\0".join(by_key), {}
    return derived(tl, f"quote:{max_edits}", build)


def _titles(doc: Document, prefixes: tuple[str, ...]):
    """(classified line, match, key) of every 《…》 title in the report, found once for both checks."""
    def build():
        out = []
        for c in doc.classified:
            if "《" not in c.line.text:
                continue
            for m in _TITLE.finditer(c.line.text):
                out.append((c, m, _strip(_key(m.group(1)), prefixes)))
        return out
    return doc.memo("quote-titles", build)


def _within(a: str, b: str, k: int) -> bool:
    """Are a and b at most k insertions, deletions or substitutions apart? (banded, k ≤ 2)"""
    if abs(len(a) - len(b)) > k:
        return False
    if a == b:
        return True
    if k <= 0:
        return False
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        lo, hi = max(1, i - k), min(len(b), i + k)
        cur = [k + 1] * (len(b) + 1)
        cur[0] = i
        for j in range(lo, hi + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        if min(cur[max(0, lo - 1):hi + 1]) > k:
            return False
        prev = cur
    return prev[len(b)] <= k


def _misspelt(tail: str, kind: str) -> bool:
    """Is `tail`, the end of a title with no kind of act, `kind` with one character wrong
    (《…条列》)? 《…职责清单》 is another document, not a misspelt 《…职责规定》."""
    t = tail[-len(kind):]
    return len(kind) >= 2 and len(t) == len(kind) and sum(a == b for a, b in zip(t, kind)) >= len(kind) - 1


def _local(k: str, kk: str) -> bool:
    """Is k a place name followed by (about) the known title kk — a local act of its own
    (《XX省重大行政决策程序规定》)? The known title must start near where the place ends."""
    head = kk[:2]
    j = k.find(head, 1)
    while 0 < j <= _PLACE_MAX:
        if k[:j].endswith(_PLACE_END) and not kk.startswith(k[:j]):
            return True
        j = k.find(head, j + 1)
    return False


def _match(k: str, known, p: TitleParams) -> _Known | None:
    """The known title k misquotes, if any."""
    _, by_key, groups, inner, joined, by_tail = known
    if k in joined or (inner is not None and inner.search(k)):
        return None         # exact, or another act that contains a known name (地方条例、实施条例)
    kind, stem = _kind(k)
    if kind:
        same = groups.get(kind, ())
        swapped = [e for kd in _ACTS if kd != kind for e in groups.get(kd, ())] if kind in _ACTS else ()
    else:               # no kind of act: compare with those whose kind it may misspell
        tail = _YEARS.sub("", k)[-2:]
        same = by_tail.get(tail)
        if same is None:
            same = by_tail[tail] = [e for kd, g in groups.items() if not kd or _misspelt(tail, kd) for e in g]
        swapped = ()
    n, sim = len(k), p.similarity
    chars = frozenset(k)
    best, ratio = None, 0.0
    for e in same:
        # within the ratio (lengths alone may rule it out) or a character or two off; each
        # character of the known title missing from k is one fewer in common
        m = len(e.key)
        if 2 * min(n, m) / (n + m) < sim and abs(n - m) > e.edits:
            continue
        if m - len(e.chars - chars) < min(sim * (n + m) / 2, max(n, m) - e.edits):
            continue
        e.sm.set_seq1(k)
        q = e.sm.quick_ratio()
        near = q * (n + m) / 2 >= max(n, m) - e.edits - 1e-9     # all but that many in common
        if q < sim and not near:
            continue
        r = e.sm.ratio()
        if r < sim and not (near and _within(k, e.key, e.edits)):
            continue
        if r > ratio and not _local(k, e.key):
            best, ratio = e, r
    implements = stem.endswith("实施")
    for e in swapped:
        # the kind of act swapped, the rest the same or a character or two off — but
        # 《…实施办法》 implements 《…规定》, it does not misquote it
        if abs(len(stem) - len(e.stem)) > e.edits or implements != e.implements:
            continue
        if len(e.stem_chars - chars) > e.edits or not _within(stem, e.stem, e.edits):
            continue
        e.sm.set_seq1(k)
        r = e.sm.ratio()
        if r > ratio and not _local(k, e.key):
            best, ratio = e, r
    return best


@check("quote.title", TitleParams, "《》中的名称与已知法规名称相近而不同（引错了名称）：rules/terms/regulations.yaml")
def title(doc: Document, p: TitleParams):
    known = _known(doc.settings.terms("regulations"), p.max_edits)
    seen: dict[str, _Known | None] = {}
    for c, m, k in _titles(doc, known[0]):
        if k not in seen:
            seen[k] = _match(k, known, p)
        best = seen[k]
        if best:
            yield Hit(c.line.line_at(m.start()), m.group(0), {"match": m.group(0), "right": f"《{best.title}》"})


@check("quote.period", NoParams, "所引法规在报告年度已废止、被取代或尚未施行：rules/terms/regulations.yaml")
def period(doc: Document, p: NoParams):
    prefixes, by_key = _known(doc.settings.terms("regulations"), _EDITS)[:2]
    yield from _period(doc, _titles(doc, prefixes), by_key, prefixes)


def _cn_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def _period(doc: Document, titles, known, prefixes: tuple[str, ...]):
    y = doc.meta.report_year
    if not y:
        return
    end = date(y, 12, 31).isoformat()
    due = date(y + 1, 4, 1).isoformat()      # the report is written by then (TERM-ANACHRONISM alike)
    plan = None
    for c, m, k in titles:
        e = known.get(k)
        if e is None:
            continue
        r = e.entry
        norm = c.line.norm
        s, t = m.span()
        if r.valid_until and r.valid_until <= end:
            # repealed or replaced by the end of the year reported on
            if _BEFORE.search(norm[max(0, s - 5):s]) or _AFTER.search(norm[t:t + 24]):
                continue
            if r.replaced_by and _sentence_has(norm, s, t, _strip(_key(r.replaced_by), prefixes)):
                continue    # the old title named beside its successor: a comparison, not a citation
            until = _cn_date(r.valid_until)
            if r.replaced_by:
                state = f"自{until}起已由《{r.replaced_by}》取代"
                advice = f"改为引用现行的《{r.replaced_by}》；确需提及旧名称的，写明「原」或已废止"
            else:
                state = f"自{until}起已废止"
                advice = "删去或改为引用现行依据；确需提及的，写明已废止"
        elif r.valid_from and r.valid_from > due:
            if _BEFORE.search(norm[max(0, s - 5):s]) or _AFTER.search(norm[t:t + 24]):
                continue
            if plan is None:
                plan = [(para.line, para.end_line) for para in doc.outline.regions.get("next_plan") or []]
            line = c.line.line_at(s)
            if any(a <= line <= b for a, b in plan):
                continue    # the plan for the next year may cite what comes into force then
            state = f"自{_cn_date(r.valid_from)}起才施行"
            advice = "核对报告年度和所引名称；当年尚未施行的，不能作为当年工作的依据"
        else:
            continue
        yield quoted(c.line, s, t, {"match": m.group(0), "year": y, "state": state, "advice": advice, "source": r.source})


def _sentence_has(norm: str, s: int, t: int, key: str) -> bool:
    a = max(norm.rfind("。", 0, s), norm.rfind(";", 0, s)) + 1
    b = min([x for x in (norm.find("。", t), norm.find(";", t)) if x >= 0] or [len(norm)])
    return key in re.sub(r"\s+", "", norm[a:b])
