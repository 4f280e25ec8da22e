"""Words for QUAL-PLAN-ANSWERS (checker/words.py): on labelled (problem, plan, answers) pairs
(tests/data/plan_answers.yaml) the word matcher must do at least as well as the character pairs
it replaced, and not fall below a floor; jieba must stay out of a check that does not need it."""
import subprocess
import sys

import yaml

from checker.analyse.problems import answered_by_pairs, answered_by_words, stock_patterns, widen
from checker.settings import default_settings
from checker.analyse.problems import Problem
from checker.text import fold
from checker.words import Text

from .conftest import ROOT

PAIRS = yaml.safe_load((ROOT / "tests" / "data" / "plan_answers.yaml").read_text(encoding="utf-8"))["pairs"]


def _predict(match: str) -> list[bool]:
    tl = default_settings().terms("stock_phrases")
    stock, _, ignore = stock_patterns(tl)
    out = []
    for c in PAIRS:
        x = Problem(c["problem"], fold(c["problem"]), 1)
        plan = fold(c["plan"])
        v = (answered_by_words(x, Text(plan), stock, tl) if match == "words"
             else answered_by_pairs(x, widen(plan, tl), stock, ignore))
        out.append(v is not False)          # no verdict: the rule reports nothing, as if answered
    return out


def scores(match: str) -> dict:
    """Precision, recall and F1 of `answers: true`, over the labelled pairs."""
    pred = _predict(match)
    gold = [c["answers"] for c in PAIRS]
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    wrong = [(c["kind"], c["problem"], c["plan"]) for c, p, g in zip(PAIRS, pred, gold) if p != g]
    return {"precision": precision, "recall": recall, "f1": f1, "n": len(PAIRS), "wrong": wrong}


def test_labelled_set_shape():
    assert len(PAIRS) >= 40
    assert sum(c["kind"] == "hard" for c in PAIRS) >= 10


def test_words_beat_pairs():
    chars, words = scores("pairs"), scores("words")
    assert words["f1"] >= chars["f1"], (chars, words)
    assert words["f1"] >= 0.85 and words["precision"] >= 0.85, words


if __name__ == "__main__":
    for m in ("pairs", "words"):
        s = scores(m)
        print(f"{m}: precision {s['precision']:.3f} recall {s['recall']:.3f} F1 {s['f1']:.3f} n {s['n']}")
        for w in s["wrong"]:
            print("   ", *w)


def test_jieba_only_when_a_word_rule_compares(tmp_path):
    """The one-file check does not pay for jieba (~20 ms import, ~6 ms dictionary) when no
    word rule has problems and a plan to compare."""
    probe = ("import sys\nfrom checker.report import check_path\ncheck_path(sys.argv[1])\n"
             "print('jieba' in sys.modules)\n")
    without = tmp_path / "no_plan.txt"
    without.write_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n开展培训3次。\n", encoding="utf-8")
    with_plan = tmp_path / "plan.txt"
    with_plan.write_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n开展培训3次。\n二、存在的不足\n"
                         "一是执法力量不足，仅有执法人员2名。二是普法形式单一。\n三、2025年工作安排\n充实执法力量。\n",
                         encoding="utf-8")
    for path, loaded in ((without, "False"), (with_plan, "True")):
        r = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True,
                           cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True)
        assert r.stdout.strip() == loaded, (path.name, r.stdout, r.stderr)
        assert not r.stderr.strip(), r.stderr          # no warning (pkg_resources) or log line from jieba


def test_word_boundaries():
    from checker.words import Text
    plan = Text("充实执法力量，力争增加到6名。\n配合宣传部做好工作")
    assert plan.has("执法力量") and not plan.has("执法")
    assert plan.has("宣传部") and not plan.has("宣传")
