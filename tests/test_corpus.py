"""The real reports in ../shared/corpus against what a careful reviewer found (expected.yaml):
outline statuses, every listed defect reported on its line, and the metadata."""
import pytest
import yaml

from checker.report import check_path

from .conftest import CORPUS, DEFECT_RULES, needs_corpus

pytestmark = needs_corpus
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8")) if (CORPUS / "expected.yaml").exists() else {}


@pytest.fixture(scope="module")
def results():
    return {name: check_path(CORPUS / name) for name in EXPECTED}


def _ok(got, want):
    return got in want if isinstance(want, list) else got == want


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_outline_statuses(results, name):
    _, r = results[name]
    for el, want in EXPECTED[name]["outline"].items():
        assert _ok(r.outline[el].status, want), f"{el}: {r.outline[el].status}, expected {want}"
        if r.outline[el].status != "absent":
            assert r.outline[el].evidence, f"{el} has no evidence"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_defects_reported_on_their_line(results, name):
    _, r = results[name]
    lines = (CORPUS / name).read_text(encoding="utf-8").split("\n")
    for d in EXPECTED[name].get("defects", []):
        texts = d["text"] if isinstance(d["text"], list) else [d["text"]]
        at = [i for i, line in enumerate(lines, 1) if any(t in line for t in texts)]
        assert at, f"fragment of {d['kind']} not in file"
        rules = DEFECT_RULES[d["kind"]]
        assert any(f.line in at and f.rule in rules for f in r.findings), f"{d['kind']} not reported on line {at}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_meta(results, name):
    _, r = results[name]
    e = EXPECTED[name]
    assert r.meta.title == e["title"]
    assert r.meta.report_year == e["report_year"]
    assert r.meta.level == e["level"]
    if "published" in e:
        assert r.meta.published == str(e["published"])
    if "signed" in e:
        assert r.meta.signed == str(e["signed"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_parts_and_errors(results, name):
    _, r = results[name]
    e = EXPECTED[name]
    got = [(p.heading, p.element, p.thematic) for p in r.parts]
    assert len(got) == len(e["parts"])
    for (heading, element, thematic), want in zip(got, e["parts"]):
        assert heading.replace(" ", "") .startswith(want["heading"].replace(" ", ""))
        want_el = want["element"] if isinstance(want["element"], list) else [want["element"]]
        assert element in want_el or (thematic and "thematic" in want_el)
    if "errors_at_least" in e:
        assert r.summary.errors >= e["errors_at_least"]


def test_removed_chrome_is_kept(results):
    """Web chrome is taken out of the text but kept in the result."""
    for name, (_, r) in results.items():
        raw = (CORPUS / name).read_text(encoding="utf-8").split("\n")
        for rm in r.removed:
            assert rm.text.strip() in raw[rm.line - 1]
