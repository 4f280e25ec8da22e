"""Every hostile or unlucky input of tests/hostile/, built afresh and run as a user would:
the exit code, the Chinese message, the time, and every input byte-identical afterwards."""
import pytest

from .hostile import all_cases, run_case

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile(case, tmp_path):
    reason = case.skip() if case.skip else None
    if reason:
        pytest.skip(reason)
    run_case(case, tmp_path)
