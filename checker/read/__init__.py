"""Readers: one module per format, each turning a file into a Source (lines + map to the original)."""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Source
from . import txt

# Largest input accepted; a real report is 10–60 KB of text.
MAX_BYTES = 20 * 1024 * 1024

READERS = {"txt": txt.read}


def read_path(path: str | Path) -> Source:
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "文件不存在")
    if p.is_dir():
        raise InputError(str(path), "这是一个文件夹，不是报告文件（批量检查请用 fzcheck audit）")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_BYTES // 1048576} MB），不像一份年度报告")
        with p.open("rb") as fh:
            data = fh.read()
    except PermissionError:
        raise InputError(str(path), "没有读取权限") from None
    except OSError as e:
        raise InputError(str(path), f"无法读取：{e.strerror or e}") from None
    return read_bytes(data, str(path))


def read_bytes(data: bytes, name: str) -> Source:
    return READERS["txt"](data, name)
