"""Every real report and sample gets the very result it got when the expectation was stored
(tests/findings_expectation.py): a speed-up must not change a verdict. A change that is meant
to alter findings regenerates the expectation, and its diff shows which files moved."""
import json

import pytest

from .conftest import needs_corpus
from .findings_expectation import STORED, current


@needs_corpus
def test_findings_on_the_corpus_openings_and_samples_are_as_stored():
    if not STORED.exists():
        pytest.fail(f"{STORED} is missing: python -m tests.findings_expectation --write")
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    got = current()
    assert set(got) == set(stored), "the set of files changed"
    moved = {name: (stored[name]["rules"], got[name]["rules"]) for name in got if got[name] != stored[name]}
    assert not moved, ("results changed (if meant, run python -m tests.findings_expectation --write): "
                       + "; ".join(f"{n}: {a} → {b}" for n, (a, b) in list(moved.items())[:5]))
