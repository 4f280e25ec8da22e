"""The reference of every rule kind and its parameters, for docs/rules.md: read from the kinds'
Params models (their types, defaults and Field descriptions), so that it cannot drift from
what a rule file is checked against."""
from __future__ import annotations

import json
import types
from dataclasses import dataclass
from typing import Annotated, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..checks import REGISTRY
from ..checks.base import KNOWN_AREA_LIST, KNOWN_EVENT_GROUP, KNOWN_INDICATOR, VETTED, Element
from ..models import ELEMENTS


@dataclass
class Param:
    name: str
    type: str
    default: str            # 「必填」 when the rule must give it
    description: str


@dataclass
class KindDoc:
    name: str
    about: str
    params: list[Param]
    rules: list[str]        # ids of the rules of this kind (among those listed)


def type_text(tp, metadata=()) -> str:
    """A parameter's type in the words of a rule file's author."""
    if VETTED in metadata:
        return "正则表达式"
    if KNOWN_INDICATOR in metadata:
        return "指标编号"
    if KNOWN_AREA_LIST in metadata:
        return "领域词表名"
    if KNOWN_EVENT_GROUP in metadata:
        return "提法分组"
    if tp is Element or (get_origin(tp) is Literal and get_args(tp) == ELEMENTS):
        return "提纲要素"
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        return type_text(args[0], args[1:])
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return "、".join(type_text(a) for a in rest) + ("（可不填）" if len(rest) < len(args) else "")
    if origin is list:
        return f"[{type_text(args[0])}, …]"
    if origin is tuple:
        return "[" + ", ".join(type_text(a) for a in args) + "]"
    if origin is dict:
        return f"映射：{type_text(args[0])} → {type_text(args[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "{" + ", ".join(f"{n}: {type_text(f.annotation, f.metadata)}" for n, f in tp.model_fields.items()) + "}"
    base = {str: "文本", int: "整数", float: "小数", bool: "true \\| false"}.get(tp, getattr(tp, "__name__", str(tp)))
    return base + _range(metadata)


def _range(metadata) -> str:
    """The bounds a number must keep (Field(ge=…, le=…)), as 「（0–1）」 or 「（≥ 1）」."""
    lo = next((m.ge for m in metadata if isinstance(m, annotated_types.Ge)), None)
    hi = next((m.le for m in metadata if isinstance(m, annotated_types.Le)), None)
    if lo is not None and hi is not None:
        return f"（{lo}–{hi}）"
    return f"（≥ {lo}）" if lo is not None else f"（≤ {hi}）" if hi is not None else ""


def _default(f: FieldInfo) -> str:
    if f.is_required():
        return "必填"
    return "不填" if f.default is None else f"`{json.dumps(f.default, ensure_ascii=False)}`"


def _params(model: type[BaseModel], prefix: str = "") -> list[Param]:
    out = []
    for name, f in model.model_fields.items():
        out.append(Param(prefix + name, type_text(f.annotation, f.metadata), _default(f), f.description or ""))
        inner = get_args(f.annotation)[0] if get_origin(f.annotation) is list else f.annotation
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out += _params(inner, f"{prefix}{name}[].")      # a list of mappings: their fields too
    return out


def element_names() -> list[tuple[str, str]]:
    """(name, what it is in Chinese) of every outline element, for the type 提纲要素."""
    from ..elements import spec
    names = spec()["elements"]
    return [(e, names[e].name) for e in ELEMENTS]


def kind_docs(rules=()) -> list[KindDoc]:
    """Every registered kind by name, with its parameters and the rules of it among `rules`."""
    return [KindDoc(k.name, k.about, _params(k.params), [r.id for r in rules if r.kind == k.name])
            for k in sorted(REGISTRY.values(), key=lambda k: k.name)]
