"""Reading back what fzcheck wrote into a .docx: each comment's text and the words its range
covers, and the tracked changes (w:ins / w:del with their author)."""
from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return etree.fromstring(zf.read("word/document.xml"))


def anchored(data: bytes) -> dict[str, str]:
    """Comment id → the text between its commentRangeStart and commentRangeEnd (deleted text out)."""
    root = _document(data)
    open_ids: set[str] = set()
    out: dict[str, list[str]] = {}
    for el in root.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids.add(el.get(f"{W}id"))
            out.setdefault(el.get(f"{W}id"), [])
        elif el.tag == f"{W}commentRangeEnd":
            open_ids.discard(el.get(f"{W}id"))
        elif el.tag == f"{W}t" and not any(a.tag == f"{W}del" for a in el.iterancestors()):
            for i in open_ids:
                out[i].append(el.text or "")
    return {k: "".join(v) for k, v in out.items()}


def comments(data: bytes) -> dict[str, tuple[str, str]]:
    """Comment id → (author, text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/comments.xml"))
    return {c.get(f"{W}id"): (c.get(f"{W}author"), "\n".join("".join(t.text or "" for t in p.iter(f"{W}t"))
                                                              for p in c.iter(f"{W}p")))
            for c in root.iter(f"{W}comment")}


def tracked(data: bytes) -> list[tuple[str, str, str]]:
    """(ins|del, author, text) of every tracked change, in document order."""
    out = []
    for el in _document(data).iter(f"{W}ins", f"{W}del"):
        text = "".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText"))
        out.append(("ins" if el.tag == f"{W}ins" else "del", el.get(f"{W}author"), text))
    return out
