"""--help in Chinese, end to end: typer's rich help would print click's own English («Usage:»,
«Options», «Show this message and exit.», «[default: …]», `<list[Path]>`) and, in a table at
80 columns, cut a Chinese help text short with 「…」 (a line of Chinese has no space to wrap at).
Here the help is laid out as plain text: each option on its line, its help on the next lines,
wrapped at the terminal's width by display cells (a Chinese character takes two), never cut.
The words are rules/cli.yaml's (help:)."""
from __future__ import annotations

import enum
import shutil
from typing import get_args, get_origin

from rich.cells import cell_len
from typer.core import TyperCommand, TyperGroup

from .clidata import cli_data
from .compiled import compile_kept

_INDENT = "      "
# a run that must not be broken across lines (a Latin word, a number, an option, a path); any
# other character may end a line; an opening bracket stays with what follows it, a closing one
# or a comma with what precedes it (no line begins with 「、」)
_UNIT = compile_kept(r"[（「《“]*(?:[A-Za-z0-9_\-./=<>|@*+:,'\"\[\]{}()]+|\s+|.)[、，。；：）」》”！？]*")


def width() -> int:
    """The terminal's width (COLUMNS when set), within reason: a very narrow or very wide
    terminal still gets lines one can read."""
    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 160))


def wrap(text: str, indent: str, limit: int) -> list[str]:
    """`text` in lines of at most `limit` cells after `indent`, broken between characters of
    Chinese and at spaces between Latin words, never inside a word (a word longer than a line
    gets a line of its own)."""
    lines, cur = [], ""
    room = max(10, limit - cell_len(indent))
    for unit in _UNIT.findall(" ".join(text.split())):
        if cell_len(cur) + cell_len(unit) > room and cur.strip():
            lines.append(cur.rstrip())
            cur = "" if unit.isspace() else unit
        else:
            cur += unit
    if cur.strip():
        lines.append(cur.rstrip())
    return [indent + line for line in lines] or []


def _words() -> dict:
    return cli_data()["help"]


def metavar(param, command: str) -> str:
    """What stands for the value in the help: the choices of an Enum, nothing for a flag, else
    a Chinese word by the parameter (文件夹, 规则编号…) or by its type (文件, 文字, 数)."""
    if getattr(param, "is_flag", False):
        return ""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "|".join(str(m.value) for m in annotation)
    names = _words()["metavar"]
    word = names.get(f"{command}.{param.name}") or names.get(param.name)
    if word is None:
        kind = {"Path": "path", "str": "text", "int": "integer", "float": "float"}.get(
            getattr(annotation, "__name__", ""), "text")
        word = _words()["types"][kind]
    return str(word)


def _default(param) -> str:
    if getattr(param, "required", False):
        return _words()["required"]
    if not getattr(param, "show_default", True) or getattr(param, "param_type_name", "") == "argument":
        return ""
    value = param.default
    if callable(value) or value is None or value == [] or value == ():
        return ""
    if getattr(param, "is_flag", False):
        if not param.secondary_opts:
            return ""                   # a plain flag: off unless given
        value = param.opts[0] if value else param.secondary_opts[0]
    elif isinstance(value, enum.Enum):
        value = value.value
    elif value is False or value is True:
        return ""
    return _words()["default"].format(value)


def _param_rows(ctx, params, command: str, limit: int) -> list[str]:
    out = []
    for p in params:
        mv = metavar(p, command)
        if p.param_type_name == "argument":
            head = mv + ("..." if p.nargs != 1 else "")
        else:
            names = sorted(p.opts, key=len) + list(p.secondary_opts)
            head = ", ".join(names) + (f" {mv}" if mv else "")
        out.append("  " + head)
        text = getattr(p, "help", None) or ""
        if "默认" not in text:          # a help that says its default itself is not told it again
            text += _default(p)
        out += wrap(text, _INDENT, limit)
    return out


def _usage(ctx, cmd, w: dict) -> str:
    pieces = [ctx.command_path, w["options_word"]]
    for p in cmd.get_params(ctx):
        if p.param_type_name == "argument":
            mv = metavar(p, cmd.name or "")
            pieces.append((mv + ("..." if p.nargs != 1 else "")) if p.required else f"[{mv}...]")
    if isinstance(cmd, TyperGroup):
        pieces += [w["command_word"], w["args_word"]]
    return w["usage"] + " ".join(pieces)


def render(ctx, cmd) -> str:
    """The whole help of a command or group, as text."""
    w, limit = _words(), width()
    lines = [_usage(ctx, cmd, w), ""]
    if cmd.help:
        for para in (cmd.help or "").split("\f")[0].strip().split("\n\n"):
            lines += wrap(para, "  ", limit) + [""]
    params = [p for p in cmd.get_params(ctx) if not getattr(p, "hidden", False)]
    args = [p for p in params if p.param_type_name == "argument"]
    opts = [p for p in params if p.param_type_name == "option"]
    name = cmd.name or ""
    if args:
        lines += [w["arguments"] + "：", *_param_rows(ctx, args, name, limit), ""]
    if opts:
        lines += [w["options"] + "：", *_param_rows(ctx, opts, name, limit), ""]
    if isinstance(cmd, TyperGroup):
        subs = [(n, cmd.get_command(ctx, n)) for n in cmd.list_commands(ctx)]
        subs = [(n, c) for n, c in subs if c is not None and not c.hidden]
        if subs:
            lines.append(w["commands"] + "：")
            for n, c in subs:
                lines.append("  " + n)
                # its first paragraph: the rest is the command's own --help
                lines += wrap((c.help or "").split("\f")[0].strip().split("\n\n")[0], _INDENT, limit)
    return "\n".join(lines).rstrip() + "\n"


class _Chinese:
    """Help in Chinese (render above), the help option's own help too."""

    def format_help(self, ctx, formatter) -> None:
        formatter.write(render(ctx, self))

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _words()["help_option"]
        return option


class ChineseCommand(_Chinese, TyperCommand):
    pass


class ChineseGroup(_Chinese, TyperGroup):
    pass


def _plain(cls, base) -> bool:
    # not chosen by the command itself: none, typer's default class, or typer's placeholder for it
    return cls is None or cls is base or type(cls).__name__ == "DefaultPlaceholder"


def apply(app) -> None:
    """Every command and group of a Typer app (its sub-apps too) built with the classes above:
    one place, so that a command added later gets the Chinese help without saying so."""
    if _plain(app.info.cls, TyperGroup):
        app.info.cls = ChineseGroup
    for info in app.registered_commands:
        if _plain(info.cls, TyperCommand):
            info.cls = ChineseCommand
    for group in app.registered_groups:
        if _plain(group.cls, TyperGroup):
            group.cls = ChineseGroup
        apply(group.typer_instance)
