"""Configuration a unit writes without code: profiles, rules off/on/re-levelled, deadlines, its
own rules and term lists, waivers; and the errors when a file is wrong."""
import json
import shutil
import textwrap

import pytest

from .conftest import ROOT, SAMPLES, run_cli

DRAFT = SAMPLES / "白鹭区司法局_2024_草稿.txt"
CLEAN = SAMPLES / "柳溪镇_2024_规范.txt"


def _json(r):
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def _rules(d):
    return {f["rule"]: f for f in d["findings"]}


@pytest.fixture
def unit(tmp_path):
    """A unit's folder with its own fzcheck.toml, reports in a subfolder (found by searching up)."""
    (tmp_path / "reports").mkdir()
    shutil.copy(DRAFT, tmp_path / "reports" / "draft.txt")
    shutil.copy(CLEAN, tmp_path / "reports" / "clean.txt")
    return tmp_path


def write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_unit_config_found_upward_disables_and_relevels(unit):
    write(unit / "fzcheck.toml", """
        [rules]
        disable = ["WORD-PLACEHOLDER"]
        severity = { YEAR-PLAN = "info", TITLE-GENRE = "error" }
    """)
    d = _json(run_cli("check", "draft.txt", "-f", "json", cwd=unit / "reports"))
    got = _rules(d)
    assert "WORD-PLACEHOLDER" not in got
    assert got["YEAR-PLAN"]["severity"] == "info" and got["TITLE-GENRE"]["severity"] == "error"
    assert any(str(unit / "fzcheck.toml") in layer for layer in d["config"]["layers"])
    assert d["config"]["rule_pack"]["version"] and len(d["config"]["rule_pack"]["digest"]) == 12
    assert d["profile"] == "department/final"


def test_layers_later_wins(unit):
    write(unit / "fzcheck.toml", '[rules]\ndisable = ["WORD-REQUEST"]\n')
    user = write(unit / "me.toml", '[rules]\nenable = ["WORD-REQUEST"]\nseverity = { WORD-REQUEST = "error" }\n')
    d = _json(run_cli("check", "reports/draft.txt", "-f", "json", "--config", user, cwd=unit))
    assert _rules(d)["WORD-REQUEST"]["severity"] == "error"
    assert [layer.split(":")[0] for layer in d["config"]["layers"]] == ["built-in", "unit", "user"]
    d = _json(run_cli("check", "reports/draft.txt", "-f", "json", "--config", user,
                      "--disable", "WORD-REQUEST", cwd=unit))
    assert "WORD-REQUEST" not in _rules(d), "the command line is the last layer"


def test_pyproject_tool_section_and_profiles(unit):
    write(unit / "pyproject.toml", '[project]\nname = "x"\n\n[tool.fzcheck]\nprofile = "draft"\n')
    d = _json(run_cli("check", "reports/clean.txt", "-f", "json", cwd=unit))
    assert d["profile"] == "township/draft"
    r = run_cli("rules", "-f", "json", cwd=unit)
    ids = {x["id"] for x in json.loads(r.stdout)}
    assert "CLOSE-SIGNATURE" not in ids and "OUT-MEASURES" in ids
    d = _json(run_cli("check", "reports/clean.txt", "-f", "json", "--profile", "city/final", cwd=unit))
    assert d["profile"] == "city/final" and d["meta"]["level"] == "city"


def test_deadlines_from_config(unit):
    d = _json(run_cli("check", "reports/clean.txt", "-f", "json", cwd=unit))
    assert "DATE-SIGNED-LATE" not in _rules(d)           # signed 2025-02-20, due 03-01
    write(unit / "fzcheck.toml", '[deadlines]\nreport = { township = "02-15" }\n')
    d = _json(run_cli("check", "reports/clean.txt", "-f", "json", cwd=unit))
    late = _rules(d)["DATE-SIGNED-LATE"]
    assert "2025年2月15日" in late["message"] and late["severity"] == "error"


def test_units_own_rules_and_terms(unit):
    write(unit / "our_rules.yaml", """
        - id: UNIT-NO-SLOGAN
          kind: pattern
          severity: warning
          title: 不用口号式表述
          basis: 本单位公文写作规范
          message: 「{match}」是口号式表述
          suggestion: 改为具体表述
          params: {patterns: ['行稳致远|步步为营']}
          examples:
            pass: ["某镇2024年法治政府建设年度报告\\n一、主要举措和成效\\n召开会议4次。"]
            fail: ["某镇2024年法治政府建设年度报告\\n一、主要举措和成效\\n法治建设行稳致远。"]
    """)
    write(unit / "our_terms.yaml", """
        list: regulations
        entries:
          - {title: 丰源市行政执法监督办法, source: 丰源市人民政府令第3号}
    """)
    write(unit / "fzcheck.toml", 'terms = ["our_terms.yaml"]\n\n[rules]\nfiles = ["our_rules.yaml"]\n')
    write(unit / "reports" / "t.txt", "某区2024年法治政府建设年度报告\n一、主要举措和成效\n法治建设行稳致远，落实《丰源市行政执法监督暂行办法》。\n")
    d = _json(run_cli("check", "t.txt", "-f", "json", cwd=unit / "reports"))
    got = _rules(d)
    assert got["UNIT-NO-SLOGAN"]["line"] == 3
    assert "丰源市行政执法监督办法" in got["TERM-REGULATION-TITLE"]["message"]
    r = run_cli("rules", "show", "UNIT-NO-SLOGAN", cwd=unit)
    assert r.returncode == 0, "the unit's rules are listed and explained like the built-in ones"


def test_units_own_regulation_periods(unit):
    write(unit / "our_terms.yaml", """
        list: regulations
        entries:
          - {title: 丰源市行政执法监督暂行办法, source: 丰源市人民政府令第3号, valid_until: 2023-07-01,
             replaced_by: 丰源市行政执法监督办法}
          - {title: 丰源市行政执法监督办法, source: 丰源市人民政府令第9号, valid_from: 2023-07-01}
    """)
    write(unit / "fzcheck.toml", 'terms = ["our_terms.yaml"]\n')
    write(unit / "reports" / "t.txt", "某区2024年法治政府建设年度报告\n一、主要举措和成效\n落实《丰源市行政执法监督暂行办法》。\n")
    got = _rules(_json(run_cli("check", "t.txt", "-f", "json", cwd=unit / "reports")))
    f = got["TERM-REGULATION-PERIOD"]
    assert f["line"] == 3 and "2023年7月1日" in f["message"] and "丰源市人民政府令第3号" in f["message"]
    assert "《丰源市行政执法监督办法》" in f["message"] + f["suggestion"]
    assert "TERM-REGULATION-TITLE" not in got, "a known title, though close to another, is not a misquotation"


def test_waiver_marks_a_finding_waived_and_keeps_it_visible(unit):
    d = _json(run_cli("check", "reports/draft.txt", "-f", "json", cwd=unit))
    target = next(f for f in d["findings"] if f["rule"] == "YEAR-PLAN")
    errors_before = d["summary"]["errors"]
    write(unit / "waivers.yaml", f"""
        - rule: YEAR-PLAN
          fingerprint: {target['fingerprint']}
          reason: 计划年份已另文更正
          expires: 2099-12-31
    """)
    r = run_cli("check", "reports/draft.txt", "-f", "json", "--waivers", "waivers.yaml", cwd=unit)
    d = _json(r)
    waived = [f for f in d["findings"] if f["waived"]]
    assert [f["rule"] for f in waived] == ["YEAR-PLAN"]
    assert waived[0]["waived"]["reason"] == "计划年份已另文更正"
    assert d["summary"]["errors"] == errors_before - 1 and d["summary"]["waived"] == 1
    text = run_cli("check", "reports/draft.txt", "--waivers", "waivers.yaml", "--no-color", cwd=unit).stdout
    assert "已豁免" in text and "计划年份已另文更正" in text

    write(unit / "waivers.yaml", f"""
        - rule: YEAR-PLAN
          fingerprint: {target['fingerprint']}
          reason: 计划年份已另文更正
          expires: 2020-01-01
    """)
    r = run_cli("check", "reports/draft.txt", "-f", "json", "--waivers", "waivers.yaml", cwd=unit)
    assert not [f for f in _json(r)["findings"] if f["waived"]]
    assert "豁免已过期" in r.stderr


def test_waivers_listed_in_the_unit_config(unit):
    d = _json(run_cli("check", "reports/draft.txt", "-f", "json", cwd=unit))
    f = next(x for x in d["findings"] if x["rule"] == "WORD-REQUEST")
    write(unit / "w.yaml", f"- {{rule: {f['rule']}, fingerprint: {f['fingerprint']}, reason: 已核实, expires: 2099-01-01}}\n")
    write(unit / "fzcheck.toml", 'waivers = ["w.yaml"]\n')
    d = _json(run_cli("check", "reports/draft.txt", "-f", "json", cwd=unit))
    assert next(x for x in d["findings"] if x["rule"] == "WORD-REQUEST")["waived"]


@pytest.mark.parametrize("files,needles", [
    ({"fzcheck.toml": "[rules\n"}, ["fzcheck.toml", "TOML"]),
    ({"fzcheck.toml": "colour = 'red'\n"}, ["fzcheck.toml", "colour"]),
    ({"fzcheck.toml": '[rules]\nseverity = { OUT-ORDER = "fatal" }\n'}, ["fzcheck.toml", "severity", "fatal"]),
    ({"fzcheck.toml": '[rules]\ndisable = ["NO-SUCH"]\n'}, ["fzcheck.toml", "rules.disable", "NO-SUCH"]),
    ({"fzcheck.toml": 'profile = "township/late"\n'}, ["fzcheck.toml", "profile"]),
    ({"fzcheck.toml": '[deadlines]\nreport = { default = "13-40" }\n'}, ["13-40"]),
    ({"fzcheck.toml": '[rules]\nfiles = ["r.yaml"]\n',
      "r.yaml": "- id: BAD-ONE\n  kind: pattern\n  severity: warning\n  title: t\n  basis: b\n  message: m\n  suggestion: s\n  params: {patterns: ['(a+)+b']}\n"},
     ["r.yaml", "BAD-ONE", "patterns"]),
    ({"fzcheck.toml": '[rules]\nfiles = ["r.yaml"]\n',
      "r.yaml": "- id: BAD-TWO\n  kind: nosuchkind\n  severity: warning\n  title: t\n  basis: b\n  message: m\n  suggestion: s\n"},
     ["r.yaml", "BAD-TWO", "kind"]),
    ({"fzcheck.toml": '[rules]\nfiles = ["r.yaml"]\n',
      "r.yaml": "- id: BAD-THREE\n  kind: contradiction\n  severity: warning\n  title: t\n  basis: b\n  message: m\n"
                "  suggestion: s\n  params: {pairs: [{part: litigation_lost, whole: no_such_figure}], units: [[件]]}\n"},
     ["r.yaml", "BAD-THREE", "no_such_figure"]),
    ({"fzcheck.toml": 'terms = ["t.yaml"]\n', "t.yaml": "list: events\nentries:\n  - {id: x, names: [某会], held: 2024-13, source: s}\n"},
     ["t.yaml", "held"]),
    ({"fzcheck.toml": 'terms = ["t.yaml"]\n', "t.yaml": "list: regulations\nentries:\n  - {title: 某条例, source: s, valid_until: 2022年5月1日}\n"},
     ["t.yaml", "某条例", "valid_until"]),
    ({"fzcheck.toml": 'waivers = ["w.yaml"]\n', "w.yaml": "- {rule: OUT-ORDER, fingerprint: xyz, reason: r, expires: 2099-01-01}\n"},
     ["w.yaml", "fingerprint"]),
    ({"fzcheck.toml": 'waivers = ["w.yaml"]\n', "w.yaml": "- {rule: OUT-ORDER, fingerprint: 0123456789ab, reason: r}\n"},
     ["w.yaml", "expires"]),
])
def test_malformed_configuration_is_a_clean_exit_2(unit, files, needles):
    for name, text in files.items():
        (unit / name).write_text(text, encoding="utf-8")
    r = run_cli("check", "reports/clean.txt", cwd=unit)
    assert r.returncode == 2, r.stdout
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    for n in needles:
        assert n in r.stderr, (n, r.stderr)


def test_rules_listing_formats_and_filters():
    d = json.loads(run_cli("rules", "--format", "json").stdout)
    assert len(d) >= 45
    for r in d:
        assert set(r) >= {"id", "severity", "title", "basis", "tags", "examples"}
        assert r["examples"]["pass"] and r["examples"]["fail"]
    errors = json.loads(run_cli("rules", "--format", "json", "--severity", "error").stdout)
    assert errors and all(r["severity"] == "error" for r in errors)
    wording = json.loads(run_cli("rules", "--format", "json", "--tag", "wording").stdout)
    assert wording and all("wording" in r["tags"] for r in wording)


def test_docs_rules_md_is_up_to_date():
    r = run_cli("rules", "--format", "md", cwd=ROOT.parent)      # no unit config in the way
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert r.stdout == committed, "docs/rules.md is stale: run `fzcheck rules --format md > docs/rules.md`"


def test_a_waiver_survives_lines_added_above_its_finding(tmp_path):
    """Fingerprints leave out the line numbers a message mentions (「第 12 行」): the waived
    finding stays waived when the draft gains lines above it."""
    from checker.report import check_text
    text = ("某镇2024年法治政府建设年度报告\n一、主要举措和成效\n镇党政主要负责人认真履行推进法治建设第一责任人职责，主持召开专题会议研究法治建设3次。\n"
            "二、存在的不足和原因\n学法不深，原因是重视不够。\n三、2025年工作安排\n加强学法。\n")
    _, first = check_text(text)
    target = next(f for f in first.findings if f.rule == "OUT-FIRST-RESP-EMBEDDED")
    assert "第 3 行" in target.message
    _, moved = check_text(text.replace("\n", "\n\n\n", 1))
    again = next(f for f in moved.findings if f.rule == "OUT-FIRST-RESP-EMBEDDED")
    assert "第 5 行" in again.message and again.fingerprint == target.fingerprint


def test_a_waiver_for_a_rule_that_does_not_exist_is_refused(tmp_path):
    """A misspelt rule id would waive nothing, silently: refused, naming the file and the id."""
    w = tmp_path / "w.yaml"
    w.write_text("- rule: QUAL-GANGYAO-AREA\n  fingerprint: abcdef123456\n  reason: 已核实\n  expires: 2099-01-01\n",
                 encoding="utf-8")
    r = run_cli("check", SAMPLES / "柳溪镇_2024_规范.txt", "--waivers", w)
    assert r.returncode == 2
    assert "w.yaml" in r.stderr and "QUAL-GANGYAO-AREA" in r.stderr and "Traceback" not in r.stderr
