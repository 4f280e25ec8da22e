"""Rules from YAML: every file in rules/checks/ holds a list of rules; each is validated by the
Rule model and its params by its kind's Params model. Errors name the file, rule and field."""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from ..errors import ConfigError, describe
from ..resources import load_yaml, rules_dir
from . import REGISTRY
from .base import Rule

# The old form of the kinds that switched on a parameter (`kind: problems` + `check: token`):
# family → the parameter that named the sub-check, and the sub-check when it was left out.
# A unit's rule file written so still loads, read as `problems.token`, with a notice.
_OLD_SWITCH = {"closing": ("require", None), "meta": ("field", None), "deadline": ("check", None),
               "indicator": ("check", None), "problems": ("check", None), "terms": ("check", None),
               "years": ("check", None), "quote": ("check", "title")}
_told: set[tuple[str, str]] = set()      # (file, rule) already told of its old form


class _Placeholders(dict):
    def __missing__(self, key):
        return ""


def _new_form(raw: dict, path: Path, rid: str) -> dict:
    """The rule with an old-form kind renamed to its sub-kind (the switching parameter dropped)."""
    old = raw.get("kind")
    if old not in _OLD_SWITCH or not isinstance(raw.get("params") or {}, dict):
        return raw
    key, default = _OLD_SWITCH[old]
    params = dict(raw.get("params") or {})
    sub = params.pop(key, default)
    family = "、".join(k for k in sorted(REGISTRY) if k.startswith(old + "."))
    if sub is None:
        raise ConfigError(f"{path}: 规则 {rid} 字段 kind：{old} 应写成 {old}.<检查项>（可用：{family}）")
    kind = f"{old}.{sub}"
    if kind not in REGISTRY:
        raise ConfigError(f"{path}: 规则 {rid} 字段 params.{key}：{old} 没有检查项 {sub!r}（可用：{family}）")
    if (str(path), rid) not in _told:
        _told.add((str(path), rid))
        given = key in (raw.get("params") or {})
        said = f"kind: {old} + {key}: {sub}" if given else f"kind: {old}"
        print(f"{path}: 规则 {rid} 的 {said} 是旧写法，已按 {kind} 读取；请改写为 kind: {kind}"
              + (f"（并删去 params 中的 {key}）" if given else ""), file=sys.stderr)
    return {**raw, "kind": kind, "params": params}


def params_of(kind: str, params, path, rid: str):
    """The params validated by the kind's own model; an error names the file, rule and field,
    and for a parameter the kind does not take, those it does."""
    model = REGISTRY[kind].params
    try:
        return model.model_validate(params or {})
    except ValidationError as e:
        first = e.errors()[0]
        if first["type"] == "extra_forbidden" and len(first["loc"]) == 1:
            takes = "、".join(model.model_fields) or "（无参数）"
            raise ConfigError(f"{path}: 规则 {rid} 字段 params.{first['loc'][0]}：{kind} 类型的规则没有这个参数"
                              f"（可用：{takes}）") from None
        raise ConfigError(f"{path}: 规则 {rid} {describe(e, prefix='params')}") from None


def load_file(path: Path, old_form: bool = True) -> list[Rule]:
    """The rules of one file; `old_form`: read the old form of switching kinds (a unit's files;
    the built-in ones use the new names only)."""
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{path}: 规则文件应当是一个规则列表")
    rows = None
    rules = []
    # where the rule is defined, as docs/rules.md and `fzcheck rules` show it: a built-in file by
    # its place in the project, a unit's file by the path its configuration gave
    builtin = path.parent.resolve() == (rules_dir() / "checks").resolve()
    source = f"rules/checks/{path.name}" if builtin else str(path)
    for i, raw in enumerate(data):
        rid = raw.get("id", f"第 {i + 1} 条") if isinstance(raw, dict) else f"第 {i + 1} 条"
        try:
            rule = Rule.model_validate({**(_new_form(raw, path, rid) if old_form else raw), "source": source})
        except ValidationError as e:
            raise ConfigError(f"{path}: 规则 {rid} {describe(e)}") from None
        except (TypeError, AttributeError):
            raise ConfigError(f"{path}: 规则 {rid} 应当是一个映射（id: …, kind: …）") from None
        for field_name in ("message", "suggestion"):
            try:
                getattr(rule, field_name).format_map(_Placeholders())
            except (ValueError, IndexError) as e:
                raise ConfigError(f"{path}: 规则 {rid} 字段 {field_name}：花括号用法有误（{e}）；"
                                  f"要写花括号本身请写成 {{{{ }}}}") from None
        if rule.kind not in REGISTRY:
            raise ConfigError(f"{path}: 规则 {rid} 字段 kind：未知的规则类型 {rule.kind!r}"
                              f"（可用：{'、'.join(sorted(REGISTRY))}；各类型的参数见 docs/rules.md）")
        rule.params = params_of(rule.kind, rule.params, path, rid)
        if rule.checklist is not None:
            rows = rows if rows is not None else _checklist_rows()
            if rule.checklist not in rows:
                raise ConfigError(f"{path}: 规则 {rid} 字段 checklist：核查清单没有 {rule.checklist!r} 这一项"
                                  f"（rules/checklist.yaml 中的项：{'、'.join(rows)}）")
        rules.append(rule)
    return rules


def _checklist_rows() -> list[str]:
    from ..checklist import spec
    return [it["id"] for it in spec()["items"]]


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    """The built-in rules, read and validated once and kept in the private cache (checker/cache.py)
    while neither the rule files nor the code that validates them has changed."""
    import pydantic.version
    import yaml
    from .. import cache
    # with fzcheck's code and data (every rule file: validation reads term lists, indicator ids,
    # the checklist; the classes pickled, the checks run on the way): pydantic and PyYAML
    inputs = [Path(pydantic.version.__file__), Path(yaml.__file__)]
    return cache.kept("rules", inputs, _read_builtin)


def _read_builtin() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted((rules_dir() / "checks").glob("*.yaml")):
        for r in load_file(path, old_form=False):
            if r.id in seen:
                raise ConfigError(f"{path}: 规则编号 {r.id} 与 {seen[r.id]} 中的规则重复")
            seen[r.id] = path.name
            rules.append(r)
    return tuple(rules)
