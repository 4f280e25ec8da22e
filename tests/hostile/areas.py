"""The registry: every area module's CASES, in a fixed order (one module per area)."""
from __future__ import annotations

import importlib
import pkgutil


def cases():
    import tests.hostile as pkg
    out = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("case_"):
            out.extend(importlib.import_module(f"{pkg.__name__}.{info.name}").CASES)
    names = [c.name for c in out]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, f"hostile cases with the same name: {dupes}"
    return out
