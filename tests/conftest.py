import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("FZCHECK_CORPUS", ROOT.parent / "shared" / "corpus"))
SAMPLES = ROOT / "samples"


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
