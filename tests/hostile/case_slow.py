"""Text under every size cap that once made the analysis quadratic or its result huge: the
same figure sentence repeated (each figure's sentence end searched to the end of a paragraph
with no full stop), a run of 一 (「一是」 looked for over the whole run), entities and tags
repeated hundreds of thousands of times (every one kept as a removed record). Each must end
within the time limit, under 500 MB, with a result of bounded size."""
from __future__ import annotations

from . import ROOT, Case

REPORT = (ROOT / "samples" / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
BUDGET_MB = 500


def _text(name: str, line: str, times: int):
    def build(ctx):
        (ctx.root / "in").mkdir()
        (ctx.root / "in" / name).write_text(REPORT + "\n" + "\n".join([line] * times), encoding="utf-8")
        return ["check", f"in/{name}", "--format", "json"]
    return build


def _bounded(ctx, ran):
    assert ran.peak_mb < BUDGET_MB, f"{ran.peak_mb:.0f} MB"
    assert len(ran.stdout.encode("utf-8")) < 3 * 1024 * 1024, f"a result of {len(ran.stdout) // 1024} KB"


CASES = [
    Case("txt-1MB-figure-sentences", _text("数字.txt", "全年受理行政复议案件12件，办结11件，" * 10, 2000), rc=(0, 1),
         check=_bounded, issue="慢文本"),
    Case("txt-3.6MB-entities", _text("实体.txt", "&amp;" * 45, 16000), rc=(0, 1), check=_bounded, issue="慢文本"),
    Case("txt-1.4MB-char-entities", _text("字符实体.txt", "&#x4e00;" * 45, 3800), rc=(0, 1), check=_bounded,
         issue="慢文本"),
    Case("txt-2.5MB-tags", _text("标签.txt", "<b>" * 45, 19000), rc=(0, 1), check=_bounded, issue="慢文本"),
]
