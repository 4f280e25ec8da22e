"""The merge of the workers' shards when the disk fails in the middle of it: the run stops
(RunError, a Chinese message), the shards not yet merged are all kept, and the next run merges
them with nothing lost or counted twice (issue 9: a full disk once deleted them as damaged)."""
import os
import shutil
import sqlite3

import pytest

from checker.audit import state as state_mod
from checker.audit.state import SHARD_GLOB, Shard, State, pack
from checker.errors import RunError


def _record(source: str) -> dict:
    return pack({"source": source, "digest": source, "status": "unreadable", "reason": "r",
                 "row": {"file": source, "reason": "r"}})


def _shards(folder, n_shards: int, per: int) -> list[str]:
    sources = []
    for s in range(n_shards):
        shard = Shard(folder)
        for i in range(per):
            src = f"/batch/{s:02d}-{i:02d}.txt"
            shard.save(_record(src))
            sources.append(src)
        shard.commit()
        shard.db.close()
        # Shard names itself by pid: give each its own name, as several workers would have
        os.rename(shard.path, folder / SHARD_GLOB.replace("*", f"9{s:04d}"))
    return sources


def test_a_full_disk_in_the_middle_of_the_merge_keeps_every_shard_left(tmp_path, monkeypatch):
    st = State(tmp_path, "key")
    sources = _shards(tmp_path, 4, 5)
    real, calls = State._merge, []

    def failing(self, shard):
        calls.append(shard)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, shard)

    monkeypatch.setattr(State, "_merge", failing)
    with pytest.raises(RunError, match="磁盘空间不足.*已完成的检查结果都已保留"):
        st.merge_shards()
    left = sorted(tmp_path.glob(SHARD_GLOB))
    assert len(left) == 3, left             # the first merged and removed; the failing one and the rest kept
    monkeypatch.setattr(State, "_merge", real)
    st.merge_shards()
    assert sorted(st.done()) == sorted(sources) and not list(tmp_path.glob(SHARD_GLOB))
    st.close()


def test_a_damaged_shard_is_no_disk_error(tmp_path):
    st = State(tmp_path, "key")
    _shards(tmp_path, 1, 2)
    (tmp_path / SHARD_GLOB.replace("*", "90001")).write_bytes(b"not a database" * 100)
    st.merge_shards()                       # no RunError: the damaged one's reports are simply redone
    assert len(st.done()) == 2
    assert state_mod.io_reason(sqlite3.DatabaseError("file is not a database")) is None
    st.close()
