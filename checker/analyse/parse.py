"""Parsing: the classified lines, one token each, through the LALR grammar in
grammar/report.lark, into a Report tree of parts, paragraphs and the closing block."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedToken
from lark.lexer import Lexer

from .. import cache
from ..errors import ConfigError
from ..models import Classified, Paragraph, Part, Report
from ..resources import grammar_dir
from ..text import shift_spans


class _LineLexer(Lexer):
    """The 'text' handed to the parser is the list of classified lines; one token per line,
    whose value is the line's index."""

    def __init__(self, lexer_conf):
        pass

    def lex(self, data, *_):
        for i, c in enumerate(data):
            yield Token(c.kind, i)


@lru_cache(maxsize=1)
def parser() -> Lark:
    path = grammar_dir() / "report.lark"
    try:
        text = path.read_text(encoding="utf-8")
        return cache.lark("report", text, parser="lalr", lexer=_LineLexer, strict=True)
    except (LarkError, OSError) as e:
        raise ConfigError(f"{path}: 语法文件有误：{e}") from None


def _para(c: Classified) -> Paragraph:
    return Paragraph(text=c.line.text, norm=c.line.norm, line=c.line.start,
                                     end_line=c.line.end, kind=c.kind, spans=c.line.spans)


def _run_in(c: Classified) -> Paragraph | None:
    if not c.body:
        return None
    spans = shift_spans(c.line.spans, c.body_at)
    return Paragraph(text=c.body, norm=c.line.norm[c.body_at:c.body_at + len(c.body)],
                                     line=spans[0][1], end_line=c.line.end, kind="PARA", spans=spans)


def _head(c: Classified) -> Paragraph:
    """The heading line without the text run into it."""
    cut = c.body_at if c.body else len(c.line.text)
    text = c.line.text[:cut].rstrip()
    return Paragraph(text=text, norm=c.line.norm[:len(text)], line=c.line.start,
                     end_line=c.line.end if not c.body else c.line.start, kind=c.kind, spans=c.line.spans)


def _section(tree: Tree, cl: list[Classified], depth: int) -> Part:
    head = cl[tree.children[0].value]
    part = Part(depth=depth, heading=head.heading, marker=head.marker, number=head.number,
                                style=head.style, line=head.line.start, end_line=head.line.end,
                                run_in=_run_in(head), head=_head(head), body=[], children=[])
    for ch in tree.children[1:]:
        if ch.data == "para":
            part.body.append(_para(cl[ch.children[0].value]))
        else:
            part.children.append(_section(ch, cl, depth + 1))
    last = part.children[-1].end_line if part.children else part.body[-1].end_line if part.body else part.end_line
    part.end_line = max(part.end_line, last)
    return part


def parse(classified: list[Classified]) -> Report:
    recovered: list[int] = []

    def recover(e: UnexpectedToken) -> bool:
        # The classifier should only emit sequences the grammar accepts; if it ever does not,
        # read the offending line as a paragraph (or skip it) and say so, rather than fail.
        i = e.token.value
        recovered.append(classified[i].line.start)
        if "PARA" in e.accepts:
            classified[i] = replace(classified[i], kind="PARA")
            e.interactive_parser.feed_token(Token("PARA", i))
        return True

    tree = parser().parse(classified, on_error=recover)
    report = Report(recovered=recovered)
    for node in tree.children:
        if node.data == "head":
            report.head = [classified[t.value] for t in node.children]
        elif node.data == "preamble":
            report.preamble = [_para(classified[p.children[0].value]) for p in node.children]
        elif node.data == "section1":
            report.parts.append(_section(node, classified, 1))
        elif node.data == "closing":
            report.closing = [classified[t.value] for t in node.children]
    return report
