"""The GB/T 9704 layout rules on real Word files: they fire on a .docx with python-docx's
defaults (Calibri/宋体 11 pt, Letter, 25.4 mm margins), stay quiet on one built to the standard,
follow the profile and a unit's own numbers, and read styles and theme, not only direct
formatting."""
from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from checker.checks.base import DocxSpec, RoleFormat
from checker.config import resolve_options
from checker.read import read_bytes
from checker.report import check_report
from checker.word.build import formatted_docx

from .conftest import SAMPLES, run_cli

LAYOUT = {"LAYOUT-PAGE", "LAYOUT-TITLE-FONT", "LAYOUT-BODY-FONT", "LAYOUT-H1-FONT", "LAYOUT-H2-FONT",
          "LAYOUT-LINE-SPACING", "LAYOUT-PAGE-NUMBER"}
TEXT = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")


def _layout_findings(path, profile=None, config=None):
    resolved = resolve_options(config, profile, None, [], {}, ())
    return [f for f in check_report(path, resolved)[1].findings if f.rule.startswith("LAYOUT-")]


def _plain_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_python_docx_defaults_fire_every_layout_rule(tmp_path):
    path = tmp_path / "默认.docx"
    path.write_bytes(_plain_docx(TEXT))
    found = _layout_findings(path)
    assert {f.rule for f in found} == LAYOUT
    body = next(f for f in found if f.rule == "LAYOUT-BODY-FONT")
    assert "11 磅" in body.message and "段" in body.message
    page = next(f for f in found if f.rule == "LAYOUT-PAGE")
    assert "上边距 25.4 mm" in page.message and "纸张宽度 215.9 mm" in page.message
    # grouped: a body in one wrong font is one finding, not one a paragraph
    assert sum(f.rule == "LAYOUT-BODY-FONT" for f in found) == 1


def test_a_docx_built_to_gbt9704_is_quiet(tmp_path):
    path = tmp_path / "规范.docx"
    path.write_bytes(formatted_docx(TEXT))
    assert _layout_findings(path) == []
    # and the rest of the check sees the same report as the text
    _, result = check_report(path, resolve_options(None, None, None, [], {}, ()))
    assert result.summary.errors == 0


def test_fonts_from_styles_and_theme_count(tmp_path):
    """A body formatted only through the Normal style and the theme's East-Asian font: the rule
    reads the style chain (no direct formatting on any run)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    for line in TEXT.split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    source = read_bytes(buf.getvalue(), "s.docx")
    formats = list(source.layout.formats.values())
    assert formats and all(f.font == "仿宋_GB2312" and f.size == 16 for f in formats)
    path = tmp_path / "s.docx"
    path.write_bytes(buf.getvalue())
    rules = {f.rule for f in _layout_findings(path)}
    assert "LAYOUT-BODY-FONT" not in rules and "LAYOUT-PAGE" not in rules
    assert "LAYOUT-TITLE-FONT" in rules          # the title is in the body font too


def test_theme_font_when_the_style_names_the_theme(tmp_path):
    data = _plain_docx(TEXT)
    source = read_bytes(data, "d.docx")
    # python-docx's template names the East-Asian font by theme (minorEastAsia): its theme's font
    assert next(iter(source.layout.formats.values())).font not in (None, "")


def test_draft_profile_switches_them_off(tmp_path):
    path = tmp_path / "默认.docx"
    path.write_bytes(_plain_docx(TEXT))
    assert _layout_findings(path, profile="draft") == []


def test_unit_template_numbers_in_config(tmp_path):
    path = tmp_path / "单位.docx"
    spec = DocxSpec(page={"top": 35, "bottom": 37})
    path.write_bytes(formatted_docx(TEXT, spec))
    assert [f.rule for f in _layout_findings(path)] == ["LAYOUT-PAGE"]
    config = tmp_path / "fzcheck.toml"
    config.write_text('[rules.params]\nLAYOUT-PAGE = {top = 35}\n', encoding="utf-8")
    assert _layout_findings(path, config=config) == []


def test_not_on_a_text(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert _layout_findings(path) == []


def test_layout_finding_names_the_heading_path(tmp_path):
    path = tmp_path / "h.docx"
    path.write_bytes(formatted_docx(TEXT, DocxSpec(h2=RoleFormat(font="宋体"))))
    [f] = _layout_findings(path)
    assert f.rule == "LAYOUT-H2-FONT" and " › " in f.location.path
    proc = run_cli("check", str(path), "--no-color")
    assert f.location.path in proc.stdout


def test_a_broken_footer_costs_only_the_layout(tmp_path):
    import zipfile
    data = formatted_docx(TEXT)
    src, out = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.startswith("word/footer"):
                body = b"<w:ftr not xml"
            zout.writestr(item, body)
    source = read_bytes(out.getvalue(), "b.docx")
    assert source.layout is None and len(source.lines) > 10
