"""Readers: one module per format, each turning a file into a Source (lines + map to the original)."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Source
from . import txt

# Largest input accepted: a real report is 10–60 KB of text; 4 MB is a hundred of them.
MAX_BYTES = 4 * 1024 * 1024

READERS = {"txt": txt.read}


def read_path(path: str | Path) -> Source:
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "文件不存在")
    if p.is_dir():
        raise InputError(str(path), "这是一个文件夹，不是报告文件（可用通配符指定其中的文件，如 文件夹/*.txt）")
    if not p.is_file():
        # a pipe or a device would block or never end
        raise InputError(str(path), "不是普通文件（管道、设备等无法作为报告读取）")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), _too_big(size))
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)       # the file may have grown since stat()
        if len(data) > MAX_BYTES:
            raise InputError(str(path), _too_big(len(data)))
    except PermissionError:
        raise InputError(str(path), "没有读取权限") from None
    except OSError as e:
        raise InputError(str(path), f"无法读取：{e.strerror or e}") from None
    return read_bytes(data, str(path))


def _too_big(size: int) -> str:
    return f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB），不像一份年度报告"


def read_bytes(data: bytes, name: str) -> Source:
    return READERS["txt"](data, name)
