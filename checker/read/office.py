"""Old Word/WPS (.doc/.wps), OpenDocument (.odt) and RTF: converted to .docx by LibreOffice
(soffice --headless), then read as Word. Temporary files live in a private folder that is
removed whatever happens; the conversion has a time limit."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..models import Source

CONVERT_SECONDS = 60     # at most; within a guarded check, less than the guard's limit (below)
_SUFFIX = {"ole": ".doc", "odt": ".odt", "rtf": ".rtf"}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, name: str) -> Source:
    from .detect import sniff
    exe = soffice()
    if exe is None:
        raise InputError(name, "读取 .doc/.wps/.odt 需要 LibreOffice，未安装；请安装（如 apt-get install libreoffice-writer）"
                               "或用 Word/WPS 另存为 .docx 后再检查")
    kind = sniff(data, name)
    with tempfile.TemporaryDirectory(prefix="fzcheck-") as tmp:
        src = Path(tmp) / ("input" + _SUFFIX.get(kind, Path(name).suffix or ".doc"))
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", tmp, str(src)]
        seconds = _convert_seconds()
        try:
            subprocess.run(cmd, capture_output=True, timeout=seconds, check=False, preexec_fn=_soffice_setup)
        except subprocess.TimeoutExpired:
            raise InputError(name, f"LibreOffice 转换超过 {seconds:g} 秒，已放弃") from None
        out = src.with_suffix(".docx")
        if not out.exists():
            raise InputError(name, "LibreOffice 无法转换此文件，文件可能已损坏")
        converted = out.read_bytes()
    from . import docx, mojibake
    source = docx.read(converted, name)
    garbled, common, bad = mojibake.judge("\n".join(source.lines))
    if garbled:          # a damaged file LibreOffice still opened: its text is not the report's
        raise InputError(name, mojibake.message(common, bad))
    return source.model_copy(update={"format": {"ole": "doc"}.get(kind, kind)})


def _convert_seconds() -> float:
    """Time for LibreOffice: ended by its own timeout, with a Chinese reason, a few seconds
    before the guard would kill the whole check for it."""
    from ..limits import worker_limits
    return max(5.0, min(CONVERT_SECONDS, worker_limits().time_s - 5))


def _soffice_setup() -> None:
    """In the LibreOffice process before it starts: it dies with the check that started it (a
    worker killed at the limit would otherwise leave it running), and it is not held to the
    worker's address-space cap — LibreOffice reserves far more address space than it uses, and
    is bounded by its timeout instead."""
    import signal
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)     # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    try:
        import resource
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass
