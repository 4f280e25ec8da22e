"""A report's status in an audit, the one vocabulary the state, the grouping of submissions and
the summaries share (a module of its own so that none of them has to import another for it).

checked: by every rule · partial: read, but some rule crashed on it (its row says which; the
others' findings stand) · unreadable: not checked at all (the reason says why)."""
from __future__ import annotations

CHECKED, PARTIAL, UNREADABLE = "checked", "partial", "unreadable"
WAS_CHECKED = (CHECKED, PARTIAL)        # what the comparisons across reports and the tables take
# the same, as an SQL condition (built from the tuple: a status added there is taken here too)
WAS_CHECKED_SQL = "status IN (" + ", ".join(f"'{s}'" for s in WAS_CHECKED) + ")"
# the checked files that stand for a submission (not another format of one): what copies and
# follow-through compare
SUBMISSION_SQL = WAS_CHECKED_SQL + " AND source NOT IN (SELECT source FROM grouped)"
STATUS_LABEL = {CHECKED: "已检查", PARTIAL: "部分检查", UNREADABLE: "无法读取"}
