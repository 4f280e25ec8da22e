"""Variants made at test time from the real reports: a part deleted, parts reordered, years
changed, a placeholder inserted, heading numbers stripped. The checker must follow each change."""
import re

import pytest
import yaml

from checker.report import check_text

from .conftest import CORPUS, needs_corpus

pytestmark = needs_corpus
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8")) if (CORPUS / "expected.yaml").exists() else {}


def load(name):
    return (CORPUS / name).read_text(encoding="utf-8").split("\n")


def part_spans(name, lines):
    """(element, start index, end index) of each top-level part, from expected.yaml headings."""
    heads = []
    for p in EXPECTED[name]["parts"]:
        i = next(i for i, line in enumerate(lines) if p["heading"].replace(" ", "") in line.replace(" ", ""))
        el = p["element"][-1] if isinstance(p["element"], list) else p["element"]
        heads.append((el, i))
    spans = []
    for k, (el, i) in enumerate(heads):
        end = heads[k + 1][1] if k + 1 < len(heads) else _body_end(lines, i)
        spans.append((el, i, end))
    return spans


def _body_end(lines, start):
    """End of the last part: before the signature/date block or page chrome at the end."""
    end = len(lines)
    for j in range(len(lines) - 1, start, -1):
        t = lines[j].strip()
        if not t or len(t) < 30 and not t.endswith("。"):
            end = j
        else:
            break
    return end


def check(lines):
    return check_text("\n".join(lines), "variant.txt")[1]


def names_with(element):
    return [n for n, e in EXPECTED.items() if e["outline"].get(element) == "standalone"]


@pytest.mark.parametrize("element,rule", [("shortcomings", "OUT-SHORTCOMINGS"), ("next_plan", "OUT-NEXT-PLAN"),
                                          ("first_responsible", "OUT-FIRST-RESP")])
def test_part_deleted(element, rule):
    for name in names_with(element):
        lines = load(name)
        spans = part_spans(name, lines)
        _, a, b = next(s for s in spans if s[0] == element)
        r = check(lines[:a] + lines[b:])
        assert r.outline[element].status != "standalone", name
        if r.outline[element].status == "absent":
            assert rule in {f.rule for f in r.findings if f.severity == "error"}, name
        else:
            assert r.outline[element].evidence
        for other in ("measures", "shortcomings", "next_plan"):
            if other != element and EXPECTED[name]["outline"][other] == "standalone":
                assert r.outline[other].status == "standalone", f"{name}: {other} lost"


def test_shortcomings_deleted_is_absent():
    """Deleting the shortcomings part leaves nothing that names a problem in these reports."""
    for name in names_with("shortcomings"):
        lines = load(name)
        _, a, b = next(s for s in part_spans(name, lines) if s[0] == "shortcomings")
        r = check(lines[:a] + lines[b:])
        assert r.outline["shortcomings"].status == "absent", name
        assert r.outline["reasons"].status == "absent", name
        assert r.exit_code == 1


def test_parts_reordered():
    for name in names_with("shortcomings"):
        lines = load(name)
        spans = part_spans(name, lines)
        _, a, b = next(s for s in spans if s[0] == "shortcomings")
        _, pa, pb = next(s for s in spans if s[0] == "next_plan")
        assert a < pa
        moved = lines[:a] + lines[b:pb] + lines[a:b] + lines[pb:]
        r = check(moved)
        for el, want in EXPECTED[name]["outline"].items():
            got = r.outline[el].status
            assert got in want if isinstance(want, list) else got == want, f"{name}: {el}"
        order = [f for f in r.findings if f.rule == "OUT-ORDER"]
        assert order, name
        new_line = moved.index(lines[a]) + 1
        assert order[0].line == new_line


def _shift_years(text, by):
    return re.sub(r"(?<!\d)(20[12]\d)(?!\d)", lambda m: str(int(m.group(1)) + by), text)


def test_years_changed_consistently():
    for name, e in EXPECTED.items():
        text = _shift_years("\n".join(load(name)), -3)
        _, r = check_text(text, "variant.txt")
        assert r.meta.report_year == e["report_year"] - 3
        for el, want in e["outline"].items():
            got = r.outline[el].status
            assert got in want if isinstance(want, list) else got == want, f"{name}: {el}"
        assert not [f for f in r.findings if f.rule.startswith("YEAR-") and f.rule != "YEAR-NO-NIAN"], name


def test_plan_year_made_wrong():
    hit = 0
    for name, e in EXPECTED.items():
        lines = load(name)
        _, a, _ = next(s for s in part_spans(name, lines) if s[0] == "next_plan")
        y = e["report_year"]
        if str(y + 1) not in lines[a]:
            continue
        lines[a] = lines[a].replace(str(y + 1), str(y - 1))
        r = check(lines)
        assert any(f.rule == "YEAR-PLAN" and f.line == a + 1 and f.severity == "error" for f in r.findings), name
        hit += 1
    assert hit >= 2


def test_title_year_disagrees_with_body():
    for name, e in EXPECTED.items():
        lines = load(name)
        t = next(i for i, line in enumerate(lines) if str(e["report_year"]) in line)
        lines[t] = lines[t].replace(str(e["report_year"]), str(e["report_year"] + 2), 1)
        r = check(lines)
        if r.meta.body_year is None:
            # no year in the opening: the title's year is the report's, and the parts disagree
            assert r.meta.report_year == e["report_year"] + 2
            assert {f.rule for f in r.findings} & {"YEAR-PLAN", "YEAR-MEASURES"}, name
            continue
        # the opening says which year is reported on: the title is the slip, said on its line
        assert r.meta.report_year == e["report_year"], name
        hit = [f for f in r.findings if f.rule == "YEAR-PREAMBLE"]
        assert hit and hit[0].line == r.meta.title_line <= t + 1 and hit[0].severity == "error", name
        assert str(e["report_year"]) in hit[0].message and str(e["report_year"] + 2) in hit[0].message


def test_placeholder_inserted():
    for name in EXPECTED:
        lines = load(name)
        spans = part_spans(name, lines)
        _, a, b = spans[0]
        i = next(i for i in range(a + 1, b) if len(lines[i]) > 60)
        lines[i] = lines[i][:20] + "共开展XX次" + lines[i][20:]
        r = check(lines)
        assert any(f.rule == "WORD-PLACEHOLDER" and f.line == i + 1 and f.severity == "error"
                   for f in r.findings), name
        assert r.exit_code == 1


_MARKER = re.compile(r"^(\s*)([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")


def test_heading_numbers_stripped():
    """Strip the marker of every second top-level part and of one sub-part: the parts still land
    at their level, statuses do not change, and each stripped line is reported."""
    for name, e in EXPECTED.items():
        lines = load(name)
        spans = part_spans(name, lines)
        stripped = []
        for k, (_, a, _) in enumerate(spans):
            if k % 2 == 1 and _MARKER.match(lines[a]):
                lines[a] = _MARKER.sub(r"\1", lines[a])
                stripped.append(a + 1)
        subs = [i for i, line in enumerate(lines) if re.match(r"^\s*[(（]二[)）]", line)]
        if subs:
            lines[subs[0]] = _MARKER.sub(r"\1", lines[subs[0]])
            stripped.append(subs[0] + 1)
        r = check(lines)
        for el, want in e["outline"].items():
            got = r.outline[el].status
            assert got in want if isinstance(want, list) else got == want, f"{name}: {el}"
        assert len(r.parts) == len(e["parts"]), name
        flagged = {f.line for f in r.findings if f.rule == "STRUCT-LOST-NUMBER"}
        assert set(stripped) <= flagged, f"{name}: stripped {stripped}, flagged {sorted(flagged)}"
