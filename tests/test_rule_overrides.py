"""A unit's changes to a rule's params ([rules.params] in fzcheck.toml): merged over the rule's own,
checked by its kind, its examples run again; and what a fail example may expect (message,
count), checked for a unit's rule files as for the built-in ones."""
import json
import textwrap

import pytest

from checker.config import resolve
from checker.errors import ConfigError
from checker.report import check_text

from .conftest import SAMPLES, run_cli

TOKEN_FAIL = ("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n开展培训3次，办理案件12件，组织学法2次，开展执法检查5次。\n"
              "二、存在的不足和原因\n一是执法人员不足，全镇仅有执法人员4名，难以覆盖全部村居。二是普法形式单一，全年新媒体普法仅2次。"
              "主要原因是编制有限、投入不足。\n三、下一年度安排\n继续努力。")


def _unit(tmp_path, toml, **files):
    (tmp_path / "fzcheck.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _rule(resolved, rid):
    return next(r for r in resolved.rules if r.id == rid)


def test_an_override_is_merged_over_the_rules_params(tmp_path):
    base = resolve(discover_unit=False)
    assert _rule(base, "QUAL-REPEATED-PARAGRAPH").params.max_hits == 5
    unit = _unit(tmp_path, """
        [rules.params]
        qual-repeated-paragraph = {max_hits = 1}
        """)
    r = _rule(resolve(cwd=unit), "QUAL-REPEATED-PARAGRAPH")
    assert r.params.max_hits == 1 and r.params.min_chars == 30      # the rest as the rule file says
    para = "全镇围绕法治政府建设目标，认真落实各项工作部署，取得积极成效，群众满意度持续提高。"
    text = "柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n" + "\n".join([para] * 4)
    _, before = check_text(text, rules=[_rule(base, "QUAL-REPEATED-PARAGRAPH")])
    _, after = check_text(text, rules=[r])
    assert len(before.findings) == 3 and len(after.findings) == 1


def test_an_override_may_change_the_examples_verdicts(tmp_path):
    """The examples were written for the rule's own thresholds: asking for three problems makes
    its pass example of two fail, which is what the unit wants, not an error."""
    unit = _unit(tmp_path, """
        [rules.params]
        QUAL-SHORTCOMINGS-TOKEN = {min_problems = 3}
        """)
    rule = _rule(resolve(cwd=unit), "QUAL-SHORTCOMINGS-TOKEN")
    _, r = check_text(rule.examples.pass_[0].text, rules=[rule])
    assert [f.rule for f in r.findings] == ["QUAL-SHORTCOMINGS-TOKEN"], "two problems are now too few"


def test_an_override_under_which_the_rule_crashes_is_refused(tmp_path, monkeypatch):
    from .test_rule_failures import break_rule
    break_rule(monkeypatch, "QUAL-SHORTCOMINGS-TOKEN")
    unit = _unit(tmp_path, """
        [rules.params]
        QUAL-SHORTCOMINGS-TOKEN = {min_problems = 3}
        """)
    with pytest.raises(ConfigError) as e:
        resolve(cwd=unit)
    msg = str(e.value)
    assert "fzcheck.toml" in msg and "[rules.params] 中对 QUAL-SHORTCOMINGS-TOKEN 参数的改动" in msg
    assert "运行出错" in msg and "ZeroDivisionError" in msg


@pytest.mark.parametrize("override,needles", [
    ("{min_problems = 'many'}", ["params.min_problems", "应为整数"]),
    ("{min_problem = 3}", ["params.min_problem", "problems.token 类型的规则没有这个参数", "min_problems、min_share"]),
    ("{check = 'generic'}", ["params.check", "没有这个参数"]),
])
def test_an_override_is_checked_by_the_kind(tmp_path, override, needles):
    unit = _unit(tmp_path, f"[rules.params]\nQUAL-SHORTCOMINGS-TOKEN = {override}\n")
    with pytest.raises(ConfigError) as e:
        resolve(cwd=unit)
    msg = str(e.value)
    assert "fzcheck.toml" in msg and "QUAL-SHORTCOMINGS-TOKEN" in msg
    for n in needles:
        assert n in msg, (n, msg)


@pytest.mark.parametrize("override,needles", [
    ("QUAL-NO-FIGURES = {element = 'nowhere'}", ["QUAL-NO-FIGURES", "params.element", "nowhere"]),
    ("WORD-LATIN = {patterns = ['(a+)+$']}", ["WORD-LATIN", "params.patterns", "量词嵌套"]),
    ("NO-SUCH-RULE = {x = 1}", ["rules.params", "NO-SUCH-RULE", "不存在"]),
])
def test_a_bad_override_is_a_clean_exit_2(tmp_path, override, needles):
    unit = _unit(tmp_path, f"[rules.params]\n{override}\n")
    r = run_cli("check", SAMPLES / "柳溪镇_2024_规范.txt", cwd=unit)
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    for n in ["fzcheck.toml", *needles]:
        assert n in r.stderr, (n, r.stderr)


UNIT_RULE = """\
- id: MY-TOKEN
  kind: problems.token
  severity: warning
  title: 不足写得太少
  basis: 单位要求
  message: 「{{heading}}」只写了 {{count}} 个问题
  suggestion: 写出至少三个具体问题
  params: {{min_problems: 3, min_share: 0.0}}
  examples:
    pass: ["柳林镇2024年法治政府建设年度报告\\n一、主要举措和成效\\n开展培训3次。\\n二、存在的不足和原因\\n一是执法人员不足，全镇仅有执法人员4名。二是普法形式单一，全年新媒体普法仅2次。三是复议纠错率偏高，全年被纠错3件。"]
    fail:
      - text: {fail}
        line: 4
{expect}
"""


def _unit_rule(tmp_path, expect):
    return _unit(tmp_path, '[rules]\nfiles = ["mine.yaml"]\n',
                 **{"mine.yaml": UNIT_RULE.format(fail=json.dumps(TOKEN_FAIL, ensure_ascii=False), expect=expect)})


def test_a_fail_example_may_state_its_message_and_count(tmp_path):
    unit = _unit_rule(tmp_path, "        count: 1\n        message: 只写了 2 个问题")
    assert any(r.id == "MY-TOKEN" for r in resolve(cwd=unit).rules)


@pytest.mark.parametrize("expect,needle", [
    ("        count: 2", "应报出 2 处问题，实际报出 1 处"),
    ("        message: 只写了 1 个问题", "报出的问题中没有「只写了 1 个问题」"),
])
def test_a_unit_rule_missing_its_stated_expectation_is_refused(tmp_path, expect, needle):
    unit = _unit_rule(tmp_path, expect)
    with pytest.raises(ConfigError) as e:
        resolve(cwd=unit)
    msg = str(e.value)
    assert "mine.yaml" in msg and "MY-TOKEN" in msg and "第 1 个不通过（fail）示例" in msg and needle in msg


def test_a_pass_example_states_no_expectation(tmp_path):
    unit = _unit(tmp_path, '[rules]\nfiles = ["mine.yaml"]\n', **{"mine.yaml": """\
        - id: MY-RULE
          kind: genre
          severity: warning
          title: t
          basis: b
          message: m
          suggestion: s
          examples:
            pass: [{text: "x", count: 0}]
            fail: ["y"]
        """})
    with pytest.raises(ConfigError, match="MY-RULE.*通过示例.*只用于不通过"):
        resolve(cwd=unit)


def test_an_audit_checks_again_when_the_params_change(tmp_path):
    """Stored results depend on the rules as run: after a [rules.params] change an audit must
    not reuse the reports checked under the old thresholds."""
    unit = _unit(tmp_path, "[rules.params]\nQUAL-REPEATED-PARAGRAPH = {max_hits = 5}\n")
    out = tmp_path / "out"

    def counts():
        r = run_cli("audit", SAMPLES, "-o", out, "-j", "1", cwd=unit)
        assert r.returncode in (0, 1), r.stderr
        return json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]

    first = counts()
    assert first["reused"] == 0 and first["checked"] > 0
    assert counts()["reused"] == first["checked"], "nothing changed: every report reused"
    (unit / "fzcheck.toml").write_text("[rules.params]\nQUAL-REPEATED-PARAGRAPH = {max_hits = 1}\n", encoding="utf-8")
    assert counts()["reused"] == 0, "the thresholds changed: every report checked again"
