"""Reports written to break the checker (tests/data/review/): each once produced a false or
misleading finding; the expectations say what must and must not be reported now."""
import pytest
import yaml

from checker.report import check_path

from .conftest import ROOT, run_cli

DIR = ROOT / "tests" / "data" / "review"
CASES = yaml.safe_load((DIR / "expected.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(CASES))
def test_review_case(name):
    e = CASES[name]
    if e.get("exit") == 2:
        r = run_cli("check", DIR / name)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
        return
    _, r = check_path(DIR / name)
    loud = [f for f in r.findings if f.severity != "info"]
    rules = {f.rule for f in r.findings}
    if e.get("quiet"):
        assert not loud, [(f.rule, f.message) for f in loud]
    for m in e.get("must", []):
        rule, line = (m["rule"], m.get("line")) if isinstance(m, dict) else (m, None)
        hits = [f for f in r.findings if f.rule == rule]
        assert hits, rule
        if line:
            assert line in [f.line for f in hits], (rule, [f.line for f in hits])
        for f in hits:
            assert "「」" not in f.message and "「」" not in f.suggestion, f.message
    for rule in e.get("not", []):
        assert rule not in rules, rule
    if "year" in e:
        assert r.meta.report_year == e["year"]
