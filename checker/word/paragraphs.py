"""A .docx opened for writing back into it, its paragraphs numbered as the reader numbered them
(checker/read/docx.blocks), so the paragraph a finding names is the one marked; and a new .docx
of a plain text, one paragraph per line, for inputs that are not .docx."""
from __future__ import annotations

import io

from ..read.docx import blocks
from ..read.wordnumbering import W


def open_docx(data: bytes):
    """The python-docx Document of these bytes (python-docx is imported here, by the commands
    that write Word files, never by a check)."""
    import docx
    return docx.Document(io.BytesIO(data))


def numbered(document) -> dict[int, list]:
    """Paragraph number (Location.paragraph) → the w:p elements it stands for: one for a
    paragraph, a row's paragraphs for a table row of several cells."""
    out: dict[int, list] = {}
    for n, (unit, el, _table) in enumerate(blocks(document.element.body), 1):
        out[n] = [el] if unit == "p" else list(el.iter(f"{W}p"))
    return out


def text_docx(lines: list[str]) -> bytes:
    """A .docx of the text, line i → paragraph i (the reader numbers them alike), in the body
    font of GB/T 9704 so that the copy reads like a 公文."""
    from docx.oxml.ns import qn
    from docx.shared import Pt
    document = empty_docx()
    normal = document.styles["Normal"]
    normal.font.name = "FangSong"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    for line in lines:
        document.add_paragraph(xml_text(line))
    return save(document)


def empty_docx():
    """python-docx's template without its empty first paragraph, so that paragraph i of what is
    added is paragraph i of the file (the reader's numbering)."""
    import docx
    from docx.oxml.ns import qn
    document = docx.Document()
    body = document.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return document


def xml_text(text: str) -> str:
    """The text with the characters XML 1.0 cannot hold removed (a report's stray control
    characters): lxml refuses them, and a Word file with one is broken."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
                   or ch >= "\U00010000")


def save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
