"""`fzcheck annotate`: a copy of the report with every finding as a Word comment on the words it
concerns, and a first comment on the title with the verdict and the outline table. The input is
only read; the copy is returned as bytes for the command to write under a new name."""
from __future__ import annotations

from dataclasses import dataclass

from ..elements import spec
from ..models import Finding, Result, Source, place
from . import anchor
from .paragraphs import numbered, open_docx, save, text_docx, xml_text

AUTHOR, INITIALS = "fzcheck", "fz"
SEVERITY_NAME = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_WORD = {"standalone": "✔ 单列", "embedded": "△ 散见", "absent": "✘ 缺失", "unknown": "？ 未能判断（文本不完整）"}


@dataclass
class Annotated:
    data: bytes              # the commented .docx
    comments: int            # one per finding, and the summary
    at_words: int            # findings anchored on their own words (the rest on their paragraph)
    converted: bool          # the input was not a .docx: a new .docx of its text was written


def verdict(result: Result) -> str:
    """「能否报送」 in one sentence, as the page says it."""
    s = result.summary
    if s.errors:
        return f"不能报送：{s.errors} 个错误须修改" + (f"，另有 {s.warnings} 个警告" if s.warnings else "")
    if s.warnings:
        return f"没有错误，有 {s.warnings} 个警告，建议修改后再报送"
    return "可以报送：未发现问题"


def summary_lines(result: Result) -> list[str]:
    elements = spec()["elements"]
    out = [f"fzcheck 审核意见：{verdict(result)}"
           + (f"（{result.summary.infos} 个提示）" if result.summary.infos else "")]
    for key, item in result.outline.items():
        el = elements[key]
        if el.optional and item.status == "absent":
            continue            # 其他需要报告的情况 is optional: its absence is no finding
        out.append(f"{el.label}：{STATUS_WORD[item.status]}")
    for failure in result.rule_failures:
        out.append(f"{failure.message}：{failure.error}")
    return out


def comment_lines(f: Finding) -> list[str]:
    head = f"【{SEVERITY_NAME[f.severity]}】{f.message}"
    out = [head, f"建议：{f.suggestion}", f"依据：{f.basis}", f"规则：{f.rule}　位置：{place(f.line, f.location)}"]
    if f.waived is not None:
        out.append(f"已豁免：{f.waived.reason}（{f.waived.expires} 到期）")
        if f.waived.note:               # applied to the sentence as edited since the waiver
            out.append(f.waived.note)
    return out


def annotate(result: Result, source: Source, data: bytes | None) -> Annotated:
    """Comment the findings of `result` into `data` (the .docx `source` was read from), or into a
    new .docx of the source's lines when `data` is None (a .txt, .pdf, .doc… whose paragraphs
    are then its lines)."""
    converted = data is None
    document = open_docx(text_docx(source.lines) if converted else data)
    paragraphs = numbered(document)

    def paragraph_at(line: int | None) -> list:
        if not line:
            return []
        where = None if converted else source.location(line)
        return paragraphs.get(line if converted else (where.paragraph if where else 0), [])

    first = next((paragraphs[n] for n in sorted(paragraphs) if anchor.whole(paragraphs[n])), [])
    title = paragraph_at(result.meta.title_line) or first
    comments = at_words = 0
    runs = anchor.whole(title)
    if runs:
        _comment(document, runs, summary_lines(result))
        comments += 1
    for f in result.findings:
        own = paragraph_at(f.line)
        runs = anchor.isolate(own, _words_of(f)) if own else None
        if runs is not None:
            at_words += 1
        else:
            # its words are not in the paragraph (a finding on a whole part, an empty line):
            # the paragraph, else the title
            runs = anchor.whole(own) or anchor.whole(title)
        if runs:
            _comment(document, runs, comment_lines(f))
            comments += 1
    return Annotated(save(document), comments, at_words, converted)


def _words_of(f: Finding) -> list[str]:
    """What to anchor on, most precise first: the flagged words, then the quote (the part of it
    between the 「…」 of a window)."""
    quote = max((x.strip() for x in f.excerpt.split("…")), key=len, default="")
    return [w for w in (*f.words, quote) if w.strip()]


def _comment(document, runs: list, lines: list[str]) -> None:
    from docx.text.run import Run
    first, last = runs[0], runs[-1]
    parent = document.part
    comment = document.add_comment([Run(first, parent), Run(last, parent)], text=xml_text(lines[0]),
                                   author=AUTHOR, initials=INITIALS)
    for line in lines[1:]:
        comment.add_paragraph(xml_text(line))
