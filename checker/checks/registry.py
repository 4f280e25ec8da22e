"""The rule kinds, by name: each check function registers itself with its Params model
(`@check("problems.token", TokenParams, "…")`), so that the kind a rule names, the parameters it
accepts and the text of docs/rules.md come from one place. A module holds one family of kinds
(problems.token, problems.generic …); a kind of no family has a plain name (pattern)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    from ..document import Document
    from .base import Hit


@dataclass(frozen=True)
class Kind:
    name: str
    params: type[BaseModel]             # extra fields forbidden: a parameter of another kind is refused
    check: Callable[["Document", BaseModel], Iterator["Hit"]]
    about: str                          # one line in Chinese for docs/rules.md


REGISTRY: dict[str, Kind] = {}


def check(name: str, params: type[BaseModel], about: str):
    """Register the decorated function as the rule kind `name`, taking `params`."""
    if params.model_config.get("extra") != "forbid":
        raise TypeError(f"{params.__qualname__}: a kind's Params must forbid extra fields")

    def register(fn):
        if name in REGISTRY:
            raise TypeError(f"rule kind {name!r} registered twice ({REGISTRY[name].check.__module__}, {fn.__module__})")
        REGISTRY[name] = Kind(name, params, fn, about)
        return fn
    return register
