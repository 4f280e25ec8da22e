"""A request's report, read in memory: a multipart form (the page's drop zone or paste box, or
`curl -F file=@报告.docx`) or a JSON body ({text, name, profile, level}). The body is read as
it arrives and refused past the command line's size limit (checker/read/__init__.py), before
it is all in memory; the form is parsed by python-multipart with every file kept in memory, so
nothing of the request is written to disk. The file name the browser sends is a label only: it
names the result and tells the reader the format, it never reaches the file system."""
from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field

from starlette.requests import ClientDisconnect

from ..read import MAX_BINARY, MAX_BYTES, too_big
from ..safe import UNSAFE, one_line

# multipart's boundaries and headers, and the form's small fields, on top of the file itself
_OVERHEAD = 64 * 1024
# a JSON body may write its text as \uXXXX escapes (json.dumps does): six bytes a character, so
# the body may be larger than the text; the text itself is held to MAX_BYTES by the reader
_JSON_BODY = MAX_BINARY
_FIELDS = ("text", "name", "profile", "level", "compare")
_PARTS = 16             # the page's form has seven
PASTED = "粘贴的文本.txt"
_NAME_CHARS = 120
# seconds a body may take to arrive: a sender that trickles a byte a second must not hold one of
# the server's few places for ever
BODY_SECONDS = 120
# and after the first seconds at least this many bytes a second on average (a 40 MB upload over
# an office network takes a few seconds; one byte every few seconds is an attack)
_SLOW_AFTER, _MIN_RATE = 10.0, 32 * 1024


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
    pasted: bool = False                                    # a text from the paste box (or JSON)
    pasted_name: str = ""                                   # the name typed for it, as typed


def label(raw: str | bytes | None, fallback: str = "上传的报告") -> str:
    """A browser's file name made a safe label: its last path segment, without the characters
    that must never reach an output (checker/safe.py), at most _NAME_CHARS characters with its
    extension kept."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    name = UNSAFE.sub("", re.split(r"[\\/]", raw or "")[-1]).strip()
    if len(name) > _NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:_NAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:_NAME_CHARS]
    return one_line(name) or fallback


async def _body(request, limit: int, shown: int):
    """The body's chunks, refused (413, said against the limit `shown`) once more than `limit`
    bytes have come."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(413, too_big(int(declared), shown))
    got = 0
    loop = asyncio.get_running_loop()
    began = loop.time()
    async for chunk in request.stream():
        got += len(chunk)
        if got > limit:
            raise Refused(413, too_big(got, shown))
        took = loop.time() - began
        if took > _SLOW_AFTER and got < took * _MIN_RATE:
            # a sender trickling its body holds one of the server's few places: let it go
            raise Refused(408, "上传速度过慢，已放弃；请检查网络后重试")
        yield chunk


async def _whole(request, limit: int, shown: int) -> bytes:
    return b"".join([c async for c in _body(request, limit, shown)])


async def read_request(request) -> Upload:
    """The report a request carries, or Refused (the body taking longer than BODY_SECONDS too)."""
    ctype = request.headers.get("content-type", "")
    try:
        async with asyncio.timeout(BODY_SECONDS):
            if ctype.startswith("multipart/form-data"):
                return await _form(request, ctype)
            if ctype.startswith("application/x-www-form-urlencoded"):
                return await _fields(request)           # a pasted text without a file (curl -d text=…)
            if ctype.startswith("application/json"):
                return await _json(request)
    except TimeoutError:
        raise Refused(408, f"上传超过 {BODY_SECONDS} 秒仍未完成，已放弃；请检查网络后重试") from None
    except ClientDisconnect:
        # the browser went away mid-upload: nobody reads the answer (499, nginx's 「client closed」)
        raise Refused(499, "上传中途断开") from None
    raise Refused(415, "请以 multipart/form-data 上传文件（字段 file），或以表单字段 text、JSON（{\"text\": …}）提交正文")


async def _form(request, ctype: str) -> Upload:
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import create_form_parser

    fields: dict[str, str] = {}
    files: list = []
    parts = [0]

    def counted():
        # python-multipart's MAX_FIELDS holds for urlencoded bodies only: the parts are counted here
        parts[0] += 1
        if parts[0] > _PARTS:
            raise Refused(400, f"上传的表单有 {parts[0]} 个以上的部分，不是本页的表单")

    def on_field(f):
        counted()
        name = f.field_name.decode("utf-8", "replace")
        if name in _FIELDS:                         # others are not kept
            fields[name] = (f.value or b"").decode("utf-8", "replace")

    def on_file(f):
        counted()
        files.append(f)

    headers = {"Content-Type": ctype.encode("latin-1", "replace")}
    # every part in memory (never spilled to a temporary file): the body is bounded below
    config = {"MAX_MEMORY_FILE_SIZE": MAX_BINARY + _OVERHEAD + 1}
    try:
        parser = create_form_parser(headers, on_field, on_file, config=config)
        async for chunk in _body(request, MAX_BINARY + _OVERHEAD, MAX_BINARY):
            parser.write(chunk)
        parser.finalize()
    except (FormParserError, ValueError) as e:
        raise Refused(400, f"上传的表单格式不对，无法读取（{one_line(str(e))[:80]}）") from None
    upload = next((f for f in files if f.field_name == b"file" and (f.size or f.file_name)), None)
    if upload is None:
        return _pasted(fields)
    data = upload.file_object.getvalue()        # the buffer itself, not a second copy of it
    for f in files:                             # the parser's objects hold each other: let go now
        f.close()
    if len(data) > MAX_BINARY:
        raise Refused(413, too_big(len(data), MAX_BINARY))
    # an empty file goes to the reader, which says 「文件为空」 as for the command line
    return Upload(data, label(upload.file_name), _options(fields))


async def _fields(request) -> Upload:
    from urllib.parse import parse_qsl
    body = await _whole(request, MAX_BINARY, MAX_BYTES)
    try:
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=16, encoding="utf-8")
    except ValueError:
        raise Refused(400, "上传的表单格式不对，无法读取（字段过多）") from None
    return _pasted(dict(pairs))


def _options(fields: dict[str, str]) -> dict[str, str]:
    return {k: fields[k].strip() for k in ("profile", "level", "compare") if k in fields}


def _text(text: str) -> bytes:
    """A pasted text as the bytes the reader gets; refused here when it is past the reader's
    limit, before it is sent to a worker."""
    data = text.encode("utf-8", "replace")
    if len(data) > MAX_BYTES:
        raise Refused(413, too_big(len(data), MAX_BYTES))
    return data


def _pasted(fields: dict[str, str]) -> Upload:
    """A form's pasted text (no file came)."""
    text, typed = fields.get("text", ""), fields.get("name", "").strip()
    if text.strip():
        return Upload(_text(text), _text_name(typed), _options(fields), pasted=True, pasted_name=typed)
    raise Refused(422, "没有收到报告：请选择或拖入一个文件，或把报告正文粘贴到文本框中")


async def _json(request) -> Upload:
    body = await _whole(request, _JSON_BODY, MAX_BYTES)
    try:
        got = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Refused(400, "请求的 JSON 格式不对，无法读取") from None
    if not isinstance(got, dict) or not isinstance(got.get("text"), str) or not got["text"].strip():
        raise Refused(422, "JSON 中应有字段 text（报告正文，字符串），可带 name、profile、level")
    for k in ("name", "profile", "level"):
        if got.get(k) is not None and not isinstance(got[k], str):
            raise Refused(422, f"JSON 字段 {k} 应为字符串")
    options = {k: got[k].strip() for k in ("profile", "level") if got.get(k)}
    return Upload(_text(got["text"]), _text_name(got.get("name")), options, pasted=True,
                  pasted_name=(got.get("name") or "").strip())


def _text_name(name: str | None) -> str:
    """A pasted text's name: the one given (a .txt, whatever it says), else 粘贴的文本.txt. A
    slash in it is part of the name (「初稿/修改版」), not a folder."""
    given = label(name.replace("/", "／").replace("\\", "＼"), "") if name else ""
    if not given:
        return PASTED
    return given if given.lower().endswith(".txt") else given + ".txt"
