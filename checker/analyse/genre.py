"""Is the text a 法治政府建设年度报告 at all (rules/outline.yaml `genre`)? An English text, a
notice or a news item checked against the report's outline would get a missing-part error for
every element; one finding that says what it is serves the reader better."""
from __future__ import annotations

import re
from functools import lru_cache

from ..compiled import compile_kept
from ..elements import spec
from .outline import OutlineMap
from ..resources import load_yaml, rules_dir

_CJK = compile_kept(r"[\u4e00-\u9fff]")
_LATIN = compile_kept(r"[A-Za-z]")
_OWN = ("measures", "shortcomings", "next_plan")      # the report's own parts
_SAMPLE = 3000          # characters read to tell the script: enough, and the same cost for every length


@lru_cache(maxsize=1)
def _cfg() -> dict:
    d = load_yaml(rules_dir() / "outline.yaml")["genre"]
    return {"share": float(d["min_cjk_share"]), "topic": compile_kept(d["topic"]), "min_topic": int(d["min_topic"]),
            "other": compile_kept(d["other"], re.M), "title": compile_kept(d["title"]),
            "other_title": compile_kept(d["other_title"]), "cover": compile_kept(d["cover"]),
            "names": {k: compile_kept(v) for k, v in (d.get("names") or {}).items()}}


def not_a_report(lines: list[str], omap: OutlineMap, title: str | None = None) -> str | None:
    """Why the text is not a report (Chinese words for the finding), or None when it may be one."""
    cfg = _cfg()
    sample = "\n".join(lines)[:_SAMPLE]
    # most texts are plainly Chinese: ASCII (digits, punctuation, Latin) under half of them
    if len(sample.encode("ascii", "ignore")) * 2 > len(sample):
        cjk, latin = len(_CJK.findall(sample)), len(_LATIN.findall(sample))
        if cjk + latin and cjk / (cjk + latin) < cfg["share"]:
            return "文本主要不是中文"
    m = cfg["other_title"].search(title or "")
    own = any(omap.outline[k].status == "standalone" for k in _OWN)
    if m and not (own and cfg["cover"].search(title)):
        # a notice about the reports lists the report's parts; it is still a notice
        return f"标题「{title}」是{m.group(1)}，不是报告"
    if own or (title and cfg["title"].search(title)):
        return None         # a part of the report's own outline, or a title that says so
    text = "\n".join(lines)
    mentions = len(cfg["topic"].findall(text))
    if mentions < cfg["min_topic"]:
        return f"通篇{'只有 1 处' if mentions else '没有'}提到法治建设（「法治」「依法行政」等），也没有报告提纲的任何一部分"
    ends = "\n".join(lines[:3] + lines[-3:])
    m = cfg["other"].search(ends)
    if m:
        kind = next((name for name, rx in cfg["names"].items() if rx.search(m.group(0))), "其他文种")
        return f"像是一份{kind}（「{m.group(0).strip()}」），没有报告提纲的任何一部分"
    return None


def mark(omap: OutlineMap, lines: list[str], title: str | None) -> None:
    """Record why the text is not a report; its outline cannot be judged."""
    omap.not_report = not_a_report(lines, omap, title)
    if omap.not_report:
        from ..models import OutlineItem
        for k in spec()["order"]:
            omap.outline[k] = OutlineItem(status="unknown")
