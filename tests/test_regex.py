"""Patterns from rule files: accelerated without changing what they match, vetted so that a
pattern that could hang a batch is refused."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.load import builtin_rules
from checker.errors import ConfigError
from checker.regex import accelerate, alternation, first_chars, vet

RULE_PATTERNS = [p for r in builtin_rules() if r.kind == "pattern" for p in r.params.patterns + r.params.unless]
RULE_GROUPS = [r.params.patterns for r in builtin_rules() if r.kind == "pattern"] + \
              [r.params.unless for r in builtin_rules() if r.kind == "pattern" and r.params.unless]
ALPHABET = "XxX×第次*件（）()，,。年20241925某□ and App法制政府二十大三中全会月日-—"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_acceleration_keeps_matches(text):
    for p in RULE_PATTERNS:
        assert [m.span() for m in re.finditer(p, text)] == \
               [m.span() for m in re.finditer(accelerate(p), text)], p


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_combined_patterns_match_like_their_parts(text):
    """What runs is one accelerated alternation per rule: it finds what its patterns find."""
    for group in RULE_GROUPS:
        combined = alternation(group)
        singles = [re.compile(re.sub(r"^\(\?i\)", "", p), re.I if p.startswith("(?i)") else 0) for p in group]
        for m in combined.finditer(text):
            assert any(r.match(text, m.start()) for r in singles), (group, m.group())
        for r in singles:
            first = r.search(text)
            if first:
                assert combined.search(text), (group, first.group())


def test_first_chars():
    assert first_chars(r"(?<![A-Za-z])[Xx×]{2,}") == "[Xx×]"
    assert first_chars(r"(?:ab|cd)e") == "[ac]"
    assert first_chars(r"a?b") == "[ab]"
    assert first_chars(r".x") is None and first_chars(r"[^a]b") is None and first_chars(r"x*") is None


def test_alternation_scopes_flags():
    rx = alternation([r"(?i)app", r"XX"])
    assert rx.search("APP") and rx.search("XX") and not rx.search("xx")


@pytest.mark.parametrize("pattern", [r"(a+)+b", r"(\s*\d+)*x", r"(?:a|aa)+(?:b*)+", r"(\w)\1", "a" * 3000])
def test_vet_refuses_patterns_that_could_hang(pattern):
    with pytest.raises(ConfigError):
        vet(pattern)


@pytest.mark.parametrize("pattern", [r"[A-Za-z]*[a-z][A-Za-z]*", r"(?:ab){2,5}", r"^(?=.{4,32}$)[^,]{2,20}([,][^,]{2,24}){0,2}$"])
def test_vet_accepts_ordinary_patterns(pattern):
    vet(pattern)


# alternatives under a repeat that may read the same text: the engine tries every way of splitting
# the text between them (「(a|a)*b」 takes 11 s on 26 characters)
@pytest.mark.parametrize("pattern", [
    r"(a|a)*b", r"(?:\d|\d\d)*x", r"(a|ab|b)*c", r"(x(a|a)y)*z", r"(?:ab|a(?:b))*c",
    r"(a|a){0,40}b", r"(.|\s)*x", r"(a|a?)+b", r"(?:报告|报(?:告))+。", r"(?:[一二三]十|一十?)+、", r"(?i)(?:ab|AB)+c",
])
def test_vet_refuses_alternatives_that_may_read_the_same_text(pattern):
    with pytest.raises(ConfigError, match="分支可匹配相同的文字"):
        vet(pattern)


@pytest.mark.parametrize("pattern", [
    r"(a|ab)*c",                       # after 「a」 the next repetition cannot start with 「b」
    r"(?:ab|ac)*d", r"(\w|,)*。", r"(.|\n)*x", r"(?:[0-9]|[a-z])+",
    r"(的|当前|所在|所处){0,3}位置",     # a short bounded repeat tries few ways
    r"(?:返回顶部|返回列表|关闭)+", r"(?:打印本页|【?打印】?)\s*(?:关闭|收藏)+",
    r"(?:第[一二三]条|第[四五六]款、?)+",
])
def test_vet_accepts_alternatives_that_cannot(pattern):
    vet(pattern)


def _strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)


def test_no_builtin_pattern_is_refused_as_ambiguous():
    # outline.yaml and meta.yaml are compiled unvetted: their patterns must pass all the same
    import re

    import yaml

    from checker.regex import _AMBIGUOUS, _hazard, P
    from checker.resources import rules_dir
    files = [*sorted((rules_dir() / "checks").glob("*.yaml")), *sorted((rules_dir() / "terms").glob("*.yaml")),
             rules_dir() / "outline.yaml", rules_dir() / "meta.yaml", rules_dir() / "indicators.yaml"]
    seen = 0
    for path in files:
        for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            try:
                tree = P.parse(s)
            except (re.error, TypeError, ValueError, OverflowError):
                continue
            seen += 1
            assert _hazard(tree, None, tree.state.flags) != _AMBIGUOUS, (path.name, s)
    assert seen > 1000
