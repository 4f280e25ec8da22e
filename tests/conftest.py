import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run, so a suite that passed here passes in CI;
# `make fuzz` (HYPOTHESIS_PROFILE=explore) draws new ones to hunt for bugs — each bug it finds
# becomes a plain regression test.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FZCHECK_CORPUS", ROOT.parent / "shared" / "corpus"))
SAMPLES = ROOT / "samples"


def sample_folder(folder: Path) -> Path:
    """A folder of its own holding copies of the bundled sample reports (a test may edit them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in SAMPLES.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    """A private cache folder of this test's own (FZCHECK_CACHE_DIR; created on first use)."""
    d = tmp_path / "cache"
    monkeypatch.setenv("FZCHECK_CACHE_DIR", str(d))
    return d


def corpus_files():
    return sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not (CORPUS / "expected.yaml").exists(),
                                  reason=f"real corpus not found at {CORPUS}")


def run_cli(*args, cwd=None, input=None, env=None):
    """Run fzcheck as a user would (a new process), return CompletedProcess."""
    e = dict(os.environ)
    e.pop("FZCHECK_DEBUG", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or ROOT, input=input, env=e, timeout=120)


def run_patched(tmp_path, script: str, *args, debug=False):
    """Run fzcheck under a script that patches the checker first (a rule or a step made to
    fail), in a new process as a user would, FZCHECK_DEBUG=1 when `debug`."""
    path = tmp_path / "patched_fzcheck.py"
    path.write_text(script, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "FZCHECK_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    if debug:
        env["FZCHECK_DEBUG"] = "1"
    return subprocess.run([sys.executable, str(path), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=180)


# The rule meant to catch each kind of defect in expected.yaml files: a defect counts as found
# only when that rule reports it on its line (not any finding that happens to sit there).
DEFECT_RULES = {
    "lost_heading_number": {"STRUCT-LOST-NUMBER"},
    "no_signature_or_date": {"CLOSE-SIGNATURE", "CLOSE-DATE"},
    "reasons_missing": {"OUT-REASONS"},
    "first_responsible_not_separate": {"OUT-FIRST-RESP-EMBEDDED"},
    "markup_artifact": {"STRUCT-MARKUP"},
    "latin_word_in_chinese": {"WORD-LATIN"},
    "title_format": {"TITLE-GENRE", "TITLE-SPACING"},
    "placeholder_or_missing_number": {"WORD-PLACEHOLDER"},
    "malformed_date": {"DATE-MALFORMED"},
    "year_written_without_年": {"YEAR-NO-NIAN"},
    "request_language": {"WORD-REQUEST"},
    "stale_political_wording": {"TERM-STALE-GUIDANCE"},
    "wrong_political_term": {"TERM-WRONG-FORM"},
    "wrong_term": {"TERM-WRONG-FORM"},
    "plan_year_wrong": {"YEAR-PLAN"},
    "heading_style_mixed": {"STRUCT-MARKER-FORM"},
    "duplicate_heading_number": {"STRUCT-NUMBER-SEQUENCE"},
    "plan_does_not_answer": {"QUAL-PLAN-ANSWERS"},
}
