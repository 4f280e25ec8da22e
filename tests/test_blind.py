"""A set of reports written blind to the implementation (tests/data/blind/, fictitious units in
the styles of other provinces, levels and years: PDF hard-wrap, unnumbered parts, 第一部分, GBK
web copies, joint issuers). The checker must read each as its author intended."""
import pytest
import yaml

from checker.report import check_path

from .conftest import DEFECT_RULES, ROOT

BLIND = ROOT / "tests" / "data" / "blind"
EXPECTED = yaml.safe_load((BLIND / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results():
    return {name: check_path(BLIND / name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta_and_outline(results, name):
    _, r = results[name]
    e = EXPECTED[name]
    assert (r.meta.title, r.meta.report_year, r.meta.level) == (e["title"], e["report_year"], e["level"])
    for el, want in e["outline"].items():
        got = r.outline[el].status
        assert got in want if isinstance(want, list) else got == want, el
    for key in ("signed", "published"):
        if key in e:
            assert getattr(r.meta, key) == str(e[key])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_planted_defects_reported_on_their_line(results, name):
    doc, r = results[name]
    for d in EXPECTED[name].get("defects", []):
        texts = d["text"] if isinstance(d["text"], list) else [d["text"]]
        at = [i for i, line in enumerate(doc.source.lines, 1) if any(t in line for t in texts)]
        assert at, d
        assert any(f.line in at and f.rule in DEFECT_RULES[d["kind"]] for f in r.findings), \
            f"{d['kind']} not reported on {at}"


def test_clean_report_has_no_findings(results):
    for name, e in EXPECTED.items():
        if not e.get("defects"):
            assert results[name][1].findings == [], name
