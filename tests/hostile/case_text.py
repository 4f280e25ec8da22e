"""Report text and file names that attack the outputs: control characters (Word's manual line
break U+000B, U+0001, ESC sequences that recolour a terminal or retitle its window), bidi
overrides, Excel formulas, raw HTML and links in Markdown. Each output must show the text,
never act on it: no workbook that fails to save, no formula cell, no <script>, no ESC from a
report reaching the terminal (issue 9, items 2, 9, 11)."""
from __future__ import annotations

import re
import zipfile

from . import ROOT, Case

SAMPLE = ROOT / "samples" / "柳溪镇_2024_规范.txt"

# the attack in a line that yields findings (a placeholder 「XX」, the wrong 「法制政府」)
CONTROLS = "\x0b手动换行\x01控制\x1b[31m红色\x1b]0;窗口标题\x07\u202e右至左\u2028分隔"
MARKDOWN = "|竖线`码`<script>alert(1)</script>[点](javascript:alert(1))*强调*"
FORMULA = "=cmd|' /C calc'!A0"

# What no output may hold as itself (written here independently of checker/safe.py): C0 but
# tab and newline, DEL, C1, line/paragraph separators, bidi controls, noncharacters.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                    "\ufffe\uffff]")


def report(body_tail: str = "", heading_tail: str = "", title_head: str = "") -> str:
    """The sample report with text added: in its first body line, between two placeholders
    「XX」 (a finding quotes from the first to the last) after 「法制政府」 (another finding),
    after its first part heading, before its title."""
    out = []
    for line in SAMPLE.read_text(encoding="utf-8").split("\n"):
        if line.startswith("1.健全议事机制") and body_tail and not any("XX" in x for x in out):
            line = f"1.健全议事机制。法制政府XX{body_tail}XX" + line[len("1.健全议事机制。"):]
        elif line.startswith("一、") and heading_tail and not any(x.startswith("一、") for x in out):
            line = "一、2024年主要举措和成效" + heading_tail
        elif line.startswith("中共") and title_head and not out:
            line = title_head + line
        out.append(line)
    return "\n".join(out)


def _no_unsafe(where: str, text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(text)})
    assert not found, f"{where}: characters that must be shown, not written: {found}"


def _workbook_clean(path, expect: list[str] = ()) -> None:
    """No formula, no control character in any cell of the workbook; each text of `expect`
    (a file name) stands at the start of some cell, as a string."""
    from openpyxl import load_workbook
    wb = load_workbook(path)
    texts = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate}: a formula {c.value!r}"
                if isinstance(c.value, str):
                    _no_unsafe(f"{ws.title}!{c.coordinate}", c.value)
                    texts.append(c.value)
    for e in expect:
        assert any(t.startswith(e) for t in texts), f"no cell starts with {e!r}"
    # and the file itself: the sheets' XML holds no <f> element at all
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), f"{name}: a formula element"


def _audit_outputs(ctx, ran, out="out", expect: list[str] = ()) -> None:
    folder = ctx.root / out
    for name in ("summary.xlsx", "summary.html", "findings.jsonl", "run.json"):
        assert (folder / name).is_file(), f"no {name}:\n{ran.stderr[-1500:]}"
    _workbook_clean(folder / "summary.xlsx", expect)
    _no_unsafe("summary.html", (folder / "summary.html").read_text(encoding="utf-8"))
    for page in (folder / "reports").glob("*.html"):
        _no_unsafe(page.name, page.read_text(encoding="utf-8"))
    assert "\x1b" not in ran.stdout + ran.stderr, "an ESC from a report reached the terminal"


# --- control characters through an audit, on every rerun --------------------------------------

def _controls_batch(ctx):
    (ctx.root / "in").mkdir()
    (ctx.root / "in" / "柳溪镇_2024.txt").write_text(report(body_tail=CONTROLS), encoding="utf-8")
    # the same characters in a file name (a name may hold any byte but / and NUL)
    (ctx.root / "in" / "白鹭\x0b镇\x01\x1b[31m红\x1b]0;t\x07\u202e_2024.txt").write_text(
        report(body_tail="普通"), encoding="utf-8")
    return ["audit", "in", "-o", "out", "--checklists", "-j", "2"]


def _controls_checked(ctx, ran):
    _audit_outputs(ctx, ran)
    assert b"\\x0b" in _sheet_text(ctx.root / "out" / "summary.xlsx"), "the manual line break is not shown as \\x0b"
    for docx in (ctx.root / "out" / "checklists").glob("*.docx"):
        assert zipfile.ZipFile(docx).testzip() is None
    for _ in range(2):                      # 「on every rerun」: reused results, then a fresh run
        again = ctx.run("audit", "in", "-o", "out", "--checklists", "-j", "1")
        assert again.rc in (0, 1), again.stderr[-1500:]
        _audit_outputs(ctx, again)
    fresh = ctx.run("audit", "in", "-o", "out", "--fresh")
    assert fresh.rc in (0, 1), fresh.stderr[-1500:]
    _audit_outputs(ctx, fresh)


def _sheet_text(path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/"))


# --- formulas: titles and file names that start with = + - @ -----------------------------------

_FORMULA_NAMES = ["=cmd|' -C calc'!A0.txt", "+1+1.txt", "-2+3.txt", "@SUM(1+1).txt"]    # a name holds no /


def _formula_batch(ctx):
    # in the case's own folder, so the sources (the 文件 column) start with the formula
    for i, name in enumerate(_FORMULA_NAMES):
        (ctx.root / name).write_text(report(body_tail=f"第{i}份", title_head=FORMULA + "\n"), encoding="utf-8")
    return ["audit", ".", "-o", "out", "-j", "1"]


def _formula_checked(ctx, ran):
    _audit_outputs(ctx, ran, expect=_FORMULA_NAMES)


# --- Markdown: raw HTML, links, code spans, table cells ---------------------------------------

def _md_report(ctx):
    (ctx.root / "报告.txt").write_text(report(body_tail=MARKDOWN, heading_tail=MARKDOWN), encoding="utf-8")
    return ["check", "--format", "md", "报告.txt"]


def _md_safe(text: str) -> None:
    """The Markdown holds no raw HTML and no link, and renders (CommonMark with GFM tables)
    to no <script> and no javascript: link, with every table row of the 报告结构 table whole."""
    assert "<script" not in text and "](javascript:" not in text, text[:3000]
    from markdown_it import MarkdownIt
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert "<script" not in html and 'href="javascript' not in html, html[:3000]
    assert "&lt;script&gt;" in html, "the report's text is no longer shown"
    # a table cell ends at its own |, not at one of the report's (GFM drops a row's extra cells)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    assert any("|竖线" in c for c in cells), "a | of the report split a table cell"
    _no_unsafe("md", text)


def _md_checked(ctx, ran):
    _md_safe(ran.stdout)
    assert "`码`" not in ran.stdout, "a backtick pair from the report makes a code span"


def _md_checklist(ctx):
    (ctx.root / "报告.txt").write_text(report(body_tail=MARKDOWN, heading_tail=MARKDOWN), encoding="utf-8")
    return ["checklist", "报告.txt"]


# --- the terminal: ESC from the report's text and its file name -------------------------------

_ESC_NAME = "柳溪镇\x1b]0;窗口\x07\x1b[31m红\u202e_2024.txt"


def _terminal_report(ctx):
    (ctx.root / _ESC_NAME).write_text(report(body_tail=CONTROLS, heading_tail="[red]标记[/]:warning:"), encoding="utf-8")
    return ["check", "--no-color", _ESC_NAME]


def _terminal_checked(ctx, ran):
    said = ran.stdout + ran.stderr
    assert "\x1b" not in said and "\x07" not in said, "an ESC or BEL from the report reached the terminal"
    assert "\\x1b[31m" in said, "the ESC is not shown"
    assert "[red]标记[/]" in said, "rich markup in the report was not shown as text"
    assert ":warning:" in said and "\u26a0" not in said, "an emoji code in the report became an emoji"
    _no_unsafe("terminal", said)
    for args in (["check", _ESC_NAME], ["check", "-o", "res", _ESC_NAME], ["parse", "-t", _ESC_NAME],
                 ["checklist", "-f", "html", "-o", "res", _ESC_NAME]):
        r = ctx.run(*args)
        assert r.rc in (0, 1) and "Traceback" not in r.stderr, f"{args}: {r.rc}\n{r.stderr[-1500:]}"
        assert "\x1b" not in r.stdout + r.stderr, f"{args}: an ESC reached the terminal"
        _no_unsafe(" ".join(args[:2]), r.stdout + r.stderr)
    # with colours forced on: only rich's own colour codes, none of the report's
    r = ctx.run("check", _ESC_NAME, env={"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    assert "\x1b]" not in r.stdout and "\x1b[31m红" not in r.stdout, "the report's ESC sequence in colour output"
    assert not re.sub(r"\x1b\[[0-9;]*m", "", r.stdout).count("\x1b"), "an ESC that is not a colour code"


def _err_name(ctx):
    # an empty file: the one-line error on stderr names it
    (ctx.root / "空\x1b]0;窗口\x07\x1b[2J\r.txt").write_bytes(b"")
    return ["check", "空\x1b]0;窗口\x07\x1b[2J\r.txt"]


def _err_checked(ctx, ran):
    assert "\x1b" not in ran.stderr and "\x07" not in ran.stderr and "\r" not in ran.stderr, repr(ran.stderr)
    assert ran.stderr.count("\n") == 1, repr(ran.stderr)


# --- HTML and docx ----------------------------------------------------------------------------

def _html_report(ctx):
    (ctx.root / "报告\x1b[31m.txt").write_text(report(body_tail=CONTROLS + MARKDOWN), encoding="utf-8")
    return ["check", "--format", "html", "报告\x1b[31m.txt"]


def _html_checked(ctx, ran):
    _no_unsafe("html", ran.stdout)
    assert "\\x0b手动换行" in ran.stdout and "\\x1b[31m" in ran.stdout, "the controls are not shown"
    assert "<script>alert" not in ran.stdout and "&lt;script&gt;" in ran.stdout


def _docx_report(ctx):
    (ctx.root / "报告\x0b.txt").write_text(report(body_tail=CONTROLS, heading_tail=CONTROLS, title_head="\x01"),
                                          encoding="utf-8")
    return ["checklist", "-f", "docx", "-o", "cl", "报告\x0b.txt"]


def _docx_checked(ctx, ran):
    import docx
    files = list((ctx.root / "cl").glob("*.docx"))
    assert len(files) == 1, files
    d = docx.Document(str(files[0]))
    text = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "\\x0b" in text, "the manual line break is not shown in the checklist"
    _no_unsafe("docx", text + "\n".join(p.text for p in d.paragraphs))


CASES = [
    Case("text-controls-audit", _controls_batch, rc=(0, 1), check=_controls_checked, issue="控制字符"),
    Case("text-formula-audit", _formula_batch, rc=(0, 1), check=_formula_checked, issue="公式注入"),
    Case("text-md-report", _md_report, rc=1, check=_md_checked, issue="Markdown 注入"),
    Case("text-md-checklist", _md_checklist, rc=0, check=lambda ctx, ran: _md_safe(ran.stdout),
         issue="Markdown 注入"),
    Case("text-terminal-esc", _terminal_report, rc=1, check=_terminal_checked, issue="终端转义序列"),
    Case("text-error-line-esc", _err_name, rc=2, message="文件为空", check=_err_checked, issue="终端转义序列"),
    Case("text-html-controls", _html_report, rc=1, check=_html_checked, issue="控制字符"),
    Case("text-docx-controls", _docx_report, rc=0, check=_docx_checked, issue="控制字符"),
]
