"""The reports an audit reads: folders searched recursively, glob patterns, and list files
(@list.txt: one path per line), each file once, in a stable order.

Links found in a folder are followed only to a file inside that same folder (it is then one of
its files anyway, read once); a link leading out of it (passwd.txt → /etc/passwd) would put a
file nobody handed in into the pages, and is skipped with the reason, as are links to folders
(never entered: a link can lead anywhere, or in a circle), broken and looping links. A file
named on the command line or in a list file is read wherever it is: someone chose it."""
from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import takewhile
from pathlib import Path

from ..errors import ConfigError, os_reason
from ..mark import generated
from ..safe import path_text, undecodable

SUFFIXES = {".txt", ".docx", ".pdf", ".html", ".htm", ".doc", ".wps", ".odt", ".rtf"}


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)        # (path, why): links not followed
    unreadable: list[tuple[str, str]] = field(default_factory=list)     # (folder, why): not listed
    own: list[Path] = field(default_factory=list)       # fzcheck's own results, passed over (not reports)


@lru_cache(maxsize=4096)
def _audit_folder(folder: Path) -> bool:
    return (folder / "state.sqlite").is_file()


def is_own_output(f: Path) -> bool:
    """A file fzcheck wrote (a result, checklist or summary in any format), or a file in an
    audit's output folder."""
    return _audit_folder(f.parent) or _audit_folder(f.parent.parent) or generated(f)


def collect(paths: list[str], exclude: Path | None = None) -> list[Path]:
    """Every report named by `paths` (see gather)."""
    return gather(paths, exclude).files


def _named(name: str) -> bool:
    return Path(name).suffix.lower() in SUFFIXES and not name.startswith((".", "~$"))


def _link_problem(f: Path, root: str) -> str | None:
    """Why a link found in the folder `root` (resolved) is not followed, or None if it may be."""
    try:
        os.stat(f)
    except OSError as e:
        import errno
        if e.errno == errno.ELOOP:
            return "链接循环指向自身，未读取"
        return "链接指向的文件不存在，未读取" if e.errno == errno.ENOENT else f"链接无法打开（{os_reason(e)}），未读取"
    target = os.path.realpath(f)
    if os.path.commonpath([target, root]) != root:
        return "链接指向输入文件夹之外的文件，未读取（审核只读文件夹内的报告）"
    return None


def _list_lines(listed: Path) -> list[str]:
    try:
        return listed.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise ConfigError(f"{path_text(str(listed))}: 文件清单不是 UTF-8 编码；请用记事本等另存为 UTF-8 后重试") from None
    except OSError as e:
        raise ConfigError(f"{path_text(str(listed))}: 无法读取文件清单：{os_reason(e)}") from None


def gather(paths: list[str], exclude: Path | None = None) -> Found:
    """Every report named by `paths`; in folders, fzcheck's own outputs (and `exclude`, the
    folder this audit writes to) are passed over (the outputs listed in `own`, so the audit can
    say how many it did not read), links handled as the module says, and a
    subfolder that cannot be listed is reported (its reports would otherwise silently go missing)."""
    found: dict[str, Path] = {}
    out = Found()
    # realpath, never Path.resolve: a looping link makes resolve raise, realpath just stops
    skip = os.path.realpath(exclude) if exclude is not None else None

    def passed(path, why: str, into: list) -> None:
        # the state database, run.json and the pages hold text: a name's undecodable bytes shown
        into.append((path_text(str(path)), why))

    def add(p: Path):
        if undecodable(str(p)):
            passed(p, "文件名含有无法识别的字符（不是 UTF-8 编码），未读取；请改名后重新审核", out.skipped)
            return
        found.setdefault(os.path.realpath(p), p)

    def wanted(f: Path) -> bool:
        if not f.is_file() or not _named(f.name):
            return False
        if skip and (os.path.realpath(f) + "/").startswith(skip + "/"):
            return False
        if is_own_output(f):
            out.own.append(f)
            return False
        return True

    def walk(top: Path):
        root = os.path.realpath(top)

        def unlisted(e: OSError):
            passed(e.filename or top, f"文件夹无法读取（{os_reason(e)}），其中的报告未检查", out.unreadable)

        for dirpath, dirnames, filenames in os.walk(top, onerror=unlisted):
            d = Path(dirpath)
            if skip and os.path.realpath(d) == skip:
                dirnames[:] = []
                continue
            for name in sorted(dirnames):
                if os.path.islink(d / name):        # os.walk does not enter it; say so
                    passed(d / name, "链接到文件夹，未进入（审核不跟随文件夹链接）", out.skipped)
            dirnames.sort()
            for name in sorted(filenames):
                f = d / name
                if not _named(name):
                    continue
                if os.path.islink(f):
                    why = _link_problem(f, root)
                    if why:
                        passed(f, why, out.skipped)
                        continue
                if wanted(f):
                    add(f)

    for raw in paths:
        if raw.startswith("@"):
            listed = Path(raw[1:])
            if not listed.is_file():
                raise ConfigError(f"{listed}: 文件清单不存在")
            base = listed.parent
            for line in _list_lines(listed):
                line = line.strip()
                if line and not line.startswith("#"):
                    p = Path(line) if Path(line).is_absolute() else base / line
                    # a link in the list is judged as in a folder: against the list's own folder
                    why = _link_problem(p, os.path.realpath(base)) if os.path.islink(p) else None
                    if why:
                        passed(p, why, out.skipped)
                        continue
                    add(p)       # a listed file that is missing is reported as unreadable
            continue
        p = Path(raw)
        if p.is_dir():
            walk(p)
        elif any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise ConfigError(f"{raw}: 没有匹配的文件")
            # links judged against the folder the pattern starts from
            fixed = list(takewhile(lambda x: not any(ch in x for ch in "*?["), Path(raw).parts))
            root = os.path.realpath(Path(*fixed) if fixed else Path("."))
            for m in matches:
                # a link, or a file reached through a linked folder (** follows those)
                if _named(os.path.basename(m)) and os.path.realpath(m) != os.path.abspath(m):
                    why = _link_problem(Path(m), root)
                    if why:
                        passed(m, why, out.skipped)
                        continue
                if wanted(Path(m)):
                    add(Path(m))
        elif os.path.lexists(p):
            # given by name: checked even if its extension is unusual; a looping or broken link
            # too, so that the report says why it could not be read and the others go on
            add(p)
        else:
            raise ConfigError(f"{raw}: 文件或文件夹不存在")
    out.files = sorted(found.values(), key=lambda p: str(p))
    return out
