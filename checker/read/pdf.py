"""PDF with a text layer (pypdfium2): lines in reading order, running headers, footers and page
numbers removed, wrapped lines joined back into paragraphs by their geometry (indented first
line, short last line), headings kept on lines of their own. Scans and encrypted files refused."""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from statistics import median
from typing import NamedTuple

from ..compiled import compile_kept
from ..errors import InputError
from ..lexicon import lexicon
from ..models import Location, Source
from ..text import fold

_PAGE_NO = compile_kept(r"^[-—–－_·•\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_·•\s]*$")
_ENDS = compile_kept(r"[。！？；：!?;:」”』]$")
_EDGE = 0.08           # top and bottom share of the page where running heads and page numbers sit
_MIN_TEXT = 20         # characters: less than this in the whole file means there is no text layer
_SPACE_BY_CJK = compile_kept(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


class _Piece(NamedTuple):
    """One line of pdfium's text, with its box and its characters' index range."""
    text: str
    left: float
    right: float
    top: float
    bottom: float
    first: int
    last: int
    in_order: bool     # its text objects follow each other left to right


def _follow(a_right: float, b_left: float, height: float) -> bool:
    """Whether something starting at `b_left` comes after something ending at `a_right`."""
    return b_left >= a_right - 0.3 * height


def _text_index_to_char(tp, raw, index: int, step: int, stop: int) -> int:
    """Char index of text index `index`, or of the nearest mapped one towards `stop`."""
    while True:
        i = raw.FPDFText_GetCharIndexFromTextIndex(tp, index)
        if i >= 0 or index == stop:
            return i
        index += step


def _without_inferred_spaces(tp, raw, seg: str, start: int) -> str:
    """`seg` (pdfium text from text index `start`) without the spaces pdfium inferred from a gap
    beside Chinese text: the room Word and LibreOffice leave between Chinese and Latin script
    (「2024 年」), a justified line's spacing. Spaces that are characters in the file stay."""
    cut = set()
    for m in _SPACE_BY_CJK.finditer(seg):
        i = raw.FPDFText_GetCharIndexFromTextIndex(tp, start + len(seg[: m.start()].encode("utf-16-le")) // 2)
        if i >= 0 and raw.FPDFText_IsGenerated(tp, i) == 1:
            cut.add(m.start())
    return "".join(ch for k, ch in enumerate(seg) if k not in cut) if cut else seg


def _page_lines(page):
    """(text, left, right, top, bottom) of each visual line on the page, top to bottom.

    The text is pdfium's own (get_text_range): characters in content order, a CRLF where the
    writing moves to another line, spaces inferred from gaps (but not beside Chinese text).
    Pieces in another font (digits in a Latin font, with another ascent and size) stay in their
    place, which sorting pieces by their top edge did not do. Each pdfium line gets its box from
    the text rectangles (one per text object) of its characters, for the running-head, indent
    and line-length geometry in read(). Pdfium lines that share a visual line (content drawn
    out of order, a fragment on a shifted baseline) are put together by vertical overlap, left
    to right; where text objects on a line interleave (LibreOffice draws all of a line's 「“”」
    in one object after the Chinese), the line's characters are put in order one by one."""
    import pypdfium2.raw as raw
    tp = page.get_textpage()
    try:
        text = tp.get_text_range()
        pieces = []
        pos = 0                                    # in UTF-16 units, as pdfium counts its text
        for seg in text.split("\r\n"):
            start = pos
            pos += len(seg.encode("utf-16-le")) // 2 + 2
            if not seg.strip():
                continue
            end = pos - 3
            first = _text_index_to_char(tp, raw, start, 1, end)
            last = _text_index_to_char(tp, raw, end, -1, start)
            if first < 0 or last < first:
                continue
            rects = [tp.get_rect(i) for i in range(tp.count_rects(first, last - first + 1))]
            if not rects:
                continue
            in_order = all(_follow(a[2], b[0], a[3] - a[1]) for a, b in zip(rects, rects[1:]))
            seg = (_without_inferred_spaces(tp, raw, seg, start) if " " in seg else seg).strip()
            pieces.append(_Piece(seg, min(r[0] for r in rects), max(r[2] for r in rects),
                                 max(r[3] for r in rects), min(r[1] for r in rects), first, last, in_order))
        return [_line(tp, raw, members) for members in _visual_lines(pieces)]
    finally:
        tp.close()


def _visual_lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces grouped into lines, top to bottom: a piece joins the line above when they overlap
    vertically by half the lower one's height or more (not by their top edges, which differ
    between fonts and sizes)."""
    pieces.sort(key=lambda p: -(p.top + p.bottom))     # by vertical centre, top of the page first
    groups = []                                        # [bottom, top, pieces]
    for p in pieces:
        if groups:
            g = groups[-1]
            overlap = min(p.top, g[1]) - max(p.bottom, g[0])
            if overlap > 0 and overlap >= 0.5 * min(p.top - p.bottom, g[1] - g[0]):
                g[0], g[1] = min(g[0], p.bottom), max(g[1], p.top)
                g[2].append(p)
                continue
        groups.append([p.bottom, p.top, [p]])
    return [members for _, _, members in groups]


def _line(tp, raw, members: list[_Piece]):
    """(text, left, right, top, bottom) of one visual line from its pieces, left to right."""
    members.sort(key=lambda p: p.left)
    box = (members[0].left, max(p.right for p in members), max(p.top for p in members),
           min(p.bottom for p in members))
    if all(p.in_order for p in members) and all(
            _follow(a.right, b.left, a.top - a.bottom) for a, b in zip(members, members[1:])):
        return ("".join(p.text for p in members), *box)
    chars = []            # text objects interleave: the line's own characters, by position
    for p in members:
        for i in range(p.first, p.last + 1):
            if raw.FPDFText_IsGenerated(tp, i) == 1:
                continue
            u = raw.FPDFText_GetUnicode(tp, i)
            left, right, bottom, top = (ctypes.c_double() for _ in range(4))
            if u not in (0, 10, 13) and raw.FPDFText_GetCharBox(tp, i, left, right, bottom, top):
                chars.append((left.value, chr(u)))
    chars.sort(key=lambda c: c[0])
    return ("".join(c for _, c in chars).strip(), *box)


def read(data: bytes, name: str) -> Source:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise InputError(name, "读取 PDF 需要 pypdfium2：pip install pypdfium2") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise InputError(name, "PDF 已加密（需要密码），无法读取；请提供未加密的文件") from None
        raise InputError(name, "PDF 文件已损坏、不完整或格式不支持；请用 PDF 阅读器打开确认，或向报送单位重新索取") from None
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            height = page.get_height()
            pages.append((_page_lines(page), height))
            page.close()
    finally:
        pdf.close()
    if sum(len(t) for lines, _ in pages for t, *_ in lines) < _MIN_TEXT:
        raise InputError(name, "PDF 没有文字层（可能是扫描件或图片），无法检查；请先做文字识别（OCR）后另存为带文字的 PDF 或 Word")

    # running heads and feet: the same text (digits aside) at the page edge on many pages
    edge_texts = Counter()
    for lines, height in pages:
        for text, _, _, top, bottom in lines:
            if top > height * (1 - _EDGE) or bottom < height * _EDGE:
                edge_texts[re.sub(r"\d+", "#", text)] += 1
    repeated = {t for t, n in edge_texts.items() if n >= 2 and n >= len(pages) * 0.5}

    rows = []          # (text, left, right, page)
    for no, (lines, height) in enumerate(pages, 1):
        for text, left, right, top, bottom in lines:
            at_edge = top > height * (1 - _EDGE) or bottom < height * _EDGE
            if at_edge and (re.sub(r"\d+", "#", text) in repeated or _PAGE_NO.match(text)):
                continue
            rows.append((text, left, right, no))
    if not rows:
        raise InputError(name, "PDF 没有正文文字")

    lefts = [r[1] for r in rows]
    rights = [r[2] for r in rows]
    left_margin = median(sorted(lefts)[: max(1, len(lefts) // 4)])
    right_margin = sorted(rights)[int(len(rights) * 0.9)]
    char = median((r[2] - r[1]) / max(1, len(r[0])) for r in rows if len(r[0]) >= 4) or 10

    lx = lexicon()
    paragraphs: list[list] = []
    for text, left, right, page in rows:
        norm = fold(text)
        new = (not paragraphs
               or left - left_margin > 1.2 * char                       # indented first line
               or paragraphs[-1][-1][2] < right_margin - 1.5 * char     # previous line ended short
               # a heading after a finished sentence; a full line running on into a line that
               # opens 「一，个别…」 or 「（1）…」 is the same paragraph wrapped, not a heading
               or _ENDS.search(fold(paragraphs[-1][-1][0]))
               and (lx.opens_structure(norm) or any(m.pattern.match(norm) for m in lx.headings)))
        if new:
            paragraphs.append([(text, left, right, page)])
        else:
            paragraphs[-1].append((text, left, right, page))
    lines = ["".join(t for t, *_ in p) for p in paragraphs]
    locations = [Location(page=p[0][3], paragraph=i) for i, p in enumerate(paragraphs, 1)]
    return Source(path=name, format="pdf", lines=lines, locations=locations)
