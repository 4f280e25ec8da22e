"""A rule's own examples, run: every pass example must give no finding of the rule, every fail
example one (on its line, when given). The test suite runs them for the built-in rules, and
config runs them for a unit's own rule files when loaded, so a unit's rule that crashes or misses
its examples is refused at once, not in the middle of a batch."""
from __future__ import annotations

from .checks.base import Rule
from .errors import ConfigError
from .models import Source
from .pipeline import analyse, result_of
from .read.txt import split_lines


def run_example(text: str, rule: Rule):
    """The result of one example text under this rule alone."""
    doc = analyse(Source(path="<example>", lines=split_lines(text)))
    return result_of(doc, [rule])


def verify_examples(rule: Rule, path) -> None:
    """Run a rule's own examples, as the test suite does for the built-in rules: a unit's rule
    that crashes or misses its examples is refused when loaded, not in the middle of a batch."""
    if not rule.examples.pass_ or not rule.examples.fail:
        raise ConfigError(f"{path}: 规则 {rule.id} 字段 examples：须至少各有一个通过（pass）和不通过（fail）示例")
    for kind, examples in (("pass", rule.examples.pass_), ("fail", rule.examples.fail)):
        for i, ex in enumerate(examples, 1):
            try:
                result = run_example(ex.text, rule)
            except Exception as e:  # noqa: BLE001 — any failure of a unit's rule is a config error
                raise ConfigError(f"{path}: 规则 {rule.id} 运行第 {i} 个 {kind} 示例时出错（{type(e).__name__}: {e}），"
                                  f"请检查 params") from None
            if result.rule_failures:
                failure = result.rule_failures[0]
                raise ConfigError(f"{path}: 规则 {failure.rule} 运行第 {i} 个 {kind} 示例时出错（{failure.error}），请检查 params")
            hits = [f for f in result.findings if f.rule == rule.id]
            if kind == "pass" and hits:
                raise ConfigError(f"{path}: 规则 {rule.id} 在第 {i} 个通过示例上报出了问题：{hits[0].message}")
            if kind == "fail" and (not hits or (ex.line and ex.line not in [h.line for h in hits])):
                raise ConfigError(f"{path}: 规则 {rule.id} 没有在第 {i} 个不通过示例{f'的第 {ex.line} 行' if ex.line else ''}上报出问题")
