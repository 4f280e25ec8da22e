"""The rule kinds as registered (checker/checks/registry.py): one kind per check function, each
with strict Params; what a rule file may and may not say about its kind, refused at load time in
Chinese naming the file, rule and field; the old form of the switching kinds still read; the
checklist row and the docs taken from the rules and the Params models."""
import itertools

import typing

import pytest
from pydantic import BaseModel
import yaml

from checker.checklist import rows_of, spec
from checker.checks import REGISTRY
from checker.checks import load as load_mod
from checker.checks.load import builtin_rules, load_file
from checker.errors import ConfigError
from checker.render.kinds import kind_docs, type_text

# the least each kind with required parameters needs; every other kind takes {} — a new kind with
# required parameters fails test_every_kind_loads_with_its_minimal_params until it is added here
MINIMAL = {
    "cleaned": {"kinds": ["markup"]},
    "concrete": {"element": "measures", "pattern": "次"},
    "contradiction": {"pairs": [], "units": []},
    "coverage": {"list": "gangyao_areas"},
    "indicator.requires": {"when": ["litigation_cases"], "needs": "出庭"},
    "numbering": {"repairs": ["skipped"]},
    "layout.font": {"role": "body", "fonts": "仿宋", "font_name": "仿宋"},
    "outline": {"element": "measures", "status": ["absent"]},
    "pattern": {"patterns": ["妥否"]},
}
KINDS = sorted(REGISTRY)


def _rule(kind, params=None, **extra):
    r = {"id": "MY-RULE", "kind": kind, "severity": "warning", "title": "t", "basis": "b", "message": "m",
         "suggestion": "s", **extra}
    if params is not None:
        r["params"] = params
    return r


_n = itertools.count()


def _load(tmp_path, *rules):
    path = tmp_path / f"mine{next(_n)}.yaml"        # a new name each time: rule files are read once per path
    path.write_text(yaml.safe_dump(list(rules), allow_unicode=True), encoding="utf-8")
    return load_file(path)


def _refused(tmp_path, *rules) -> str:
    with pytest.raises(ConfigError) as e:
        _load(tmp_path, *rules)
    return str(e.value)


def _fields_typed(word: str):
    """(kind, field) whose type, as docs/rules.md shows it, contains `word`."""
    return [(k, name) for k in KINDS for name, f in REGISTRY[k].params.model_fields.items()
            if word in type_text(f.annotation, f.metadata)]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_loads_with_its_minimal_params(tmp_path, kind):
    (rule,) = _load(tmp_path, _rule(kind, MINIMAL.get(kind, {})))
    assert rule.kind == kind and isinstance(rule.params, REGISTRY[kind].params)


@pytest.mark.parametrize("kind", KINDS)
def test_a_param_the_kind_does_not_take_is_refused(tmp_path, kind):
    # `check` is what the switching kinds took: under the new names it is a parameter like any other
    for stray in ("check", "no_such_param"):
        msg = _refused(tmp_path, _rule(kind, {**MINIMAL.get(kind, {}), stray: "x"}))
        assert "mine" in msg and "MY-RULE" in msg and f"params.{stray}" in msg and kind in msg
        assert "没有这个参数" in msg


ELEMENT_FIELDS = _fields_typed("提纲要素")


def _with_bad_element(kind, field):
    p = dict(MINIMAL.get(kind, {}))
    ann = type_text(REGISTRY[kind].params.model_fields[field].annotation)
    if ann.startswith("映射"):
        p[field] = {"nowhere": ["absent"]}
    elif ann.startswith("[["):
        p[field] = [["measures", "nowhere"]]
    else:
        p[field] = "nowhere"
    return p


@pytest.mark.parametrize("kind,field", ELEMENT_FIELDS, ids=[f"{k}.{f}" for k, f in ELEMENT_FIELDS])
def test_an_unknown_element_is_refused(tmp_path, kind, field):
    msg = _refused(tmp_path, _rule(kind, _with_bad_element(kind, field)))
    assert "mine" in msg and "MY-RULE" in msg and f"params.{field}" in msg and "nowhere" in msg
    assert "'measures'、'first_responsible'" in msg          # the names it could be, in Chinese punctuation


def test_element_fields_are_found():
    assert {k for k, _ in ELEMENT_FIELDS} >= {"outline", "concrete", "indicator.no_figures"}


REGEX_FIELDS = _fields_typed("正则表达式")


@pytest.mark.parametrize("kind,field", REGEX_FIELDS, ids=[f"{k}.{f}" for k, f in REGEX_FIELDS])
@pytest.mark.parametrize("bad", ["(a+)+$", "(x)\\1", "[unclosed"])
def test_a_catastrophic_or_broken_regex_is_refused(tmp_path, kind, field, bad):
    annotation = REGISTRY[kind].params.model_fields[field].annotation
    listed = type_text(annotation).startswith("[")
    value = [bad] if listed else bad
    inner = typing.get_args(annotation)[0] if listed and typing.get_args(annotation) else None
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        # a list of small models (pattern.rewrite): the bad regex in each of their regex fields
        value = [{name: bad if "正则表达式" in type_text(f.annotation, f.metadata) else "x"
                  for name, f in inner.model_fields.items()}]
    msg = _refused(tmp_path, _rule(kind, {**MINIMAL.get(kind, {}), field: value}))
    assert "mine" in msg and "MY-RULE" in msg and f"params.{field}" in msg and "正则表达式" in msg


def test_regex_fields_are_found():
    # indicator.requires' `needs` was compiled unvetted before it was typed Regex
    assert {k for k, _ in REGEX_FIELDS} >= {"pattern", "concrete", "contradiction", "indicator.requires"}


@pytest.mark.parametrize("old,params,new,left", [
    ("problems", {"check": "token", "min_problems": 3}, "problems.token", {"min_problems": 3}),
    ("closing", {"require": "date"}, "closing.date", {}),
    ("meta", {"field": "title_issuer"}, "meta.title_issuer", {}),
    ("terms", {"check": "expected", "group": "core"}, "terms.expected", {"group": "core"}),
    ("indicator", {"check": "no_figures", "element": "next_plan"}, "indicator.no_figures", {"element": "next_plan"}),
    ("deadline", {"check": "signed_early"}, "deadline.signed_early", {}),
    ("years", {"check": "plan"}, "years.plan", {}),
    ("quote", {"similarity": 0.9}, "quote.title", {"similarity": 0.9}),     # check: title was the default
])
def test_the_old_form_of_a_switching_kind_still_loads(tmp_path, capsys, old, params, new, left):
    load_mod._told.clear()
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump([_rule(old, params)]), encoding="utf-8")
    (rule,) = load_file(path)
    assert rule.kind == new and rule.params.model_dump(exclude_unset=True) == left
    err = capsys.readouterr().err
    assert "old.yaml" in err and "MY-RULE" in err and "旧写法" in err and f"已按 {new} 读取" in err
    load_file(path)                                       # loaded again (another layer, a worker): told once
    assert capsys.readouterr().err == ""


def test_an_old_form_with_a_sub_check_that_does_not_exist_is_refused(tmp_path):
    msg = _refused(tmp_path, _rule("problems", {"check": "tokens"}))
    assert "MY-RULE" in msg and "params.check" in msg and "problems.token" in msg
    msg = _refused(tmp_path, _rule("terms", {}))
    assert "MY-RULE" in msg and "terms.stale" in msg


def test_builtin_rule_files_use_the_new_names_only(tmp_path):
    families = {k.partition(".")[0] for k in REGISTRY if "." in k}
    path = tmp_path / "old.yaml"
    path.write_text(yaml.safe_dump([_rule("problems", {"check": "token"})]), encoding="utf-8")
    with pytest.raises(ConfigError, match="未知的规则类型 'problems'"):
        load_file(path, old_form=False)       # as builtin_rules() reads rules/checks/
    assert families == {"closing", "deadline", "indicator", "layout", "meta", "problems", "quote", "terms", "years"}


def test_an_unknown_kind_lists_the_kind_names(tmp_path):
    msg = _refused(tmp_path, _rule("problem.token"))
    assert "未知的规则类型 'problem.token'" in msg and "problems.token" in msg and "terms.wrong_forms" in msg


def test_a_checklist_row_that_does_not_exist_is_refused(tmp_path):
    msg = _refused(tmp_path, _rule("genre", checklist="strucutre"))
    assert "mine" in msg and "MY-RULE" in msg and "checklist" in msg and "strucutre" in msg and "structure" in msg


def test_checklist_rows_come_from_the_rules():
    rows = rows_of(builtin_rules())
    ids = [it["id"] for it in spec()["items"]]
    assert set(rows) <= set(ids)
    # a row with neither an outline element nor a rule could never be judged
    assert all(it["id"] in rows or it.get("element") for it in spec()["items"])
    assert rows["closing"] == {"CLOSE-SIGNATURE", "CLOSE-DATE"}
    assert "QUAL-SHORTCOMINGS-TOKEN" in rows["shortcomings"]


def test_a_checklist_row_listing_rules_is_refused(tmp_path, monkeypatch):
    import checker.checklist as cl
    (tmp_path / "checklist.yaml").write_text("title: t\nitems:\n  - {id: a, requirement: r, basis: b, rules: [X-Y]}\n",
                                             encoding="utf-8")
    monkeypatch.setattr(cl, "rules_dir", lambda: tmp_path)
    cl.spec.cache_clear()
    try:
        with pytest.raises(ConfigError, match="checklist: a"):
            cl.spec()
    finally:
        cl.spec.cache_clear()


def test_every_parameter_is_described_for_the_docs():
    docs = kind_docs(builtin_rules())
    for k in docs:
        assert k.about, k.name
        for p in k.params:
            assert p.description and p.type, (k.name, p.name)
    assert all(any(r.kind == k for r in builtin_rules()) for k in KINDS if not k.startswith("meta."))


def test_a_units_rule_feeds_the_checklist_row_it_names(tmp_path):
    from checker.checklist import build
    from checker.report import check_text
    (rule,) = _load(tmp_path, _rule("pattern", {"patterns": ["行稳致远"]}, checklist="text"))
    text = "柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n全镇法治建设行稳致远。"
    _, result = check_text(text, rules=[rule])
    assert [f.rule for f in result.findings] == ["MY-RULE"]
    rows = {r.id: r for r in build(result, [rule]).rows}
    assert rows["text"].result == "partial" and rows["text"].evidence == ["第 3 行：m"]
    assert rows["title"].result == "skip"                  # no rule of this run feeds it


@pytest.mark.parametrize("kind,params", [
    ("indicator.requires", {"when": ["no_such_figure"], "needs": "出庭"}),
    ("contradiction", {"pairs": [{"part": "litigation_lost", "whole": "no_such_figure"}], "units": [["件"]]}),
])
def test_an_unknown_indicator_is_refused(tmp_path, kind, params):
    msg = _refused(tmp_path, _rule(kind, params))
    assert "MY-RULE" in msg and "no_such_figure" in msg and "rules/indicators.yaml" in msg


@pytest.mark.parametrize("kind,params,said", [
    ("outline", {"element": "measures", "status": ["absent", "nope"]}, "字段 params.status 第 2 个：取值 'nope'"),
    ("outline", {"element": "measures", "status": ["absent"], "when": {"foo": ["absent"]}}, "字段 params.when.foo：取值 'foo'"),
    ("contradiction", {"pairs": [{"part": "nope", "whole": "nope"}], "units": []}, "字段 params.pairs 第 1 个的 part：未知的指标"),
    ("outline", "measures", "字段 params：应为映射"),
])
def test_a_bad_param_is_located_in_the_authors_words(tmp_path, kind, params, said):
    msg = _refused(tmp_path, _rule(kind, params))
    assert f"规则 MY-RULE {said}" in msg, msg
    assert "[key]" not in msg and "整体" not in msg and ".0" not in msg


def test_the_unknown_kind_list_is_joined_in_chinese(tmp_path):
    msg = _refused(tmp_path, _rule("problem.token"))
    assert "problems.generic、problems.token" in msg and ", " not in msg


NUMBER_FIELDS = [(k, name) for k in KINDS for name, f in REGISTRY[k].params.model_fields.items()
                 if f.annotation in (int, float)]


def test_number_fields_are_found():
    assert {("pattern", "max_hits"), ("repeated", "max_hits"), ("problems.token", "min_share"),
            ("quote.title", "similarity")} <= set(NUMBER_FIELDS)


@pytest.mark.parametrize("kind,field", NUMBER_FIELDS, ids=[f"{k}.{f}" for k, f in NUMBER_FIELDS])
def test_a_negative_number_is_refused_at_load_time(tmp_path, kind, field):
    msg = _refused(tmp_path, _rule(kind, {**MINIMAL.get(kind, {}), field: -3}))
    assert f"MY-RULE 字段 params.{field}：取值 -3 超出范围，应不小于" in msg
    f = REGISTRY[kind].params.model_fields[field]
    shown = type_text(f.annotation, f.metadata)         # docs/rules.md shows the range
    assert "（≥" in shown or "–" in shown, shown


@pytest.mark.parametrize("kind,params,said", [
    ("problems.token", {"min_share": 1.5}, "params.min_share：取值 1.5 超出范围，应不大于 1"),
    ("quote.title", {"similarity": 2}, "params.similarity：取值 2 超出范围，应不大于 1"),
    ("pattern", {"patterns": ["妥否"], "max_hits": 0}, "params.max_hits：取值 0 超出范围，应不小于 1"),
    ("repeated", {"min_chars": 0}, "params.min_chars：取值 0 超出范围，应不小于 1"),
])
def test_a_number_out_of_its_range_is_refused(tmp_path, kind, params, said):
    assert said in _refused(tmp_path, _rule(kind, params))


def test_the_bounds_still_take_the_edges(tmp_path):
    (r,) = _load(tmp_path, _rule("problems.token", {"min_problems": 0, "min_share": 1}))
    assert (r.params.min_problems, r.params.min_share) == (0, 1)
    (r,) = _load(tmp_path, _rule("repeated", {"min_chars": 1, "quote_chars": 1, "max_hits": 1}))
    assert r.params.max_hits == 1


def test_an_example_line_below_one_is_refused(tmp_path):
    msg = _refused(tmp_path, _rule("genre", examples={"fail": [{"text": "x", "line": 0}]}))
    assert "examples.fail 第 1 个的 line" in msg and "应不小于 1" in msg


@pytest.mark.parametrize("params,said", [
    ({"list": "nope"}, "params.list：未知的领域词表 'nope'（可用：gangyao_areas"),
    ({"list": "events"}, "params.list：未知的领域词表 'events'"),       # a list, but not of areas and cues
])
def test_coverage_names_a_list_of_areas(tmp_path, params, said):
    assert said in _refused(tmp_path, _rule("coverage", params))


@pytest.mark.parametrize("group", ["cor", "Core", ""])
def test_terms_expected_names_a_group_of_the_events_list(tmp_path, group):
    msg = _refused(tmp_path, _rule("terms.expected", {"group": group}))
    assert f"params.group：未知的提法分组 {group!r}" in msg and "core、plenum" in msg


def test_the_groups_are_those_of_the_events_list(tmp_path):
    from checker.termlists import event_groups
    for g in event_groups():
        (r,) = _load(tmp_path, _rule("terms.expected", {"group": g}))
        assert r.params.group == g
    assert type_text(REGISTRY["terms.expected"].params.model_fields["group"].annotation) == "提法分组（可不填）"
    assert type_text(REGISTRY["coverage"].params.model_fields["list"].annotation,
                     REGISTRY["coverage"].params.model_fields["list"].metadata) == "领域词表名"


def _unit_events(tmp_path, group):
    path = tmp_path / f"ours{next(_n)}.yaml"
    path.write_text(f"list: events\nentries:\n  - {{id: local-x, names: [某某精神], held: 2024-01, "
                    f"expected: [2024, 2024], group: {group}, source: s}}\n", encoding="utf-8")
    return str(path)


def test_a_units_event_joins_a_known_group_or_is_refused(tmp_path):
    from checker.termlists import term_lists
    ok = term_lists((_unit_events(tmp_path, "plenum"),))
    assert any(e.id == "local-x" and e.group == "plenum" for e in ok["events"].entries)
    with pytest.raises(ConfigError, match="ours.*local-x.*group：未知的分组 'local'（可用：core、plenum；或不填）"):
        term_lists((_unit_events(tmp_path, "local"),))


def test_a_units_event_in_a_new_group_is_refused_when_the_config_is_resolved(tmp_path):
    from checker.config import resolve
    terms = _unit_events(tmp_path, "local")
    (tmp_path / "fzcheck.toml").write_text(f'terms = ["{terms}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="未知的分组 'local'"):
        resolve(tmp_path / "fzcheck.toml", cwd=tmp_path, discover_unit=False)


def test_the_shortcomings_part_is_weighed_only_where_it_can_be_judged():
    from checker.checks.problems import _weighed
    from checker.report import check_text
    head = "柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n开展培训3次，办理案件12件。\n二、存在的不足\n"
    whole, _ = check_text(head + "一是执法人员不足，全镇仅有执法人员4名。\n三、下一年度安排\n补充执法人员。\n特此报告。\n柳林镇人民政府\n2025年2月10日")
    cut, _ = check_text(head + "一是执法人员不足，全镇仅有执法")
    none, _ = check_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n开展培训3次。\n二、下一年度安排\n补充执法人员。")
    assert whole.outline.can_judge("shortcomings") and _weighed(whole).text == "二、存在的不足"
    assert whole.outline.judged("shortcomings")
    assert cut.outline.is_cut("shortcomings") and cut.outline.outline["shortcomings"].evidence
    assert none.outline.outline["shortcomings"].status == "absent"
    for doc in (cut, none):
        assert not doc.outline.can_judge("shortcomings")
        assert _weighed(doc) is None and doc.outline.judged("shortcomings") == []
