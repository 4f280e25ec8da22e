"""Plain text: detect the encoding (BOM, UTF-8, UTF-16, GB18030, then charset-normalizer),
refuse binary data, split into lines exactly as an editor numbers them."""
from __future__ import annotations

import codecs
from pathlib import Path

from ..compiled import compile_kept
from ..errors import InputError
from ..models import Removed, Source

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),   # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# Controls (but tab, newlines, form feed), private use and lone surrogates: what binary data
# decoded as text is full of, and real text almost never holds.
_JUNK = compile_kept("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufffe\uffff]")


def _plausible(text: str) -> bool:
    """Decoded bytes that are really text: almost no control or private-use characters.

    GB18030 accepts many byte sequences, so a binary file can decode without error; what comes
    out is then full of controls and rare code points, which this catches.
    """
    sample = text[:20000]
    return len(_JUNK.findall(sample)) <= max(2, len(sample) // 200)


_TEXTLIKE = compile_kept("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\n\r\t\u2010-\u2027]")


def _textlike(text: str) -> float:
    """Share of characters a Chinese report is made of (CJK, ASCII, CJK punctuation)."""
    sample = text[:20000]
    return len(_TEXTLIKE.findall(sample)) / max(1, len(sample))


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM: both byte orders tried, the one that reads as Chinese text wins.

    NUL bytes give it away (every newline and ASCII character carries one), but CJK code units
    mostly carry none, so NULs only say "maybe"; the decoded text decides. With no NUL at all it
    is not UTF-16: a short UTF-8 line of digits pairs up into 〰 and ਰ that look like text."""
    if len(data) < 4 or len(data) % 2 or data.count(0) < max(1, len(data) // 50):
        return None
    best = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _textlike(text)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, enc, text)
    return (best[1], best[2]) if best else None


def decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(enc.replace("-sig", ""))
            except UnicodeDecodeError:
                raise InputError(name, f"文件以 {enc.upper()} 标记开头，但内容无法按该编码解码，文件可能已损坏") from None
            if enc == "utf-8-sig" and _few_nuls(data):
                text = text.replace("\x00", "")     # read() notes where they were
            if not _plausible(text):
                raise InputError(name, "文件含有大量控制字符，不是文本文件")
            return text, enc
    guessed = _utf16_without_bom(data)
    if guessed:
        enc, text = guessed
        if _plausible(text):
            return text, enc
    if b"\x00" in data:
        if not _few_nuls(data):
            raise InputError(name, _binary_message(name))
        data = data.replace(b"\x00", b"")    # read() notes where they were
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, enc
    # UTF-8 with a few damaged bytes (a cut-off copy): read it, the damage shows as �
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= max(3, len(text) // 5000) and _plausible(text) and _textlike(text) >= 0.9:
        return text, "utf-8（含损坏字节）"
    from charset_normalizer import from_bytes   # only for the rare file neither UTF-8 nor GB

    best = from_bytes(data).best()
    if best is not None:
        text = str(best)
        if _plausible(text):
            return text, best.encoding
    if Path(str(name)).suffix.lower() in _CLAIMED:
        # a damaged .docx/.pdf reaches here when it has few NUL bytes: say what it claimed to be
        raise InputError(name, _binary_message(name))
    raise InputError(name, "无法识别文本编码，或这不是文本文件；请另存为 UTF-8 或 GB18030 编码的文本")


def split_lines(text: str) -> list[str]:
    """Lines as editors number them: CRLF, CR and LF all end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _few_nuls(data: bytes) -> bool:
    """NUL bytes a text file may carry and still be read (dropped, and noted as removed): a few
    stray ones (rules/limits.yaml) and any run of them at the end."""
    from ..limits import limits
    return data.rstrip(b"\x00").count(0) <= limits().text.stray_nuls


def _nuls(data: bytes, enc: str) -> list[Removed]:
    """Where the NUL bytes that decode() dropped were, one entry per line holding some."""
    if b"\x00" not in data or enc.startswith(("utf-16", "utf-32")):
        return []
    body = data.rstrip(b"\x00")
    per_line: dict[int, int] = {}
    at = body.find(0)
    while at >= 0:
        # a line break byte is never part of a UTF-8 or GB18030 character: count them as is
        no = len(split_lines(body[:at].decode("latin-1")))
        per_line[no] = per_line.get(no, 0) + 1
        at = body.find(0, at + 1)
    out = [Removed(line=no, text=f"NUL 空字符 {n} 个（已删去）", kind="control", pattern="nul")
           for no, n in per_line.items()]
    if len(body) < len(data):
        last = len(split_lines(body.decode("latin-1")))
        out.append(Removed(line=last, text=f"文件末尾的 NUL 空字符 {len(data) - len(body)} 个（已删去）",
                           kind="control", pattern="nul-padding"))
    return out


def read(data: bytes, name: str) -> Source:
    if not data.strip():
        raise InputError(name, "文件为空")
    text, enc = decode(data, name)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError(name, "文件没有文字内容")
    return Source(path=name, format="txt", encoding=enc, lines=split_lines(text), removed=_nuls(data, enc))


# what a binary file claiming one of these extensions should have been
_CLAIMED = {".docx": "Word 文档", ".doc": "Word 文档", ".wps": "WPS 文档", ".odt": "ODF 文档",
            ".pdf": "PDF 文件", ".xlsx": "Excel 表格"}


def _binary_message(name: str) -> str:
    ext = Path(str(name)).suffix.lower()
    if ext in _CLAIMED:
        return f"扩展名是 {ext}，但内容不是有效的 {_CLAIMED[ext]}，文件可能已损坏或没有下载完整；请向报送单位重新索取"
    return "这是二进制文件，不是文本报告（如为 Word/PDF，请确认扩展名正确）"
