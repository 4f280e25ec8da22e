"""The checklist .docx over several pages: its header row repeated on each (w:tblHeader), no row
split between two (w:cantSplit), Latin letters and digits in the same font as the Chinese (every
rFonts names one font for ascii, hAnsi and eastAsia, and no theme font overrides it)."""
import zipfile
from io import BytesIO

from lxml import etree

from checker.checklist import build, spec
from checker.config import default_rules
from checker.render import render_checklist
from checker.report import check_path

from .conftest import SAMPLES, run_cli

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEMES = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def _parts(data: bytes) -> tuple[etree._Element, etree._Element]:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml")), etree.fromstring(z.read("word/styles.xml"))


def _checklist(tmp_path, name="白鹭区司法局_2024_草稿.txt") -> bytes:
    r = run_cli("checklist", SAMPLES / name, "-f", "docx", "-o", tmp_path)
    assert r.returncode == 0, r.stderr
    return next(tmp_path.glob("*.docx")).read_bytes()


def test_the_header_row_repeats_and_no_row_splits(tmp_path):
    document, _ = _parts(_checklist(tmp_path))
    [table] = document.iter(f"{W}tbl")
    rows = table.findall(f"{W}tr")
    assert len(rows) > 10
    first = rows[0]
    assert first.find(f"{W}trPr/{W}tblHeader") is not None, "the header row repeats on each page"
    assert "".join(first.itertext()).startswith("序号")
    for i, row in enumerate(rows):
        assert row.find(f"{W}trPr/{W}cantSplit") is not None, f"row {i} may split across pages"
        if i:
            assert row.find(f"{W}trPr/{W}tblHeader") is None, f"row {i} is not a header"
    # the schema's order within trPr: cantSplit before tblHeader (Word refuses the file otherwise)
    names = [etree.QName(e).localname for e in first.find(f"{W}trPr")]
    assert names.index("cantSplit") < names.index("tblHeader")


def test_latin_and_digits_in_the_font_of_the_chinese(tmp_path):
    font = spec().get("font")
    assert font, "rules/checklist.yaml names the checklist's font"
    document, styles = _parts(_checklist(tmp_path))
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults is not None, "the document defaults name the font"
    normal = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Normal")
    assert normal.find(f"{W}rPr/{W}rFonts") is not None
    every = [*styles.iter(f"{W}rFonts"), *document.iter(f"{W}rFonts")]
    assert len(every) > 2
    for fonts in every:
        assert [fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia")] == [font] * 3, fonts.attrib
        assert not any(fonts.get(f"{W}{t}") for t in THEMES), f"a theme font overrides the named one: {fonts.attrib}"


def test_an_audit_checklist_is_laid_out_alike():
    # the same builder for `checklist` and `audit --checklists`: one report's, built in-process
    doc, result = check_path(SAMPLES / "柳溪镇_2024_规范.txt")
    document, styles = _parts(render_checklist(build(result, default_rules(), doc.source), "docx"))
    rows = next(document.iter(f"{W}tbl")).findall(f"{W}tr")
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert not any(f.get(f"{W}asciiTheme") for f in styles.iter(f"{W}rFonts"))
