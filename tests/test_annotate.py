"""`fzcheck annotate`: a commented copy, one Word comment per finding on the words it concerns,
the input never written."""
from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess

import docx
import pytest

from checker.config import resolve_options
from checker.read import read_path
from checker.report import check_report

from .conftest import SAMPLES, corpus_files, run_cli
from .formats import to_docx
from .wordfiles import anchored, comments

REPORTS = sorted(SAMPLES.glob("*.txt")) + corpus_files()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def resolved():
    return resolve_options(None, None, None, [], {}, ())


def _docx_of(txt, tmp_path, numbering: bool):
    path = tmp_path / (txt.stem + ".docx")
    path.write_bytes(to_docx("\n".join(read_path(txt).lines), auto_numbering=numbering))
    return path


@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("numbering", [False, True], ids=["typed", "auto"])
def test_one_comment_per_finding_at_its_words(report, numbering, tmp_path, resolved):
    source = _docx_of(report, tmp_path, numbering)
    before = _sha(source)
    out = tmp_path / "out"
    proc = run_cli("annotate", str(source), "-o", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    assert _sha(source) == before                      # the input is only read
    copy = out / f"{source.stem}-审核意见.docx"
    data = copy.read_bytes()
    _, result = check_report(source, resolved)
    said = comments(data)
    assert len(docx.Document(io.BytesIO(data)).comments) == len(result.findings) + 1
    assert {a for a, _ in said.values()} == {"fzcheck"}
    ids = sorted(said, key=int)
    assert said[ids[0]][1].startswith("fzcheck 审核意见：")
    at = anchored(data)
    assert at[ids[0]].replace(" ", "") and at[ids[0]].replace(" ", "") in (result.meta.title or "").replace(" ", "") * 2
    for f, cid in zip(result.findings, ids[1:]):
        text = said[cid][1]
        assert f.message in text and f.rule in text and f.suggestion in text and f.basis in text
        marked = at[cid].replace(" ", "")
        assert marked, f
        if f.words and any(w.replace(" ", "") in "".join(d for d in [marked]) for w in f.words):
            continue
        # else it covers its quote, or the whole paragraph (a finding on a part)
        quote = max(f.excerpt.split("…"), key=len).replace(" ", "")
        assert not f.words or quote in marked or marked in quote or len(marked) > len(quote), (f.rule, marked, f.words)


def test_marks_exactly_the_flagged_words(tmp_path):
    """A placeholder in the middle of a long run: the comment covers 「XX」 alone, the run is cut
    around it and keeps its formatting."""
    text = ("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n全年召开党委会议XX次，开展普法活动12场。\n"
            "二、存在的不足\n学习不够深入。主要原因是重视不够。\n三、2025年工作安排\n年底前完成文件清理。")
    path = tmp_path / "r.docx"
    document = docx.Document()
    for line in text.split("\n"):
        run = document.add_paragraph().add_run(line)
        run.bold = True
    document.save(path)
    assert run_cli("annotate", str(path)).returncode in (0, 1)
    data = (tmp_path / "r-审核意见.docx").read_bytes()
    marks = anchored(data)
    said = comments(data)
    placeholder = next(k for k, (_, t) in said.items() if "WORD-PLACEHOLDER" in t)
    assert marks[placeholder] == "XX"
    copy = docx.Document(io.BytesIO(data))
    para = next(p for p in copy.paragraphs if "XX" in p.text)
    assert para.text == "全年召开党委会议XX次，开展普法活动12场。"
    texts = [r for r in para.runs if r.text]          # the comment's reference mark is a run of its own
    # cut at the placeholder's edges (other findings may cut the rest further)
    assert [r.text for r in texts][:2] == ["全年召开党委会议", "XX"]
    assert "".join(r.text for r in texts) == "全年召开党委会议XX次，开展普法活动12场。"
    assert all(r.bold for r in texts)


def test_text_input_becomes_a_new_word_file(tmp_path):
    src = tmp_path / "草稿.txt"
    shutil.copy(SAMPLES / "白鹭区司法局_2024_草稿.txt", src)
    proc = run_cli("annotate", str(src))
    assert proc.returncode == 1
    assert "不是 Word 文档：已按其文字新建 Word 文档" in proc.stdout
    copy = docx.Document(tmp_path / "草稿-审核意见.docx")
    lines = src.read_text(encoding="utf-8").split("\n")
    assert [p.text for p in copy.paragraphs][:5] == lines[:5]


def test_never_writes_over_a_file(tmp_path):
    src = tmp_path / "r.txt"
    shutil.copy(SAMPLES / "柳溪镇_2024_规范.txt", src)
    planted = tmp_path / "r-审核意见.docx"
    planted.write_bytes(b"mine")
    proc = run_cli("annotate", str(src))
    assert proc.returncode == 0, proc.stderr
    assert planted.read_bytes() == b"mine"
    assert (tmp_path / "r-审核意见-2.docx").exists()
    assert "未发现问题" in proc.stdout


def test_an_unusable_input_is_said_and_the_others_written(tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip at all")
    good = tmp_path / "好.txt"
    shutil.copy(SAMPLES / "柳溪镇_2024_规范.txt", good)
    out = tmp_path / "o"
    proc = run_cli("annotate", str(bad), str(good), "-o", str(out))
    assert proc.returncode == 2
    assert "坏.docx" in proc.stderr and "Traceback" not in proc.stderr
    assert (out / "好-审核意见.docx").exists() and not (out / "坏-审核意见.docx").exists()


def test_hostile_text_makes_a_valid_word_file(tmp_path):
    """Control characters and XML syntax in a report end up as text in a file Word opens."""
    src = tmp_path / "h.txt"
    src.write_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n召开会议XX次<w:p>&amp;\x01\x1b[31m。\n"
                   "二、存在的不足\n学习不够深入。\n", encoding="utf-8")
    assert run_cli("annotate", str(src)).returncode == 1
    data = (tmp_path / "h-审核意见.docx").read_bytes()
    copy = docx.Document(io.BytesIO(data))
    assert any("<w:p>&amp;" in p.text for p in copy.paragraphs)
    assert all("\x01" not in p.text and "\x1b" not in p.text for p in copy.paragraphs)
    assert any("XX" in t for _, t in comments(data).values())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_the_commented_copy(tmp_path):
    source = _docx_of(SAMPLES / "白鹭区司法局_2024_草稿.txt", tmp_path, True)
    assert run_cli("annotate", str(source), "-o", str(tmp_path)).returncode == 1
    copy = tmp_path / f"{source.stem}-审核意见.docx"
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(copy)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "pdf" / f"{copy.stem}.pdf"
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    import pypdfium2
    doc = pypdfium2.PdfDocument(str(pdf))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "法治政府建设" in text


def test_json_of_a_docx_names_the_heading_path(tmp_path):
    source = _docx_of(SAMPLES / "白鹭区司法局_2024_草稿.txt", tmp_path, False)
    proc = run_cli("check", str(source), "--format", "json")
    result = json.loads(proc.stdout)
    paths = {f["rule"]: f["location"]["path"] for f in result["findings"] if f["location"]}
    assert paths["WORD-PLACEHOLDER"].startswith("一、") and " › " in paths["WORD-PLACEHOLDER"]
    assert paths["TITLE-GENRE"] == "标题"
    terminal = run_cli("check", str(source), "--no-color").stdout
    assert "一、2024年推进法治政府建设的主要举措和成效 › " not in terminal or "（第" in terminal
    assert " › 第" in terminal
