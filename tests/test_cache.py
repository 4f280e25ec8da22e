"""The parser cache: a built parser is kept in a private folder and loaded on the next start;
an entry that anyone else could have written, a damaged one, a folder that cannot be used, are
never trusted nor fatal — the parser is then built as without a cache."""
from __future__ import annotations

import os

import pytest
from lark import Lark

from checker import cache
from checker.analyse import structure

REPORT = [("measures",), ("next_plan",), ("shortcomings",)]


def _built(monkeypatch):
    """Count the parsers built (the LALR analysis run, not loaded) from here on."""
    calls = []
    real = Lark._build_parser

    def counting(self, *a, **k):
        calls.append(1)
        return real(self, *a, **k)

    monkeypatch.setattr(Lark, "_build_parser", counting)
    return calls


def _fresh_parser():
    structure.parser.cache_clear()
    structure._parse.cache_clear()
    try:
        return structure.parser(), structure.parse(REPORT)
    finally:
        structure.parser.cache_clear()
        structure._parse.cache_clear()


@pytest.fixture
def folder(cache_folder):
    return cache_folder


def test_a_parser_built_once_is_loaded_the_next_time(folder, monkeypatch):
    _, first = _fresh_parser()
    [entry] = folder.glob("outline-default.lark")
    assert oct(folder.stat().st_mode & 0o777) == "0o700" and oct(entry.stat().st_mode & 0o777) == "0o600"
    built = _built(monkeypatch)
    _, again = _fresh_parser()
    assert built == [] and again == first, "loaded, not built, and it parses the same"


def test_a_damaged_entry_is_rebuilt(folder, monkeypatch):
    _fresh_parser()
    [entry] = folder.glob("outline-default.lark")
    entry.write_bytes(b"not a pickle")
    built = _built(monkeypatch)
    _, st = _fresh_parser()
    assert built and not st.ok
    assert entry.read_bytes() != b"not a pickle", "the damaged entry was replaced"


def test_an_entry_others_may_write_is_not_loaded(folder, monkeypatch):
    _fresh_parser()
    [entry] = folder.glob("outline-default.lark")
    os.chmod(entry, 0o666)                  # another user could have put anything in it
    built = _built(monkeypatch)
    _fresh_parser()
    assert built, "built again, the entry not unpickled"


def test_a_folder_others_may_write_is_not_used(folder, monkeypatch):
    folder.mkdir(mode=0o777)
    os.chmod(folder, 0o777)
    assert cache.folder() is None
    built = _built(monkeypatch)
    _, st = _fresh_parser()
    assert built and not st.ok and not list(folder.iterdir())


@pytest.mark.parametrize("how", ["off", "a file in the way"])
def test_no_usable_folder_only_costs_the_build(tmp_path, monkeypatch, how):
    if how == "off":
        monkeypatch.setenv("FZCHECK_CACHE_DIR", "")
    else:
        (tmp_path / "file").write_text("x")
        monkeypatch.setenv("FZCHECK_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert cache.folder() is None
    _, st = _fresh_parser()
    assert [m.index for m in st.misplaced] == [2]


def _kept(inputs, calls):
    def build():
        calls.append(1)
        return {"built": len(calls)}
    return cache.kept("thing", inputs, build)


def test_a_kept_value_is_loaded_until_its_inputs_change(folder, tmp_path):
    data = tmp_path / "rules.yaml"
    data.write_text("a: 1")
    calls = []
    assert _kept([data], calls) == {"built": 1}
    [entry] = folder.glob("thing-*.pickle")
    assert oct(entry.stat().st_mode & 0o777) == "0o600"
    assert _kept([data], calls) == {"built": 1} and len(calls) == 1, "loaded, not built"
    data.write_text("a: 22")                      # a rule file edited: built again
    assert _kept([data], calls) == {"built": 2}
    assert _kept([data], calls) == {"built": 2} and len(calls) == 2


@pytest.mark.parametrize("spoil", ["damaged", "others may write", "a link"])
def test_a_kept_entry_that_cannot_be_trusted_is_built_again(folder, tmp_path, spoil):
    data = tmp_path / "rules.yaml"
    data.write_text("a: 1")
    calls = []
    _kept([data], calls)
    [entry] = folder.glob("thing-*.pickle")
    if spoil == "damaged":
        entry.write_bytes(entry.read_bytes()[:40])
    elif spoil == "others may write":
        os.chmod(entry, 0o666)
    else:
        elsewhere = tmp_path / "elsewhere.pickle"
        entry.rename(elsewhere)
        entry.symlink_to(elsewhere)
    assert _kept([data], calls) == {"built": 2}, "built, the entry not unpickled"
    assert not entry.is_symlink() and oct(entry.stat().st_mode & 0o777) == "0o600", "and replaced"


def test_the_rule_pack_from_the_cache_is_the_rule_pack_validated(folder, monkeypatch):
    from checker.checks import load
    load.builtin_rules.cache_clear()
    try:
        built = load.builtin_rules()
        assert len(list(folder.glob("rules-*.pickle"))) == 1
        load.builtin_rules.cache_clear()
        monkeypatch.setattr(load, "_read_builtin", lambda: pytest.fail("read and validated again"))
        again = load.builtin_rules()
    finally:
        load.builtin_rules.cache_clear()
    assert [r.model_dump() for r in again] == [r.model_dump() for r in built]
    assert [type(r.params) for r in again] == [type(r.params) for r in built]


def test_an_input_that_cannot_be_looked_at_only_costs_the_build(folder, tmp_path):
    """A dangling link among the inputs (an editor's 「.#load.py」 is hidden and skipped; any
    other costs the cache, never the check)."""
    data = tmp_path / "rules.yaml"
    data.write_text("a: 1")
    (tmp_path / ".#lock.py").symlink_to(tmp_path / "gone")
    calls = []
    assert _kept([data, tmp_path / ".#lock.py"], calls) == {"built": 1}
    assert _kept([data, tmp_path / ".#lock.py"], calls) == {"built": 1} and len(calls) == 1
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone")
    assert _kept([data, tmp_path / "dangling.py"], calls) == {"built": 2}


def test_the_rule_packs_key_holds_every_file_its_validation_reads(folder, monkeypatch, tmp_path):
    """Validation reads more than rules/checks/ (term lists, indicator ids): every file of the
    rule data is in the key (and a changed input rebuilds, as tested above), so an edited term
    list is read again, not served from the cache."""
    from checker.checks import load
    stamped = []
    real = cache._stamp
    monkeypatch.setattr(cache, "_stamp", lambda paths: stamped.extend(paths) or real(paths))
    load.builtin_rules.cache_clear()
    cache.code_and_data.cache_clear()
    try:
        load.builtin_rules()
    finally:
        load.builtin_rules.cache_clear()
        cache.code_and_data.cache_clear()
    names = {p.as_posix().split("/rules/")[-1] for p in stamped if "/rules/" in p.as_posix()}
    assert {"terms/events.yaml", "indicators.yaml", "checklist.yaml", "checks/wording.yaml"} <= names
    assert any(p.name == "load.py" for p in stamped) and any("pydantic" in p.as_posix() for p in stamped)
    assert any(p.as_posix().endswith("grammar/lexicon.yaml") for p in stamped)

def test_two_versions_keep_their_own_entries_and_old_ones_are_cleared(folder, tmp_path):
    """Two installs (another venv, a rollback) each load their own entry instead of rebuilding
    over each other's; entries past the last few versions, the entry of before the key was in
    the name and a temporary file a killed process left are removed when one is written."""
    import time
    data = tmp_path / "rules.yaml"
    calls = []
    versions = []
    for n in range(5):
        data.write_text(f"a: {n}")
        os.utime(data, ns=(n * 10**9, n * 10**9))
        versions.append(dict(_kept([data], calls)))
    assert len(calls) == 5
    kept_now = sorted(folder.glob("thing-*.pickle"))
    assert len(kept_now) == 1 + cache.KEPT_VERSIONS, "this version's and the last two others'"
    data.write_text("a: 4")
    os.utime(data, ns=(4 * 10**9, 4 * 10**9))
    assert _kept([data], calls) == versions[4] and len(calls) == 5, "the newest is loaded, not rebuilt"
    data.write_text("a: 3")
    os.utime(data, ns=(3 * 10**9, 3 * 10**9))
    assert _kept([data], calls) == versions[3] and len(calls) == 5, "so is the one before: no thrash"
    (folder / "thing.pickle").write_bytes(b"old")
    left = folder / ".fzcheck-thing-0123456789abcdef.pickle.abcd.tmp"
    left.write_bytes(b"half")
    os.utime(left, (time.time() - 3600, time.time() - 3600))
    young = folder / ".fzcheck-thing-fedcba9876543210.pickle.efgh.tmp"
    young.write_bytes(b"being written")
    data.write_text("a: 9")
    _kept([data], calls)
    assert not (folder / "thing.pickle").exists() and not left.exists()
    assert young.exists(), "another process may be writing it now"
