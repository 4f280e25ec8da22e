"""The rule engine's kinds. Each module holds one family of kinds; each check function registers
itself with its Params model (`@check("problems.token", TokenParams, "…")`, checks/registry.py).

A new rule of an existing kind is a YAML entry in rules/checks/; a new kind is a decorated
function in a module imported here."""
from . import (cleaned, closing, concrete, consistency, contradiction, coverage, cut, dates,  # noqa: F401
               layout,
               deadline, genre, indicator, meta, numbering, order, outline, pattern, problems, quote, repeated,
               terms, years)
# kind name → Kind (its Params and check function), filled by the imports above
from .registry import REGISTRY  # noqa: F401
