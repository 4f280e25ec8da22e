"""checker/safe.py: report text shown safe in every medium, and shown faithfully — what a
reader of the rendered output sees is the report's text (with its control characters as
escapes), not markup made of it."""
import html
import json
import re
import subprocess
import sys

import pytest

from checker import safe
from checker.render import env

from .hostile import ROOT
from .hostile.case_text import UNSAFE, report

HOSTILE = [
    "普通文字，没有特殊字符",
    "Word 换行\x0b之后", "\x01\x02\x7f\x85\x9f", "\x1b[31m红\x1b[0m\x1b]0;标题\x07", "回车\r覆盖",
    "\u202e反转\u202c \u2066隔离\u2069 \u200e\u200f\u061c", "行\u2028段\u2029", "\ufffe\uffff",
    "<script>alert(1)</script>", "[点我](javascript:alert(1))", "![图](x.png)", "<https://x.cn>",
    "`代码` ``双`` a|b|c", "*强调* _下划线_ **粗** ~~删除~~", "# 标题", "\\[转义\\] 末尾反斜杠\\",
    "&lt;已转义&gt; &amp; &#60; A&B", "[red]rich[/red] [/] [bold", "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_visible_leaves_nothing_unsafe_and_keeps_the_rest(text):
    out = safe.visible(text)
    assert not UNSAFE.search(out)
    assert safe.visible(out) == out                     # shown once: no escape of an escape
    # each unsafe character became one escape, everything else is as it was
    assert re.sub(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4})", "", out) == UNSAFE.sub("", text)
    if not UNSAFE.search(text):
        assert out == text                              # ordinary text is not touched


def test_visible_representation():
    assert safe.visible("a\x0bb") == "a\\x0bb"
    assert safe.visible("\x1b[31m") == "\\x1b[31m"
    assert safe.visible("\x85\u202e\u2028") == "\\x85\\u202e\\u2028"
    assert safe.visible("tab\tand\nnewline") == "tab\tand\nnewline"
    # an undecodable byte of a file name (surrogateescape) is shown as the byte
    name = b"a\xffb.txt".decode("utf-8", "surrogateescape")
    assert safe.visible(name) == "a\\xffb.txt"
    assert safe.one_line("一\n二\r三") == "一 二\\x0d三"


def _rendered_text(md: str) -> str:
    """What a reader sees of one Markdown paragraph: rendered, tags dropped, entities read."""
    from markdown_it import MarkdownIt
    out = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    assert out.startswith("<p>") and out.rstrip().endswith("</p>"), out
    return html.unescape(re.sub(r"<[^>]+>", "", out)).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_shows_the_text_itself(text):
    md = safe.md_text(text)
    from markdown_it import MarkdownIt
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    # no tag but the paragraph: no emphasis, code, link, image, raw HTML, strikethrough
    assert re.findall(r"<(\w+)", rendered) == ["p"], rendered
    assert _rendered_text(md) == safe.one_line(text).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_table_cell_stays_one_cell(text):
    from markdown_it import MarkdownIt
    md = f"| 甲 | 乙 |\n|---|---|\n| {safe.md_text(text)} | 末 |\n"
    rendered = MarkdownIt("commonmark").enable("table").render(md)
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert len(cells) == 2 and cells[1] == "末", rendered
    assert html.unescape(re.sub(r"<[^>]+>", "", cells[0])) == safe.one_line(text).strip()


@pytest.mark.parametrize("text", ["a`b", "``x``", "`开头", "结尾`", "<b>粗</b>", "a\x1bb"])
def test_markdown_code_span(text):
    from markdown_it import MarkdownIt
    rendered = MarkdownIt("commonmark").renderInline(safe.md_code(text))
    m = re.fullmatch(r"<code>(.*)</code>", rendered, re.S)
    assert m, rendered
    assert html.unescape(m.group(1)) == safe.visible(text)


@pytest.mark.parametrize("text", [t for t in HOSTILE if "\\" not in t])
def test_terminal_markup_prints_the_text(text):
    from rich.text import Text
    assert Text.from_markup(safe.terminal(text)).plain == safe.visible(text)


def test_terminal_backslashes_make_no_markup():
    # rich's own escape: a backslash before a bracket that is no tag is dropped when rendered
    # (「\\[转义]」 shows as 「[转义]」), a trailing one doubled so a tag after it stays a tag
    from rich.text import Text
    for text in ["\\[转义\\] 末尾反斜杠\\", "\\[red]不是样式\\[/red]", "a\\"]:
        out = Text.from_markup(safe.terminal(text) + "[dim]尾[/dim]")
        assert not [s for s in out.spans if s.style != "dim"], out.spans
        assert "red" not in str(out.spans) and out.plain.endswith("尾")


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    from openpyxl import Workbook, load_workbook
    from openpyxl.styles import PatternFill
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("t")
    values = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "=1+1", "普通", "a\x0bb\x1b", 7, None]
    fill = PatternFill("solid", fgColor="FEE4E2")
    ws.append([safe.xlsx_cell(ws, v) for v in values])
    ws.append([safe.xlsx_cell(ws, v, fill) for v in values])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    for row in load_workbook(path)["t"].iter_rows():
        got = [c.value for c in row]
        assert got == ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "=1+1", "普通", "a\\x0bb\\x1b", 7, None]
        assert [c.data_type for c in row] == ["s"] * 7 + ["n", "n"]
        assert all(c.quotePrefix for c in row[:5]) and not row[5].quotePrefix
    assert load_workbook(path)["t"]["A2"].fill.fgColor.rgb.endswith("FEE4E2")


def test_plain_values_stay_plain():
    # a styled or typed cell costs 50× a plain value: only formula-like text gets one
    assert safe.xlsx_cell(None, "普通文字") == "普通文字"
    assert safe.xlsx_cell(None, 3) == 3 and safe.xlsx_cell(None, None) is None


@pytest.mark.parametrize("medium", ["terminal", "md", "html"])
def test_every_printed_value_is_made_safe(medium):
    """finalize covers a value printed without any filter, in every medium."""
    # a string template is autoescaped; the medium's own templates (.md.j2, .j2) are not
    source = "{{ x }}|{{ n }}" if medium == "html" else "{% autoescape false %}{{ x }}|{{ n }}{% endautoescape %}"
    out = env(medium).from_string(source).render(x="\x1b[31m<b>[bold]x[/bold]", n=3)
    assert "\x1b" not in out and out.endswith("|3")
    if medium == "html":
        assert "&lt;b&gt;" in out
    if medium == "md":
        assert "<b>" not in out
    if medium == "terminal":
        from rich.text import Text
        assert Text.from_markup(out).plain == "\\x1b[31m<b>[bold]x[/bold]|3"


def test_escaping_filters_are_not_in_html():
    # their Markup passes finalize unescaped: in an HTML template it would pass autoescape too
    assert "mdcell" not in env("html").filters and "rx" not in env("html").filters
    assert "rx" not in env("md").filters and "mdcell" not in env("terminal").filters


def test_filtered_values_escaped_once():
    plain = "{%% autoescape false %%}%s{%% endautoescape %%}"
    md = env("md").from_string(plain % "{{ x | mdcell }} {{ x }} {{ x | code }}").render(x="a*b<")
    assert md == "a\\*b&lt; a\\*b&lt; `a*b<`"
    term = env("terminal").from_string(plain % "{{ x | rx }} {{ x }}").render(x="[red]")
    assert term == "\\[red] \\[red]"


def _fzcheck(*args, cwd):
    return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True,
                          cwd=cwd, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def test_json_keeps_the_reports_real_text(tmp_path):
    """The JSON contract: excerpts quote the report as it is (JSON escapes controls itself)."""
    (tmp_path / "r.txt").write_text(report(body_tail="\x0b换行\x1b[31m"), encoding="utf-8")
    p = _fzcheck("check", "--format", "json", "r.txt", cwd=tmp_path)
    assert p.returncode == 1, p.stderr
    assert "\x1b" not in p.stdout                        # escaped by JSON, \u001b
    excerpts = [f["excerpt"] for f in json.loads(p.stdout)["findings"]]
    assert any("\x0b换行\x1b[31m" in e for e in excerpts), excerpts


def test_error_line_shows_controls(tmp_path):
    (tmp_path / "空\x1b[2J.txt").write_bytes(b"")
    p = _fzcheck("check", "空\x1b[2J.txt", cwd=tmp_path)
    assert p.returncode == 2
    assert p.stderr == "fzcheck: 空\\x1b[2J.txt: 文件为空\n"
