"""`fzcheck rules` shows the parameters in force under a configuration (its [rules.params] merged
over the rule file's, the kind's defaults for the rest) and where each rule is defined."""
import json
import textwrap

from .conftest import run_cli

UNIT_RULE = """
- id: UNIT-NO-SLOGAN
  kind: pattern
  severity: warning
  title: 不写口号
  basis: 本单位要求
  message: 出现口号「{match}」
  suggestion: 改写为具体事项
  params: {patterns: ["行稳致远"], max_hits: 2}
  examples:
    pass: ["某镇2024年法治政府建设年度报告\\n一、主要举措和成效\\n召开会议4次。"]
    fail: ["某镇2024年法治政府建设年度报告\\n一、主要举措和成效\\n法治建设行稳致远。"]
"""


def _unit(tmp_path):
    (tmp_path / "fzcheck.toml").write_text(textwrap.dedent("""
        [rules]
        files = ["mine/our_rules.yaml"]

        [rules.params]
        QUAL-REPEATED-PARAGRAPH = {max_hits = 1}
        QUAL-SHORTCOMINGS-TOKEN = {min_share = 0.01}
        """), encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "our_rules.yaml").write_text(textwrap.dedent(UNIT_RULE), encoding="utf-8")
    return tmp_path


def _by_id(r):
    assert r.returncode == 0, r.stderr
    return {x["id"]: x for x in json.loads(r.stdout)}


def test_json_lists_the_params_in_force(tmp_path):
    built_in = _by_id(run_cli("rules", "-f", "json", cwd=tmp_path))
    assert built_in["QUAL-REPEATED-PARAGRAPH"]["params"] == {"min_chars": 30, "quote_chars": 20, "max_hits": 5}
    assert built_in["CLOSE-SIGNATURE"]["params"] == {}
    unit = _by_id(run_cli("rules", "-f", "json", cwd=_unit(tmp_path)))
    assert unit["QUAL-REPEATED-PARAGRAPH"]["params"] == {"min_chars": 30, "quote_chars": 20, "max_hits": 1}
    assert unit["QUAL-SHORTCOMINGS-TOKEN"]["params"] == {"min_problems": 2, "min_share": 0.01}
    assert unit["UNIT-NO-SLOGAN"]["params"]["max_hits"] == 2 and unit["UNIT-NO-SLOGAN"]["params"]["mode"] == "forbid"


def test_rules_show_lists_the_params_in_force(tmp_path):
    r = run_cli("rules", "show", "QUAL-REPEATED-PARAGRAPH", cwd=tmp_path)
    assert r.returncode == 0 and "max_hits = 5" in r.stdout and "min_chars = 30" in r.stdout
    r = run_cli("rules", "show", "QUAL-REPEATED-PARAGRAPH", cwd=_unit(tmp_path))
    assert r.returncode == 0 and "max_hits = 1" in r.stdout and "max_hits = 5" not in r.stdout
    assert "定义于 rules/checks/" in r.stdout
    r = run_cli("rules", "show", "CLOSE-SIGNATURE", cwd=tmp_path)
    assert "参数" not in r.stdout                              # a kind without parameters


def test_markdown_shows_the_params_and_a_units_own_file(tmp_path):
    r = run_cli("rules", "--format", "md", cwd=_unit(tmp_path))
    assert r.returncode == 0, r.stderr
    section = r.stdout.split("## QUAL-REPEATED-PARAGRAPH", 1)[1].split("\n## ", 1)[0]
    assert "`max_hits = 1`" in section and "`min_chars = 30`" in section
    mine = r.stdout.split("## UNIT-NO-SLOGAN", 1)[1].split("\n## ", 1)[0]
    assert "mine/our_rules.yaml`" in mine and "rules/checks/" not in mine     # the unit's path, not ours
    assert "`patterns = [\"行稳致远\"]`" in mine
    assert "定义于 `rules/checks/quality.yaml`" in r.stdout
