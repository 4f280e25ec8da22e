"""Reports that share long passages: another unit's report, or the unit's own of last year.

Scales to tens of thousands of reports without comparing every pair: each paragraph gets a
small MinHash signature (one-permutation hashing, 16 bins, over 8-character shingles), cut into
4 bands; only reports that share a band are candidates, found by the state database, and only
candidates are compared passage by passage. Passages shared by very many reports (a template's
boilerplate) are left out of the candidate search."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

SHINGLE = 8
BINS = 16
ROWS = 4                  # bins per band; BINS // ROWS bands
MIN_CHUNK = 60            # characters of text a paragraph needs to be signed
_EMPTY = 1 << 40


_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


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


CANDIDATES = """
WITH common AS (SELECT hash FROM bands GROUP BY hash HAVING COUNT(DISTINCT report) > :cap)
SELECT a.report, b.report, COUNT(DISTINCT a.chunk) AS shared
FROM bands a JOIN bands b ON a.hash = b.hash AND a.report < b.report
WHERE a.hash NOT IN (SELECT hash FROM common)
GROUP BY a.report, b.report HAVING shared >= :hits
"""


def candidates(db, n_reports: int, hits: int = 1) -> list[tuple[int, int]]:
    cap = max(50, n_reports // 20)
    return [(a, b) for a, b, _ in db.execute(CANDIDATES, {"cap": cap, "hits": hits})]


@dataclass
class Passage:
    a_line: int
    b_line: int
    text: str
    length: int


def shared_passages(a_paras, b_paras, min_len: int = 40, k: int = 12) -> tuple[list[Passage], int, int, int]:
    """Passages of at least `min_len` characters found in both; (passages, shared, len a, len b).

    a_paras, b_paras: (text, line) of each paragraph."""
    def flatten(paras):
        chars, where = [], []
        for text, line in paras:
            norm, pos = normalise(text)
            chars.append(norm)
            where.extend((line, text, p) for p in pos)
        return "".join(chars), where

    a, wa = flatten(a_paras)
    b, wb = flatten(b_paras)
    index: dict[str, int] = {}
    for j in range(len(b) - k + 1):
        index.setdefault(b[j:j + k], j)
    out, shared, i = [], 0, 0
    while i <= len(a) - k:
        j = index.get(a[i:i + k])
        if j is None:
            i += 1
            continue
        n = k
        while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
            n += 1
        if n >= min_len:
            line, text, start = wa[i]
            _, _, end = wa[i + n - 1] if wa[i + n - 1][0] == line else (None, None, len(text))
            out.append(Passage(a_line=line, b_line=wb[j][0], text=text[start:end + 1], length=n))
            shared += n
        i += n
    return sorted(out, key=lambda p: -p.length), shared, len(a), len(b)
