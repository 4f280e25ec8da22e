"""A request's report, read in memory: a multipart form (the page's drop zone or paste box, or
`curl -F file=@报告.docx`) or a JSON body ({text, name, profile, level}). The body is read as
it arrives and refused past the command line's size limit (checker/read/__init__.py), before
it is all in memory; the form is parsed by python-multipart with every file kept in memory, so
nothing of the request is written to disk. The file name the browser sends is a label only: it
names the result and tells the reader the format, it never reaches the file system."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..read import MAX_BINARY, MAX_BYTES, too_big
from ..safe import one_line

# multipart's boundaries and headers, and the form's small fields, on top of the file itself
_OVERHEAD = 64 * 1024
_FIELDS = ("text", "name", "profile", "level", "compare")
PASTED = "粘贴的文本.txt"
_NAME_CHARS = 120


class Refused(Exception):
    """The request cannot be used: an HTTP status and a Chinese reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Upload:
    data: bytes
    name: str
    options: dict[str, str] = field(default_factory=dict)   # profile, level, compare


def label(raw: str | bytes | None, fallback: str = "上传的报告") -> str:
    """A browser's file name made a safe label: its last path segment, no control characters,
    at most _NAME_CHARS characters with its extension kept."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    name = re.split(r"[\\/]", raw or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]", "", name).strip(" .")
    if len(name) > _NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:_NAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:_NAME_CHARS]
    return one_line(name) or fallback


async def _body(request, limit: int):
    """The body's chunks, refused (413) once more than `limit` bytes have come."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + _OVERHEAD:
        raise Refused(413, too_big(int(declared), MAX_BINARY))
    got = 0
    async for chunk in request.stream():
        got += len(chunk)
        if got > limit + _OVERHEAD:
            raise Refused(413, too_big(got, MAX_BINARY))
        yield chunk


async def read_request(request) -> Upload:
    """The report a request carries, or Refused."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        return await _form(request, ctype)
    if ctype.startswith("application/json"):
        return await _json(request)
    raise Refused(415, "请以 multipart/form-data 上传文件（字段 file），或以 JSON 提交文本（{\"text\": …}）")


async def _form(request, ctype: str) -> Upload:
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import create_form_parser

    fields: dict[str, bytes] = {}
    files: list = []
    headers = {"Content-Type": ctype.encode("latin-1", "replace")}
    config = {"MAX_MEMORY_FILE_SIZE": MAX_BINARY + _OVERHEAD + 1,      # never spilled to disk
              "MAX_FIELDS": 16, "MAX_FIELD_SIZE": MAX_BYTES + 1}
    try:
        parser = create_form_parser(headers, lambda f: fields.__setitem__(f.field_name.decode("utf-8", "replace"), f.value or b""),
                                    files.append, config=config)
        async for chunk in _body(request, MAX_BINARY):
            parser.write(chunk)
        parser.finalize()
    except (FormParserError, ValueError) as e:
        raise Refused(400, f"上传的表单格式不对，无法读取（{one_line(str(e))[:80]}）") from None
    options = {k: fields[k].decode("utf-8", "replace").strip() for k in _FIELDS if k in fields}
    upload = next((f for f in files if f.field_name == b"file" and f.size), None)
    if upload is not None:
        upload.file_object.seek(0)
        return Upload(upload.file_object.read(), label(upload.file_name), options)
    text = options.pop("text", "")
    if text.strip():
        return Upload(text.encode("utf-8"), _text_name(options.pop("name", "")), options)
    raise Refused(422, "没有收到报告：请选择或拖入一个文件，或把报告正文粘贴到文本框中")


async def _json(request) -> Upload:
    body = b"".join([c async for c in _body(request, MAX_BYTES)])
    try:
        got = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, "请求的 JSON 格式不对，无法读取") from None
    if not isinstance(got, dict) or not isinstance(got.get("text"), str) or not got["text"].strip():
        raise Refused(422, "JSON 中应有字段 text（报告正文，字符串），可带 name、profile、level")
    options = {k: str(got[k]).strip() for k in ("profile", "level") if got.get(k) not in (None, "")}
    return Upload(got["text"].encode("utf-8"), _text_name(got.get("name")), options)


def _text_name(name) -> str:
    """A pasted text's name: the one given (a .txt, whatever it says), else 粘贴的文本.txt."""
    given = label(str(name), "") if name else ""
    if not given:
        return PASTED
    return given if given.lower().endswith(".txt") else given + ".txt"
