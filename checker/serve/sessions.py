"""What the server remembers of a browser: its last checked report — the result shown, the
downloads built from it, the draft the next upload is compared with (the baseline mechanism of
`check --baseline`). In memory only, a bounded number of sessions, each forgotten after a
while: nothing of a report outlives the server on disk, and a thousand browsers cost no more
than `sessions` results."""
from __future__ import annotations

import secrets
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass

from ..models import Result, Source

COOKIE = "fzcheck_session"


@dataclass
class Checked:
    """One report as checked for a browser."""
    result: Result
    source: Source
    name: str
    profile: str | None
    level: str | None
    compared_with: str | None        # the earlier draft's name, when the findings were compared
    unrelated: str | None = None     # the one checked before, not compared: another unit or year
    text_html: str = ""              # the marked text, rendered by the worker
    page: str | None = None          # the result page once rendered (a reload costs nothing)

    @property
    def size(self) -> int:
        """About what it holds in memory, in bytes: the source's lines, the marked text, the page
        (Python's own sizes: a CJK character takes 2 bytes, an emoji 4), the result about as
        much as the source again."""
        lines = sum(sys.getsizeof(x) for x in self.source.lines)
        return 2 * lines + sys.getsizeof(self.text_html) + (sys.getsizeof(self.page) if self.page else 0)


class Sessions:
    """At most `cap` sessions and `budget` bytes of results, the least recently seen forgotten
    first; each forgotten after `minutes` unseen."""

    def __init__(self, cap: int, minutes: float, budget: int):
        self.cap, self.ttl, self.budget = cap, minutes * 60, budget
        self._items: OrderedDict[str, tuple[float, Checked | None]] = OrderedDict()

    def _expire(self) -> None:
        now = time.monotonic()
        for sid in [s for s, (seen, _) in self._items.items() if now - seen > self.ttl]:
            del self._items[sid]
        while len(self._items) > self.cap:
            self._items.popitem(last=False)
        held = sum(c.size for _, c in self._items.values() if c is not None)
        while held > self.budget and len(self._items) > 1:
            _, (_, gone) = self._items.popitem(last=False)
            held -= gone.size if gone is not None else 0

    def get(self, sid: str | None) -> Checked | None:
        self._expire()
        if not sid or sid not in self._items:
            return None
        _, checked = self._items[sid]
        self._items[sid] = (time.monotonic(), checked)
        self._items.move_to_end(sid)
        return checked

    def known(self, sid: str | None) -> bool:
        return bool(sid) and sid in self._items

    def new(self) -> str:
        sid = secrets.token_urlsafe(24)
        self._items[sid] = (time.monotonic(), None)
        self._expire()
        return sid

    def save(self, sid: str, checked: Checked) -> None:
        self._items[sid] = (time.monotonic(), checked)
        self._items.move_to_end(sid)
        self._expire()

    def __len__(self) -> int:
        return len(self._items)
