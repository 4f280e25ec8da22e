"""Is this report a draft? Its file name or its title area says so (「…（征求意见稿）」, 「草稿」,
「送审稿」: rules/cli.yaml, draft:). `fzcheck check` without --profile checks such a report as a
draft (the 草稿 stage: no signature, date or deadline yet), saying so: a drafter is not told that
the signature is missing from a text that is not signed yet."""
from __future__ import annotations

from pathlib import Path

from .clidata import cli_data
from .compiled import compile_kept



def draft_reason(path: str, lines: list[str]) -> str | None:
    """Why the report reads as a draft (for the one line that says so), or None."""
    d = cli_data()["draft"]
    words = d["words"]
    stem = Path(path).stem
    for w in words:
        if w in stem:
            return d["note"].format(why=d["why_name"].format(word=w))
    ends = compile_kept(d["title_ends"])
    seen = 0
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if not text:
            continue
        seen += 1
        # the title area only: a title, a 「（征求意见稿）」 under it, the issuer, not the body
        if seen > int(d["title_lines"]) or len(text) > int(d["title_chars"]) or ends.match(text):
            break
        w = next((w for w in words if w in text), None)
        if w:
            return d["note"].format(why=d["why_text"].format(line=n, word=w))
    return None
