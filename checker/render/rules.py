"""The rule list as a table, JSON or the Markdown of docs/rules.md."""
from __future__ import annotations

import json

from . import SEVERITY, env


def _fail(e):
    stated = {k: v for k, v in (("line", e.line), ("message", e.message), ("count", e.count)) if v is not None}
    return {"text": e.text, **stated} if stated else e.text


def params_in_force(r) -> dict:
    """The parameters in force: the rule file's, with the configuration's [rules.params] over them,
    the kind's defaults for the rest (a loaded rule's params are always its kind's model)."""
    return r.params.model_dump(mode="json")


def param_lines(r) -> list[str]:
    """`name = value` for each parameter in force, as [rules.params] in fzcheck.toml writes it."""
    return [f"{k} = {'（不填）' if v is None else json.dumps(v, ensure_ascii=False)}" for k, v in params_in_force(r).items()]


def _param_text(r) -> str:
    from ..safe import md_code
    return "、".join(md_code(line) for line in param_lines(r))


def rule_dict(r) -> dict:
    return {"id": r.id, "severity": r.severity, "title": r.title, "basis": r.basis, "tags": r.tags,
            "kind": r.kind, "params": params_in_force(r), "checklist": r.checklist, "rationale": r.rationale,
            "source": r.source,
            "examples": {"pass": [e.text for e in r.examples.pass_], "fail": [_fail(e) for e in r.examples.fail]}}


def render_rules(rules, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([rule_dict(r) for r in rules], ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        from .kinds import element_names, kind_docs
        return env().get_template("rules.md.j2").render(rules=rules, kinds=kind_docs(rules),
                                                         elements=element_names(), param_lines=param_lines,
                                                         param_text=_param_text)
    width = max((len(r.id) for r in rules), default=10) + 2
    kinds = max((len(r.kind) for r in rules), default=8) + 2
    return "".join(f"{r.id:<{width}}{SEVERITY[r.severity]}  {r.kind:<{kinds}}{r.title}\n" for r in rules)
