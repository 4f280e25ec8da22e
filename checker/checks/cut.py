"""Kind `cut`: the text breaks off (outline.cut_paragraph): said once, on its last line, so that a
reader knows why later parts are 未能判断 rather than missing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import clip
from .base import Hit, NoParams
from .registry import check

if TYPE_CHECKING:
    from ..document import Document


@check("cut", NoParams, "报告文本中断（没有写完，其后也没有落款和日期），在最后一行报出一次")
def cut(doc: Document, p: NoParams):
    cut = doc.outline.cut
    if cut is None:
        return
    tail = clip(cut.text.rstrip().rstrip("\ufffd")[-24:], 24)
    if doc.outline.cut_how == "sentence":
        why = f"报告在「{tail}」处中断：这句话没有写完，其后也没有落款和日期"
    else:
        why = (f"报告在「{tail}」处结束，其后既没有存在的不足、下一年度安排等部分，也没有落款和日期，"
               "文本可能不完整")
    yield Hit(cut.end_line, cut.text.rstrip()[-30:], {"tail": tail, "why": why})
