"""PDF with a text layer (pypdfium2): lines in reading order, running headers, footers and page
numbers removed, wrapped lines joined back into paragraphs by their geometry (indented first
line, short last line), headings kept on lines of their own. Scans and encrypted files refused."""
from __future__ import annotations

import re
from collections import Counter
from statistics import median

from ..errors import InputError
from ..lexicon import lexicon
from ..models import Location, Source
from ..text import fold

_PAGE_NO = re.compile(r"^[-—–－_·•\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–－_·•\s]*$")
_ENDS = re.compile(r"[。！？；：!?;:」”』]$")
_EDGE = 0.08           # top and bottom share of the page where running heads and page numbers sit
_MIN_TEXT = 20         # characters: less than this in the whole file means there is no text layer


def _page_lines(page):
    """(text, left, right, top) of each line on the page, top to bottom."""
    tp = page.get_textpage()
    out = []
    for i in range(tp.count_rects()):
        left, bottom, right, top = tp.get_rect(i)
        text = tp.get_text_bounded(left, bottom, right, top).replace("\r", "").replace("\n", "").strip()
        if text:
            out.append((text, left, right, top, bottom))
    tp.close()
    # rects come in content order; sort by position, merging pieces of one visual line
    out.sort(key=lambda r: (-round(r[3] / 3), r[1]))
    merged = []
    for t in out:
        if merged and abs(merged[-1][3] - t[3]) < 3 and t[1] >= merged[-1][2] - 1:
            prev = merged[-1]
            merged[-1] = (prev[0] + t[0], prev[1], t[2], prev[3], min(prev[4], t[4]))
        else:
            merged.append(t)
    return merged


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
        raise InputError(name, f"PDF 文件已损坏或格式不支持（{e}）") from None
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
               or _ENDS.search(fold(paragraphs[-1][-1][0])) and lx.opens_structure(norm)
               or any(m.pattern.match(norm) for m in lx.headings))
        if new:
            paragraphs.append([(text, left, right, page)])
        else:
            paragraphs[-1].append((text, left, right, page))
    lines = ["".join(t for t, *_ in p) for p in paragraphs]
    locations = [Location(page=p[0][3], paragraph=i) for i, p in enumerate(paragraphs, 1)]
    return Source(path=name, format="pdf", lines=lines, locations=locations)
