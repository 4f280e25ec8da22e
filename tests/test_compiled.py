"""Regular expressions kept between runs (checker/compiled.py): a pattern rebuilt from the kept
code is the pattern re compiles; the next run compiles nothing, whatever its hash seed and
whether the first compiled in a worker; a damaged, tampered or foreign table costs only time;
a refused pattern is never remembered as vetted; the table is bounded."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from checker import cache
from checker import compiled as K
from checker.errors import ConfigError
from checker.regex import vet
from tests.conftest import SAMPLES, corpus_files

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _state():
    return K._table, K._where, K._read, set(K._fresh), dict(K._made)


def _restore(saved) -> None:
    K._table, K._where, K._read = saved[:3]
    K._fresh.clear()
    K._fresh.update(saved[3])
    K._made.clear()
    K._made.update(saved[4])


def _again():
    """As a new process starts: the table read from the folder again, nothing made yet."""
    K._table, K._where, K._read = None, None, False
    K._fresh.clear()
    K._made.clear()


@pytest.fixture
def fresh(cache_folder):
    """An empty cache folder and a table not read yet; the process's own state back after."""
    cache.code_and_data.cache_clear()
    saved = _state()
    _again()
    yield cache_folder
    _restore(saved)
    cache.code_and_data.cache_clear()


# the whole check in a new process (FZCHECK_DEBUG: in this process, no worker), then what the
# process compiled and how its patterns behave
_RUN = r"""
import json, re, sys
from checker import compiled as K
fresh = []
real = K._code_of
K._code_of = lambda p, f: fresh.append(p) or real(p, f)
from checker.cli import main
sys.argv = ["fzcheck", "check", *sys.argv[1:], "--format", "json"]
try:
    main()
except SystemExit:
    pass
texts = [open(f, encoding="utf-8").read() for f in sys.argv[2:-2]]
differ = []
for (kind, pattern, flags), got in K._table.items():
    mine, theirs = K._built(pattern, got), re.compile(pattern, flags)
    # patterns compare by their code, flags and pattern: the engine's own equality
    same = mine == theirs and mine.groupindex == theirs.groupindex
    if same and kind is str:
        same = all([m.span() for m in mine.finditer(t)] == [m.span() for m in theirs.finditer(t)]
                   for t in texts)
    if not same:
        differ.append(pattern)
print(json.dumps({"compiled": len(fresh), "table": len(K._table), "differ": differ}), file=sys.stderr)
"""


def _run(folder, files, seed: str, debug: bool = True) -> dict:
    env = {**os.environ, "FZCHECK_CACHE_DIR": str(folder), "PYTHONHASHSEED": seed}
    env.pop("FZCHECK_DEBUG", None)
    if debug:
        env["FZCHECK_DEBUG"] = "1"
    done = subprocess.run([sys.executable, "-c", _RUN, *map(str, files)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    return json.loads(done.stderr.strip().splitlines()[-1])


def _reports():
    return corpus_files()[:3] or sorted(SAMPLES.glob("*.txt"))


def test_the_next_run_compiles_nothing_and_each_kept_pattern_is_the_one_re_compiles(tmp_path):
    folder = tmp_path / "cache"
    files = _reports()
    first = _run(folder, files, "1", debug=False)   # checked in a worker: it keeps its own
    assert first["compiled"] > 50, "the process itself compiled the patterns at import"
    [entry] = folder.glob("regex-*.pickle")
    assert entry.is_file() and oct(entry.stat().st_mode & 0o777) == "0o600"
    written = entry.stat().st_mtime_ns
    # another hash seed: a pattern built from a set in set order would differ, and be compiled
    again = _run(folder, files, "2")
    assert again["compiled"] == 0, "every pattern of the check was kept, the worker's too"
    assert again["table"] > 300
    assert again["differ"] == [], "a pattern rebuilt from kept code matches as re's does"
    assert entry.stat().st_mtime_ns == written, "nothing new: the entry is not written again"


def test_a_damaged_or_tampered_table_costs_only_time(fresh):
    rx = K.compile_kept(r"(?P<y>\d{4})年")
    K.keep()
    [entry] = fresh.glob("regex-*.pickle")
    assert entry.is_file()
    _again()
    table = K._loaded()
    key = (str, r"(?P<y>\d{4})年", 0)
    flags, code, *rest = table[key]
    # code of another engine (opcodes this one does not have): CPython refuses it, and the
    # pattern is compiled afresh (a pickle is trusted no further than this user's own folder)
    table[key] = (flags, b"\xff\xff\x00\x00" * (len(code) // 4), *rest)
    assert K.compile_kept(r"(?P<y>\d{4})年").findall("2024年与2025年") == ["2024", "2025"]
    assert rx.findall("2024年") == ["2024"]
    entry.write_bytes(entry.read_bytes()[:40] + b"not a pickle")
    _again()
    assert K.compile_kept(r"(?P<y>\d{4})年").groupindex == {"y": 1}
    assert K._loaded() is not None and len(K._loaded()) == 1, "read as empty, filled again"
    # one changed byte of the code, which the engine would run: the digest refuses the file
    K.keep()
    data = bytearray(entry.read_bytes())
    data[-40] ^= 1
    entry.write_bytes(bytes(data))
    _again()
    assert K._loaded() == {}


def test_a_table_others_may_write_is_never_read(fresh):
    K.compile_kept("法治")
    K.keep()
    [entry] = fresh.glob("regex-*.pickle")
    os.chmod(entry, 0o666)
    _again()
    assert K._loaded() == {}, "a pickle anyone may write is not loaded"
    os.chmod(entry, 0o600)
    target = fresh / "elsewhere.pickle"
    os.replace(entry, target)
    entry.symlink_to(target)
    _again()
    assert K._loaded() == {}, "nor one reached through a link"


def test_an_invalid_pattern_fails_as_re_says(fresh):
    with pytest.raises(re.error) as got:
        K.compile_kept("(未闭合")
    with pytest.raises(re.error) as expected:
        re.compile("(未闭合")
    assert str(got.value) == str(expected.value)
    assert K._loaded() == {}


def test_a_refused_pattern_is_never_remembered_as_vetted(fresh):
    hazard = r"(\d|\d\d)*x"
    for _ in range(2):
        with pytest.raises(ConfigError):
            vet(hazard)
        K.keep()
        _again()
    assert not K.vetted(hazard)
    vet(r"(?P<n>\d+)件")
    assert K.vetted(r"(?P<n>\d+)件")
    K.keep()
    _again()
    assert K.vetted(r"(?P<n>\d+)件"), "the verdict is kept with the pattern"
    assert vet(r"(?P<n>\d+)件").findall("办理12件") == ["12"]


def test_the_table_is_bounded(fresh, monkeypatch):
    monkeypatch.setattr(K, "MAX_KEPT", 5)
    made = [K.compile_kept(f"第{i}条") for i in range(20)]
    assert len(K._loaded()) <= 5 and len(K._made) <= 5
    assert [m.search(f"依照第{i}条").group() for i, m in enumerate(made)] == [f"第{i}条" for i in range(20)]
    K.keep()
    _again()
    assert 0 < len(K._loaded()) <= 5
    # past the byte budget, what is written back is what this process used
    monkeypatch.setattr(K, "MAX_KEPT", 100)
    monkeypatch.setattr(K, "MAX_BYTES", 1)
    K.compile_kept("独用")
    K.keep()
    _again()
    assert set(K._loaded()) == {(str, "独用", 0)}


def test_without_a_cache_patterns_are_compiled_as_usual(fresh, monkeypatch):
    monkeypatch.setenv("FZCHECK_CACHE_DIR", "")
    assert K.compile_kept("法治", re.I).flags & re.I
    assert K._loaded() is None
    K.keep()
    assert not fresh.exists()


def test_a_data_folder_that_cannot_be_found_costs_the_cache_not_the_start(fresh, monkeypatch):
    """The key stamps rules/ and grammar/: when they are missing (a broken install), patterns
    compiled at import must still compile, and the command then says in Chinese what is
    missing (where the data is read), not a traceback from here."""
    from checker import resources

    def missing():
        raise ConfigError("找不到数据目录 rules/（安装包不完整？）")
    monkeypatch.setattr(resources, "rules_dir", missing)
    assert K.compile_kept(r"\d+件").findall("3件") == ["3件"]
    assert K._loaded() is None


def test_a_table_of_another_shape_is_left_out_and_a_failing_write_is_no_error(fresh, monkeypatch):
    K.compile_kept("法治")
    K.keep()
    where = K._where
    where.store({(str, "法治", 0): ("not", "the", "shape"), "junk": 1, (str, "法", 0): (1, 2)})
    _again()
    assert K._loaded() == {}, "entries of another shape are not used"
    assert K.compile_kept("法治").search("建设法治政府")
    assert K.vetted("法治") is False
    monkeypatch.setattr(type(where), "store", lambda self, value: 1 / 0)
    K.keep()                 # in a worker after each report, at every exit: never raises
    assert not K._fresh


def test_a_check_with_a_broken_table_prints_no_traceback(tmp_path):
    """A correctly keyed entry holding something else: each worker used to die after its
    first report, and the table was never mended."""
    folder = tmp_path / "cache"
    files = _reports()[:2]
    _run(folder, files, "1", debug=False)
    [entry] = folder.glob("regex-*.pickle")
    key = entry.read_bytes()[:32]
    import hashlib
    import pickle
    payload = pickle.dumps(["not", "a", "table"])
    entry.write_bytes(key + hashlib.sha256(payload).digest() + payload)
    env = {**os.environ, "FZCHECK_CACHE_DIR": str(folder)}
    env.pop("FZCHECK_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "checker", "check", *map(str, files), "--format", "json"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr[-800:]
    assert len(json.loads(done.stdout)) == len(files)
    again = _run(folder, files, "2")
    assert again["compiled"] == 0, "the table was written whole again"
