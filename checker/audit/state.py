"""An audit's memory, in its output folder (state.sqlite): what was checked, from which content,
with which rules — so an interrupted audit picks up where it stopped and redoes nothing whose
content has not changed — and the compact facts the batch summaries are built from, so that
memory stays flat however many reports there are."""
from __future__ import annotations

import json
import os
import sqlite3
import zlib
from contextlib import contextmanager
from pathlib import Path

from ..errors import RunError
from .statuses import WAS_CHECKED

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY, source TEXT UNIQUE, digest TEXT, status TEXT, reason TEXT,
  unit TEXT, year INTEGER, row TEXT, findings TEXT, indicators TEXT);
CREATE TABLE IF NOT EXISTS bands (hash INTEGER, report INTEGER, chunk INTEGER);
CREATE TABLE IF NOT EXISTS texts (report INTEGER PRIMARY KEY, body BLOB);
-- a file that is another format of the submission `main` (audit/submissions.py): not a row of
-- its own, its findings not counted; rebuilt after every run's checks
CREATE TABLE IF NOT EXISTS grouped (source TEXT PRIMARY KEY, main TEXT, format TEXT, similarity REAL,
  page TEXT, note TEXT);
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


# what sqlite says when the disk, not the file, is at fault: the run stops and keeps everything
# (SQLITE_CORRUPT, SQLITE_NOTADB… are a damaged file, which is only a cache)
_IO_ERRORS = {"SQLITE_FULL": "磁盘空间不足", "SQLITE_IOERR": "磁盘读写出错", "SQLITE_READONLY": "所在磁盘只读或没有写入权限",
              "SQLITE_CANTOPEN": "无法打开文件（没有权限或磁盘只读）", "SQLITE_PERM": "没有权限",
              "SQLITE_NOMEM": "内存不足", "SQLITE_BUSY": "文件正被另一个进程占用", "SQLITE_LOCKED": "文件正被占用"}


def io_reason(e: sqlite3.Error) -> str | None:
    """The Chinese reason when `e` is the disk's fault (full, read-only, I/O error), else None."""
    name = getattr(e, "sqlite_errorname", "") or ""
    for code, reason in _IO_ERRORS.items():
        if name == code or name.startswith(code + "_"):      # SQLITE_IOERR_WRITE and the like
            return reason
    text = str(e).lower()            # an error raised without a code (older sqlite)
    if "disk is full" in text or "disk i/o" in text or "readonly" in text or "unable to open" in text:
        return "磁盘空间不足" if "full" in text else "磁盘读写出错或只读"
    return None


def stopped(folder: Path, reason: str) -> RunError:
    """The error that stops a run whose results cannot be written, saying that nothing is lost."""
    return RunError(f"{folder}: 无法写入审核结果：{reason}。已完成的检查结果都已保留；"
                    f"腾出磁盘空间（或改正权限）后重新运行同一命令，会从中断处继续")


@contextmanager
def _stopping(folder: Path):
    """sqlite's errors in a worker's shard as the error that stops the run: a worker's own fresh
    file failing is the disk's fault (full, read-only, gone), not a report's."""
    try:
        yield
    except sqlite3.Error as e:
        raise stopped(folder, io_reason(e) or f"结果文件出错（{e}）") from None


class State:
    def __init__(self, folder: Path, key: str, fresh: bool = False):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "state.sqlite"
        try:
            self._open(key, fresh)
        except sqlite3.DatabaseError as e:
            if io_reason(e):
                self._close_quietly()
                raise stopped(folder, io_reason(e)) from None
            # a state file damaged (say, by a power cut while writing) is only a cache: start afresh
            self.db.close()
            for suffix in ("", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self._open(key, fresh)

    def _close_quietly(self) -> None:
        try:
            self.db.close()
        except (sqlite3.Error, AttributeError):
            pass

    def _open(self, key: str, fresh: bool) -> None:
        self.db = sqlite3.connect(self.path)
        # a killed audit loses nothing with the journal alone; fsync per commit would only guard
        # against a power cut, and the file is a cache that is rebuilt when damaged
        self.db.execute("PRAGMA synchronous = OFF")
        if self._version() != SCHEMA_VERSION:
            self.db.executescript("DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS reports; "
                                  "DROP TABLE IF EXISTS bands; DROP TABLE IF EXISTS texts; DROP TABLE IF EXISTS grouped;")
        self.db.executescript(SCHEMA)
        old = self.get("key")
        if fresh or (old is not None and old != key):
            # other rules or configuration: nothing done before can be reused
            self.db.executescript("DELETE FROM reports; DELETE FROM bands; DELETE FROM texts; DELETE FROM meta; DELETE FROM grouped;")
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
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):       # a new file, or one from before versions
                return None
            raise     # busy, an I/O error…: not a reason to drop every stored result

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
        if gone:            # a group holding a file gone is rebuilt after the checks
            self.db.execute("DELETE FROM grouped")
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
            except sqlite3.DatabaseError as e:
                if io_reason(e):
                    # a full disk is no damaged shard: it stays, and is merged on the next run
                    raise stopped(self.path.parent, io_reason(e)) from None
                # damaged (a worker killed mid-write): its reports are simply redone
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
        except BaseException:
            db.rollback()           # all of the shard or none of it (a shard cannot be detached mid-transaction)
            raise
        finally:
            try:
                db.execute("DETACH DATABASE shard")
            except sqlite3.Error:
                pass

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

    def set_groups(self, grouped: list[dict]) -> None:
        """The files that are another format of a submission (submissions.group), replacing the last run's."""
        self.db.execute("DELETE FROM grouped")
        self.db.executemany("INSERT INTO grouped (source, main, format, similarity, page, note) "
                            "VALUES (:source, :main, :format, :similarity, :page, :note)", grouped)
        self.db.commit()

    def _grouped(self) -> dict[str, list[dict]]:
        """main → its other formats; {} for a state written before submissions were grouped."""
        out: dict[str, list[dict]] = {}
        try:
            got = self.db.execute("SELECT source, main, format, similarity, page, note FROM grouped ORDER BY source")
            for source, main, fmt, sim, page, note in got:
                out.setdefault(main, []).append({"source": source, "format": fmt, "similarity": sim,
                                                 "page": page, "note": note})
        except sqlite3.OperationalError:
            pass
        return out

    def other_formats(self, grouped: dict[str, list[dict]] | None = None) -> set[str]:
        """The files that are another format of a submission: read, but not counted."""
        return {o["source"] for group in (self._grouped() if grouped is None else grouped).values() for o in group}

    def rows(self, every_file: bool = False):
        """(source, status, reason, row, findings, indicators) in source order, streamed: one per
        submission — a file that is another format of one is left out, and listed in its main
        file's row["formats"] (with row["formats_note"] when the copies differ) — or, with
        `every_file`, one per file."""
        from .submissions import describe
        others = self._grouped()
        secondary = self.other_formats(others)
        for r in self.db.execute("SELECT source, status, reason, row, findings, indicators FROM reports ORDER BY source"):
            if not every_file and r[0] in secondary:
                continue
            row = json.loads(r[3])
            if not every_file and r[1] in WAS_CHECKED and row is not None:
                row["formats"], row["formats_note"] = describe(r[0], row.get("page"), others.get(r[0], []))
            yield r[0], r[1], r[2], row, json.loads(r[4]), json.loads(r[5])

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
        with _stopping(self.path.parent):
            self.db = sqlite3.connect(self.path)
            self.db.execute("PRAGMA synchronous = OFF")
            # the journal file is kept between commits (a commit every few reports would otherwise
            # create and delete it each time: file-system work the two workers contend for)
            self.db.execute("PRAGMA journal_mode = PERSIST")
            self.db.executescript(SHARD_SCHEMA)

    def save(self, record: dict) -> None:
        with _stopping(self.path.parent):
            _save(self.db, record)

    def commit(self) -> None:
        with _stopping(self.path.parent):
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
