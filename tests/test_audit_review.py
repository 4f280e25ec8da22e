"""The audit's bookkeeping after review: a partly checked report is checked again on the next
run, a rule failure's text sits in its own column, a checklist that cannot be built costs only
that checklist, and each status is named in one place."""
import re
import sqlite3

from checker.audit import state as state_mod
from checker.audit.state import STATUS_LABEL, WAS_CHECKED
from tests.conftest import ROOT


def test_the_sql_condition_takes_exactly_the_checked_statuses():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE reports (status TEXT)")
    db.executemany("INSERT INTO reports VALUES (?)", [(s,) for s in STATUS_LABEL])
    taken = {s for (s,) in db.execute(f"SELECT status FROM reports WHERE {state_mod.WAS_CHECKED_SQL}")}
    assert taken == set(WAS_CHECKED) and taken != set(STATUS_LABEL)


def test_the_summary_page_names_no_status_by_hand():
    page = (ROOT / "checker" / "render" / "templates" / "audit_summary.html.j2").read_text(encoding="utf-8")
    logic = " ".join(re.findall(r"{[{%].*?[}%]}", page, re.S))     # the template's code, not its CSS classes
    assert "was_checked" in logic
    for status in STATUS_LABEL:
        assert f'"{status}"' not in logic and f"'{status}'" not in logic, status
