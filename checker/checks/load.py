"""Rules from YAML: every file in rules/checks/ holds a list of rules; each is validated by the
Rule model and its params by its kind's Params model. Errors name the file, rule and field."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from ..errors import ConfigError, describe
from ..resources import load_yaml, rules_dir
from . import REGISTRY
from .base import Rule


class _Placeholders(dict):
    def __missing__(self, key):
        return ""


def load_file(path: Path) -> list[Rule]:
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{path}: 规则文件应当是一个规则列表")
    rules = []
    for i, raw in enumerate(data):
        rid = raw.get("id", f"第 {i + 1} 条") if isinstance(raw, dict) else f"第 {i + 1} 条"
        try:
            rule = Rule.model_validate({**raw, "source": path.name})
        except ValidationError as e:
            raise ConfigError(f"{path}: 规则 {rid} {describe(e)}") from None
        except TypeError:
            raise ConfigError(f"{path}: 规则 {rid} 应当是一个映射（id: …, kind: …）") from None
        for field_name in ("message", "suggestion"):
            try:
                getattr(rule, field_name).format_map(_Placeholders())
            except (ValueError, IndexError) as e:
                raise ConfigError(f"{path}: 规则 {rid} 字段 {field_name}：花括号用法有误（{e}）；"
                                  f"要写花括号本身请写成 {{{{ }}}}") from None
        kind = REGISTRY.get(rule.kind)
        if kind is None:
            raise ConfigError(f"{path}: 规则 {rid} 字段 kind：未知的规则类型 {rule.kind!r}"
                              f"（可用：{', '.join(sorted(REGISTRY))}）")
        try:
            rule.params = kind.Params.model_validate(rule.params or {})
        except ValidationError as e:
            raise ConfigError(f"{path}: 规则 {rid} params.{describe(e)[3:]}") from None
        rules.append(rule)
    return rules


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted((rules_dir() / "checks").glob("*.yaml")):
        for r in load_file(path):
            if r.id in seen:
                raise ConfigError(f"{path}: 规则编号 {r.id} 与 {seen[r.id]} 中的规则重复")
            seen[r.id] = path.name
            rules.append(r)
    return tuple(rules)
