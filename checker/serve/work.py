"""What the server's worker processes do (checker/serve/pool.py): check one upload, build one
checklist. The bytes arrive over the pipe, never through a file named by the request; the
configuration is resolved in the worker for the options the page chose, once per choice."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..config import Resolved, resolve_options
from ..models import Result, Source
from ..read import read_bytes
from ..report import check_report

# the configuration file the server was started with (`fzcheck serve --config`), set before the
# workers fork; the unit's fzcheck.toml is found from the server's folder, as for `check`
CONFIG: Path | None = None


@lru_cache(maxsize=32)
def resolved(profile: str | None, level: str | None) -> Resolved:
    return resolve_options(CONFIG, profile, level)


def job(kind: str, *args):
    """One call from the server: ("check", data, name, profile, level) → (Result, Source, text HTML);
    ("checklist", result, source, profile, level, fmt) → the checklist's bytes or text."""
    if kind == "check":
        return check(*args)
    if kind == "checklist":
        return checklist(*args)
    raise ValueError(f"unknown job {kind!r}")


def check(data: bytes, name: str, profile: str | None, level: str | None,
          page: bool = True) -> tuple[Result, Source, str]:
    """The result, the source, and for the page its text section (the report marked: the
    costly part of the page, rendered here rather than in the server's event loop; "" for the
    API, which sends JSON only)."""
    source = read_bytes(data, name)
    chosen = resolved(profile, level)
    if profile is None and not chosen.stage_chosen:
        # as `fzcheck check` does (checker/draft.py): the API's JSON is the command line's
        from ..draft import draft_reason
        if draft_reason(name, source.lines):
            chosen = resolved("draft", level)
    doc, result = check_report(source, chosen)
    if not page:
        return result, doc.source, ""
    from ..render import text_section
    return result, doc.source, text_section(result, doc.source.lines)


def stage_run(profile: str | None, result: Result) -> str | None:
    """The profile a check ran under: the one asked for, else the stage it was checked at (a
    draft told by its name or title is checked as one, see check())."""
    return profile or result.config.get("stage")


def checklist(result: Result, source: Source, profile: str | None, level: str | None, fmt: str) -> str | bytes:
    from ..checklist import build
    from ..render import render_checklist
    return render_checklist(build(result, resolved(profile, level).rules, source), fmt)
