"""Reports in the formats they really come in — Word (typed numbers and Word automatic
numbering), web pages with site chrome, PDF with a text layer, old .doc through LibreOffice —
give the same verdict as the same report in plain text, with locations a reviewer can find."""
import io
import os
import random
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from checker.pipeline import analyse
from checker.report import check_source
from checker.read import read_bytes

from .conftest import SAMPLES, corpus_files, needs_corpus, run_cli
from .formats import to_docx, to_html, to_pdf

CORPUS = corpus_files()


def verdict(source):
    _, r = check_source(source)
    return r, {k: v.status for k, v in r.outline.items()}, sorted({f.rule for f in r.findings if f.severity == "error"})


def _year(text):
    import re
    m = re.search(r"(20\d\d)\s*年?度?[^\n]{0,20}报告", text)
    return int(m.group(1)) if m else 2024


BUILDERS = {
    "docx-typed": lambda t: to_docx(t, auto_numbering=False),
    "docx-autonumbered": lambda t: to_docx(t, auto_numbering=True),
    "html-utf8": lambda t: to_html(t, "utf-8", f"{_year(t) + 1}-02-20"),
    "html-gbk": lambda t: to_html(t, "gbk", f"{_year(t) + 1}-02-20"),
    "pdf": to_pdf,
}


@needs_corpus
@pytest.mark.parametrize("fmt", sorted(BUILDERS))
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_same_verdict_as_plain_text(path, fmt):
    text = path.read_text(encoding="utf-8")
    _, outline, errors = verdict(read_bytes(text.encode("utf-8"), path.name))
    source = read_bytes(BUILDERS[fmt](text), path.name)
    r, got_outline, got_errors = verdict(source)
    assert source.format == fmt.split("-")[0]
    assert got_outline == outline
    assert got_errors == errors
    for f in r.findings:
        if f.line is None:
            continue
        loc = source.location(f.line)
        if fmt.startswith("docx"):
            assert loc is not None and loc.paragraph, f
        if fmt == "pdf":
            assert loc is not None and loc.page, f


@needs_corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:3])
def test_locations_point_at_the_paragraph_and_page(path):
    """Every finding's location opens on text that holds what the finding quotes."""
    import docx
    import pypdfium2
    text = path.read_text(encoding="utf-8")
    data = to_docx(text, auto_numbering=False)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    source = read_bytes(data, "x.docx")
    _, r = check_source(source)
    for f in r.findings:
        if f.line and f.excerpt:
            para = paragraphs[source.location(f.line).paragraph - 1]
            core = f.excerpt.strip("…").strip()[:6]
            assert core in para, (f.rule, core, para[:40])
    pdf_data = to_pdf(text)
    source = read_bytes(pdf_data, "x.pdf")
    pdf = pypdfium2.PdfDocument(pdf_data)
    pages = ["".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf))]
    _, r = check_source(source)
    for f in r.findings:
        if f.line and f.excerpt and f.rule not in ("CLOSE-SIGNATURE", "CLOSE-DATE"):
            loc = source.location(f.line)
            core = "".join(f.excerpt.strip("…").split())[:5]
            assert any(core in pages[p - 1] for p in (loc.page, loc.page + 1) if p <= len(pages)), (f.rule, core, loc)


def test_word_automatic_numbering_is_rendered():
    text = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
    data = to_docx(text, auto_numbering=True)
    import docx
    plain = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "一、2024年推进法治政府建设的主要举措和成效" not in plain, "the number lives in numbering.xml"
    lines = read_bytes(data, "x.docx").lines
    for heading in ("一、2024年推进法治政府建设的主要举措和成效", "（一）", "四、2025年推进法治政府建设的主要安排"):
        assert any(ln.startswith(heading) for ln in lines), heading
    r, outline, _ = verdict(read_bytes(data, "x.docx"))
    assert set(outline.values()) == {"standalone"}


def _docx(body_xml: str) -> bytes:
    import docx
    document = docx.Document()
    from docx.oxml import parse_xml
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = document.element.body
    for el in list(body):
        if el.tag != f"{{{W}}}sectPr":
            body.remove(el)
    for xml in body_xml.strip().split("\n"):
        # declare the namespace on each element's first tag
        body.insert(len(body) - 1, parse_xml(xml.replace(">", f' xmlns:w="{W}">', 1)))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("label", [["附表：主要指标"], []], ids=["with-label", "table-only"])
def test_a_table_appended_after_the_date_is_an_attachment(label):
    paras = ["某镇2024年法治政府建设年度报告", "一、主要举措和成效", "召开会议4次。", "二、存在的不足和原因",
             "学法不深，原因是重视不够。", "三、2025年工作安排", "加强学法。", "某镇人民政府", "2025年1月8日", *label]
    xml = "\n".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paras)
    xml += "\n<w:tbl>" + "".join(f"<w:tr><w:tc><w:p><w:r><w:t>指标{i}</w:t></w:r></w:p></w:tc>"
                                 f"<w:tc><w:p><w:r><w:t>{i}件</w:t></w:r></w:p></w:tc></w:tr>" for i in range(5)) + "</w:tbl>"
    r, outline, _ = verdict(read_bytes(_docx(xml), "x.docx"))
    assert not [f.rule for f in r.findings if f.rule.startswith(("CLOSE-", "STRUCT-"))]


def test_tracked_changes_read_as_accepted_and_tables_are_content():
    data = _docx("""
<w:p><w:r><w:t>某镇2024年法治政府建设年度报告</w:t></w:r></w:p>
<w:p><w:r><w:t>一、主要举措和成效</w:t></w:r></w:p>
<w:p><w:r><w:t>全年召开会议</w:t></w:r><w:del><w:r><w:delText>XX</w:delText></w:r></w:del><w:ins><w:r><w:t>4</w:t></w:r></w:ins><w:r><w:t>次。</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>二、指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2025年1月8日</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>二、存在的不足和原因</w:t></w:r></w:p>
""")
    source = read_bytes(data, "x.docx")
    assert "全年召开会议4次。" in source.lines
    cells = [i for i, h in enumerate(source.hints or []) if h == "table"]
    assert [source.lines[i] for i in cells] == ["二、指标  2025年1月8日"], "a row of cells is one line"
    assert source.locations[cells[0]].table == 1
    r, outline, _ = verdict(source)
    assert [p.heading for p in r.parts] == ["一、主要举措和成效", "二、存在的不足和原因"], "a table cell is no part"
    assert "WORD-PLACEHOLDER" not in {f.rule for f in r.findings}, "deleted text is gone"


def test_table_figures_are_content_and_text_boxes_read_once():
    """A row of figures is one line, so its bare numbers are not taken for page numbers; a
    text box (stored twice by Word: DrawingML and a VML fallback) is read once, on a line of
    its own after the paragraph it is anchored in."""
    box = ("<w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
           "<mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>说明：数据截至年底。</w:t></w:r></w:p>"
           "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
           "<w:t>说明：数据截至年底。</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    data = _docx(f"""
<w:p><w:r><w:t>某镇2024年法治政府建设年度报告</w:t></w:r></w:p>
<w:p><w:r><w:t>（一）规范行政执法</w:t></w:r>{box}</w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>行政复议申请（件）</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>132</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>186</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
""")
    source = read_bytes(data, "x.docx")
    assert source.lines[1:] == ["（一）规范行政执法", "说明：数据截至年底。", "行政复议申请（件）  132  186"]
    doc = analyse(source)
    assert not [r for r in doc.cleaned.removed if "132" in r.text or "186" in r.text]


def test_html_table_cells_stay_apart():
    page = ("<html><body><div class='article-content'><p>某镇2024年法治政府建设年度报告</p>"
            "<table><tr><td>行政复议申请（件）</td><td>132</td><td>186</td></tr></table></div></body></html>")
    assert "行政复议申请（件） 132 186" in read_bytes(page.encode("utf-8"), "x.html").lines


def test_heading_styles_without_numbers():
    data = _docx("""
<w:p><w:r><w:t>某街道2024年法治政府建设年度报告</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>工作开展情况</w:t></w:r></w:p>
<w:p><w:r><w:t>全年召开会议4次，审核文件6件。</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>不足与打算</w:t></w:r></w:p>
<w:p><w:r><w:t>学法不深。</w:t></w:r></w:p>
""")
    r, outline, _ = verdict(read_bytes(data, "x.docx"))
    assert [p.heading for p in r.parts] == ["工作开展情况", "不足与打算"]
    assert "STRUCT-UNNUMBERED" in {f.rule for f in r.findings}


def test_html_article_found_and_chrome_dropped():
    text = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
    source = read_bytes(to_html(text, "gbk", "2025-02-21"), "page.html")
    joined = "\n".join(source.lines)
    for chrome in ("互动交流", "当前位置", "版权所有", "分享到", "相关文章", "不是正文"):
        assert chrome not in joined, chrome
    assert source.published == "2025-02-21" and source.encoding in ("gbk", "gb18030")
    assert source.title == "关于2024年度法治政府建设情况的报告" or "法治政府建设" in (source.title or "")
    # a page without any known CMS container: the densest text block is the article
    page = to_html(text).replace(b'class="TRS_Editor"', b'class="x9"')
    assert read_bytes(page, "page.html").lines == source.lines


def test_detection_by_content_not_name(tmp_path):
    text = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
    for name, data, fmt in (("report.txt", to_docx(text, False), "docx"), ("report.doc", to_docx(text, False), "docx"),
                            ("saved.txt", to_html(text), "html"), ("scan.docx", to_pdf(text), "pdf")):
        path = tmp_path / name
        path.write_bytes(data)
        from checker.read import read_path
        assert read_path(path).format == fmt, name


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return buf.getvalue()


def _hostile(tmp_path):
    text = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
    docx_bytes = to_docx(text, False)
    xxe_doc = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               b'<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = xxe_doc
    from reportlab.pdfgen import canvas
    enc = io.BytesIO()
    c = canvas.Canvas(enc, encrypt="secret")
    c.drawString(72, 720, "secret report")
    c.save()
    scan = io.BytesIO()
    c = canvas.Canvas(scan)
    c.rect(72, 300, 400, 400, fill=1)
    c.showPage()
    c.save()
    files = {
        "empty.docx": b"",
        # seeded: random bytes hold ~16 NULs, near the stray-NUL allowance; both sides are tried
        "random.docx": random.Random(9).randbytes(4096),
        "random-no-nul.docx": random.Random(9).randbytes(4096).replace(b"\0", b"\1"),
        "truncated.docx": docx_bytes[: len(docx_bytes) // 2],
        "bomb.docx": _zip({"word/document.xml": b"\0" * (200 * 1024 * 1024)}),
        "xxe.docx": _zip(members),
        "encrypted.pdf": enc.getvalue(),
        "scanned.pdf": scan.getvalue(),
        "truncated.pdf": to_pdf(text, read_back=False)[:2000],
        "not-a-report.zip": _zip({"a.txt": b"hello"}),
    }
    out = {}
    for name, data in files.items():
        p = tmp_path / name
        p.write_bytes(data)
        out[name] = p
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    out["big.txt"] = big
    return out


def test_hostile_and_broken_files_are_refused_cleanly(tmp_path):
    for name, path in _hostile(tmp_path).items():
        before = (path.read_bytes() if path.stat().st_size < 10_000_000 else path.stat().st_size, path.stat().st_mtime_ns)
        t0 = time.monotonic()
        r = run_cli("check", path)
        assert time.monotonic() - t0 < 20, name
        assert r.returncode == 2, (name, r.stdout[-200:], r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0] and "Traceback" not in r.stderr, (name, r.stderr)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), name
        if name.startswith("random"):
            assert "不是有效的 Word 文档" in lines[0], "the message names what the file claimed to be"
        assert "root:" not in r.stdout + r.stderr, "no file content leaks through an entity"
        after = (path.read_bytes() if path.stat().st_size < 10_000_000 else path.stat().st_size, path.stat().st_mtime_ns)
        assert before == after, name


def test_batch_goes_on_past_a_broken_file(tmp_path):
    files = _hostile(tmp_path)
    good = tmp_path / "good.docx"
    good.write_bytes(to_docx((SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8"), True))
    r = run_cli("check", files["xxe.docx"], good, files["encrypted.pdf"], "-f", "json")
    assert r.returncode == 2
    import json
    assert [x["source"] for x in json.loads(r.stdout)] == [str(good)]
    assert len(r.stderr.strip().splitlines()) == 2


def test_time_limit_gives_up_cleanly(monkeypatch):
    from checker.errors import InputError
    from checker.read import time_limit
    with pytest.raises(InputError) as e:
        with time_limit(1, "slow.pdf", "PDF"):
            time.sleep(3)
    assert "超过 1 秒" in e.value.message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_old_doc_and_odt_through_libreoffice(tmp_path):
    text = (SAMPLES / "白鹭区司法局_2024_草稿.txt").read_text(encoding="utf-8")
    src = tmp_path / "draft.docx"
    src.write_bytes(to_docx(text, False))
    _, outline, errors = verdict(read_bytes(text.encode("utf-8"), "x.txt"))
    for ext in ("doc", "odt"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/p", "--headless", "--convert-to", ext,
                        "--outdir", str(tmp_path), str(src)], capture_output=True, timeout=120, check=True)
        converted = tmp_path / f"draft.{ext}"
        before = set(os.listdir(tempfile_dir()))
        r, got_outline, got_errors = verdict(read_bytes(converted.read_bytes(), converted.name))
        assert (got_outline, got_errors) == (outline, errors), ext
        leftovers = {n for n in set(os.listdir(tempfile_dir())) - before if n.startswith("fzcheck-")}
        assert not leftovers, "temporary files left behind"


def tempfile_dir():
    import tempfile
    return tempfile.gettempdir()


def test_doc_without_libreoffice_says_what_to_install(tmp_path):
    ole = tmp_path / "old.doc"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    env = {"PATH": os.path.dirname(sys.executable)}        # no soffice on this PATH
    r = run_cli("check", ole, env=env)
    assert r.returncode == 2 and "LibreOffice" in r.stderr and "old.doc" in r.stderr
