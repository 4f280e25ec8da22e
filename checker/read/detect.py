"""What a file really is, from its first bytes (a .doc that is really docx, an .html saved as
.txt), and the container limits: no zip bomb, no oversized member."""
from __future__ import annotations

import io
import re
import zipfile

from ..compiled import compile_kept
from ..errors import InputError
from .xmlsafe import refuse_dtd

# zip containers (docx/odt): total and per-member uncompressed size, and compression ratio
MAX_UNZIPPED = 64 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 2000

_HTML = compile_kept(rb"<(!doctype\s+html|html|head|body|meta\s|div|p)[\s>/]", re.I)


def sniff(data: bytes, name: str) -> str:
    """txt | html | docx | odt | pdf | ole (old .doc/.wps) | zip (another zip) | unknown-binary."""
    head = data[:8]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, name)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    probe = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if _HTML.search(probe[:2048]) and (probe[:1] == b"<" or b"<body" in data[:65536].lower()):
        return "html"
    if len(data) >= 2 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")[:2048].encode("utf-8", "ignore")
            if _HTML.search(text) and text.lstrip()[:1] == b"<":
                return "html"
        except UnicodeDecodeError:
            pass
    return "txt"


def _zip_kind(data: bytes, name: str) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(name, "文件是损坏的压缩包（docx 等文件本质上是 zip），无法打开；请用 Word/WPS 重新保存") from None
    check_zip(zf, name)
    refuse_dtd(zf, name)        # before any parser, ours or LibreOffice's, reads a part
    if "word/document.xml" in names:
        return "docx"
    if "mimetype" in names and zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if "content.xml" in names:
        return "odt"
    return "zip"


def check_zip(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse what would blow up when unpacked: too many members, too large, too compressed."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(name, f"压缩包内文件过多（{len(infos)} 个），拒绝处理")
    total = 0
    for i in infos:
        total += i.file_size
        if i.file_size > MAX_UNZIPPED or total > MAX_UNZIPPED:
            raise InputError(name, f"解压后过大（超过 {MAX_UNZIPPED // 1048576} MB），疑似压缩炸弹，拒绝处理")
        if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 1024 * 1024:
            raise InputError(name, f"压缩比异常（{i.file_size // max(1, i.compress_size)} 倍），疑似压缩炸弹，拒绝处理")
