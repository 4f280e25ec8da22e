"""fzcheck audit --notice: 审核情况通报.docx in 公文 form, its figures equal to the 「统计」 sheet of
summary.xlsx (which carries native charts) and to the summary page, its quotes findings of the
batch; one batch with a broken file and a report with control characters still gets its notice."""
import json
import re
import shutil
import zipfile

import pytest
import yaml

from .conftest import ROOT, SAMPLES, run_cli, sample_folder

NOTICE = "审核情况通报.docx"


def _audit(src, out, *extra):
    r = run_cli("audit", src, "-o", out, "-j", "1", "-f", "json", *extra)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("notice") / "out"
    summary = _audit(SAMPLES, out, "--notice")
    return {"out": out, "summary": summary}


def _paragraphs(path):
    import docx
    return docx.Document(str(path)).paragraphs


def _sheet(path):
    from openpyxl import load_workbook
    wb = load_workbook(path, read_only=True)
    return [list(r) for r in wb["统计"].iter_rows(values_only=True)]


def _block(rows, first_header):
    """The rows of the sheet's table whose header row starts with `first_header`."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    out = []
    for r in rows[start + 1:]:
        if not r or r[0] is None:
            break
        out.append(r)
    return out


def _findings(out):
    return [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]


def test_notice_is_a_gongwen_python_docx_opens(demo):
    from checker.word.build import GBT9704
    paras = _paragraphs(demo["out"] / NOTICE)
    texts = [p.text for p in paras]
    assert texts[0].startswith("关于") and texts[0].endswith("通报")           # title
    assert texts[1].startswith("【") and texts[1].endswith("：")             # 主送, a placeholder to edit
    heads = [t for t in texts if re.match(r"^[一二三四五六七八九十]、", t)]
    assert [h[0] for h in heads] == list("一二三四")[:len(heads)] and len(heads) >= 4
    assert texts[-2].startswith("【") and "发文机关" in texts[-2]               # 落款
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", texts[-1])
    # GB/T 9704 fonts, Latin and digits in the same family as the Chinese
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    title_fonts = paras[0].runs[0]._r.rPr.find(qn + "rFonts")
    assert title_fonts.get(qn + "eastAsia") == title_fonts.get(qn + "ascii") == GBT9704["title"].font
    body_fonts = paras[2].runs[0]._r.rPr.find(qn + "rFonts")
    assert body_fonts.get(qn + "hAnsi") == body_fonts.get(qn + "eastAsia") == GBT9704["body"].font
    assert paras[2].runs[0].font.size.pt == GBT9704["body"].size


def test_notice_figures_equal_the_workbook_and_the_batch(demo):
    out = demo["out"]
    text = "\n".join(p.text for p in _paragraphs(out / NOTICE))
    rows = _sheet(out / "summary.xlsx")
    counts = {r[0]: r[1] for r in _block(rows, "本批次")}
    assert all(isinstance(v, int) for v in counts.values())        # numbers, not text
    for label, value in counts.items():
        said = re.search(rf"{label}(\d+)[份个]", text)
        # a zero is left out of the sentence; every other figure is said, and is the sheet's
        assert (int(said.group(1)) == value) if said else value == 0, label
    # and both are the batch's own counts (run.json), not merely equal to each other
    c = demo["summary"]["counts"]
    assert (counts["收到报告"], counts["有错误的报告"], counts["错误"], counts["警告"]) == \
           (c["reports"], c["with_errors"], c["errors"], c["warnings"])

    elements = _block(rows, "要素")
    assert elements
    from openpyxl import load_workbook
    marks = list(load_workbook(out / "summary.xlsx", read_only=True)["汇总"].iter_rows(values_only=True))
    for label, standalone, embedded, absent, unknown, s_share, e_share, a_share in (r[:8] for r in elements):
        line = re.search(rf"{label}：(.*)。", text)
        assert line, label
        for name, n, pct in (("单列", standalone, s_share), ("散见", embedded, e_share), ("缺失", absent, a_share)):
            said = re.search(rf"{name}(\d+)份（([\d.]+)%）", line.group(1))
            assert ((int(said.group(1)), float(said.group(2))) == (n, pct)) if said else n == 0, (label, name)
        checked = counts["已检查"]
        assert [s_share, e_share, a_share] == [round(100 * n / checked, 1) for n in (standalone, embedded, absent)]
        col = marks[0].index(label)       # the 汇总 sheet's marks of the same element
        column = [r[col] for r in marks[1:]]
        assert (column.count("✔"), column.count("△"), column.count("✘")) == (standalone, embedded, absent)

    top = _block(rows, "最常见的问题")
    assert 0 < len(top) <= 10
    for i, (title, count, reports, rule, *_) in enumerate(top, 1):
        said = re.search(rf"{i}．{re.escape(title)}：共(\d+)处，涉及(\d+)份报告", text)
        assert said and (int(said.group(1)), int(said.group(2))) == (count, reports), title
    # the same counting as the 规则统计 sheet
    stats = {r[0]: r[2] for r in list(load_workbook(out / "summary.xlsx", read_only=True)["规则统计"].iter_rows(values_only=True))[1:]}
    assert all(stats[rule] == count for _, count, _, rule, *_ in top)


def test_notice_quotes_are_findings_of_the_batch_with_their_unit(demo):
    out = demo["out"]
    found = _findings(out)
    quotes = [re.search(r"^\d+．.*?如(.+?)的报告原文「(.*)」。$", p.text) for p in _paragraphs(out / NOTICE)]
    quotes = [q for q in quotes if q]
    assert quotes
    for q in quotes:
        unit, quote = q.group(1), q.group(2).removesuffix("…")
        assert any(quote in f["excerpt"] and f["unit"] == unit for f in found), (unit, quote)


def test_reports_to_redo_are_those_with_error_findings_on_required_elements(demo):
    out = demo["out"]
    conf = yaml.safe_load((ROOT / "rules" / "notice.yaml").read_text(encoding="utf-8"))["redo"]
    # the listed rules are the error-level rules for required elements (and NOT-A-REPORT)
    outline = yaml.safe_load((ROOT / "rules" / "checks" / "outline.yaml").read_text(encoding="utf-8"))
    elements = yaml.safe_load((ROOT / "rules" / "outline.yaml").read_text(encoding="utf-8"))["elements"]
    required = {k for k, v in elements.items() if not v.get("optional")}
    expected = {r["id"] for r in outline if r["severity"] == "error"
                and ((r.get("params") or {}).get("element") in required or r["id"] == "NOT-A-REPORT")}
    assert set(conf["rules"]) == expected
    redo_units = {f["unit"] for f in _findings(out) if f["rule"] in expected and f["severity"] == "error"}
    assert redo_units                               # the demo batch has one (白鹭区's draft)
    texts = [p.text for p in _paragraphs(out / NOTICE)]
    section = texts[next(i for i, t in enumerate(texts) if t.endswith("须重新报送的报告")) + 1:]
    section = section[:next(i for i, t in enumerate(section) if re.match(r"^[一二三四五六七八九十]、", t) or t.startswith("请"))]
    named = {re.match(r"^\d+．(.+?)：", t).group(1) for t in section if re.match(r"^\d+．", t)}
    assert named == redo_units
    sheet = _block(_sheet(out / "summary.xlsx"), "须重新报送的报告（单位）")
    assert {r[0] for r in sheet} == redo_units


def test_workbook_sheet_has_native_charts_of_its_cells(demo):
    path = demo["out"] / "summary.xlsx"
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2
        xml = "".join(z.read(n).decode() for n in charts)
    assert "<barChart>" in xml
    # drawn from the 统计 sheet's own cells (the numbers beside them), not copied values
    assert "'统计'!$F$" in xml and "'统计'!$B$" in xml
    from openpyxl import load_workbook
    assert len(load_workbook(path)["统计"]._charts) == 2


def test_summary_page_shows_the_same_figures_and_links_the_notice(demo, tmp_path):
    from selectolax.lexbor import LexborHTMLParser
    out = demo["out"]
    page = LexborHTMLParser((out / "summary.html").read_text(encoding="utf-8"))
    assert page.css_first(f'a[href="{NOTICE}"]') is not None
    section = page.css_first("#figures")
    cells = [c.text() for c in section.css("table")[0].css("td")]
    counts = [r[1] for r in _block(_sheet(out / "summary.xlsx"), "本批次")]
    assert [int(x) for x in cells] == counts
    bars = section.css(".fig-bar")
    assert len(bars) == len(_block(_sheet(out / "summary.xlsx"), "要素"))
    assert not any(n.attributes.get("src") or (n.attributes.get("href") or "").startswith("http")
                   for n in page.css("[src], link[href]"))
    # without --notice: no notice written, no link to one
    plain = tmp_path / "plain"
    _audit(SAMPLES, plain)
    assert not (plain / NOTICE).exists()
    assert f'href="{NOTICE}"' not in (plain / "summary.html").read_text(encoding="utf-8")
    assert "id=\"figures\"" in (plain / "summary.html").read_text(encoding="utf-8")


def test_the_notice_leaves_zeros_out_and_names_files_not_paths():
    from checker.audit.figures import COUNT_NAMES
    from checker.audit.notice import body
    counts = dict.fromkeys(COUNT_NAMES, 0) | {"received": 2, "checked": 2, "with_errors": 1, "errors": 3}
    figs = {"counts": counts, "years": [(2024, 2)], "levels": [], "deadline": None, "compared": 0, "follow": [],
            "elements": [{"key": "measures", "label": "工作举措", "standalone": 2, "embedded": 0, "absent": 0,
                          "unknown": 0, "share_standalone": 100.0, "share_embedded": 0.0, "share_absent": 0.0}],
            "top": [{"rule": "R", "title": "某问题", "count": 3, "reports": 1,
                     "example": {"unit": "", "source": "/home/审核员/收文/甲.docx", "excerpt": "原文"}}],
            "redo": [{"unit": "", "source": "/home/审核员/收文/甲.docx", "reasons": ["缺少下一年度工作安排"]}],
            "unreadable": []}
    text = "\n".join(t for _, t in body(figs))
    assert "本批次收到报告2份，已检查2份；有错误的报告1份。共发现错误3个。" in text
    assert "工作举措：单列2份（100.0%）。" in text
    assert "0份" not in text and "0个" not in text and "部分检查" not in text and "无法读取" not in text
    assert "/home" not in text and "如甲.docx的报告原文「原文」" in text and "1．甲.docx：缺少下一年度工作安排" in text
    # nothing could be read: no verdict on errors, no section on the elements
    nothing = {**figs, "counts": dict.fromkeys(COUNT_NAMES, 0) | {"received": 2, "unreadable": 2}, "top": [], "redo": [],
               "elements": [{**figs["elements"][0], "standalone": 0, "share_standalone": 0.0}],
               "unreadable": [{"source": "/x/甲.pdf", "reason": "文件已损坏"}, {"source": "/x/乙.pdf", "reason": "文件已损坏"}]}
    text = "\n".join(t for _, t in body(nothing))
    assert "本批次收到报告2份，已检查0份，无法读取2份，均未能审核。" in text
    assert "均无错误" not in text and "未发现问题" not in text and "提纲要素" not in text and "：。" not in text


def test_a_broken_file_and_control_characters_still_give_a_notice(tmp_path):
    src = sample_folder(tmp_path / "in")
    draft = src / "白鹭区司法局_2024_草稿.txt"
    # control characters in a flagged line (a placeholder XX): lxml refuses them raw in a .docx
    draft.write_text(draft.read_text(encoding="utf-8").replace("XX次", "XX\x07\x1b次", 1), encoding="utf-8")
    (src / "损坏的报告.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (src / "换行\n的报告.docx").write_bytes(b"PK\x03\x04 broken too")
    out = tmp_path / "out"
    summary = _audit(src, out, "--notice")
    assert summary["counts"]["unreadable"] == 2
    texts = [p.text for p in _paragraphs(out / NOTICE)]
    assert not any(ch in t for t in texts for ch in "\x07\x1b")
    # shown as escapes (as on every output), not dropped silently, and a name's newline not a break
    assert any("XX\\x07\\x1b次" in t for t in texts)
    assert any("换行 的报告.docx" in t for t in texts)
    assert any("损坏的报告.docx" in t and "无法读取" in t for t in texts)
    assert any("丰源市白鹭区司法局" in t for t in texts)


def test_last_years_plans_not_followed_through_are_in_the_notice(tmp_path):
    this_year, last_year = tmp_path / "this", tmp_path / "last"
    this_year.mkdir(), last_year.mkdir()
    follow = ROOT / "tests" / "data" / "follow"
    shutil.copy(follow / "梅坞镇_2024.txt", this_year)
    shutil.copy(follow / "梅坞镇_2023.txt", last_year)
    summary = _audit(this_year, tmp_path / "out", "--previous", last_year, "--notice")
    missing = summary["follow_through"][0]["missing"]
    assert missing                                  # the comparison found one (法治文化公园)
    texts = [p.text for p in _paragraphs(tmp_path / "out" / NOTICE)]
    head = next(i for i, t in enumerate(texts) if re.match(r"^[一二三四五六七八九十]、上年工作安排落实情况$", t))
    said = "\n".join(texts[head + 1:head + 3])
    assert "梅坞镇" in said and f"安排{len(missing)}项" in said
    assert all(m["item"].rstrip("…") in said for m in missing)


def test_a_configured_deadline_is_stated_and_arrival_left_to_the_reviewer(demo):
    from pathlib import Path

    from checker.audit import figures, notice
    from checker.audit.state import State
    state = State.reader(Path(demo["out"]) / "state.sqlite")
    try:
        figs = figures.compute(state, {})
    finally:
        state.db.close()
    plain = [t for _, t in notice.body(figs)]
    assert any("收文时间" in t and t.count("【") == 1 for t in plain)
    figs["deadline"] = "2025-03-31"
    said = [t for _, t in notice.body(figs)]
    assert any("报送截止日期为2025-03-31" in t and "逾期" in t for t in said)


def test_a_notice_the_reviewer_edited_is_never_written_over(tmp_path):
    """The reviewer edits the notice in place (主送, 落款); the next run keeps that file and writes
    its own under the next name. The notice this folder's last run wrote is simply renewed."""
    out = tmp_path / "out"
    _audit(SAMPLES, out, "--notice")
    first = (out / NOTICE).read_bytes()
    again = _audit(SAMPLES, out, "--notice")          # untouched since: renewed in place
    assert not (out / "审核情况通报-2.docx").exists()
    assert again["notice"] == str(out / NOTICE)
    import docx
    edited = docx.Document(str(out / NOTICE))
    edited.add_paragraph("主送：各区司法局（审核人已改）")
    edited.save(str(out / NOTICE))
    kept = (out / NOTICE).read_bytes()
    assert kept != first
    third = _audit(SAMPLES, out, "--notice")
    assert (out / NOTICE).read_bytes() == kept        # the reviewer's edit is still there
    assert third["notice"] == str(out / "审核情况通报-2.docx")
    assert any("审核人已改" not in p.text for p in _paragraphs(out / "审核情况通报-2.docx"))
    assert not any("审核人已改" in p.text for p in _paragraphs(out / "审核情况通报-2.docx"))


def test_the_list_to_redo_on_the_statistics_sheet_can_be_filtered(demo):
    from openpyxl import load_workbook
    ws = load_workbook(demo["out"] / "summary.xlsx")["统计"]
    first = ws[ws.auto_filter.ref.split(":")[0]]
    assert first.value == "须重新报送的报告（单位）"
    last_row = int(ws.auto_filter.ref.split(":")[1][1:])
    assert last_row == ws.max_row
