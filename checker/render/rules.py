"""The rule list as a table, JSON or the Markdown of docs/rules.md."""
from __future__ import annotations

import json

from . import SEVERITY, env


def rule_dict(r) -> dict:
    return {"id": r.id, "severity": r.severity, "title": r.title, "basis": r.basis, "tags": r.tags,
            "kind": r.kind, "rationale": r.rationale, "source": r.source,
            "examples": {"pass": [e.text for e in r.examples.pass_],
                         "fail": [{"text": e.text, "line": e.line} if e.line else e.text for e in r.examples.fail]}}


def render_rules(rules, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([rule_dict(r) for r in rules], ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return env().get_template("rules.md.j2").render(rules=rules)
    width = max((len(r.id) for r in rules), default=10) + 2
    return "".join(f"{r.id:<{width}}{SEVERITY[r.severity]}  {r.title}\n" for r in rules)
