"""Real published pages (../shared/corpus/openings/: the first ~700 characters of 97 real report
pages with their labels): whose report, which year, which title — and a cut text is not a
deficient report. The figures are asserted; the misses are printed (pytest -s shows them)."""
import json
import os
from pathlib import Path

import pytest

from checker.report import check_path

from .conftest import CORPUS

OPENINGS = Path(os.environ.get("FZCHECK_OPENINGS", CORPUS / "openings"))
LABELS = OPENINGS / "labels.jsonl"
pytestmark = pytest.mark.skipif(not LABELS.exists(), reason=f"real openings not found at {OPENINGS}")

# the labels' element names → the JSON contract's; the rule that says each element is missing
ELEMENT = {"measures": "measures", "first_responsible": "first_responsible", "shortcomings": "shortcomings",
           "reasons": "reasons", "next_year_plan": "next_plan", "other": "other"}
MISSING_RULE = {"OUT-MEASURES": "measures", "OUT-FIRST-RESP": "first_responsible",
                "OUT-SHORTCOMINGS": "shortcomings", "OUT-REASONS": "reasons", "OUT-NEXT-PLAN": "next_plan"}


def _same_title(got, want) -> bool:
    """Titles agree up to spacing (a title split over lines is joined with a space)."""
    return "".join((got or "").split()) == "".join((want or "").split())


@pytest.fixture(scope="module")
def checked():
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(lab, check_path(OPENINGS / lab["file"])[1]) for lab in labels]


def test_whose_report_which_year_which_title(checked):
    misses = {"year": [], "level": [], "title": []}
    titled = 0
    for lab, r in checked:
        if r.meta.report_year != lab["report_year"]:
            misses["year"].append((lab["file"], r.meta.report_year, lab["report_year"]))
        if r.meta.level != lab["level"]:
            misses["level"].append((lab["file"], r.meta.level, lab["level"], lab["level_text"]))
        if lab["title"]:
            titled += 1
            if not _same_title(r.meta.title, lab["title"]):
                misses["title"].append((lab["file"], r.meta.title, lab["title"]))
    n = len(checked)
    share = {"year": 1 - len(misses["year"]) / n, "level": 1 - len(misses["level"]) / n,
             "title": 1 - len(misses["title"]) / titled}
    print(f"\nopenings: {n} files, year {share['year']:.1%}, level {share['level']:.1%}, "
          f"title {share['title']:.1%} of {titled} that show one")
    for field, rows in misses.items():
        for row in rows:
            print(f"  {field} miss: {row}")
    assert share["year"] >= 0.97 and share["level"] >= 0.95 and share["title"] >= 0.95, share


def test_no_visible_part_reported_absent_and_no_missing_part_error_for_a_cut_one(checked):
    wrong = []
    for lab, r in checked:
        for el, want in lab["outline"].items():
            got = r.outline[ELEMENT[el]].status
            if want in ("standalone", "embedded") and got == "absent":
                wrong.append((lab["file"], el, want, got))
        unknown = {ELEMENT[el] for el, want in lab["outline"].items() if want == "unknown"}
        for f in r.findings:
            if f.severity == "error" and MISSING_RULE.get(f.rule) in unknown:
                wrong.append((lab["file"], f.rule, "unknown", f.message))
    for row in wrong:
        print(f"  outline miss: {row}")
    assert not wrong


def test_every_cut_opening_says_it_is_incomplete(checked):
    """Each opening is cut: the checker says so once, on the last line, as an error."""
    for lab, r in checked:
        hits = [f for f in r.findings if f.rule == "STRUCT-INCOMPLETE"]
        assert len(hits) == 1 and hits[0].severity == "error", lab["file"]
        assert any(v.status == "unknown" for v in r.outline.values()), lab["file"]


def test_page_years_never_become_the_report_year(checked):
    """The disclosure block's and the page's dates are the page's: where the label's year differs
    from the publication year, the report year is still the label's."""
    later = [(lab, r) for lab, r in checked if lab["published_date"] and lab["report_year"]
             and int(lab["published_date"][:4]) != lab["report_year"]]
    assert len(later) >= 50
    assert all(r.meta.report_year == lab["report_year"] for lab, r in later), \
        [lab["file"] for lab, r in later if r.meta.report_year != lab["report_year"]]


def test_whose_report_from_the_body_alone():
    """With its title lines taken out, an opening still says whose report it is in most cases
    (「2024年，XX街道坚持…」「现将XX2024年度…」「我镇」, the disclosure block): the level is not
    read from the title alone."""
    from checker.errors import InputError
    from checker.report import check_text
    right = total = 0
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        lab = json.loads(line)
        if not lab["title"]:
            continue
        pieces = [p.strip() for p in lab["title"].split("\n") if p.strip()]
        text = "\n".join(x for x in (OPENINGS / lab["file"]).read_text(encoding="utf-8").split("\n")
                         if not any(p in x for p in pieces))
        try:
            r = check_text(text)[1]
        except InputError:
            continue                # nothing but the title and page furniture
        total += 1
        right += r.meta.level == lab["level"]
    print(f"\nlevel from the body alone: {right}/{total}")
    assert total >= 40 and right / total >= 0.85
