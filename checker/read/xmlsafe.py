"""Every XML part of a zip package (docx, odt) looked at before any parser reads it: one that
declares a DTD is refused. Word and LibreOffice never write one; a DTD is how external entities
(XXE: a local file read into the document) and entity expansion bombs get in.

Whatever a member is called — the main part may be named word/document.dat and declared in
[Content_Types].xml — what counts is whether it is XML. A DTD can only stand in the prolog,
before the root element, so only the prolog is scanned: past the XML declaration, comments,
processing instructions and white space, however long, up to the first element or <!DOCTYPE>."""
from __future__ import annotations

import codecs
import zipfile
import zlib

from ..compiled import compile_kept
from ..errors import InputError

_FIRST = 65536                  # bytes read of a member before deciding whether more is needed

# Encodings whose bytes for < ! ? - and ASCII letters are ASCII's: scanned as Latin-1
_ASCII_LIKE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1", "gb2312", "gbk",
               "gb18030", "big5", "windows-1252", "cp1252", "shift_jis", "euc-jp", "euc-kr"}
_ENCODING = compile_kept(r"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _text(head: bytes) -> str | None:
    """The start of a member as text, if it can be XML; None when it is not (an image)."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF8, "latin-1"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):]
            break
    else:                                # no BOM: where the NULs are says the width
        if head[1:4] == b"\0\0\0":
            enc = "utf-32-le"
        elif head[:3] == b"\0\0\0":
            enc = "utf-32-be"
        elif head[1:2] == b"\0":
            enc = "utf-16-le"
        elif head[:1] == b"\0":
            enc = "utf-16-be"
        else:
            enc = "latin-1"
    text = head.decode(enc, "replace")
    return text if text.lstrip()[:1] == "<" else None


def _prolog_dtd(text: str) -> bool | None:
    """True: a <!DOCTYPE> before the root element; False: the root element came first;
    None: the text ended inside the prolog (more of the member is needed)."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            return None
        if text.startswith("<?", i):
            j, end = text.find("?>", i + 2), 2
        elif text.startswith("<!--", i):
            j, end = text.find("-->", i + 4), 3
        elif text.startswith("<!", i):
            return True                  # <!DOCTYPE, or anything else a prolog cannot hold
        elif text.startswith("<", i) and text[i + 1:i + 2] not in ("", "!", "?"):
            return False                 # the root element
        elif text.startswith("<", i) and i + 1 >= n:
            return None
        else:
            return False                 # not XML: no parser will read a DTD from it
        if j < 0:
            return None
        i = j + end


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bool:
    with zf.open(info) as fh:
        head = fh.read(_FIRST)
        text = _text(head)
        if text is None:
            return False
        m = _ENCODING.match(text.lstrip())
        if m and m.group(1).lower() not in _ASCII_LIKE and not m.group(1).lower().startswith(("utf-16", "utf-32")):
            # an encoding in which 「<!DOCTYPE」 is other bytes (UTF-7, EBCDIC) would hide one
            raise InputError(name, f"文档内部文件 {info.filename} 使用了不常见的编码（{m.group(1)}），"
                                   "可能被恶意构造，拒绝处理；请用 Word/WPS 重新保存")
        found = _prolog_dtd(text)
        if found is None and len(head) == _FIRST:          # a long prolog: read the member whole
            found = _prolog_dtd(_text(head + fh.read()) or "")
    return bool(found)


def refuse_dtd(zf: zipfile.ZipFile, name: str) -> None:
    """InputError naming the first member that declares a DTD (or entities)."""
    for info in zf.infolist():
        if info.is_dir():
            continue
        try:
            dtd = _declares_dtd(zf, info, name)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError, zlib.error):
            # a bad checksum, an unknown compression method, a password
            raise InputError(name, f"文档内部文件 {info.filename} 无法解压（已损坏或加密），"
                                   "请用 Word/WPS 重新保存") from None
        if dtd:
            raise InputError(name, f"文档内部文件 {info.filename} 含有 DTD/实体声明（<!DOCTYPE>），"
                                   "可能被恶意构造，拒绝处理")
