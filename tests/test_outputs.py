"""Outputs in detail: write_new never replaces a file (a name taken meanwhile, no hard links, a
failed write), every output format carries the mark and is recognised from a few KB, real reports
are not, and an audit counts what it passed over. (The command-line cases: tests/hostile/case_outputs.py.)"""
import errno
import os
from pathlib import Path

import pytest

from checker import mark, write
from checker.audit.inputs import gather
from checker.checklist import build
from checker.errors import ConfigError, file_to_read
from checker.report import check_path
from checker.render import render, render_checklist, to_json

from .conftest import ROOT
from .formats import to_docx, to_html

BLIND = ROOT / "tests" / "data" / "blind"
REPORT = BLIND / "b1_yunxiu_county_2019.txt"


# --- write_new -------------------------------------------------------------------------------------

def _names(stem="报告", ext="html"):
    yield f"{stem}.{ext}"
    for i in range(2, 6):
        yield f"{stem}-{i}.{ext}"


def test_write_new_takes_the_first_free_name_and_leaves_no_temporary(tmp_path):
    (tmp_path / "报告.html").write_bytes(b"mine")
    got = write.write_new(tmp_path, _names(), "结果")
    assert got == tmp_path / "报告-2.html" and got.read_text(encoding="utf-8") == "结果"
    assert (tmp_path / "报告.html").read_bytes() == b"mine"
    assert sorted(os.listdir(tmp_path)) == ["报告-2.html", "报告.html"]
    assert oct(got.stat().st_mode & 0o777) == oct(write._MODE)


def test_write_new_a_file_appearing_meanwhile_is_not_replaced(tmp_path):
    def racing():
        for name in _names():
            # another program creates the name after it was chosen, before it is written
            (tmp_path / name).write_bytes(b"theirs") if name == "报告.html" else None
            yield name
    got = write.write_new(tmp_path, racing(), "结果")
    assert got.name == "报告-2.html" and (tmp_path / "报告.html").read_bytes() == b"theirs"


def test_write_new_a_dangling_link_is_not_written_through(tmp_path):
    os.symlink(tmp_path / "elsewhere.txt", tmp_path / "报告.html")
    got = write.write_new(tmp_path, _names(), "结果")
    assert got.name == "报告-2.html" and not (tmp_path / "elsewhere.txt").exists()


def test_write_new_without_hard_links_claims_the_name_exclusively(tmp_path, monkeypatch):
    def no_links(src, dst, **kw):
        raise OSError(errno.EPERM, "Operation not permitted")
    monkeypatch.setattr(os, "link", no_links)
    (tmp_path / "报告.html").write_bytes(b"mine")
    got = write.write_new(tmp_path, _names(), b"\x00bytes")
    assert got.name == "报告-2.html" and got.read_bytes() == b"\x00bytes"
    assert (tmp_path / "报告.html").read_bytes() == b"mine"
    assert sorted(os.listdir(tmp_path)) == ["报告-2.html", "报告.html"]


def test_write_new_failing_midway_leaves_nothing(tmp_path, monkeypatch):
    real = write._fill

    def full(fd, content):
        real(fd, content[:3])                  # part of it written, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(write, "_fill", full)
    with pytest.raises(OSError) as e:
        write.write_new(tmp_path, _names(), "一份很长的结果")
    assert e.value.errno == errno.ENOSPC and os.listdir(tmp_path) == []


def test_write_new_every_name_taken_is_an_error_not_an_overwrite(tmp_path):
    for n in _names():
        (tmp_path / n).write_bytes(b"mine")
    with pytest.raises(FileExistsError):
        write.write_new(tmp_path, _names(), "结果")
    assert sorted(os.listdir(tmp_path)) == sorted(_names())
    assert all((tmp_path / n).read_bytes() == b"mine" for n in _names())


# --- the mark ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """Every format fzcheck writes, of one real report, as files."""
    from checker.cli import _plain
    d = tmp_path_factory.mktemp("outputs")
    doc, result = check_path(REPORT)
    files = {"terminal.txt": _plain(render(result, "terminal")), "report.md": render(result, "md", doc.source.lines),
             "report.html": render(result, "html", doc.source.lines), "one.json": to_json([result]),
             "array.json": to_json([result, result])}
    from checker.config import default_rules
    c = build(result, default_rules(), doc.source)
    for fmt in ("md", "html", "docx"):
        files[f"checklist.{fmt}"] = render_checklist(c, fmt)
    for name, content in files.items():
        (d / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return d


@pytest.mark.parametrize("name", ["terminal.txt", "report.md", "report.html", "one.json", "array.json",
                                  "checklist.md", "checklist.html", "checklist.docx"])
def test_every_output_is_marked(outputs, name):
    from checker.read.detect import sniff
    f = outputs / name
    assert mark.generated(f)
    data = f.read_bytes()
    assert mark.generated_data(data, sniff(data, name))


def test_text_outputs_say_so_on_their_last_line(outputs):
    for name in ("terminal.txt", "report.md", "checklist.md"):
        last = (outputs / name).read_text(encoding="utf-8").rstrip().splitlines()[-1]
        assert last.startswith(mark.TEXT), (name, last)


@pytest.mark.parametrize("report", sorted(BLIND.glob("*.txt")), ids=lambda p: p.name)
def test_real_reports_are_not_marked(report):
    assert not mark.generated(report)


def test_real_word_and_web_reports_are_not_marked(tmp_path):
    text = REPORT.read_text(encoding="utf-8")
    (tmp_path / "r.docx").write_bytes(to_docx(text, auto_numbering=False))
    (tmp_path / "r.html").write_bytes(to_html(text))
    assert not mark.generated(tmp_path / "r.docx") and not mark.generated(tmp_path / "r.html")


def test_the_mark_is_looked_for_only_at_the_ends(tmp_path):
    """A report quoting the mark in its middle is a report; and no file is read whole."""
    body = "一、主要举措\n" * 2000
    f = tmp_path / "r.txt"
    f.write_text(body + mark.TEXT + "\n" + body, encoding="utf-8")
    assert not mark.generated(f)
    f.write_text(body + mark.TEXT + "\n", encoding="utf-8")
    assert mark.generated(f)


def test_a_markdown_escaped_version_is_still_the_mark(tmp_path):
    f = tmp_path / "r.md"
    f.write_text("# 检查结果\n\n---\n由 fzcheck 0\\.1\\.0 生成 · 检查方案 county/final\n", encoding="utf-8")
    assert mark.generated(f)


def test_an_unreadable_or_broken_file_is_not_known_as_one(tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    assert not mark.generated(tmp_path / "broken.docx")
    assert not mark.generated(tmp_path / "missing.txt")


def test_audit_passes_over_outputs_and_counts_them(outputs, tmp_path):
    (tmp_path / "reports").mkdir()
    for name in ("terminal.txt", "report.html", "checklist.docx", "checklist.html", "report.md"):
        (tmp_path / "reports" / name).write_bytes((outputs / name).read_bytes())
    (tmp_path / "reports" / "报告.txt").write_bytes(REPORT.read_bytes())
    found = gather([str(tmp_path / "reports")])
    assert [p.name for p in found.files] == ["报告.txt"]
    # the .md is no report suffix: not even looked at
    assert sorted(p.name for p in found.own) == ["checklist.docx", "checklist.html", "report.html", "terminal.txt"]


# --- option files --------------------------------------------------------------------------------------

def test_file_to_read_says_missing_folder_or_unreachable(tmp_path):
    with pytest.raises(ConfigError, match="豁免文件不存在"):
        file_to_read(tmp_path / "w.yaml", "豁免文件")
    with pytest.raises(ConfigError, match="这是文件夹"):
        file_to_read(tmp_path, "配置文件")
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match="路径中有一段是文件"):
        file_to_read(tmp_path / "f" / "c.toml", "配置文件")
    file_to_read(tmp_path / "f", "配置文件")
