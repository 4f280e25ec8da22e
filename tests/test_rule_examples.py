"""Every rule's own pass/fail examples (rules/checks/*.yaml), run through the whole pipeline with
only that rule enabled: a pass example yields no finding of the rule, a fail example at least
one — on the given line when the example names one."""
import pytest

from checker.checks.load import builtin_rules
from checker.report import check_text

CASES = [(r, kind, i, ex) for r in builtin_rules()
         for kind, exs in (("pass", r.examples.pass_), ("fail", r.examples.fail))
         for i, ex in enumerate(exs)]


@pytest.mark.parametrize("rule,kind,i,example", CASES,
                         ids=[f"{r.id}-{k}{i}" for r, k, i, _ in CASES])
def test_rule_example(rule, kind, i, example):
    _, result = check_text(example.text, rules=[rule])
    assert not result.rule_failures, f"{rule.id} crashed on its {kind} example: {result.rule_failures}"
    hits = [f for f in result.findings if f.rule == rule.id]
    if kind == "pass":
        assert not hits, f"{rule.id} fired on its pass example: {[h.message for h in hits]}"
    else:
        assert hits, f"{rule.id} did not fire on its fail example"
        if example.line is not None:
            assert example.line in [h.line for h in hits], \
                f"{rule.id} fired on lines {[h.line for h in hits]}, expected {example.line}"
        for h in hits:
            assert "{" not in h.message and "{" not in h.suggestion, f"unfilled placeholder: {h.message}"
            assert "「」" not in h.message and "「」" not in h.suggestion, f"an empty quotation: {h.message}"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_rule_is_complete(rule):
    assert rule.examples.pass_ and rule.examples.fail, "each rule carries pass and fail examples"
    assert rule.basis.strip() and rule.suggestion.strip() and rule.title.strip()
