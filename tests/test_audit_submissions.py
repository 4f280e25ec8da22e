"""One report in several formats is one submission (checker/audit/submissions.py): the same
reports as .docx + .pdf + .txt beside other reports give one row each, only the checked file's
findings counted, copies found between submissions and never inside one; a .pdf that is an older
draft is said; output names tell the formats apart. And an interrupted audit leaves no shard or
journal file behind, and the next run completes."""
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.audit.worker import slug
from checker.resources import load_yaml, rules_dir

from .conftest import ROOT, run_cli
from .formats import need_cjk_font, to_docx, to_pdf

sys.path.insert(0, str(ROOT))
from bench.gen import _sentence, generate, near_copy, plant, report  # noqa: E402

SETTINGS = load_yaml(rules_dir() / "audit.yaml")["submissions"]
N, DISTINCT = 4, 3          # reports in three formats; other reports (besides a near copy and a duplicate)


def audit(*args):
    return run_cli("audit", *map(str, args))


def xlsx_rows(path, sheet):
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


def _three_formats(folder: Path, stem: str, text: str, pdf_text: str | None = None) -> None:
    (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    (folder / f"{stem}.docx").write_bytes(to_docx(text, auto_numbering=len(stem) % 2 == 0))
    (folder / f"{stem}.pdf").write_bytes(to_pdf(pdf_text or text))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """N reports as .docx + .pdf + .txt (one with a planted fault), DISTINCT other reports, a
    near copy of the first submission under another unit (a planted copy pair between two
    submissions) and an exact duplicate of another .txt (same format twice: two submissions)."""
    need_cjk_font()
    folder = tmp_path_factory.mktemp("subs")
    src = folder / "in"
    src.mkdir()
    rng = random.Random(23)
    planted = None
    first = None
    for i in range(N):
        rep = report(rng, i)
        text = rep["text"]
        if i == 1:
            text, planted, _ = plant(rng, rep)
        if i == 0:
            first = rep
        _three_formats(src, f"s{i}", text)
    for j in range(DISTINCT):
        (src / f"o{j}.txt").write_text(report(rng, 50 + j)["text"], encoding="utf-8")
    (src / "o_near.txt").write_text(near_copy(rng, first["text"], first["unit"]), encoding="utf-8")
    shutil.copy(src / "o0.txt", src / "o_dup.txt")
    out = folder / "out"
    r = audit(src, "-o", out, "-j", "2", "-f", "json")
    assert r.returncode in (0, 1), r.stderr
    return {"in": src, "out": out, "summary": json.loads(r.stdout), "planted": planted, "folder": folder}


def _submission(source: str) -> str:
    """The test's own notion of a submission: the file name without its extension."""
    return Path(source).stem


def test_one_row_per_submission_with_its_formats(batch):
    s = batch["summary"]
    rows = DISTINCT + N + 2
    assert s["counts"]["reports"] == s["counts"]["checked"] == rows
    assert len(s["reports"]) == rows
    by_stem = {_submission(r["source"]): r for r in s["reports"]}
    for i in range(N):
        r = by_stem[f"s{i}"]
        # the best-read format is the checked one; the others listed after it, not rows of their own
        assert Path(r["source"]).suffix == ".docx"
        assert [f["format"] for f in r["formats"]] == ["docx", "pdf", "txt"]
        assert [f["checked"] for f in r["formats"]] == [True, False, False]
        assert r["formats_note"] is None            # the same text in every format: nothing to tell
    assert [f["format"] for f in by_stem["o_dup"]["formats"]] == ["txt"]

    sheet = xlsx_rows(batch["out"] / "summary.xlsx", "汇总")
    assert len(sheet) - 1 == rows
    col = sheet[0].index("格式")
    cell = next(r[col] for r in sheet[1:] if Path(r[0]).stem == "s0")
    assert cell.startswith("docx（计入统计）、pdf、txt") and "s0.pdf" in cell

    html = (batch["out"] / "summary.html").read_text(encoding="utf-8")
    matrix = html.split('id="matrix"')[1].split("</table>")[0]
    assert matrix.count("<tr data-level") == rows
    # every format links to its own page, which exists
    links = re.findall(r'<a href="(reports/s0-(?:docx|pdf|txt)-[0-9a-f]{6}\.html)"', matrix)
    assert len(set(links)) == 3
    assert all((batch["out"] / link).is_file() for link in links)


def test_only_the_checked_files_findings_are_counted(batch):
    s = batch["summary"]
    lines = [json.loads(x) for x in (batch["out"] / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    checked = {r["source"] for r in s["reports"]}
    # every file's findings are in findings.jsonl, the other formats' marked as not counted
    assert {f["source"] for f in lines if f["counted"]} <= checked
    others = {f["source"] for f in lines if not f["counted"]}
    assert others and not others & checked
    assert all(src.endswith(".pdf") or (src.endswith(".txt") and Path(src).stem.startswith("s")) for src in others)
    lines = [json.dumps(f) for f in lines if f["counted"]]
    # the planted fault counted once (the .docx's), not once per format
    page = json.loads(next((batch["out"] / "reports").glob("s1-docx-*.json")).read_text(encoding="utf-8"))
    in_page = sum(1 for f in page["findings"] if f["rule"] == batch["planted"])
    in_batch = sum(1 for x in lines if json.loads(x)["rule"] == batch["planted"] and _submission(json.loads(x)["source"]) == "s1")
    assert in_page >= 1 and in_batch == in_page
    assert s["counts"]["errors"] == sum(r["errors"] for r in s["reports"])
    assert s["counts"]["with_errors"] == sum(1 for r in s["reports"] if r["errors"])


def test_copies_between_submissions_only(batch):
    pairs = {frozenset(_submission(x) for x in (c["a"], c["b"])) for c in batch["summary"]["copies"]}
    for c in batch["summary"]["copies"]:
        assert _submission(c["a"]) != _submission(c["b"]), c       # never a submission with itself
    assert frozenset({"s0", "o_near"}) in pairs                     # the planted near copy
    assert frozenset({"o0", "o_dup"}) in pairs                      # the same .txt handed in twice
    assert len(pairs) == 2, pairs


def test_output_names_say_which_file(batch):
    pages = sorted(p.name for p in (batch["out"] / "reports").glob("s0-*.html"))
    assert [re.sub(r"-[0-9a-f]{6}\.html$", "", p) for p in pages] == ["s0-docx", "s0-pdf", "s0-txt"]
    a, b = slug("/x/a b/报告<1>.docx"), slug("/y/a b/报告<1>.docx")
    assert a.startswith("报告_1_-docx-") and a != b and not set("/<> ") & set(a)


def test_the_checked_file_gone_another_format_takes_its_place(batch, tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(batch["in"], src)
    (src / "s2.docx").unlink()
    r = audit(src, "-o", out, "-f", "json")
    s = json.loads(r.stdout)
    assert s["counts"]["reports"] == DISTINCT + N + 2
    r2 = next(r for r in s["reports"] if _submission(r["source"]) == "s2")
    assert Path(r2["source"]).suffix == ".pdf" and [f["format"] for f in r2["formats"]] == ["pdf", "txt"]
    # and back: the .docx returns, the .pdf is again only listed (the grouping is rebuilt each run)
    shutil.copy(batch["in"] / "s2.docx", src / "s2.docx")
    s = json.loads(audit(src, "-o", out, "-f", "json").stdout)
    assert s["counts"]["reports"] == DISTINCT + N + 2
    assert Path(next(r for r in s["reports"] if _submission(r["source"]) == "s2")["source"]).suffix == ".docx"


def test_a_pdf_that_is_an_older_draft_is_said(tmp_path):
    need_cjk_font()
    src = tmp_path / "in"
    src.mkdir()
    rng = random.Random(3)
    rep = report(rng, 1)
    lines = rep["text"].split("\n")
    edit = random.Random(9)
    for i in [i for i, ln in enumerate(lines) if len(ln) > 60][::3]:      # a third of the long paragraphs rewritten
        lines[i] = "".join(_sentence(edit, rep["unit"]) for _ in range(3))
    _three_formats(src, "draft", rep["text"], pdf_text="\n".join(lines))
    (src / "other.txt").write_text(report(rng, 2)["text"], encoding="utf-8")
    s = json.loads(audit(src, "-o", tmp_path / "out", "-f", "json").stdout)
    assert s["counts"]["reports"] == 2
    r = next(r for r in s["reports"] if _submission(r["source"]) == "draft")
    pdf = next(f for f in r["formats"] if f["format"] == "pdf")
    txt = next(f for f in r["formats"] if f["format"] == "txt")
    assert SETTINGS["same_report"] <= pdf["similarity"] < SETTINGS["same_draft"] <= txt["similarity"]
    assert "draft.pdf" in r["formats_note"] and "可能是另一稿" in r["formats_note"] and "draft.txt" not in r["formats_note"]
    assert "可能是另一稿" in (tmp_path / "out" / "summary.html").read_text(encoding="utf-8")
    assert not s["copies"]


def test_the_best_format_counts_whichever_way_the_files_were_found_alike(tmp_path):
    """a.pdf and a.txt share a name; b.docx, the same report under another name, shares only the
    unit and year: one submission of three files, the .docx counted."""
    need_cjk_font()
    src = tmp_path / "in"
    src.mkdir()
    rng = random.Random(31)
    text = report(rng, 4)["text"]
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "a.pdf").write_bytes(to_pdf(text))
    (src / "b.docx").write_bytes(to_docx(text, auto_numbering=False))
    (src / "other.txt").write_text(report(rng, 5)["text"], encoding="utf-8")
    s = json.loads(audit(src, "-o", tmp_path / "out", "-f", "json").stdout)
    assert s["counts"]["reports"] == 2, [r["source"] for r in s["reports"]]
    r = next(r for r in s["reports"] if Path(r["source"]).name != "other.txt")
    assert Path(r["source"]).name == "b.docx"
    assert sorted(Path(f["source"]).name for f in r["formats"]) == ["a.pdf", "a.txt", "b.docx"]


def test_an_unreadable_copy_is_told_in_its_submissions_row(tmp_path):
    """A broken .pdf beside a good .docx of the same name is not a report of its own: the
    submission's row says it could not be read; a broken file with no such twin stays a row."""
    src = tmp_path / "in"
    src.mkdir()
    rng = random.Random(37)
    text = report(rng, 6)["text"]
    (src / "r.docx").write_bytes(to_docx(text, auto_numbering=False))
    (src / "r.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    (src / "lone.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2000))
    out = tmp_path / "out"
    s = json.loads(audit(src, "-o", out, "-f", "json").stdout)
    assert s["counts"]["reports"] == 2 and s["counts"]["unreadable"] == 1
    r = next(r for r in s["reports"] if Path(r["source"]).name == "r.docx")
    pdf = next(f for f in r["formats"] if f["format"] == "pdf")
    assert pdf["unreadable"] and not pdf["checked"] and pdf["similarity"] is None
    assert "r.pdf" in r["formats_note"] and "无法读取" in r["formats_note"]
    sheet = xlsx_rows(out / "summary.xlsx", "汇总")
    cell = next(row[sheet[0].index("格式")] for row in sheet[1:] if Path(row[0]).name == "r.docx")
    assert cell.startswith("docx（计入统计）、pdf（无法读取）"), cell
    html = (out / "summary.html").read_text(encoding="utf-8")
    matrix = html.split('id="matrix"')[1].split("</table>")[0]
    # the broken copy has no page: named, not linked
    assert '<span title="' in matrix and "pdf</span>（无法读取）" in matrix
    assert 'href="None"' not in html
    # the terminal says the copy could not be read, not that its text differs
    said = audit(src, "-o", out, "--no-color")
    told = said.stdout + said.stderr
    assert "其他格式的文件无法读取" in told and "r.pdf" in told and "文字不一致" not in told, told


def _stored(out: Path) -> int:
    n = 0
    for f in out.glob(".shard-*.sqlite"):
        with sqlite3.connect(f"file:{f}?mode=ro", uri=True, timeout=1) as db:
            n += db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    return n


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_audit_leaves_no_shard_or_journal(tmp_path, how):
    generate(tmp_path / "in", 300, seed=5, corpus=None)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "checker", "audit", str(tmp_path / "in"), "-o", str(out), "-j", "2",
                             "-f", "json"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline, done = time.monotonic() + 90, 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            done = _stored(out)         # checking has started: the workers' shards hold reports
        except sqlite3.Error:
            continue
        if done >= 10:
            if how == "ctrl-c":         # a terminal's Ctrl-C reaches the whole process group
                os.killpg(proc.pid, signal.SIGINT)
            else:
                os.kill(proc.pid, signal.SIGTERM)
            break
    err = proc.communicate(timeout=60)[1].decode()
    assert done >= 10 and proc.returncode == 130, (done, proc.returncode, err)
    assert "已中断" in err
    left = [p.name for p in out.iterdir() if p.name.startswith(".shard-") or p.name.endswith("-journal")]
    assert not left, left
    with sqlite3.connect(out / "state.sqlite") as db:          # what the workers finished is kept
        kept = db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    assert kept >= done
    r = audit(tmp_path / "in", "-o", out, "-j", "2", "-f", "json")
    assert r.returncode in (0, 1), r.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["reports"] == 300 and run["counts"]["reused"] >= kept
    assert not [p for p in out.iterdir() if p.name.startswith(".shard-") or p.name.endswith("-journal")]


class _Kept:
    """The part of the state database grouping reads: the reports table and each report's
    paragraphs (what the audit's workers store), built in memory."""

    def __init__(self, rows):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, source, status, reason, unit, year, row)")
        self.paras = {}
        for i, (src, unit, year, text) in enumerate(rows, 1):
            status = "checked" if text else "unreadable"
            self.db.execute("INSERT INTO reports VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (i, src, status, None if text else "文件已损坏", unit, year,
                             json.dumps({"page": f"reports/{i}.html"})))
            self.paras[i] = [(p, n) for n, p in enumerate((text or "").split("\n"), 1) if p.strip()]
        self.groups = None

    def paragraphs(self, rid):
        return self.paras[rid]

    def set_groups(self, groups):
        self.groups = groups


def _grouped(rows):
    from checker.audit import submissions
    state = _Kept(rows)
    min_passage = load_yaml(rules_dir() / "audit.yaml")["copies"]["min_passage"]
    return {g["source"]: g for g in submissions.group(state, SETTINGS, min_passage)}


def test_a_copy_joined_through_a_third_file_is_measured_against_the_counted_one():
    rng = random.Random(41)
    t = report(rng, 0)["text"]
    # a.txt names no unit: it meets b.docx only through a.pdf (same name) — still the same text
    got = _grouped([("/in/b.docx", "X", 2023, t), ("/in/a.pdf", "X", 2023, t), ("/in/a.txt", None, None, t)])
    assert {g["main"] for g in got.values()} == {"/in/b.docx"}
    assert got["/in/a.txt"]["similarity"] >= SETTINGS["same_draft"] and got["/in/a.txt"]["note"] is None


def test_an_unreadable_file_joins_only_a_submission_it_surely_belongs_to():
    rng = random.Random(43)
    t, u = report(rng, 0)["text"], report(rng, 1)["text"]
    # a folder that could not be listed is not a format of the file of its name
    assert _grouped([("/in/某县.docx", "X", 2023, t), ("/in/某县", None, None, None)]) == {}
    # two reports named a: which one a broken a.txt belongs to cannot be told
    assert _grouped([("/in/a.docx", "X", 2023, t), ("/in/a.pdf", "Y", 2023, u), ("/in/a.txt", None, None, None)]) == {}
    # a submission holding a .pdf already takes no second one
    got = _grouped([("/in/a.docx", "X", 2023, t), ("/in/b.pdf", "X", 2023, t), ("/in/a.pdf", None, None, None)])
    assert set(got) == {"/in/b.pdf"}
    # and the plain case: a broken .pdf beside its .docx
    got = _grouped([("/in/a.docx", "X", 2023, t), ("/in/a.pdf", None, None, None)])
    assert got["/in/a.pdf"]["main"] == "/in/a.docx" and got["/in/a.pdf"]["similarity"] is None
