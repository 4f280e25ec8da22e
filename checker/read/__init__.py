"""Readers: one module per format, each turning a file into a Source (lines + map to the original)."""
from __future__ import annotations

import os
import signal
import stat
import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError, TooBig, os_reason
from ..mark import generated_data
from ..models import Source
from . import txt
from .detect import sniff

# Largest input accepted: a real report is 10–60 KB of text; 4 MB is a hundred of them. Word and
# PDF files carry images and fonts, so they may be larger.
MAX_BYTES = 4 * 1024 * 1024
MAX_BINARY = 40 * 1024 * 1024
# seconds for reading one file in this process (a pathological PDF must not stall a batch);
# 0 in a guarded worker (checker/guard.py), whose parent keeps the time and kills it
TIME_LIMIT = 30

_NAMES = {"docx": "Word 文档", "pdf": "PDF", "html": "网页", "odt": "OpenDocument 文档",
          "ole": "旧版 Word/WPS 文档（.doc/.wps）", "rtf": "RTF 文档", "txt": "文本文件"}


def _reader(kind: str):
    """The reader module for a kind of file, imported when first needed (python-docx, pdfium
    and selectolax are not loaded to check a .txt)."""
    if kind == "txt":
        return txt.read
    if kind == "docx":
        from . import docx
        return docx.read
    if kind == "pdf":
        from . import pdf
        return pdf.read
    if kind == "html":
        from . import html
        return html.read
    if kind in ("ole", "odt", "rtf"):
        from . import office
        return office.read
    return None


def read_path(path: str | Path) -> Source:
    return read_bytes(load(path), str(path))


def load(path: str | Path) -> bytes:
    """The file's bytes, within the limits; InputError with a Chinese message otherwise."""
    p = Path(path)
    try:
        # os.stat, not Path.exists(): that calls a looping link 「missing」 and raises for a
        # folder on the way that may not be entered
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(str(path), "链接指向的文件不存在" if os.path.islink(p) else "文件不存在") from None
    except OSError as e:
        raise InputError(str(path), f"无法读取：{os_reason(e)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(str(path), "这是一个文件夹，不是报告文件（可用通配符指定其中的文件，如 文件夹/*.txt）")
    if not stat.S_ISREG(st.st_mode):
        # a pipe or a device would block or never end
        raise InputError(str(path), "不是普通文件（管道、设备等无法作为报告读取）")
    try:
        size = st.st_size
        if size > MAX_BINARY:
            raise TooBig(str(path), too_big(size, MAX_BINARY))
        with p.open("rb") as fh:
            data = fh.read(MAX_BINARY + 1)      # the file may have grown since stat()
        if len(data) > MAX_BINARY:
            raise TooBig(str(path), too_big(len(data), MAX_BINARY))
    except PermissionError:
        raise InputError(str(path), "没有读取权限") from None
    except OSError as e:
        raise InputError(str(path), f"无法读取：{os_reason(e)}") from None
    return data


def too_big(size: int, limit: int = MAX_BYTES) -> str:
    return f"文件过大（{size / 1048576:.1f} MB，上限 {limit // 1048576} MB），不像一份年度报告"


def read_bytes(data: bytes, name: str) -> Source:
    """Read by what the bytes are, whatever the file is called."""
    if not data.strip():
        raise InputError(name, "文件为空")
    kind = sniff(data, name)
    if generated_data(data, kind):
        raise InputError(name, "这是 fzcheck 生成的结果文件（检查结果或核查清单），不是报告；请检查报告原文")
    if kind in ("txt", "html") and len(data) > MAX_BYTES:
        raise TooBig(name, too_big(len(data)))
    reader = _reader(kind)
    if reader is None:
        raise InputError(name, "无法识别的文件格式（支持 .txt .docx .pdf .html .doc .wps .odt）")
    with time_limit(TIME_LIMIT, name, _NAMES.get(kind, kind)):
        return reader(data, name)


@contextmanager
def time_limit(seconds: int, name: str, what: str = "", message: str | None = None):
    """Give up on a file that takes too long (main thread on Unix only; elsewhere, or with
    seconds 0, no limit). The alarm interrupts Python code only, not a C parser at work: the
    limit that always holds is the guard's (checker/guard.py)."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        # an outer limit is running (the whole check's, where no guard process is): disarming
        # the timer at the end of this one would leave the rest of the check with none
        yield
        return

    def expire(signum, frame):
        raise InputError(name, message or f"读取{what}超过 {seconds} 秒，已放弃；文件可能异常")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
