"""The reports an audit reads: folders searched recursively, glob patterns, and list files
(@list.txt: one path per line), each file once, in a stable order."""
from __future__ import annotations

import glob
from pathlib import Path

from ..errors import ConfigError

SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps", ".odt", ".rtf"}


def collect(paths: list[str]) -> list[Path]:
    found: dict[str, Path] = {}

    def add(p: Path):
        found.setdefault(str(p.resolve()), p)

    for raw in paths:
        if raw.startswith("@"):
            listed = Path(raw[1:])
            if not listed.is_file():
                raise ConfigError(f"{listed}: 文件清单不存在")
            base = listed.parent
            for line in listed.read_text(encoding="utf-8-sig").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    p = Path(line) if Path(line).is_absolute() else base / line
                    add(p)       # a listed file that is missing is reported as unreadable
            continue
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith((".", "~$")):
                    add(f)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise ConfigError(f"{raw}: 没有匹配的文件")
            for m in matches:
                if Path(m).is_file():
                    add(Path(m))
        elif p.exists():
            add(p)       # given by name: checked even if its extension is unusual
        else:
            raise ConfigError(f"{raw}: 文件或文件夹不存在")
    return sorted(found.values(), key=lambda p: str(p))
