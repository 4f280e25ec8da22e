"""Report text and file names made safe for where fzcheck writes them: the terminal, HTML,
Markdown, xlsx and docx. One base for all of them, then what each medium adds.

Report text is quoted as it is (the analysis and the JSON output keep the real characters);
it is made safe here, at the output boundary only.

The base, `visible`: characters that must never reach an output as themselves are shown as
the escape a programmer would write, the same way in every medium, so a reviewer sees that the
report holds them and where: U+000B (Word's manual line break) as the four characters `\\x0b`,
ESC as `\\x1b`, U+202E as `\\u202e`. What is shown that way:
- C0 controls but tab and newline, DEL, C1 controls: ESC starts terminal sequences (colours,
  window titles, cursor moves), XML 1.0 (xlsx, docx) forbids most C0 controls, CR overwrites a
  terminal line;
- U+2028/U+2029 (line and paragraph separators): a line break where no newline is;
- bidi embeddings, overrides, isolates (U+202A–202E, U+2066–2069) and marks (U+200E, U+200F,
  U+061C): they reorder what a reader sees, so a file name or a line can pass for another;
- lone surrogates: what Python makes of a file name's undecodable bytes; no UTF-8 output can
  carry one, so the byte is shown (U+DCFF, the byte 0xff, as `\\xff`);
- U+FFFE, U+FFFF: not characters, forbidden in XML.
Tab and newline are kept: every medium here has a place for them (Markdown and one-line
messages turn newlines into spaces)."""
from __future__ import annotations

import re

from .compiled import compile_kept

UNSAFE = compile_kept("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                      "\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _shown(m: re.Match) -> str:
    cp = ord(m.group())
    if 0xDC80 <= cp <= 0xDCFF:          # surrogateescape: the undecodable byte itself
        return f"\\x{cp - 0xDC00:02x}"
    return f"\\x{cp:02x}" if cp <= 0xFF else f"\\u{cp:04x}"


def visible(text: str) -> str:
    """`text` with every unsafe character shown as its escape (see above); tab and newline kept."""
    # every printed value of every page passes here: a search is half the cost of a sub
    return UNSAFE.sub(_shown, text) if UNSAFE.search(text) else text


_UNDECODABLE = compile_kept("[\udc80-\udcff]")


def undecodable(name: str) -> bool:
    """A file name with bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    return _UNDECODABLE.search(name) is not None


def path_text(name: str) -> str:
    """A path as text that any UTF-8 output (JSON, sqlite, a page) can carry: its undecodable
    bytes shown as `\\xff`, everything else as it is (JSON keeps the real characters)."""
    return _UNDECODABLE.sub(_shown, name) if undecodable(name) else name


def one_line(text: str) -> str:
    """For a message that must stay one line (stderr, a Markdown list item or table cell)."""
    return visible(text).replace("\n", " ")


# --- terminal ---------------------------------------------------------------------------------

def terminal(text: str) -> str:
    """For rich markup: shown safe, and brackets that would read as a style tag escaped (a file
    named 「[red]x」 printed as it is, 「[/]」 no markup error)."""
    text = visible(text)
    if "[" not in text and not text.endswith("\\"):   # all that rich's escape changes
        return text
    from rich.markup import escape
    return escape(text)


# --- Markdown ---------------------------------------------------------------------------------

# Characters with a meaning in CommonMark/GFM, escaped with a backslash so that report text stays
# text: no emphasis, code span, link or image, table cell break, heading, strikethrough. < and >
# become entities, not \< and \>: raw HTML must not survive even in renderers that ignore
# backslash escapes, and a plain-text reader of the file sees no «<script>» either.
_MD_ESCAPED = "\\`*_[]|#~"
_MD = str.maketrans({c: "\\" + c for c in _MD_ESCAPED} | {"<": "&lt;", ">": "&gt;"})
_ENTITY = compile_kept(r"&(?=#?\w+;)")       # «&lt;» in a report stays «&lt;», not «<»
_MD_SPECIAL = compile_kept(f"[{re.escape(_MD_ESCAPED)}<>&\n]")      # text without any is left as it is


def md_text(text: str) -> str:
    """Report text inside a Markdown line or table cell."""
    text = visible(text)
    if not _MD_SPECIAL.search(text):
        return text
    out = _ENTITY.sub("&amp;", text.replace("\n", " ")).translate(_MD)
    # \](…) is no link already; «](» broken too, so the text never reads as one
    return out.replace("\\](", "\\]\\(")


def md_code(text: str) -> str:
    """A Markdown code span around `text` (a file name, a rule id): a fence longer than any run
    of backticks inside, padded when the text starts or ends with one. Not for a table cell
    (GFM ends the cell at a `|` even in a code span; md_text there)."""
    text = one_line(text)
    longest = max((len(r) for r in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- xlsx -------------------------------------------------------------------------------------

# What Excel and LibreOffice read as the start of a formula when a cell is typed or edited: a
# title 「=cmd|' /C calc'!A0」 must stay that text. openpyxl stores a str starting with «=» as a
# formula, so such a cell is written with the string type; and with Excel's quote prefix, so that
# editing the cell later does not turn it into a formula either (the text shown is unchanged).
FORMULA_START = ("=", "+", "-", "@")


def xlsx_cell(ws, value, fill=None):
    """A value for a write-only sheet's row: numbers and None as they are, text shown safe and
    never a formula; a cell object only when it needs a type or style (a plain value costs
    50× less)."""
    formula_like = False
    if isinstance(value, str):
        value = visible(value)
        formula_like = value.startswith(FORMULA_START)
    if fill is None and not formula_like:
        return value
    from openpyxl.cell import WriteOnlyCell
    c = WriteOnlyCell(ws, value=value)
    if formula_like:
        c.data_type, c.quotePrefix = "s", True
    if fill is not None:
        c.fill = fill
    return c
