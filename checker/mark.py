"""The mark every file fzcheck writes carries, and how to know such a file again.

A results folder sits next to the reports more often than not: an audit of the folder must not
read last week's 检查结果 or 核查清单 as more reports (three reports counted as nine, the result
pages of one report found to be copies of each other), and `check` given a result by mistake
must say so rather than check it. Each format carries the mark where a reader looks first or
last, so recognising it reads at most a few KB of a file:

- terminal text, Markdown (result and checklist): a last line 「由 fzcheck 0.1.0 生成 …」,
  visible, plain text (Markdown output carries no raw HTML);
- HTML (result, checklist, audit summary): <meta name="generator" content="fzcheck"> in <head>;
- JSON: the contract's first member, "tool": {"name": "fzcheck", …};
- Word (checklist): the document's keywords (docProps/core.xml), 「由 fzcheck 0.1.0 生成」."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from . import __version__
from .compiled import compile_kept

TEXT = f"由 fzcheck {__version__} 生成"            # any version: a result of an older fzcheck is one too
HTML_META = b'<meta name="generator" content="fzcheck">'

# the version as printed; a Markdown escape may have put backslashes before its dots
_TEXT = compile_kept(r"由 fzcheck [0-9A-Za-z.+\\-]{1,24} 生成".encode())
_JSON = compile_kept(rb'\A(?:\xef\xbb\xbf)?\s*\[?\s*\{\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"fzcheck"')
HEAD, TAIL = 2048, 1024                            # where the marks are; a file is never read further
_CORE = "docProps/core.xml"
_CORE_MAX = 64 * 1024                              # a core.xml is ~1 KB; a larger one is no mark of ours
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".json", ""}


def _marked(head: bytes, tail: bytes) -> bool:
    return (HTML_META in head or _JSON.search(head) is not None
            or _TEXT.search(tail) is not None or _TEXT.search(head) is not None)


def _docx_marked(zf: zipfile.ZipFile) -> bool:
    try:
        info = zf.getinfo(_CORE)
    except KeyError:
        return False
    if info.file_size > _CORE_MAX:
        return False
    with zf.open(info) as fh:
        return _TEXT.search(fh.read(_CORE_MAX)) is not None


def generated_data(data: bytes, kind: str) -> bool:
    """Whether bytes already read (as `kind`, what read.detect.sniff found) are an fzcheck output."""
    if kind == "docx":
        try:
            return _docx_marked(zipfile.ZipFile(io.BytesIO(data)))
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    if kind in ("txt", "html"):
        return _marked(data[:HEAD], data[-TAIL:])
    return False


def generated(path: Path) -> bool:
    """Whether the file at `path` is an fzcheck output, from its first and last KB (a Word file:
    its core properties). A file that cannot be read is not known to be one (False)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            with zipfile.ZipFile(path) as zf:
                return _docx_marked(zf)
        if suffix not in _TEXT_SUFFIXES:
            return False
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
            size = fh.seek(0, 2)
            if size <= HEAD:
                return _marked(head, head)
            fh.seek(size - TAIL)
            return _marked(head, fh.read(TAIL))
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
