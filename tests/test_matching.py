"""A finding keeps its identity when the text around it is edited (checker/matching.py): the
baseline marks it 仍存在, not 已改正 + 新增, and its waiver still holds — on real reports of the
corpus, the flagged sentence taken from the check's own result, edited by 1, 5 and 30
characters inside it and beside it. And the near match stays honest: a problem removed is
已改正, a problem added is 新增, two similar findings of one part pair one to one."""
import json
from datetime import date

import pytest

from checker import baseline, matching
from checker.config import default_rules
from checker.pipeline import analyse, result_of
from checker.models import Source
from checker.read.txt import split_lines
from checker.report import check_text
from checker.waivers import Waiver
from tests.conftest import corpus_files, needs_corpus, run_cli

# plain report prose, cut to the length of an edit: what a drafter adds to a sentence
FILLER = "进一步健全完善相关工作机制并加强督促检查确保各项任务按期完成取得实效推动工作落地见效"
EDITS = [(n, where) for n in (1, 5, 30) for where in ("inside", "beside")]


def _flagged(rule: str):
    """(report text, its result, the finding) for each corpus report with a finding of `rule`,
    the finding as the check gives it."""
    out = []
    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        _, result = check_text(text, path.name)
        for f in result.findings:
            if f.rule == rule and f.line and f.excerpt:
                out.append((path.name, text, result, f))
                break
    return out


def edit(text: str, f, n: int, where: str, replace: bool = False) -> str:
    """The text with `n` characters put inside the finding's sentence (its middle) or beside it
    (right after its excerpt: the next words of the line), or, `replace`, `n` of its characters
    replaced."""
    lines = text.split("\n")
    line = lines[f.line - 1]
    quoted = f.excerpt.strip("…")
    start = line.find(quoted)
    start, end = (start, start + len(quoted)) if start >= 0 else (0, len(line))
    at = (start + end) // 2 if where == "inside" else end
    lines[f.line - 1] = line[:at] + FILLER[:n] + line[at + (n if replace else 0):]
    assert lines[f.line - 1] != line
    return "\n".join(lines)


def _same(result, f):
    """The finding now on f's line of f's rule (the edit moves no line)."""
    return [g for g in result.findings if g.rule == f.rule and g.line == f.line]


@needs_corpus
@pytest.mark.parametrize("n,where", EDITS)
def test_an_edited_flagged_sentence_keeps_its_finding(n, where):
    """The issue's case: QUAL-SHORTCOMINGS-GENERIC after its first problem line is edited."""
    cases = _flagged("QUAL-SHORTCOMINGS-GENERIC")
    assert len(cases) >= 2, "the corpus has reports whose problems are stock phrases"
    moved = 0
    for name, text, before, f in cases:
        _, now = check_text(edit(text, f, n, where), name)
        baseline.apply(now, baseline.earlier_of(before))
        same = _same(now, f)
        assert [g.change for g in same] == ["persisting"], (name, n, where)
        assert not [x for x in now.fixed if x.rule == f.rule], (name, n, where)
        moved += same[0].id != f.id
    if where == "inside":
        assert moved, "an edit inside the sentence changes the excerpt: matched by similarity, not by id"


@needs_corpus
@pytest.mark.parametrize("n", [1, 5])
def test_a_replaced_word_keeps_every_finding_of_the_sentence(n):
    """Every finding of the corpus whose sentence has `n` characters replaced in its middle —
    whatever the rule, the first flagged sentence of each part — is 仍存在 unless the rule no
    longer fires there or the line now belongs to another part."""
    checked = 0
    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        _, before = check_text(text, path.name)
        parts = {}
        for f in before.findings:
            if f.line and len(f.excerpt.strip("…")) > 2 * n + 4:
                parts.setdefault(f.part, f)
        for f in parts.values():
            _, now = check_text(edit(text, f, n, "inside", replace=True), path.name)
            baseline.apply(now, baseline.earlier_of(before))
            for g in _same(now, f):
                if g.part != f.part:
                    # the edit took the words that made a heading 「下一年度安排」: another part,
                    # and near matches stay within a part (a structural change, not an edit)
                    continue
                checked += 1
                assert g.change == "persisting", (path.name, f.rule, f.line)
                assert not [x for x in now.fixed if x.rule == f.rule and x.line == f.line], (path.name, f.rule)
    assert checked >= 10


@needs_corpus
def test_a_removed_problem_is_fixed_and_an_added_one_is_new():
    """The flagged words taken out: 已改正 (a small edit, yet no near match may keep it). A
    new placeholder sentence added to the same part: 新增, though the rule may have others there."""
    seen = fixed = 0
    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        _, before = check_text(text, path.name)
        f = next((f for f in before.findings if f.words and f.line
                  and all(w in text.split("\n")[f.line - 1] for w in f.words)), None)
        if f is None:
            continue
        seen += 1
        lines = text.split("\n")
        for w in f.words:                   # every flagged word of the finding taken out
            lines[f.line - 1] = lines[f.line - 1].replace(w, "")
        _, now = check_text("\n".join(lines), path.name)
        baseline.apply(now, baseline.earlier_of(before))
        if not _same(now, f):               # the rule no longer fires there: the problem is gone
            fixed += 1
            assert f.id in {x.id for x in now.fixed}, (path.name, f.rule, f.words)
            assert not [g for g in now.findings if g.rule == f.rule and g.change == "persisting"
                        and g.id not in {b.id for b in before.findings}], "no other finding took its place"

        # a new problem beside an old one of the same part: a paragraph added under a flagged one
        g = next(g for g in before.findings if g.line and g.part not in ("head", "closing", "report", "part"))
        lines = text.split("\n")
        lines.insert(g.line, "全年共开展专项督查XX次。")
        _, now = check_text("\n".join(lines), path.name)
        baseline.apply(now, baseline.earlier_of(before))
        added = [x for x in now.findings if x.rule == "WORD-PLACEHOLDER" and x.line == g.line + 1]
        assert [x.change for x in added] == ["new"] and added[0].part == g.part, path.name
        assert now.fixed == [], (path.name, [x.rule for x in now.fixed])
        assert {x.change for x in now.findings if x is not added[0]} <= {"persisting"}, path.name
    assert seen >= 2 and fixed >= 2


@needs_corpus
def test_two_similar_findings_in_one_part_pair_one_to_one():
    """A flagged line pasted twice (a second, slightly different copy below the first): editing
    one copy keeps both (neither is 已改正 or 新增); deleting one leaves exactly one 已改正."""
    name, text, _, f = next(c for c in _flagged("WORD-HALFWIDTH-PUNCT"))
    lines = text.split("\n")
    twin = lines[f.line - 1].replace("，", ",", 1) + "切实做好有关工作。"
    lines.insert(f.line, twin)
    doubled = "\n".join(lines)
    _, before = check_text(doubled, name)
    pair = [g for g in before.findings if g.rule == f.rule and g.line in (f.line, f.line + 1)]
    assert len(pair) == 2 and pair[0].part == pair[1].part
    assert matching.similarity(matching.normalise(pair[0].excerpt), matching.normalise(pair[1].excerpt)) > 0.6

    _, now = check_text(edit(doubled, pair[1], 5, "inside"), name)
    baseline.apply(now, baseline.earlier_of(before))
    assert [g.change for g in now.findings if g.rule == f.rule and g.line in (f.line, f.line + 1)] == ["persisting"] * 2
    assert not [x for x in now.fixed if x.rule == f.rule]

    lines = doubled.split("\n")
    del lines[f.line]                       # the twin gone
    _, now = check_text("\n".join(lines), name)
    baseline.apply(now, baseline.earlier_of(before))
    assert [x.line for x in now.fixed if x.rule == f.rule] == [f.line + 1]
    assert _same(now, f)[0].change == "persisting"


def test_pairs_are_one_to_one_and_best_first():
    K = matching.Key
    before = [K("A", "measures", "1", "执法队伍专业化程度不高全镇仅有执法人员4名"),
              K("A", "measures", "2", "执法队伍专业化程度不高全镇仅有执法人员4名具有法律背景的仅2名")]
    now = [K("A", "measures", "x", "执法队伍专业化程度不高全镇仅有执法人员5名具有法律背景的仅2名")]
    # the closer earlier finding takes it; the other is left (fixed), not both
    assert matching.pair(before, now) == {0: (1, pytest.approx(matching.similarity(before[1].text, now[0].text)))}
    # another part, another rule: never
    assert matching.pair([K("A", "shortcomings", "1", before[1].text)], now) == {}
    assert matching.pair([K("B", "measures", "1", before[1].text)], now) == {}
    # the exact id first, whatever is more similar
    assert matching.pair(before, [K("A", "measures", "1", "全然不同")]) == {0: (0, 1.0)}
    # two texts with nothing in common are two findings, even each the other's only candidate
    assert matching.pair([K("A", "m", "1", "学习不够深入")], [K("A", "m", "2", "宣传形式单一")]) == {}


# ---- waivers: the same matching -------------------------------------------------------------

def _checked(text: str, name: str, waivers):
    doc = analyse(Source(path=name, lines=split_lines(text)))
    return result_of(doc, default_rules(), waivers)


def _waiver(f, **more) -> Waiver:
    return Waiver(rule=f.rule, fingerprint=f.fingerprint, reason="已核实", expires=date(2099, 12, 31), **more)


@needs_corpus
@pytest.mark.parametrize("n,where", EDITS)
def test_a_waiver_holds_for_the_edited_sentence_and_says_so(n, where):
    for name, text, before, f in _flagged("QUAL-SHORTCOMINGS-GENERIC"):
        w = _waiver(f, excerpt=f.excerpt, part=f.part)
        edited = edit(text, f, n, where)
        now = _checked(edited, name, [w])
        same = _same(now, f)
        assert len(same) == 1 and same[0].waived is not None, (name, n, where)
        if same[0].fingerprint != f.fingerprint:
            # by similarity: said, with the wording it was written for and the fingerprint now
            assert "修改前" in same[0].waived.note and same[0].fingerprint in same[0].waived.note
        else:
            assert same[0].waived.note == ""
        assert sum(1 for g in now.findings if g.waived) == 1, "one waiver, one finding"


@needs_corpus
def test_a_waiver_without_its_excerpt_matches_exactly_as_before():
    """Waiver files written before excerpt/part existed: the fingerprint alone, exactly — the
    unedited report waived, the edited sentence not (nothing to compare it with)."""
    name, text, _, f = _flagged("QUAL-SHORTCOMINGS-GENERIC")[0]
    w = _waiver(f)
    assert _same(_checked(text, name, [w]), f)[0].waived is not None
    edited = _same(_checked(edit(text, f, 5, "inside"), name, [w]), f)[0]
    assert edited.fingerprint != f.fingerprint and edited.waived is None


@needs_corpus
def test_a_waiver_does_not_spread_to_another_part_or_sentence():
    """Written for one finding, it waives only that one's edited self: not the rule's finding in
    another part, not a different sentence of the same rule."""
    for path in corpus_files():
        text = path.read_text(encoding="utf-8")
        _, result = check_text(text, path.name)
        by_rule = {}
        for f in result.findings:
            if f.excerpt:
                by_rule.setdefault(f.rule, []).append(f)
        for fs in by_rule.values():
            if len(fs) >= 2:
                target = fs[0]
                now = _checked(text, path.name, [_waiver(target, excerpt=target.excerpt, part=target.part)])
                assert [g.line for g in now.findings if g.waived] == [target.line]
                now = _checked(edit(text, target, 5, "inside"), path.name,
                               [_waiver(target, excerpt=target.excerpt, part=target.part)])
                assert [g.line for g in now.findings if g.waived and g.rule == target.rule] == [target.line]


def test_a_waiver_on_one_generic_sentence_leaves_another_reports_sentence_unwaived():
    """A waiver meets every report of a batch: the one generic 不足 sentence of another report's
    part is a different sentence (a third alike), not the waived one edited."""
    head = "某镇2024年法治政府建设年度报告\n一、主要举措和成效\n全年开展普法活动12次，覆盖全镇各村。\n二、存在的不足和原因\n"
    tail = "原因是培训不够。\n三、2025年工作安排\n增加执法人员2名。\n"
    first = head + "部分干部法治思维和依法行政能力有待进一步提高。\n" + tail
    other = head + "基层执法队伍依法行政意识还不够强。\n" + tail
    _, r1 = check_text(first)
    _, r2 = check_text(other)
    rule = "QUAL-SHORTCOMINGS-GENERIC"
    f = next((g for g in r1.findings if g.rule == rule), None)
    assert f is not None and any(g.rule == rule for g in r2.findings)
    w = Waiver(rule=f.rule, fingerprint=f.fingerprint, reason="r", expires=date(2099, 1, 1), excerpt=f.excerpt, part=f.part)
    now = result_of(analyse(Source(path="b.txt", lines=split_lines(other))), default_rules(), [w])
    assert not [g for g in now.findings if g.waived and g.rule == rule]
    edited = first.replace("有待进一步提高", "仍有待进一步提高")      # the waived sentence itself, edited
    now = result_of(analyse(Source(path="a.txt", lines=split_lines(edited))), default_rules(), [w])
    assert [g for g in now.findings if g.waived and g.rule == rule]


def test_an_expired_waiver_matched_by_similarity_is_reported_expired():
    text = ("某镇2024年法治政府建设年度报告\n一、主要举措和成效\n全年开展普法活动XX次，覆盖全镇各村。\n"
            "二、存在的不足和原因\n执法人员仅4名。原因是编制不足。\n三、2025年工作安排\n增加执法人员2名。\n")
    _, first = check_text(text)
    f = next(g for g in first.findings if g.rule == "WORD-PLACEHOLDER")
    w = Waiver(rule=f.rule, fingerprint=f.fingerprint, reason="r", expires=date(2020, 1, 1), excerpt=f.excerpt, part=f.part)
    doc = analyse(Source(path="a.txt", lines=split_lines(text.replace("覆盖全镇", "覆盖全镇所有"))))
    now = result_of(doc, default_rules(), [w])
    assert not [g for g in now.findings if g.waived]
    assert now.config["waivers_expired"] == [{"rule": f.rule, "fingerprint": f.fingerprint, "expires": "2020-01-01"}]


# ---- through the command line ---------------------------------------------------------------

@needs_corpus
def test_check_baseline_and_waivers_on_an_edited_draft(tmp_path):
    """`check 第二稿 --baseline 第一稿.json --waivers w.yaml`: the edited finding 仍存在 and
    waived, the waiver file naming the excerpt and part as the first result gave them."""
    name, text, _, f = _flagged("QUAL-SHORTCOMINGS-GENERIC")[0]
    first, second = tmp_path / "第一稿.txt", tmp_path / "第二稿.txt"
    first.write_text(text, encoding="utf-8")
    r = run_cli("check", first, "-f", "json")
    (tmp_path / "earlier.json").write_text(r.stdout, encoding="utf-8")
    earlier = next(x for x in json.loads(r.stdout)["findings"] if x["rule"] == f.rule)
    assert earlier["part"] == f.part
    second.write_text(edit(text, f, 30, "inside"), encoding="utf-8")
    (tmp_path / "w.yaml").write_text(
        f"- rule: {earlier['rule']}\n  fingerprint: {earlier['fingerprint']}\n  reason: 已核实\n"
        f"  expires: 2099-12-31\n  excerpt: {json.dumps(earlier['excerpt'], ensure_ascii=False)}\n  part: {earlier['part']}\n",
        encoding="utf-8")
    r = run_cli("check", second, "-f", "json", "--baseline", tmp_path / "earlier.json", "--waivers", tmp_path / "w.yaml")
    d = json.loads(r.stdout)
    now = [x for x in d["findings"] if x["rule"] == f.rule]
    assert [x["change"] for x in now] == ["persisting"] and now[0]["id"] != earlier["id"]
    assert now[0]["waived"] and "修改前" in now[0]["waived"]["note"]
    assert not [x for x in d["fixed"] if x["rule"] == f.rule]
    text_out = run_cli("check", second, "--no-color", "--baseline", tmp_path / "earlier.json",
                       "--waivers", tmp_path / "w.yaml").stdout
    assert "已豁免" in text_out and "修改前" in text_out


@needs_corpus
def test_a_baseline_written_before_findings_recorded_their_part_still_matches_near():
    """An earlier result without `part` (written by an older fzcheck): the part is found from its
    id, so the edited sentence still pairs — and a finding of another part still does not."""
    name, text, before, f = _flagged("QUAL-SHORTCOMINGS-GENERIC")[0]
    old = baseline.Earlier([{k: v for k, v in x.model_dump(mode="json").items() if k != "part"} for x in before.findings])
    assert all("part" not in x for x in old.findings)
    assert baseline._key(old.findings[0], {x.part for x in before.findings}).part == before.findings[0].part
    _, now = check_text(edit(text, f, 30, "inside"), name)
    baseline.apply(now, old)
    assert [g.change for g in _same(now, f)] == ["persisting"] and _same(now, f)[0].id != f.id
    assert not [x for x in now.fixed if x.rule == f.rule]


def test_the_note_of_a_near_waiver_is_escaped_in_each_medium():
    """The note quotes the waiver file's excerpt, text a reviewer typed: shown as text in HTML
    and Markdown, never as markup."""
    from checker.render import render
    text = ("某镇2024年法治政府建设年度报告\n一、主要举措和成效\n全年开展普法活动XX次，覆盖全镇各村。\n"
            "二、存在的不足和原因\n执法人员仅4名。原因是编制不足。\n三、2025年工作安排\n增加执法人员2名。\n")
    _, first = check_text(text)
    f = next(g for g in first.findings if g.rule == "WORD-PLACEHOLDER")
    w = _waiver(f, excerpt=f.excerpt + "<b>普法</b>", part=f.part)
    now = _checked(text.replace("覆盖全镇", "覆盖全镇所有"), "a.txt", [w])
    g = next(g for g in now.findings if g.rule == f.rule)
    assert g.waived and "<b>普法" in g.waived.note
    html = render(now, "html")
    assert "<b>普法" not in html and "&lt;b&gt;普法" in html
    assert "<b>普法" not in render(now, "md")
