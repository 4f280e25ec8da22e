"""Edits written into a .docx as Word tracked changes (w:del around the old words, w:ins with the
new, author fzcheck), so the clerk accepts or rejects each one in Word or WPS. python-docx has no
API for revisions; the runs are cut at the words' edges as for a comment (anchor.py)."""
from __future__ import annotations

import copy
from datetime import datetime, timezone
from itertools import count

from ..read.docxruns import run_text, runs_of
from ..read.wordnumbering import W
from .anchor import XML_SPACE, cut
from .annotate import AUTHOR


class Tracker:
    def __init__(self, document):
        self.document = document
        self.ids = count(9000)          # apart from comment ids
        self.date = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def _mark(self, tag: str):
        el = self.document.element.makeelement(f"{W}{tag}", {f"{W}id": str(next(self.ids)), f"{W}author": AUTHOR,
                                                             f"{W}date": self.date})
        return el

    def edit(self, paragraphs: list, edit) -> bool:
        """Make `edit` (models.Edit) in the first of the paragraphs where its words stand, as a
        tracked change; False when they stand in none (numbering Word draws, a changed text)."""
        for p in paragraphs:
            done = False
            for _ in range(64):                         # `every`: each occurrence, a bounded number
                runs = runs_of(p)
                texts = [run_text(r) for r in runs]
                joined = "".join(texts)
                at = self._where(joined, edit, done)
                if at is None or (at == 0 and not runs):
                    break
                self._replace(runs, texts, at, at + len(edit.old), edit.new)
                done = True
                if not edit.every:
                    break
            if done:
                return True
        return False

    @staticmethod
    def _where(joined: str, edit, done: bool) -> int | None:
        if edit.at == "start":
            if done:
                return None
            lead = len(joined) - len(joined.lstrip())
            return lead if joined[lead:].startswith(edit.old) else None
        i = joined.find(edit.old) if edit.old else -1
        return i if i >= 0 else None

    def _replace(self, runs, texts, start: int, end: int, new: str) -> None:
        if start == end:                     # an insertion (a lost heading number): before the
            total = sum(map(len, texts))     # run at `start`, cut there, or after the last run
            if start < total:
                at = cut(runs, texts, start, start + 1)[0]
                at.addprevious(self._inserted(at, new))
            else:
                runs[-1].addnext(self._inserted(runs[-1], new))
            return
        chosen = cut(runs, texts, start, end)
        deleted = self._mark("del")
        chosen[0].addprevious(deleted)
        for r in chosen:
            deleted.append(r)                          # moved inside w:del
            for t in r.iter(f"{W}t"):
                t.tag = f"{W}delText"
                t.set(XML_SPACE, "preserve")
        if new:
            deleted.addnext(self._inserted(chosen[0], new))

    def _inserted(self, like, text: str):
        ins = self._mark("ins")
        r = like.makeelement(f"{W}r", {})
        rpr = like.find(f"{W}rPr")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        t = r.makeelement(f"{W}t", {XML_SPACE: "preserve"})
        t.text = text
        r.append(t)
        ins.append(r)
        return ins
