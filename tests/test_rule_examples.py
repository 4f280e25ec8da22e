"""Every rule's own pass/fail examples (rules/checks/*.yaml), run through the whole pipeline with
only that rule enabled, by the one function that also checks a unit's rule files when they are
loaded (checker/examples.py): a pass example yields no finding of the rule, a fail example at
least one — on its line, with its words in the message, as many as it says, when it says so."""
import pytest

from checker.checks.load import builtin_rules
from checker.examples import example_problem, examples_of

CASES = [(r, kind, i, ex) for r in builtin_rules() for kind, i, ex in examples_of(r)]


@pytest.mark.parametrize("rule,kind,i,example", CASES,
                         ids=[f"{r.id}-{k}{i}" for r, k, i, _ in CASES])
def test_rule_example(rule, kind, i, example):
    problem = example_problem(rule, kind, example)
    assert problem is None, f"{rule.id} {kind} example {i}: {problem}"


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda r: r.id)
def test_rule_is_complete(rule):
    assert rule.examples.pass_ and rule.examples.fail, "each rule carries pass and fail examples"
    assert rule.basis.strip() and rule.suggestion.strip() and rule.title.strip()
    if rule.fix is not None:
        assert any(ex.fixed is not None for ex in rule.examples.fail), "a rule with fix: shows it on a fail example (fixed:)"
