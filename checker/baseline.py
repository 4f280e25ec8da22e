"""A baseline: the findings of an earlier check of the same reports, against which a result's
findings are marked new or persisting and the earlier ones gone from it listed as fixed.

One loader for what `check --baseline` and `audit --baseline` are given — result JSON files
(`check --format json`, one object or an array, one file or several) or an earlier audit's
output folder (its state.sqlite, else its findings.jsonl) — one rule for which earlier report
is which report of this run, and one rule for which earlier finding is which finding now."""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .errors import InputError, describe, os_reason
from . import matching
from .models import Finding, Result
from .waivers import fingerprint

# files of an audit's output folder: given one of them, the folder is meant
_AUDIT_FILES = {"state.sqlite", "findings.jsonl", "run.json", "summary.html", "summary.xlsx"}


@dataclass
class Earlier:
    """One report as the baseline saw it: its findings (as dicts) and the rules that could not
    run on it (their findings unknown, so nothing of theirs is new, persisting or fixed)."""
    findings: list[dict] = field(default_factory=list)
    unchecked: set[str] = field(default_factory=set)


@dataclass
class Baseline:
    where: str                                  # what was given, for messages
    earlier: dict[str, Earlier]                 # source as the earlier run recorded it → its report

    def matching(self, files: list[str]) -> dict[str, Earlier]:
        """Each file of this run that has an earlier version → that version. A file is its
        earlier self by exact path; else by its path below the folder the inputs share (the
        batch folder renamed or moved); else by its name when one earlier report has it. One
        input and one earlier report, unmatched otherwise, are taken as two drafts of one report
        (`check 第二稿.txt --baseline 第一稿.json`)."""
        before_root, now_root = shared_folder(list(self.earlier)), shared_folder(files)
        by_relative = {s[len(before_root):]: v for s, v in self.earlier.items()}
        names: dict[str, list[Earlier]] = {}
        for s, v in self.earlier.items():
            names.setdefault(os.path.basename(s), []).append(v)
        out = {}
        for f in files:
            found = self.earlier.get(f)
            if found is None:
                found = by_relative.get(f[len(now_root):])
            if found is None and len(names.get(os.path.basename(f), [])) == 1:
                found = names[os.path.basename(f)][0]
            if found is not None:
                out[f] = found
        if not out and len(files) == 1 and len(self.earlier) == 1:
            out[files[0]] = next(iter(self.earlier.values()))
        return out


def load(paths: Path | list[Path]) -> Baseline:
    """The baseline in one or more result JSON files or an audit folder (InputError, naming the
    file, when one cannot be used)."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    earlier: dict[str, Earlier] = {}
    for path in paths:
        try:
            folder = path.is_dir()
        except OSError as e:            # a folder on the way that may not be entered
            raise InputError(str(path), f"无法读取基线：{os_reason(e)}") from None
        if folder or path.name in _AUDIT_FILES:
            earlier.update(_from_audit(path, path if folder else path.parent))
        else:
            earlier.update(_from_results(path))
    return Baseline(where=" ".join(str(p) for p in paths), earlier=earlier)


def _from_results(path: Path) -> dict[str, Earlier]:
    """Results of an earlier `check --format json`, by source."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(str(path), f"无法读取基线：{os_reason(e)}") from None
    except ValueError:
        raise InputError(str(path), "基线不是 JSON（应为 fzcheck check --format json 的输出，或上次 audit 的结果文件夹）") from None
    out = {}
    for i, r in enumerate(data if isinstance(data, list) else [data], 1):
        if not isinstance(r, dict) or not isinstance(r.get("findings"), list):
            raise InputError(str(path), "基线中没有 findings（应为 fzcheck check --format json 的输出）")
        out[str(r.get("source", ""))] = Earlier(_valid(path, r["findings"], f"第 {i} 份结果的"),
                                                _unchecked(r.get("rule_failures")))
    return out


def _valid(path: Path, findings: list, where: str) -> list[dict]:
    """The findings as given, once each is known to be one (apply() lists the gone ones as
    Findings): a hand-edited or foreign file is refused here, in Chinese, not per report."""
    for n, f in enumerate(findings, 1):
        try:
            Finding.model_validate({"title": "", **f} if isinstance(f, dict) else f)
        except ValidationError as e:
            raise InputError(str(path), f"基线{where}第 {n} 条问题格式不对（{describe(e)}）；"
                                        "应为 fzcheck check --format json 的输出") from None
    return findings


def _from_audit(path: Path, folder: Path) -> dict[str, Earlier]:
    """source → the earlier audit's report (its state, else its findings.jsonl)."""
    try:
        if (folder / "state.sqlite").is_file():
            # every checked report, those without findings too (they have nothing in findings.jsonl)
            from .audit.state import State
            st = State.reader(folder / "state.sqlite")
            try:
                return {source: Earlier(found, _unchecked((row or {}).get("rule_failures")))
                        for source, _, _, row, found, _ in st.rows(every_file=True)}
            finally:
                st.close()
        if (folder / "findings.jsonl").is_file():
            out: dict[str, Earlier] = {}
            for line in (folder / "findings.jsonl").read_text(encoding="utf-8").splitlines():
                if line.strip():
                    d = json.loads(line)
                    e = out.setdefault(d["source"], Earlier())
                    if "rule_failure" in d:          # a rule that could not run, not a finding
                        e.unchecked.add(d["rule"])
                    else:
                        e.findings.append(d)
            for source, e in out.items():
                _valid(folder / "findings.jsonl", e.findings, f"中 {source} 的")
            return out
    except (OSError, sqlite3.DatabaseError, ValueError, KeyError) as e:
        why = os_reason(e) if isinstance(e, OSError) else f"文件已损坏（{e}）"
        raise InputError(str(path), f"无法读取基线：{why}") from None
    raise InputError(str(path), "找不到基线：应为上次 audit 的输出文件夹（含 state.sqlite 或 findings.jsonl），"
                                "或 fzcheck check --format json 的结果文件")


def earlier_of(result: Result) -> Earlier:
    """A result checked a moment ago as the earlier draft of the next (the page of `fzcheck serve`
    keeps one per browser session)."""
    return Earlier(findings=[f.model_dump() for f in result.findings],
                   unchecked={f.rule for f in result.rule_failures})


def same_report(before: Result, now: Result) -> bool:
    """Whether two results are two drafts of one report: the same unit's report on the same year
    (or, where the unit or the year cannot be told, the same title). The page of `fzcheck serve`
    compares a draft with the one checked before it only then: a reviewer who checks one
    township after another must not see the first one's findings 「已改正」 in the second."""
    a, b = before.meta, now.meta
    if a.issuer and b.issuer and a.report_year and b.report_year:
        return (a.issuer, a.report_year) == (b.issuer, b.report_year)
    return bool(a.title) and a.title == b.title


def _unchecked(failures) -> set[str]:
    return {f["rule"] for f in failures or [] if isinstance(f, dict) and "rule" in f}


def apply(result: Result, earlier: Earlier | None, ran: set[str] | None = None) -> Result:
    """Mark the findings new or persisting against the earlier report; list the fixed.

    Which earlier finding is which finding now is checker/matching.py's: exactly its id (rule,
    the part it is in, the excerpt without line numbers) first — the id stays the same across
    drafts when lines are added above or the format changes — then, for the rest, the same
    rule in the same part with a similar excerpt (the flagged sentence edited), one to one,
    closest first. Bounded so: a reviewer can live with a finding wrongly called new, not with
    a real new one called 「仍存在」 and hidden among the old. A rule that could not run on
    either side, or did not run now (`ran`: the rules run now, where known), leaves its findings
    unmarked: nothing of it is known to be new, and its earlier findings are not fixed."""
    if earlier is None:
        return result
    unchecked = earlier.unchecked | {f.rule for f in result.rule_failures}
    if ran is not None:
        # an earlier finding of a rule that did not run now (a draft checked after a final) is
        # not known to be fixed
        unchecked |= {f.get("rule") for f in earlier.findings} - ran
    before = [f for f in earlier.findings if f.get("id")]
    now = result.findings
    parts = {f.part for f in now if f.part} | _PLACES
    paired = matching.pair([_key(f, parts) for f in before],
                           [matching.Key(f.rule, f.part or None, f.id, matching.normalise(f.excerpt)) for f in now])
    for j, f in enumerate(now):
        if f.rule not in unchecked:
            f.change = "persisting" if j in paired else "new"
    kept = {i for i, _ in paired.values()}
    result.fixed = [Finding.model_validate({"title": "", **f, "change": "fixed"}) for i, f in enumerate(before)
                    if i not in kept and f.get("rule") not in unchecked]
    return result


# the parts a finding can be in besides an outline element (pipeline._part_of)
_PLACES = {"head", "closing", "report", "part"}


def _key(f: dict, parts: set[str]) -> matching.Key:
    """An earlier finding's key. Its part as recorded; a result written before findings recorded
    it has the part only inside its id — found by trying the parts there are (a hash that
    matches is proof), else unknown (any part, near matches by `similar` only)."""
    rule, excerpt, fid = str(f.get("rule", "")), str(f.get("excerpt") or ""), str(f.get("id"))
    part = f.get("part") or next((p for p in sorted(parts) if fingerprint(rule, excerpt, p) == fid), None)
    return matching.Key(rule, part, fid, matching.normalise(excerpt))


def shared_folder(files: list[str]) -> str:
    """The folder all of these files sit in, with a trailing separator ("" when none)."""
    try:
        common = os.path.commonpath([os.path.dirname(f) for f in files])
    except ValueError:              # mixed absolute and relative paths, or none
        return ""
    return common + os.sep if common else ""
