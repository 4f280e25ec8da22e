"""fzcheck audit on a batch: one row per file, broken files recorded and the rest checked,
planted faults and copies found (and nothing else paired), resumable after a kill with the same
outputs, follow-through across two years, baselines, checklists a reviewer can open."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile

import pytest

from .conftest import CORPUS, ROOT, SAMPLES, run_cli, sample_folder

sys.path.insert(0, str(ROOT))
from bench.gen import generate  # noqa: E402

FOLLOW = ROOT / "tests" / "data" / "follow"


def audit(*args, cwd=ROOT):
    return run_cli("audit", *args, cwd=cwd)


def xlsx_rows(path, sheet):
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


def findings(out):
    return [json.loads(line) for line in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """1,000 files: the real corpus, distinct generated reports, planted faults, exact and near
    copies, broken files; audited once with two jobs."""
    folder = tmp_path_factory.mktemp("batch")
    manifest = generate(folder / "in", 1000, seed=11, corpus=CORPUS if CORPUS.is_dir() else None)
    out = folder / "out"
    t0 = time.monotonic()
    r = audit(folder / "in", "-o", out, "-j", "2", "-f", "json")
    elapsed = time.monotonic() - t0
    assert r.returncode == 1, r.stderr            # planted errors and broken files
    return {"in": folder / "in", "out": out, "manifest": manifest, "summary": json.loads(r.stdout), "elapsed": elapsed}


def test_one_row_per_input_and_broken_files_marked(batch):
    files = sorted(p for p in batch["in"].iterdir() if p.suffix != ".json")
    rows = xlsx_rows(batch["out"] / "summary.xlsx", "汇总")
    assert rows[0][:4] == ["文件", "单位", "层级", "年度"]
    assert sorted(r[0] for r in rows[1:]) == sorted(str(p) for p in files)
    s = batch["summary"]
    assert s["counts"]["reports"] == len(files) == 1000
    unreadable = {os.path.basename(r["source"]) for r in s["reports"] if r["status"] == "unreadable"}
    assert unreadable == set(batch["manifest"]["broken"])
    for r in s["reports"]:
        assert set(r) >= {"source", "status", "reason", "errors", "warnings", "score"} or r["status"] == "unreadable"
    for sheet in ("问题明细", "指标", "规则统计"):
        assert len(xlsx_rows(batch["out"] / "summary.xlsx", sheet)) > 1, sheet


def test_every_planted_copy_found_and_no_unrelated_pair(batch):
    planted = {frozenset(p) for p in batch["manifest"]["copies"]}
    found = {frozenset(os.path.basename(x) for x in (c["a"], c["b"])) for c in batch["summary"]["copies"]}
    assert planted <= found, planted - found
    assert found <= planted, f"unrelated reports paired: {sorted(map(sorted, found - planted))[:5]}"
    for c in batch["summary"]["copies"]:
        assert c["passages"] and all(p["text"] for p in c["passages"])


def test_planted_faults_flagged_on_their_line(batch):
    by_file: dict = {}
    for f in findings(batch["out"]):
        by_file.setdefault(os.path.basename(f["source"]), []).append(f)
    for fault in batch["manifest"]["faults"]:
        lines = (batch["in"] / fault["file"]).read_text(encoding="utf-8").split("\n")
        at = [i for i, line in enumerate(lines, 1) if fault["text"] in line]
        assert at, fault
        assert any(f["rule"] == fault["rule"] and f["line"] in at for f in by_file.get(fault["file"], [])), fault


def test_outputs_of_a_run(batch):
    out = batch["out"]
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rule_pack"]["digest"] and run["config"]["layers"][0] == "built-in"
    assert run["counts"]["reports"] == 1000 and run["reports_per_second"] > 0
    pages = list((out / "reports").glob("*.html"))
    assert len(pages) == 997 and len(list((out / "reports").glob("*.json"))) == 997
    html = (out / "summary.html").read_text(encoding="utf-8")
    assert "提纲要素一览" in html and "疑似雷同" in html and 'href="reports/' in html
    assert not list(out.rglob("*.tmp")), "temporary files left behind"


def _fingerprint(out):
    """What must be identical between two runs over the same inputs (no timings, no dates)."""
    from openpyxl import load_workbook
    wb = load_workbook(out / "summary.xlsx", read_only=True)
    sheets = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    pages = {p.name: p.read_bytes() for p in sorted((out / "reports").iterdir())}
    return sheets, (out / "findings.jsonl").read_bytes(), pages, (out / "summary.html").read_bytes()


def test_killed_halfway_then_resumed_with_identical_outputs(tmp_path):
    generate(tmp_path / "in", 240, seed=5, corpus=None)
    whole = tmp_path / "whole"
    assert audit(tmp_path / "in", "-o", whole, "-j", "2", "-f", "json").returncode in (0, 1)

    out = tmp_path / "resumed"
    proc = subprocess.Popen([sys.executable, "-m", "checker", "audit", str(tmp_path / "in"), "-o", str(out), "-j", "2",
                             "-f", "json"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            # finished reports sit in the workers' shards until the check stage ends
            done = 0
            for f in [out / "state.sqlite", *out.glob(".shard-*.sqlite")]:
                with sqlite3.connect(f"file:{f}?mode=ro", uri=True, timeout=1) as db:
                    done += db.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 60:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert 0 < done < 240, f"could not stop the audit halfway ({done} done)"
    r = audit(tmp_path / "in", "-o", out, "-j", "2", "-f", "json")
    assert r.returncode in (0, 1), r.stderr
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["counts"]["reused"] >= done and run["counts"]["checked_now"] <= 240 - done
    assert _fingerprint(out) == _fingerprint(whole)


def test_inputs_never_modified(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SAMPLES, src)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.iterdir()}
    audit(src, "-o", tmp_path / "out")
    assert before == {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in src.iterdir()}


def test_follow_through_across_two_years(tmp_path):
    r = audit(FOLLOW, "-o", tmp_path / "a", "-f", "json")
    ft = json.loads(r.stdout)["follow_through"]
    assert [(f["unit"], f["year"]) for f in ft] == [("梅坞镇", 2024)]
    missing = [m["item"] for m in ft[0]["missing"]]
    assert len(missing) == 1 and "法治文化公园" in missing[0]
    assert ft[0]["carried_over"] == 1
    # last year's report in a folder of its own (--previous): the same follow-through, one report audited
    this_year, last_year = tmp_path / "this", tmp_path / "last"
    this_year.mkdir(), last_year.mkdir()
    shutil.copy(FOLLOW / "梅坞镇_2024.txt", this_year)
    shutil.copy(FOLLOW / "梅坞镇_2023.txt", last_year)
    r = audit(this_year, "--previous", last_year, "-o", tmp_path / "b", "-f", "json")
    d = json.loads(r.stdout)
    assert d["counts"]["reports"] == 1
    assert [m["item"] for m in d["follow_through"][0]["missing"]] == missing


def test_baseline_marks_new_persisting_and_fixed(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    draft = (SAMPLES / "白鹭区司法局_2024_草稿.txt").read_text(encoding="utf-8")
    (src / "draft.txt").write_text(draft, encoding="utf-8")
    audit(src, "-o", tmp_path / "first")
    second = draft.replace("共召开局党组会议XX次", "共召开局党组会议6次").replace("以上报告，妥否，请批示。", "特此报告。", 1)
    second = second.replace("开展中心组专题学习8次", "开展中心组专题学习8次，，")
    (src / "draft.txt").write_text(second, encoding="utf-8")
    audit(src, "-o", tmp_path / "second", "--baseline", tmp_path / "first")
    page = json.loads(next((tmp_path / "second" / "reports").glob("*.json")).read_text(encoding="utf-8"))
    fixed = {f["rule"] for f in page["fixed"]}
    assert {"WORD-REQUEST"} <= fixed
    changes = {f["rule"]: f["change"] for f in page["findings"]}
    assert changes["WORD-DUP-PUNCT"] == "new" and changes["YEAR-PLAN"] == "persisting"
    assert "WORD-PLACEHOLDER" in changes            # 第次 is still there
    rows = xlsx_rows(tmp_path / "second" / "summary.xlsx", "问题明细")
    assert {"新增", "仍存在", "已改正"} <= {r[8] for r in rows[1:]}
    assert any(r[8] == "已改正" and r[4] == "WORD-REQUEST" for r in rows[1:]), "each fixed finding listed"
    assert "比上一稿已改正的问题" in (tmp_path / "second" / "summary.html").read_text(encoding="utf-8")


def test_baseline_found_after_the_batch_folder_is_renamed(tmp_path):
    """A report clean in the first run (nothing of it in findings.jsonl) and a renamed batch
    folder: new findings are still marked new."""
    first_in = tmp_path / "in"
    first_in.mkdir()
    clean = (SAMPLES / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
    (first_in / "a.txt").write_text(clean, encoding="utf-8")
    audit(first_in, "-o", tmp_path / "first")
    second_in = tmp_path / "in2"
    first_in.rename(second_in)
    (second_in / "a.txt").write_text(clean.replace("特此报告。", "全年开展培训XX次。\n特此报告。"), encoding="utf-8")
    r = audit(second_in, "-o", tmp_path / "second", "--baseline", tmp_path / "first", "-f", "json")
    assert json.loads(r.stdout)["counts"]["new"] >= 1
    marks = {json.loads(line)["change"] for line in (tmp_path / "second" / "findings.jsonl").read_text(
        encoding="utf-8").splitlines()}
    assert None not in marks and "new" in marks


def test_check_with_a_baseline(tmp_path):
    first = run_cli("check", SAMPLES / "白鹭区司法局_2024_草稿.txt", "-f", "json")
    (tmp_path / "before.json").write_text(first.stdout, encoding="utf-8")
    r = run_cli("check", SAMPLES / "白鹭区司法局_2024_草稿.txt", "-f", "json", "--baseline", tmp_path / "before.json")
    d = json.loads(r.stdout)
    assert d["fixed"] == [] and {f["change"] for f in d["findings"]} == {"persisting"}
    fixed = (SAMPLES / "白鹭区司法局_2024_草稿.txt").read_text(encoding="utf-8").replace("妥否，请批示。", "")
    (tmp_path / "v2.txt").write_text(fixed, encoding="utf-8")
    r = run_cli("check", tmp_path / "v2.txt", "--baseline", tmp_path / "before.json")
    assert "已改正 1 个" in r.stdout and "已改正  报告中出现请示用语" in r.stdout, "the terminal says what was fixed"


def test_checklists_open_in_word_tools_and_carry_evidence(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "白鹭区司法局_2024_草稿.txt", src)
    (src / "evil.txt").write_text("柳林镇2024年法治政府建设年度报告\n一、主要举措和成效\n召开会议<script>alert(1)</script>4次。\n",
                                  encoding="utf-8")
    out = tmp_path / "out"
    audit(src, "-o", out, "--checklists")
    import docx
    path = next(p for p in (out / "checklists").glob("*.docx") if "白鹭区" in p.name)
    d = docx.Document(path)
    cells = [c.text for row in d.tables[0].rows for c in row.cells]
    assert "✘" in cells and any("「四、2024年工作计划」" in c for c in cells), "results and quoted evidence"
    assert any("核查人" in p.text for p in d.paragraphs)
    sec = d.sections[0]
    assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (29.7, 21.0), "A4 landscape"
    assert d.core_properties.author == "fzcheck"
    for page in [*(out / "reports").glob("*.html"), out / "summary.html"]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in text
    if shutil.which("soffice"):
        pdf_dir = tmp_path / "pdf"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                        "--outdir", str(pdf_dir), str(path)], capture_output=True, timeout=180, check=True)
        import pypdfium2
        pdf = pypdfium2.PdfDocument(str(next(pdf_dir.glob("*.pdf"))))
        text = "".join("".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
        assert "核查清单" in text and "2024年工作计划" in text


def test_blank_checklist_and_formats(tmp_path):
    r = run_cli("checklist", "--blank", "--level", "street", "-f", "html")
    assert r.returncode == 0 and "核查清单" in r.stdout and "被检查单位" in r.stdout and "@page" in r.stdout
    r = run_cli("checklist", "--blank", "--profile", "draft", "-f", "md")
    assert "本检查方案不检查此项" in r.stdout, "rows the draft profile does not check are marked"
    r = run_cli("checklist", SAMPLES / "柳溪镇_2024_规范.txt", "-f", "docx", "-o", tmp_path)
    assert r.returncode == 0
    with zipfile.ZipFile(next(tmp_path.glob("*.docx"))) as z:
        assert "word/document.xml" in z.namelist()


def test_every_rule_is_on_the_checklist():
    from checker.checks.load import builtin_rules
    assert [r.id for r in builtin_rules() if not r.checklist] == [], "a rule no checklist row reports"


def test_exit_codes_and_fail_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLES / "柳溪镇_2024_规范.txt", src)
    assert audit(src, "-o", tmp_path / "a").returncode == 0
    shutil.copy(SAMPLES / "白鹭区司法局_2024_草稿.txt", src)
    assert audit(src, "-o", tmp_path / "b").returncode == 1
    assert audit(src, "-o", tmp_path / "c", "--fail-on", "never").returncode == 0
    r = audit(tmp_path / "nothing-here", "-o", tmp_path / "d")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_shared_passage_quotes_the_original_text_and_lines():
    from checker.audit.copies import Flat, shared_passages
    common = "全面推进严格规范公正文明执法，深化行政执法体制改革，全年开展执法监督检查十二次，整改问题三十六个，行政复议纠错率明显下降。"
    a = [("一、主要举措", 1), ("（一）" + common, 3), ("其他内容完全不同的一段话。", 5)]
    b = [("本单位今年的做法如下。", 10), ("另起一段：" + common + "此外还有别的。", 12)]
    passages, shared, la, lb = shared_passages(Flat(a), b, min_len=40)
    assert len(passages) == 1
    p = passages[0]
    assert (p.a_line, p.b_line) == (3, 12)
    assert p.text.startswith("全面推进") and p.text.rstrip("。").endswith("明显下降")
    assert shared == p.length >= 40 and la > shared and lb > shared
    assert shared_passages(a, [("毫不相干的另一份报告正文，讲的是别的事情。", 1)])[0] == []


def test_damaged_state_file_is_rebuilt_not_fatal(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "state.sqlite").write_bytes(b"not a database at all" * 100)
    r = audit(SAMPLES, "-o", out, "-j", "1", "-f", "json")
    assert r.returncode in (0, 1), r.stderr
    assert json.loads(r.stdout)["counts"]["checked"] == 3
    again = audit(SAMPLES, "-o", out, "-j", "1", "-f", "json")
    assert json.loads(again.stdout)["counts"]["checked"] == 3
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["counts"]["reused"] == 3


def test_checklist_does_not_pass_what_it_cannot_judge():
    """No valid date (the draft's is 2月30日): the deadline row is 「—」 with the reason, not ✔."""
    def deadline_row(name):
        r = run_cli("checklist", SAMPLES / name)
        return next(line for line in r.stdout.splitlines() if "按期报送" in line)
    assert "| — | 无法判断" in deadline_row("白鹭区司法局_2024_草稿.txt")
    assert "| ✔ | 成文日期 2025-02-20" in deadline_row("柳溪镇_2024_规范.txt")


def test_audit_never_reads_its_own_outputs(tmp_path):
    """Results written inside the batch folder (its default place when run from there) are not
    read back as reports on the next run."""
    src = sample_folder(tmp_path / "s")
    for _ in range(2):
        r = audit(src, "-o", src / "out", "-f", "json")
        assert json.loads(r.stdout)["counts"]["reports"] == 3, r.stderr
    r = audit(".", "-f", "json", cwd=src)
    assert json.loads(r.stdout)["counts"]["reports"] == 3


def test_deleted_input_leaves_the_run_with_its_pages(tmp_path):
    src = sample_folder(tmp_path / "s")
    out = tmp_path / "o"
    audit(src, "-o", out, "-f", "json")
    assert len(list((out / "reports").glob("*.html"))) == 3
    (src / "柳溪镇_2024_规范.txt").unlink()
    r = audit(src, "-o", out, "-f", "json")
    assert json.loads(r.stdout)["counts"]["reports"] == 2
    assert not list((out / "reports").glob("柳溪镇*"))


def test_a_refused_audit_leaves_no_output_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "new" / "run"
    r = audit(tmp_path / "empty", "-o", out)
    assert r.returncode == 2 and "没有找到报告" in r.stderr
    assert not (tmp_path / "new").exists()
    r = audit(tmp_path / "missing", cwd=tmp_path)
    assert r.returncode == 2 and not (tmp_path / "reports_out").exists()
