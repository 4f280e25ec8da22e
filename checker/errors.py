"""Errors that end a command with exit code 2 and a one-line Chinese message, never a traceback."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class InputError(Exception):
    """An input file that cannot be used (unreadable, binary, too large, wrong format)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def __reduce__(self):
        # rebuilt from both fields when it crosses from a worker process to the main one
        return (type(self), (self.path, self.message))


class TooBig(InputError):
    """An input past the size limits (checker/read/__init__.py): the server answers 413."""


class ConfigError(Exception):
    """A rule, grammar or configuration file that is malformed; names the file and the field."""


class RunError(Exception):
    """A run that cannot go on although its inputs are fine: the output folder is full, read-only
    or in use by another run, the worker processes keep dying. Exit code 2 with the Chinese
    message; unlike a refused command, nothing already in the output folder is removed."""


# what the operating system said, in the user's language
_OS_REASONS = {
    "ENOENT": "路径不存在", "EACCES": "没有权限", "EPERM": "没有权限", "EROFS": "所在磁盘只读",
    "ENOTDIR": "路径中有一段是文件而不是文件夹", "EISDIR": "这是文件夹而不是文件", "ENOSPC": "磁盘空间不足",
    "ENAMETOOLONG": "路径过长", "EEXIST": "已存在同名文件", "EBUSY": "文件正被占用", "EIO": "磁盘读写出错",
    "ELOOP": "符号链接绕成了圈（链接最终又指回自己），找不到真正的文件", "EDQUOT": "磁盘配额已用完",
}


def file_to_read(path, what: str) -> None:
    """ConfigError unless `path` is a file that may be opened: missing, a folder, or a folder on
    the way that may not be entered (Path.is_file() raises PermissionError for that one)."""
    import os
    import stat
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what}不存在") from None
    except OSError as e:
        raise ConfigError(f"{path}: 无法读取{what}：{os_reason(e)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ConfigError(f"{path}: 这是文件夹，{what}应是一个文件")


def os_reason(e: OSError) -> str:
    """A short Chinese reason for an OSError (the system's own words when it is not a usual one)."""
    import errno
    name = errno.errorcode.get(e.errno or 0, "")
    return _OS_REASONS.get(name) or e.strerror or str(e)


# a pydantic validation error in the words of the file's author
_MESSAGES = {
    "missing": "缺少此字段",
    "extra_forbidden": "不认识的字段（拼写错误？）",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "dict_type": "应为映射（键: 值）",
    "model_type": "应为映射（键: 值）",
    "float_type": "应为数",
    "float_parsing": "应为数",
    "int_from_float": "应为整数",
}
# a bound broken, with the bound from the error's context
_BOUNDS = {"greater_than_equal": ("ge", "应不小于 {}"), "greater_than": ("gt", "应大于 {}"),
           "less_than_equal": ("le", "应不大于 {}"), "less_than": ("lt", "应小于 {}")}


def location(loc, prefix: str = "") -> str:
    """A pydantic error location as a file's author reads it: fields joined by dots, a list's
    items counted from 1 (「status 第 1 个」), a mapping's keys named (pydantic's marker for an
    error in the key itself, `[key]`, dropped); "" for the whole of what was validated."""
    out, after_item = prefix, False
    for x in loc:
        if x == "[key]":
            continue
        if isinstance(x, int):
            out, after_item = f"{out} 第 {x + 1} 个" if out else f"第 {x + 1} 个", True
        else:
            out, after_item = (f"{out}的 {x}" if after_item else f"{out}.{x}") if out else str(x), False
    return out


def describe(err: "ValidationError", prefix: str = "") -> str:
    """The first validation error in Chinese: which field (under `prefix`, e.g. "params"), what
    is wrong. An error of the whole (a missing mapping, a check across fields) names no field."""
    e = err.errors()[0]
    where = location(e["loc"], prefix)
    ctx = e.get("ctx") or {}
    if e["type"] == "literal_error":
        allowed = ctx.get("expected", "").replace(" or ", "、").replace(", ", "、")
        msg = f"取值 {e.get('input')!r} 无效，应为 {allowed}"
    elif e["type"] == "value_error":
        msg = str(ctx.get("error", e["msg"]))
    elif e["type"] in _BOUNDS:
        key, text = _BOUNDS[e["type"]]
        msg = f"取值 {e.get('input')!r} 超出范围，{text.format(ctx.get(key))}"
    else:
        msg = _MESSAGES.get(e["type"], e["msg"])
    return f"字段 {where}：{msg}" if where else msg
