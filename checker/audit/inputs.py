"""The reports an audit reads: folders searched recursively, glob patterns, and list files
(@list.txt: one path per line), each file once, in a stable order."""
from __future__ import annotations

import glob
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from ..mark import HTML_META, generated

SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps", ".odt", ".rtf"}


# what fzcheck writes carries a mark (checker/mark.py); an audit never reads its own results as reports
GENERATOR_MARK = HTML_META


@lru_cache(maxsize=4096)
def _audit_folder(folder: Path) -> bool:
    return (folder / "state.sqlite").is_file()


def is_own_output(f: Path) -> bool:
    """A file fzcheck wrote (a result, checklist or summary in any format), or a file in an
    audit's output folder."""
    return _audit_folder(f.parent) or _audit_folder(f.parent.parent) or generated(f)


def collect(paths: list[str], exclude: Path | None = None, passed_over: list[Path] | None = None) -> list[Path]:
    """Every report named by `paths`; in folders, fzcheck's own outputs (and `exclude`, the
    folder this audit writes to) are passed over — the outputs added to `passed_over`, so the
    audit can say how many it did not read."""
    found: dict[str, Path] = {}
    skip = str(exclude.resolve()) + "/" if exclude is not None else None

    def add(p: Path):
        found.setdefault(str(p.resolve()), p)

    def wanted(f: Path) -> bool:
        if not f.is_file() or f.suffix.lower() not in SUFFIXES or f.name.startswith((".", "~$")):
            return False
        if skip and str(f.resolve()).startswith(skip):
            return False
        if is_own_output(f):
            if passed_over is not None:
                passed_over.append(f)
            return False
        return True

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
                if wanted(f):
                    add(f)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise ConfigError(f"{raw}: 没有匹配的文件")
            for m in matches:
                if wanted(Path(m)):
                    add(Path(m))
        elif p.exists():
            add(p)       # given by name: checked even if its extension is unusual
        else:
            raise ConfigError(f"{raw}: 文件或文件夹不存在")
    return sorted(found.values(), key=lambda p: str(p))
