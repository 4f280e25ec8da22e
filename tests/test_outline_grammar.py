"""The parts' order as a Lark grammar (grammar/outline.lark, checker/analyse/structure.py): it
loads as strict LALR, it accepts exactly the reports the old `before:` pairs accepted, OUT-ORDER
says in Chinese what the grammar expected, a stricter grammar can be named, and it costs
nothing a report would notice."""
from __future__ import annotations

import itertools
import timeit
from pathlib import Path

import pytest

from checker.analyse import structure
from checker.checks.load import builtin_rules
from checker.checklist import build
from checker.config import resolve
from checker.elements import spec
from checker.errors import ConfigError
from checker.report import check_text
from checker.settings import Settings, outline_grammar

from .conftest import corpus_files, needs_corpus

# The order OUT-ORDER enforced before the grammar (rules/checks/outline.yaml, `before:`): every
# part carrying a comes before every part carrying b; a finding per pair broken, on the last a.
OLD_BEFORE = [("measures", "shortcomings"), ("measures", "next_plan"), ("shortcomings", "next_plan"),
              ("first_responsible", "next_plan"), ("next_plan", "other")]


def old_findings(seq) -> list[int]:
    first, last = {}, {}
    for i, els in enumerate(seq):
        for e in els:
            first.setdefault(e, i)
            last[e] = i
    return sorted(last[a] for a, b in OLD_BEFORE if a in last and b in first and last[a] > first[b])


def element_sets() -> list[tuple[str, ...]]:
    """Every element set the outline map can give a part (rules/outline.yaml: a heading that
    names a stronger element drops the weaker — first_responsible drops measures)."""
    order, supp = spec()["order"], spec()["suppresses"]
    out = []
    for n in range(len(order) + 1):
        for els in itertools.combinations(order, n):
            if not any(w in els for k in els for w in supp.get(k, ())):
                out.append(els)
    return out


def new_findings(seq, grammar="default") -> list[int]:
    """The parts OUT-ORDER names: one finding per earlier part a misplaced part may not follow."""
    return [m.index for m in structure.parse(seq, grammar).misplaced for _ in (m.after or [None])]


def text(*headings: str) -> str:
    body = {"举措": "召开专题会议4次。", "第一": "主要负责人主持会议4次。", "不足": "执法力量不足，原因是编制少。",
            "下一": "2025年充实执法力量。", "其他": "无。"}
    lines = ["柳林镇2024年法治政府建设年度报告"]
    for i, h in enumerate(headings):
        lines += [f"{'一二三四五六七'[i]}、{h}", next(v for k, v in body.items() if k in h)]
    return "\n".join(lines)


# --- the grammar loads ------------------------------------------------------------------------

@pytest.mark.parametrize("name", structure.available())
def test_every_shipped_grammar_loads_as_strict_lalr(name):
    lark = structure.parser(name)
    assert lark.options.parser == "lalr" and lark.options.strict
    assert structure._terminals(lark) and structure._terminals(lark) <= set(structure._tokens())


def test_the_parser_is_built_once():
    structure.parser.cache_clear()
    structure._parse.cache_clear()
    for n in range(1, 51):           # 50 shapes: each one parsed, the parser built for the first
        structure.parse([("measures",)] * n + [("next_plan",)])
    assert structure.parser.cache_info().misses == 1


def test_a_misspelt_token_or_missing_grammar_is_a_config_error(tmp_path, monkeypatch):
    (tmp_path / "outline-typo.lark").write_text("start: MEASURE*\n%declare MEASURE\n", encoding="utf-8")
    monkeypatch.setattr(structure, "grammar_dir", lambda: tmp_path)
    structure.parser.cache_clear()
    try:
        with pytest.raises(ConfigError, match="MEASURE"):
            structure.parser("typo")
        with pytest.raises(ConfigError, match="不存在"):
            structure.parser("nosuch")
        with pytest.raises(ConfigError, match="无效"):
            structure.parser("../outline")
    finally:
        structure.parser.cache_clear()


def test_a_level_grammar_that_does_not_build_is_refused_when_the_config_is_read(tmp_path, monkeypatch):
    """Not a crash of OUT-ORDER on every report (exit 0), but a configuration error (exit 2)."""
    import checker.config as config_mod
    (tmp_path / "outline-typo.lark").write_text("start: MEASURE*\n%declare MEASURE\n", encoding="utf-8")
    monkeypatch.setattr(structure, "grammar_dir", lambda: tmp_path)
    real = config_mod.profiles()
    monkeypatch.setattr(config_mod, "profiles", lambda: {**real, "grammars": {"province": "typo"}})
    structure.parser.cache_clear()
    try:
        with pytest.raises(ConfigError, match=r"profiles.yaml: grammars.province: .*MEASURE"):
            resolve(discover_unit=False)
    finally:
        structure.parser.cache_clear()


def test_tokens_name_the_element_set_in_outline_order():
    assert structure.token(["reasons", "shortcomings"]) == "SHORTCOMINGS_REASONS"
    assert structure.token(["next_plan", "shortcomings"]) == "SHORTCOMINGS_NEXT_PLAN"
    assert structure.token([]) == structure.NONE


# --- the same reports as the old before-pairs ----------------------------------------------------

def test_accepts_exactly_what_the_before_pairs_accepted_at_any_length():
    """Both are finite-state: the old check's state is the set of elements seen (only those that
    something must precede matter), the LALR parser's is its state stack. Walking every pair of
    states reachable over every element set, and checking each next part and the end, compares
    the two on reports of any length — not only up to some length."""
    late = {b for _, b in OLD_BEFORE}
    alphabet = element_sets()
    start = structure.parser().parse_interactive(None)
    todo = [(frozenset(), start)]
    seen = {(frozenset(), tuple(start.parser_state.state_stack))}
    while todo:
        old_seen, ip = todo.pop()
        assert structure._ends(ip)              # every order the old check let through may end there
        for els in alphabet:
            old_ok = not any((a, b) in OLD_BEFORE for a in els for b in old_seen)
            nxt = structure._feed(ip, structure.token(els), 0)
            assert old_ok == (nxt is not None), (sorted(old_seen), els)
            if nxt is None:
                continue                        # both refuse: every longer report is refused by both
            key = (old_seen | (set(els) & late), tuple(nxt.parser_state.state_stack))
            if key not in seen:
                seen.add(key)
                todo.append((key[0], nxt))
    assert len(seen) > 100                      # the walk went somewhere


# the parts a report has in practice (a thematic part is a measures part)
CORE = [("measures",), ("first_responsible",), ("shortcomings",), ("shortcomings", "reasons"), ("reasons",),
        ("next_plan",), ("shortcomings", "next_plan"), ("other",), ()]
SINGLE = [("measures",), ("first_responsible",), ("shortcomings",), ("next_plan",), ("other",)]


@pytest.mark.parametrize("alphabet,longest", [(CORE, 5), (SINGLE, 7)], ids=["core-5", "single-7"])
def test_same_reports_and_same_line_as_the_before_pairs(alphabet, longest):
    """Every report of up to 5 parts from CORE, of up to 7 parts each carrying one element
    (66,429 and 97,655 reports): OUT-ORDER fires on the same reports; where one part is out of
    place — the old check fired on one line, the grammar finds one part — it is the same line
    and the same number of findings (one per earlier part it may not follow: a measures part
    after the problems and the plan, twice). A report with several parts out of place is said
    differently, by design of a parse: the grammar names each part it cannot take (after
    「存在的不足」 two measures parts are both out of place), where the old check named only the
    last part carrying the element; and a part the grammar has set aside (a plan after the
    other matters) does not move the phase on. The corpus, openings and samples have no such
    report; every corpus report with one part moved elsewhere is reported as before."""
    one = several = 0
    for n in range(1, longest + 1):
        for seq in itertools.product(alphabet, repeat=n):
            old, new = old_findings(seq), new_findings(seq)
            assert bool(old) == bool(new), seq
            if len(set(old)) == 1 and len(structure.parse(seq).misplaced) == 1:
                assert new == old, seq
                one += 1
            elif old:
                several += 1
    assert one > 5000 and several > 0


def test_the_corpus_orders_are_accepted_as_before():
    """The real reports' parts, as the outline map reads them: the grammar and the old pairs
    agree on each (none of them is out of order)."""
    files = corpus_files()
    if not files:
        pytest.skip("corpus not found")
    for f in files:
        doc, _ = check_text(f.read_text(encoding="utf-8"), f.name)
        seq = [p.elements for p in doc.outline.parts]
        assert new_findings(seq) == old_findings(seq), f.name


# --- what OUT-ORDER says ---------------------------------------------------------------------------

def test_out_order_says_what_the_outline_expected_there():
    _, r = check_text(text("主要举措和成效", "下一步打算", "存在的不足"))
    f = next(f for f in r.findings if f.rule == "OUT-ORDER")
    assert f.line == 6
    assert f.message == "「三、存在的不足」（存在的不足）排在「二、下一步打算」之后，按提纲此处应为：下一年度主要安排 或 其他需要报告的情况"


def test_a_measures_part_after_the_problems_is_named_with_what_may_follow_them():
    _, r = check_text(text("存在的不足", "主要举措和成效", "下一步打算"))
    [f] = [f for f in r.findings if f.rule == "OUT-ORDER"]
    assert f.line == 4 and "「二、主要举措和成效」（主要举措和成效）排在「一、存在的不足」之后" in f.message
    assert "存在的不足、第一责任人履职情况、下一年度主要安排 或 其他需要报告的情况" in f.message
    assert "不足的原因" not in f.message        # a causes part is taken anywhere: no guidance


def test_accepted_variations_pass():
    for headings in [("党政主要负责人履行第一责任人职责情况", "主要举措和成效", "存在的不足", "下一步打算"),
                     ("主要举措和成效", "存在的不足", "党政主要负责人履行第一责任人职责情况", "下一步打算"),
                     ("主要举措和成效", "存在的不足和下一步打算"),
                     ("主要举措和成效", "存在的不足", "下一步打算", "其他需要报告的情况")]:
        _, r = check_text(text(*headings))
        assert not [f for f in r.findings if f.rule == "OUT-ORDER"], headings


# --- a stricter grammar ------------------------------------------------------------------------

FR_FIRST = [("first_responsible",), ("measures",), ("shortcomings", "reasons"), ("next_plan",)]


def test_the_strict_grammar_flags_an_order_the_default_accepts():
    assert structure.parse(FR_FIRST).ok
    st = structure.parse(FR_FIRST, "strict")
    [m] = st.misplaced
    assert m.index == 1 and m.elements == ("measures",)
    assert structure.parse([("measures",), ("first_responsible",), ("shortcomings",), ("next_plan",)], "strict").ok


def test_a_configuration_names_the_strict_grammar(tmp_path):
    (tmp_path / "fzcheck.toml").write_text('[outline]\ngrammar = "strict"\n', encoding="utf-8")
    resolved = resolve(cwd=tmp_path)
    assert resolved.settings.grammar == "strict" and resolved.record()["outline_grammar"] == "strict"
    report = text("党政主要负责人履行第一责任人职责情况", "主要举措和成效", "存在的不足", "下一步打算")
    _, default = check_text(report)
    assert not [f for f in default.findings if f.rule == "OUT-ORDER"]
    _, strict = check_text(report, rules=resolved.rules, settings=resolved.settings)
    [f] = [f for f in strict.findings if f.rule == "OUT-ORDER"]
    assert f.line == 4        # measures may not follow the first-responsible part here
    assert f.message.endswith("按提纲此处应为：存在的不足、第一责任人履职情况、下一年度主要安排 或 其他需要报告的情况")
    # the suggestion states the order of the grammar in force, not the default's
    assert f.suggestion == "按提纲排列各部分：" + structure.order_text("strict")
    assert structure.order_text("strict").startswith("主要举措和成效 → 第一责任人履职情况 → 存在的不足")
    assert "第一责任人履职情况放在最前" in structure.order_text()


def test_an_unknown_grammar_in_a_configuration_names_the_file(tmp_path):
    (tmp_path / "fzcheck.toml").write_text('[outline]\ngrammar = "nosuch"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="fzcheck.toml.*outline.grammar.*nosuch"):
        resolve(cwd=tmp_path)


def test_a_level_names_its_grammar_in_profiles(monkeypatch):
    from checker import settings as settings_mod
    table = {**settings_mod.profiles(), "grammars": {"default": "default", "province": "strict"}}
    monkeypatch.setattr(settings_mod, "profiles", lambda: table)
    assert outline_grammar("province") == "strict" and outline_grammar("township") == "default"
    assert outline_grammar("province", "default") == "default"      # a configuration wins
    assert Settings().outline_grammar("province") == "strict"


def test_no_built_in_level_uses_a_stricter_grammar():
    from checker.settings import profiles
    assert set((profiles().get("grammars") or {}).values()) <= {"default"}


# --- the checklist says the same ------------------------------------------------------------------

def _structure_row(report: str, grammar: str | None = None):
    _, r = check_text(report)
    if grammar:
        r.config["outline_grammar"] = grammar
    c = build(r, [rule for rule in builtin_rules() if rule.id == "OUT-ORDER"])
    return next(row for row in c.rows if row.id == "structure")


def test_the_structure_row_comes_from_the_parse():
    ok = _structure_row(text("主要举措和成效", "存在的不足", "下一步打算"))
    assert ok.result == "pass" and ok.evidence[0] == "部分顺序符合提纲：主要举措和成效 → 存在的不足 → 下一年度主要安排"
    bad = _structure_row(text("主要举措和成效", "下一步打算", "存在的不足"))
    assert bad.result == "partial"
    assert bad.evidence == ["第 6 行：「三、存在的不足」（存在的不足）位置不对，按提纲此处应为：下一年度主要安排 或 其他需要报告的情况"]
    strict = _structure_row(text("党政主要负责人履行第一责任人职责情况", "主要举措和成效", "存在的不足", "下一步打算"), "strict")
    assert strict.result == "partial" and "（主要举措和成效）位置不对" in strict.evidence[0]


# --- cost ------------------------------------------------------------------------------------------

def test_parsing_the_order_costs_under_a_millisecond_a_report():
    files = corpus_files()[:40]
    seqs = [[p.elements for p in check_text(f.read_text(encoding="utf-8"), f.name)[0].outline.parts] for f in files]
    seqs += [[("measures",), ("next_plan",), ("shortcomings",), ("measures",)]] * 10      # and misplaced parts
    shapes = [(tuple(tuple(els) for els in s), "default") for s in seqs]
    unmemoised = structure._parse.__wrapped__      # each report parsed, not a shape looked up
    for shape in shapes:
        unmemoised(*shape)                      # the parser built, the expected sets met once
    per = min(timeit.repeat(lambda: [unmemoised(*shape) for shape in shapes], number=5, repeat=3)) / (5 * len(shapes))
    assert per < 1e-3, per


def test_a_part_after_two_it_must_precede_is_two_findings_as_before():
    _, r = check_text(text("存在的不足", "下一步打算", "主要举措和成效"))
    fs = [f for f in r.findings if f.rule == "OUT-ORDER"]
    assert [f.line for f in fs] == [6, 6]
    assert {f.message.split("，")[0] for f in fs} == {"「三、主要举措和成效」（主要举措和成效）排在「一、存在的不足」之后",
                                                    "「三、主要举措和成效」（主要举措和成效）排在「二、下一步打算」之后"}


@needs_corpus
def test_every_corpus_report_with_one_part_moved_is_reported_as_before():
    """Each real report whose parts expected.yaml lists, with one top-level part moved to each
    other place: OUT-ORDER fires on the same reports, lines and number of findings as the old
    before-pairs, read off the parts the outline map gives the moved text."""
    from .test_variants import EXPECTED, load, part_spans
    moved = fired = 0
    for name in EXPECTED:
        lines = load(name)
        try:
            spans = part_spans(name, lines)
        except StopIteration:
            continue                        # a heading expected.yaml gives is not on a line of its own
        head, tail = lines[:spans[0][1]], lines[spans[-1][2]:]
        blocks = [lines[a:b] for _, a, b in spans]
        for i, j in itertools.permutations(range(len(blocks)), 2):
            order = blocks[:i] + blocks[i + 1:]
            order.insert(j, blocks[i])
            doc, r = check_text("\n".join(head + [x for b in order for x in b] + tail), "variant.txt")
            parts = doc.outline.parts
            old = [parts[k].line for k in old_findings([p.elements for p in parts])]
            assert sorted(f.line for f in r.findings if f.rule == "OUT-ORDER") == old, (name, i, j)
            moved += 1
            fired += bool(old)
    assert moved and fired, "the corpus gave reports to move parts in, and some moves break the order"


def test_the_structure_row_parses_with_the_grammar_out_order_used():
    """Settings built by hand (no configuration's record) name the grammar too: the row and the
    rule judge the same parse."""
    report = text("党政主要负责人履行第一责任人职责情况", "主要举措和成效", "存在的不足", "下一步打算")
    _, r = check_text(report, settings=Settings(grammar="strict"))
    assert [f.line for f in r.findings if f.rule == "OUT-ORDER"] == [4]
    row = next(x for x in build(r, [x for x in builtin_rules() if x.id == "OUT-ORDER"]).rows if x.id == "structure")
    assert row.result == "partial" and "位置不对" in row.evidence[0]
