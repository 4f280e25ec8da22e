"""Kind `coverage`: areas a report is expected to cover (a term list of areas and their cue
words); the areas no cue of which appears anywhere are listed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from ..analyse.lines import HEAD_KINDS
from ..termlists import Automaton, derived
from .base import AreaList, Hit, Strict
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


class Params(Strict):
    list: AreaList = Field(description="列出各领域及其提示词的术语表名称（rules/terms/ 下，如 gangyao_areas）")


def _automaton(tl) -> Automaton:
    return derived(tl, "coverage", lambda: Automaton({cue: a.id for a in tl.entries for cue in a.cues}))


@check("coverage", Params, "报告应当涉及的领域，一个提示词也没有出现的，一并列出")
def coverage(doc: Document, p: Params):
    tl = doc.settings.terms(p.list)
    years = tl.model_extra.get("years")
    y = doc.meta.report_year
    if years and (not y or not years[0] <= y <= years[1]):
        return
    a = _automaton(tl)
    text = "\0".join(c.line.norm for c in doc.classified if c.kind not in HEAD_KINDS)
    seen = a.payloads(text, enough=len(tl.entries))
    missing = [e for e in tl.entries if e.id not in seen]
    if missing:
        where = doc.outline.outline["measures"].evidence
        line = where[0].line if where else doc.meta.title_line
        yield Hit(line, "", {"missing": "、".join(e.name for e in missing), "count": len(missing)})
