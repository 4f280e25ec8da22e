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

CONVERT_SECONDS = 60
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
        try:
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(name, f"LibreOffice 转换超过 {CONVERT_SECONDS} 秒，已放弃") from None
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
