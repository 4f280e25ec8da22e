"""Rules from YAML: every file in rules/checks/ holds a list of rules; each is validated by the
Rule model and its params by its kind's Params model. Errors name the file, rule and field."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from ..errors import ConfigError
from ..resources import load_yaml, rules_dir
from . import REGISTRY
from .base import Rule


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
}


def describe(err: ValidationError) -> str:
    """The first validation error in Chinese: which field, what is wrong."""
    e = err.errors()[0]
    where = ".".join(str(x) for x in e["loc"]) or "（整体）"
    if e["type"] == "literal_error":
        allowed = e.get("ctx", {}).get("expected", "")
        msg = f"取值 {e.get('input')!r} 无效，应为 {allowed}"
    elif e["type"] == "value_error":
        msg = str(e.get("ctx", {}).get("error", e["msg"]))
    else:
        msg = _MESSAGES.get(e["type"], e["msg"])
    return f"字段 {where}：{msg}"


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


def verify_examples(rule: Rule, path) -> None:
    """Run a rule's own examples, as the test suite does for the built-in rules: a unit's rule
    that crashes or misses its examples is refused when loaded, not in the middle of a batch."""
    from ..pipeline import check_text
    if not rule.examples.pass_ or not rule.examples.fail:
        raise ConfigError(f"{path}: 规则 {rule.id} 字段 examples：须至少各有一个通过（pass）和不通过（fail）示例")
    for kind, examples in (("pass", rule.examples.pass_), ("fail", rule.examples.fail)):
        for i, ex in enumerate(examples, 1):
            try:
                _, result = check_text(ex.text, rules=[rule])
            except Exception as e:  # noqa: BLE001 — any failure of a unit's rule is a config error
                raise ConfigError(f"{path}: 规则 {rule.id} 运行第 {i} 个 {kind} 示例时出错（{type(e).__name__}: {e}），"
                                  f"请检查 params") from None
            hits = [f for f in result.findings if f.rule == rule.id]
            if kind == "pass" and hits:
                raise ConfigError(f"{path}: 规则 {rule.id} 在第 {i} 个通过示例上报出了问题：{hits[0].message}")
            if kind == "fail" and (not hits or (ex.line and ex.line not in [h.line for h in hits])):
                raise ConfigError(f"{path}: 规则 {rule.id} 没有在第 {i} 个不通过示例{f'的第 {ex.line} 行' if ex.line else ''}上报出问题")
