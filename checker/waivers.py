"""Waivers: a finding a reviewer has accepted — rule id, the fingerprint of its excerpt, a
reason and an expiry. A waived finding is still shown, marked as waived; it no longer counts
toward the exit code. An expired waiver waives nothing."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import ConfigError, describe, file_to_read
from .resources import load_yaml
from .matching import normalise


def fingerprint(rule: str, excerpt: str, part: str = "") -> str:
    """Stable across reruns and small edits elsewhere: the rule and its excerpt, width folded,
    whitespace and ellipses dropped (and, for a finding id, the part it sits in)."""
    norm = normalise(excerpt)
    key = f"{rule}\x00{norm}" if not part else f"{rule}\x00{part}\x00{norm}"
    return hashlib.sha1(key.encode()).hexdigest()[:12]


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rule: str
    fingerprint: str
    reason: str
    expires: date
    file: str | None = None            # a glob on the report's path; none: any report
    # the finding's excerpt and part as the waiver was written for them (copied from the result's
    # `excerpt` and `part`): with them the waiver still applies when the sentence is edited —
    # a finding of the rule in that part whose excerpt is similar (checker/matching.py); without
    # them only the exact fingerprint does, as waiver files written before them expect
    excerpt: str | None = None
    part: str | None = None
    source: str = ""

    @field_validator("fingerprint")
    @classmethod
    def _fp(cls, v: str) -> str:
        if not re.fullmatch(r"[0-9a-f]{12}", v):
            raise ValueError("应为 12 位十六进制字符（见检查结果中的 fingerprint）")
        return v

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("豁免必须写明理由")
        return v

    def applies(self, rule: str, fp: str, path: str) -> bool:
        return self.rule == rule and self.fingerprint == fp and self.covers(path)

    def covers(self, path: str) -> bool:
        """Whether the waiver is for this report (its `file` glob, on the path or the name)."""
        return self.file is None or fnmatch(path, self.file) or fnmatch(Path(path).name, self.file)

    def expired(self, today: date | None = None) -> bool:
        return self.expires < (today or date.today())


def load_waivers(path: Path) -> list[Waiver]:
    file_to_read(path, "豁免文件")
    data = load_yaml(Path(path))
    if data is None:
        return []
    if not isinstance(data, list):
        raise ConfigError(f"{path}: 豁免文件应当是一个列表（- rule: …, fingerprint: …, reason: …, expires: …）")
    out = []
    for i, w in enumerate(data):
        try:
            out.append(Waiver.model_validate({**w, "source": str(path)} if isinstance(w, dict) else w))
        except ValidationError as e:
            rid = w.get("rule", "") if isinstance(w, dict) else ""
            raise ConfigError(f"{path}: 第 {i + 1} 条豁免 {rid} {describe(e)}") from None
    return out
