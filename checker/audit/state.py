"""An audit's memory, in its output folder (state.sqlite): what was checked, from which content,
with which rules — so an interrupted audit picks up where it stopped and redoes nothing whose
content has not changed — and the compact facts the batch summaries are built from, so that
memory stays flat however many reports there are."""
from __future__ import annotations

import json
import os
import sqlite3
import zlib
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY, source TEXT UNIQUE, digest TEXT, status TEXT, reason TEXT,
  unit TEXT, year INTEGER, row TEXT, findings TEXT, indicators TEXT);
CREATE TABLE IF NOT EXISTS bands (hash INTEGER, report INTEGER, chunk INTEGER);
CREATE TABLE IF NOT EXISTS texts (report INTEGER PRIMARY KEY, body BLOB);
CREATE INDEX IF NOT EXISTS bands_hash ON bands (hash);
CREATE INDEX IF NOT EXISTS bands_report ON bands (report);
"""
# a shard has the tables a worker writes, without indexes on hashes (built once, in the state)
SHARD_SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY, source TEXT UNIQUE, digest TEXT, status TEXT, reason TEXT,
  unit TEXT, year INTEGER, row TEXT, findings TEXT, indicators TEXT);
CREATE TABLE IF NOT EXISTS bands (hash INTEGER, report INTEGER, chunk INTEGER);
CREATE TABLE IF NOT EXISTS texts (report INTEGER PRIMARY KEY, body BLOB);
"""
SHARD_GLOB = ".shard-*.sqlite"
SCHEMA_VERSION = "2"     # bump when the tables change: an older state file is then started afresh


class State:
    def __init__(self, folder: Path, key: str, fresh: bool = False):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "state.sqlite"
        try:
            self._open(key, fresh)
        except sqlite3.DatabaseError:
            # a state file damaged (say, by a power cut while writing) is only a cache: start afresh
            self.db.close()
            for suffix in ("", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._open(key, fresh)

    def _open(self, key: str, fresh: bool) -> None:
        self.db = sqlite3.connect(self.path)
        # a killed audit loses nothing with the journal alone; fsync per commit would only guard
        # against a power cut, and the file is a cache that is rebuilt when damaged
        self.db.execute("PRAGMA synchronous = OFF")
        if self._version() != SCHEMA_VERSION:
            self.db.executescript("DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS reports; "
                                  "DROP TABLE IF EXISTS bands; DROP TABLE IF EXISTS texts;")
        self.db.executescript(SCHEMA)
        old = self.get("key")
        if fresh or (old is not None and old != key):
            # other rules or configuration: nothing done before can be reused
            self.db.executescript("DELETE FROM reports; DELETE FROM bands; DELETE FROM texts; DELETE FROM meta;")
            self.drop_shards()
        self.set("key", key)
        self.set("schema", SCHEMA_VERSION)
        self.db.commit()
        self.merge_shards()         # what the workers of an interrupted run had finished

    @classmethod
    def reader(cls, path: Path) -> "State":
        """The state of a run in progress, opened by another process to read only."""
        self = cls.__new__(cls)
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        return self

    def _version(self) -> str | None:
        try:
            return self.get("schema")
        except sqlite3.OperationalError:         # a new file, or one from before versions
            return None

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def done(self) -> dict[str, str]:
        """source → digest of every report already checked (or found unreadable)."""
        return dict(self.db.execute("SELECT source, digest FROM reports"))

    def forget_missing(self, sources: set[str]) -> list[str]:
        """Reports no longer among the inputs leave the summaries; returns them."""
        gone = []
        for (source,) in self.db.execute("SELECT source FROM reports").fetchall():
            if source not in sources:
                gone.append(source)
                rid = self.db.execute("SELECT id FROM reports WHERE source = ?", (source,)).fetchone()[0]
                self.db.execute("DELETE FROM bands WHERE report = ?", (rid,))
                self.db.execute("DELETE FROM texts WHERE report = ?", (rid,))
                self.db.execute("DELETE FROM reports WHERE id = ?", (rid,))
        return gone

    def save(self, record: dict) -> None:
        """Record one report's outcome, as `pack` made it (replacing an earlier one of the same file)."""
        _save(self.db, record)

    def merge_shards(self) -> int:
        """Take in what workers wrote to their own files (Shard), then delete those files: each
        report replaces an earlier one of the same file. Returns how many reports came in."""
        n = 0
        for shard in sorted(self.path.parent.glob(SHARD_GLOB)):
            try:
                n += self._merge(shard)
            except sqlite3.DatabaseError:
                pass            # damaged (a worker killed mid-write): its reports are simply redone
            shard.unlink(missing_ok=True)
            Path(f"{shard}-journal").unlink(missing_ok=True)
        return n

    def _merge(self, shard: Path) -> int:
        db = self.db
        db.execute("ATTACH DATABASE ? AS shard", (str(shard),))
        try:
            if not db.execute("SELECT name FROM shard.sqlite_master WHERE name = 'reports'").fetchone():
                return 0
            # earlier results of the same files go; ids are shifted past this file's own
            for table, col in (("bands", "report"), ("texts", "report"), ("reports", "id")):
                db.execute(f"DELETE FROM {table} WHERE {col} IN (SELECT r.id FROM reports r "
                           f"JOIN shard.reports s ON s.source = r.source)")
            offset = db.execute("SELECT COALESCE(MAX(id), 0) FROM reports").fetchone()[0]
            cols = "source, digest, status, reason, unit, year, row, findings, indicators"
            n = db.execute(f"INSERT INTO reports (id, {cols}) SELECT id + ?, {cols} FROM shard.reports",
                           (offset,)).rowcount
            db.execute("INSERT INTO bands (hash, report, chunk) SELECT hash, report + ?, chunk FROM shard.bands",
                       (offset,))
            db.execute("INSERT INTO texts (report, body) SELECT report + ?, body FROM shard.texts", (offset,))
            db.commit()
            return n
        finally:
            db.execute("DETACH DATABASE shard")

    def drop_shards(self) -> None:
        for shard in self.path.parent.glob(SHARD_GLOB):
            shard.unlink(missing_ok=True)

    def _kept(self, rid: int) -> dict:
        row = self.db.execute("SELECT body FROM texts WHERE report = ?", (rid,)).fetchone()
        return json.loads(zlib.decompress(row[0])) if row else {}

    def paragraphs(self, rid: int) -> list[tuple[str, int]]:
        """(text, line) of a report's body paragraphs, as the copy search signed them."""
        return [tuple(x) for x in self._kept(rid).get("paragraphs", [])]

    def follow_facts(self, source: str) -> dict | None:
        """What follow-through compares of a report (follow.facts), or None."""
        row = self.db.execute("SELECT id FROM reports WHERE source = ?", (source,)).fetchone()
        return self._kept(row[0]).get("follow") if row else None

    def commit(self) -> None:
        self.db.commit()

    def rows(self):
        """(source, status, reason, row, findings, indicators) in source order, streamed."""
        for r in self.db.execute("SELECT source, status, reason, row, findings, indicators FROM reports ORDER BY source"):
            yield r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), json.loads(r[5])

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def _save(db: sqlite3.Connection, record: dict) -> None:
    cur = db.execute("SELECT id FROM reports WHERE source = ?", (record["source"],)).fetchone()
    if cur:
        db.execute("DELETE FROM bands WHERE report = ?", (cur[0],))
        db.execute("DELETE FROM texts WHERE report = ?", (cur[0],))
        db.execute("DELETE FROM reports WHERE id = ?", (cur[0],))
    c = db.execute(
        "INSERT INTO reports (source, digest, status, reason, unit, year, row, findings, indicators) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (record["source"], record["digest"], record["status"], record["reason"], record["unit"], record["year"],
         record["row"], record["findings"], record["indicators"]))
    rid = c.lastrowid
    db.executemany("INSERT INTO bands (hash, report, chunk) VALUES (?, ?, ?)",
                   [(h, rid, chunk) for h, chunk in record["bands"]])
    if record["body"] is not None:
        db.execute("INSERT INTO texts (report, body) VALUES (?, ?)", (rid, record["body"]))


class Shard:
    """A worker's own results file beside state.sqlite: the worker stores what it checked there,
    so the main process — which has only its share of the two cores — does no writing while
    the workers run. Merged into the state when the workers are done (or on the next run, after
    a kill: what a worker committed is kept)."""

    def __init__(self, folder: Path):
        self.path = folder / SHARD_GLOB.replace("*", str(os.getpid()))
        self.db = sqlite3.connect(self.path)
        self.db.execute("PRAGMA synchronous = OFF")
        # the journal file is kept between commits (a commit every few reports would otherwise
        # create and delete it each time: file-system work the two workers contend for)
        self.db.execute("PRAGMA journal_mode = PERSIST")
        self.db.executescript(SHARD_SCHEMA)

    def save(self, record: dict) -> None:
        _save(self.db, record)

    def commit(self) -> None:
        self.db.commit()


def pack(out: dict) -> dict:
    """A worker's outcome in the form State.save stores it. Serialising here, in the worker,
    keeps the main process — which has only its share of a core — free to take results."""
    kept = None
    if out.get("paragraphs"):
        kept = zlib.compress(json.dumps({"paragraphs": out["paragraphs"], "follow": out.get("follow")},
                                        ensure_ascii=False).encode("utf-8"))
    return {"source": out["source"], "digest": out["digest"], "status": out["status"], "reason": out.get("reason"),
            "unit": out.get("unit"), "year": out.get("year"),
            "row": json.dumps(out.get("row"), ensure_ascii=False),
            "findings": json.dumps(out.get("findings", []), ensure_ascii=False),
            "indicators": json.dumps(out.get("indicators", []), ensure_ascii=False),
            "bands": out.get("bands", []), "body": kept}
