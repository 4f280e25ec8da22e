"""Words, for the rules that ask whether two texts name the same thing (QUAL-PLAN-ANSWERS: does
the plan answer a problem). Character pairs cannot tell 执法 from 执法力量 or 宣传 from 宣传部;
words can.

jieba, over a small dictionary: jieba's own (349k words) costs ~0.7 s to load in every process,
more than a whole `fzcheck check one.txt`. The dictionary here is the frequent part of jieba's
(rules/terms/words_base.txt, built by `python -m checker.words BASE_DICT`) plus the domain's terms
(rules/terms/dict.txt). It is loaded on first use only, so a report whose word rules have
nothing to compare never imports jieba; HMM is off (new-word guessing is slower and makes the
cut of a clause depend on its neighbours).

Only short texts are cut: a problem's topic, and in the plan only the clauses where one of the
problem's words occurs as characters — a whole plan through pure-Python jieba (~3 µs a
character) would cost more than the rest of the check."""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from .compiled import compile_kept
from .resources import rules_dir

def _base() -> Path:
    """The base dictionary: data, beside the domain's terms in rules/terms/."""
    return rules_dir() / "terms" / "words_base.txt"
MIN_FREQ = 300          # of jieba's dictionary, the words at least this frequent (see _build)

_CLAUSE_CUT = compile_kept(r"[，,。；;：:！!？?、\s（）()《》“”\"]")
_CJK_WORD = compile_kept(r"[\u4e00-\u9fff]{2,}")


def domain_dict() -> Path:
    return rules_dir() / "terms" / "dict.txt"


@lru_cache(maxsize=1)
def tokenizer():
    """A jieba.Tokenizer over the small dictionary, built once per process. Its prefix
    dictionary is filled here rather than by Tokenizer.initialize(), which would take ~20 ms
    on this dictionary (words_base.txt has its prefixes written out, so that it loads with one
    dict() call, ~6 ms), write a cache file to the temporary folder and log to stderr."""
    import jieba
    base = _base()
    tk = jieba.Tokenizer(dictionary=str(base))
    freq = _read_base(base)
    for word, n in _read(domain_dict()).items():
        freq[word] = n
        for i in range(1, len(word)):
            freq.setdefault(word[:i], 0)
    tk.FREQ, tk.total = freq, sum(freq.values())
    tk.initialized = True
    return tk


def _read_base(path: Path) -> dict[str, int]:
    """words_base.txt: a few comment lines, then `word freq` lines."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    while text.startswith("#"):
        text = text[text.index("\n") + 1:]
    fields = text.split()
    return dict(zip(fields[0::2], map(int, fields[1::2])))


def _read(path: Path) -> dict[str, int]:
    """`word freq [tag]` lines, as jieba writes its dictionaries; # starts a comment line."""
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line[:1] != "#" and line.strip():
                word, n = line.split()[:2]
                out[word] = int(n)
    return out


@lru_cache(maxsize=4096)
def cut(text: str) -> tuple[str, ...]:
    """The words of a short text (a clause, a problem's topic); cached, for the same clauses
    recur in a batch (the template sentences every unit writes)."""
    return tuple(tokenizer().cut(text, HMM=False))


def words(text: str):
    """The words of a text of two or more Chinese characters (figures, punctuation and single
    characters say nothing about what it is about), run by run: a caller that stops early
    leaves the rest uncut."""
    for run in _CJK_WORD.findall(text):
        for w in cut(run):
            if len(w) >= 2:
                yield w


class Text:
    """A text in which to look for words: a word is there when it occurs with a word boundary at
    both ends (「执法」 is not in 「充实执法力量」, 「宣传」 is not in 「宣传部」). Only the clauses
    where the word occurs as characters are cut."""

    def __init__(self, text: str):
        self.text = text
        self._bounds: dict[int, frozenset[int]] = {}       # clause start → word boundaries in it

    def has(self, word: str) -> bool:
        t, i = self.text, self.text.find(word)
        while i >= 0:
            start = _clause_start(t, i)
            bounds = self._bounds.get(start)
            if bounds is None:
                m = _CLAUSE_CUT.search(t, i + len(word))
                end = m.start() if m else len(t)
                pos, acc = start, {start}
                for w in cut(t[start:end]):
                    pos += len(w)
                    acc.add(pos)
                bounds = self._bounds[start] = frozenset(acc)
            if i in bounds and i + len(word) in bounds:
                return True
            i = t.find(word, i + 1)
        return False


def _clause_start(text: str, i: int) -> int:
    j = i
    while j > 0 and not _CLAUSE_CUT.match(text, j - 1):
        j -= 1
    return j


def _build(jieba_dict: str, out: Path | None = None, min_freq: int = MIN_FREQ) -> int:
    """Write the base dictionary: the words of jieba's dict.txt with at least `min_freq` occurrences (14k of 349k words, 18k entries with the prefixes; it loads in ~6 ms instead of
    ~700 ms and finds four in five of the words the full one finds in the domain's clauses, the
    domain's terms doing the rest)."""
    freq: dict[str, int] = {}
    with open(jieba_dict, encoding="utf-8") as src:
        for line in src:
            w, f, *_tag = line.split()
            if int(f) >= min_freq:
                freq[w] = int(f)
    for w in list(freq):
        for i in range(1, len(w)):
            freq.setdefault(w[:i], 0)               # what jieba's gen_pfdict adds
    with open(out or _base(), "w", encoding="utf-8") as dst:
        dst.write(f"# jieba 0.42.1 dict.txt (MIT licence): its words with frequency >= {min_freq},\n"
                  "# and their prefixes with frequency 0 (jieba's prefix dictionary, written out).\n"
                  "# Rebuild: python -m checker.words PATH/TO/jieba/dict.txt\n")
        dst.writelines(f"{w} {f}\n" for w, f in freq.items())
    return len(freq)


if __name__ == "__main__":
    print(_build(sys.argv[1]), "words written to", _base())
