"""A rule's own examples, run: every pass example must give no finding of the rule, every fail
example one — on its line, with words in its message, or a number of findings, when the example
says so — and no finding may show an unfilled placeholder or an empty quotation. The test suite
runs them for the built-in rules, and config runs them for a unit's own rule files when loaded
(and for a rule whose params the configuration changes), so a rule that crashes or misses its
examples is refused at once, not in the middle of a batch."""
from __future__ import annotations

from .checks.base import Example, Rule
from .errors import ConfigError
from .models import Source
from .pipeline import check_source
from .read.txt import split_lines


def run_example(text: str, rule: Rule, docx=None):
    """The result of one example text under this rule alone; as a .docx laid out as `docx` says
    when given (checks/base.DocxSpec)."""
    if docx is not None:
        from .read import read_bytes
        from .word.build import formatted_docx
        return check_source(read_bytes(formatted_docx(text, docx), "<example>.docx"), [rule])[1]
    return check_source(Source(path="<example>", lines=split_lines(text)), [rule])[1]


def example_problem(rule: Rule, kind: str, ex: Example, verdicts: bool = True) -> str | None:
    """What is wrong with the rule on this example (kind: pass | fail), in Chinese, or None.
    With `verdicts` off, only what no parameters can excuse: a crash, a message with a
    placeholder left unfilled or an empty quotation."""
    result = run_example(ex.text, rule, ex.docx)
    if result.rule_failures:         # the engine contained the crash: still a broken rule
        return f"运行出错（{result.rule_failures[0].error}），请检查 params"
    hits = [f for f in result.findings if f.rule == rule.id]
    if not verdicts:
        return _wording(hits)
    if kind == "pass":
        return f"报出了问题：{hits[0].message}" if hits else None
    if not hits:
        return f"没有{f'在第 {ex.line} 行' if ex.line else ''}报出问题"
    lines = [h.line for h in hits]
    if ex.line is not None and ex.line not in lines:
        return f"没有在第 {ex.line} 行报出问题（报在第 {'、'.join(map(str, lines))} 行）"
    if ex.count is not None and len(hits) != ex.count:
        return f"应报出 {ex.count} 处问题，实际报出 {len(hits)} 处"
    if ex.message is not None and not any(ex.message in h.message for h in hits):
        return f"报出的问题中没有「{ex.message}」：{hits[0].message}"
    if ex.fixed is not None:
        problem = _fix_problem(rule, ex, result)
        if problem:
            return problem
    return _wording(hits)


def _fix_problem(rule: Rule, ex: Example, result) -> str | None:
    """The rule's fix made on the example must give its `fixed` text, on which the rule is quiet."""
    from .fixes import apply_text, planned
    if rule.fix is None:
        return "写了 fixed，但规则没有 fix"
    after = "\n".join(apply_text(split_lines(ex.text), planned(result)))
    if after != ex.fixed.rstrip("\n"):
        return f"自动修改的结果与 fixed 不同：{after!r}"
    again = [f for f in run_example(after, rule, ex.docx).findings if f.rule == rule.id]
    if again:
        return f"自动修改后仍报出问题：{again[0].message}"
    return None


def _wording(hits) -> str | None:
    for h in hits:
        for what, text in (("问题", h.message), ("建议", h.suggestion)):
            if "{" in text:
                return f"{what}中有未填的占位符：{text}"
            if "「」" in text:
                return f"{what}中有空的引文「」：{text}"
    return None


def examples_of(rule: Rule):
    """(kind, number from 1, example) of every example of the rule, pass ones first."""
    for kind, examples in (("pass", rule.examples.pass_), ("fail", rule.examples.fail)):
        for i, ex in enumerate(examples, 1):
            yield kind, i, ex


_KIND = {"pass": "通过（pass）", "fail": "不通过（fail）"}


def verify_examples(rule: Rule, path, changed_by: str = "") -> None:
    """Run a rule's own examples, as the test suite does for the built-in rules: a rule that
    crashes or misses its examples is a ConfigError naming the file, the rule and the example.

    `changed_by` says what changed the rule, when something did (a params override). Then the
    examples' verdicts are not held against it: they were written for the rule's own
    thresholds, and a unit that asks for three problems instead of two means its pass example
    of two to fail. What it must still do on them is run and fill in its message."""
    if not rule.examples.pass_ or not rule.examples.fail:
        raise ConfigError(f"{path}: 规则 {rule.id} 字段 examples：须至少各有一个通过（pass）和不通过（fail）示例")
    for kind, i, ex in examples_of(rule):
        try:
            problem = example_problem(rule, kind, ex, verdicts=not changed_by)
        except Exception as e:  # noqa: BLE001 — any failure of a unit's rule is a config error
            problem = f"运行出错（{type(e).__name__}: {e}），请检查 params"
        if problem and changed_by:
            raise ConfigError(f"{path}: {changed_by}使该规则在第 {i} 个{_KIND[kind]}示例上{problem}；"
                              f"请调整参数") from None
        if problem:
            raise ConfigError(f"{path}: 规则 {rule.id} 在第 {i} 个{_KIND[kind]}示例上{problem}") from None
