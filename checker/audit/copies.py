"""Reports that share long passages: another unit's report, or the unit's own of last year.

Scales to tens of thousands of reports without comparing every pair: each paragraph gets a
small MinHash signature (one-permutation hashing, 16 bins, over 8-character shingles), cut into
4 bands; only reports that share a band are candidates, found by the state database, and only
candidates are compared passage by passage. Paragraphs that resemble those of very many reports
(a template's wording) are left out of the candidate search."""
from __future__ import annotations

import zlib
from bisect import bisect_right
from dataclasses import dataclass

from ..compiled import compile_kept

SHINGLE = 8
BINS = 16
ROWS = 4                  # bins per band; BINS // ROWS bands
MIN_CHUNK = 60            # characters of text a paragraph needs to be signed
_EMPTY = 1 << 40


_KEEP = compile_kept(r"[\u4e00-\u9fff0-9A-Za-z]+")


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with only Chinese characters, digits and letters, and where each came from."""
    runs = _KEEP.findall(text)
    pos = [i for m in _KEEP.finditer(text) for i in range(m.start(), m.end())]
    return "".join(runs), pos


def signature(text: str) -> list[int]:
    mins = [_EMPTY] * BINS
    for i in range(len(text) - SHINGLE + 1):
        h = zlib.crc32(text[i:i + SHINGLE].encode("utf-8"))
        b, v = h & (BINS - 1), h >> 4
        if v < mins[b]:
            mins[b] = v
    # densification: an empty bin borrows the next filled one, shifted so the borrowing is seen
    for b in range(BINS):
        if mins[b] == _EMPTY:
            for j in range(1, BINS):
                v = mins[(b + j) % BINS]
                if v != _EMPTY:
                    mins[b] = v + j * (1 << 29)
                    break
    return mins


def bands(paragraphs: list[str]) -> list[tuple[int, int]]:
    """(band hash, paragraph index) for every long enough paragraph."""
    out = []
    for idx, para in enumerate(paragraphs):
        norm, _ = normalise(para)
        if len(norm) < MIN_CHUNK:
            continue
        sig = signature(norm)
        for band in range(BINS // ROWS):
            key = f"{band}:{sig[band * ROWS:(band + 1) * ROWS]}".encode()
            out.append((zlib.crc32(key) - (1 << 31), idx))     # signed: SQLite integers
    return out


def candidates(db, cap: int, among: str = "SELECT id FROM reports") -> list[tuple[int, int]]:
    """Pairs of reports that share a band of a paragraph that is not template wording.

    A paragraph with a band found in more than `cap` reports is a template's (the opening
    "坚持以…为指导" every unit writes): all its bands are left out, for otherwise the slightly
    varied copies of it pair nearly every report with every other and the work grows with the
    square of the batch. Streams the bands in hash order; holds only the template paragraphs and
    the pairs. `among`: the reports taken (SQL giving their ids) — one file per submission, so
    that a report handed in three formats does not count three times towards `cap`."""
    only = f"WHERE report IN ({among})"
    # INDEXED BY: walked in hash order on the index, filtered on the way (the planner would
    # otherwise take the report index and sort millions of bands in a temporary tree)
    common = {h for (h,) in db.execute(
        f"SELECT hash FROM bands INDEXED BY bands_hash {only} GROUP BY hash HAVING COUNT(DISTINCT report) > ?", (cap,))}
    stock = {(r, c) for h, r, c in db.execute(f"SELECT hash, report, chunk FROM bands {only}") if h in common}
    pairs: set[tuple[int, int]] = set()
    group: set[int] = set()
    current = None
    for h, r, c in db.execute(f"SELECT hash, report, chunk FROM bands INDEXED BY bands_hash {only} ORDER BY hash"):
        if h != current:
            pairs.update(_pairs(group))
            current, group = h, set()
        if (r, c) not in stock:
            group.add(r)
    pairs.update(_pairs(group))
    return sorted(pairs)


def _pairs(reports: set[int]):
    ordered = sorted(reports)
    return ((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])


@dataclass
class Passage:
    a_line: int
    b_line: int
    text: str
    length: int
    # where it runs in the normalised text of each report (Flat.text): a passage can run over
    # many paragraphs (a whole copied report is one), and quote() picks one of them to show
    a_start: int = 0
    b_start: int = 0


class Flat:
    """A report's paragraphs as one normalised string, with its k-gram index built on first use.

    Built once per report and reused for every pair the report is in: the per-pair cost is then
    one scan of the other report, not two normalisations and an index."""
    __slots__ = ("paras", "text", "starts", "k", "_index")

    def __init__(self, paras: list[tuple[str, int]], k: int = 12):
        self.paras, self.k, self._index = paras, k, None
        chunks, self.starts, off = [], [], 0
        for text, _line in paras:
            norm = "".join(_KEEP.findall(text))
            self.starts.append(off)
            chunks.append(norm)
            off += len(norm)
        self.text = "".join(chunks)

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            t, k, idx = self.text, self.k, {}
            for j in range(len(t) - k, -1, -1):      # backwards, so the first occurrence wins
                idx[t[j:j + k]] = j
            self._index = idx
        return self._index

    def where(self, offset: int) -> tuple[int, int, str, int]:
        """(paragraph, line, paragraph text, position in it) of a normalised character."""
        p = bisect_right(self.starts, offset) - 1
        text, line = self.paras[p]
        return p, line, text, normalise(text)[1][offset - self.starts[p]]


def shared_passages(a: Flat | list, b: Flat | list, min_len: int = 40) -> tuple[list[Passage], int, int, int]:
    """Passages of at least `min_len` characters found in both; (passages, shared, len a, len b).
    The index is built on `a` (pass the same Flat for many pairs), `b` is scanned; passages quote `a`.

    a, b: Flat, or the (text, line) of each paragraph."""
    a = a if isinstance(a, Flat) else Flat(a)
    b = b if isinstance(b, Flat) else Flat(b)
    ta, tb, k, index = a.text, b.text, a.k, a.index
    # A passage of min_len characters holds a whole k-gram starting at a multiple of `step`, so
    # probing only there finds every one of them at 1/step of the lookups; a hit is then grown
    # both ways.
    step = max(1, min_len - k + 1)
    out, shared, i, floor = [], 0, 0, 0
    while i <= len(tb) - k:
        j = index.get(tb[i:i + k])
        if j is None:
            i += step
            continue
        sb, sa = i, j
        while sb > floor and sa > 0 and tb[sb - 1] == ta[sa - 1]:
            sb, sa = sb - 1, sa - 1
        eb, ea = i + k, j + k
        while eb < len(tb) and ea < len(ta) and tb[eb] == ta[ea]:
            eb, ea = eb + 1, ea + 1
        n = eb - sb
        if n < min_len:
            i += step
            continue
        para, line, text, start = a.where(sa)
        end_para, _, _, end = a.where(ea - 1)
        end = end if end_para == para else len(text) - 1
        out.append(Passage(a_line=line, b_line=b.where(sb)[1], text=text[start:end + 1], length=n,
                           a_start=sa, b_start=sb))
        shared += n
        floor = eb
        i = eb + (-eb % step)
    return sorted(out, key=lambda p: -p.length), shared, len(ta), len(tb)


def quote(a: Flat, b: Flat, p: Passage, stock, least: int = 20) -> tuple[int, int, str] | None:
    """(line in a, line in b, text) of the first paragraph the passage covers — at least `least`
    characters of it — that is not stock wording (`stock`: a compiled pattern of the stock_passages
    term list, matched on normalised text); None when every paragraph it covers is stock.

    Why: nearly every report opens with 「坚持以习近平新时代中国特色社会主义思想为指导…」, so a copied
    report's shared passage starts there; quoting it shows the reviewer what all reports share, not
    what these two do."""
    end = p.a_start + p.length
    first = bisect_right(a.starts, p.a_start) - 1
    for i in range(first, len(a.paras)):
        start = a.starts[i]
        if start >= end:
            break
        text, line = a.paras[i]
        norm, pos = normalise(text)
        lo, hi = max(p.a_start, start) - start, min(end, start + len(norm)) - start
        if hi - lo < least or stock.search(norm):
            continue
        b_line = b.where(p.b_start + (start + lo - p.a_start))[1]
        return line, b_line, text[pos[lo]:pos[hi - 1] + 1]
    return None


def quotes(a: Flat, b: Flat, passages: list[Passage], stock, n: int = 3, width: int = 80) -> list[dict]:
    """What a pair's row on the summary page quotes: one paragraph of each of the `n` longest
    passages that are not stock wording; the passages as found when all of them are (the pair
    is still listed: it was found on what it shares, and the reviewer sees why)."""
    out = []
    for p in passages:
        q = quote(a, b, p, stock)
        if q is not None:
            out.append({"a_line": q[0], "b_line": q[1], "text": q[2][:width]})
            if len(out) == n:
                break
    return out or [{"a_line": p.a_line, "b_line": p.b_line, "text": p.text[:width]} for p in passages[:n]]
