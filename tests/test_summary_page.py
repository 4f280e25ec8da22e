"""The audit's summary page and report pages as a reviewer uses them (issue 13, item 4): every
column sorts (numbers as numbers), a bar of the chart filters the table by its rule, every file
name of the copies and of last year's plans links to its page (last year's file named), the
「缺失」 filter passes the optional 其他 by, a copy pair's quote is not the stock opening every
report writes, and a report page marks the words, not the line.

The HTML is parsed everywhere; what only a browser does (sorting, the filters) runs in Debian's
chromium driven by Playwright where both are there, skipped with the reason where not."""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from .browsing import launched
from .conftest import CORPUS, ROOT, run_cli

sys.path.insert(0, str(ROOT))
from bench.gen import generate  # noqa: E402

from checker.audit import copies  # noqa: E402

FOLLOW = ROOT / "tests" / "data" / "follow"
HOSTILE = "<img src=x onerror=alert(1)>"
OPENINGS = CORPUS / "openings"


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Generated reports with an exact and a near copy, the real corpus where it is, a unit's two
    years and broken files; audited once."""
    folder = tmp_path_factory.mktemp("summary")
    generate(folder / "in", 24, seed=11, corpus=CORPUS if CORPUS.is_dir() else None)
    for p in FOLLOW.iterdir():
        shutil.copy(p, folder / "in" / p.name)
    # a copy whose name is markup: shown as text in the tables of copies, never run
    shutil.copy(folder / "in" / "r00002.txt", folder / "in" / f"{HOSTILE}.txt")
    out = folder / "out"
    r = run_cli("audit", folder / "in", "-o", out, "-j", "1", "-f", "json")
    assert r.returncode in (0, 1), r.stderr
    return {"in": folder / "in", "out": out, "summary": json.loads(r.stdout)}


def _page(batch):
    from selectolax.lexbor import LexborHTMLParser
    return LexborHTMLParser((batch["out"] / "summary.html").read_text(encoding="utf-8"))


def _stock():
    from checker.settings import Settings
    return re.compile("|".join(f"(?:{e})" for e in Settings().terms("stock_passages").entries))


# ---- parsed HTML ---------------------------------------------------------------------------

def test_every_link_of_the_summary_page_resolves_to_a_file(batch):
    hrefs = [a.attributes["href"] for a in _page(batch).css("a[href]")]
    files = [h for h in hrefs if not h.startswith("#")]
    assert len(files) >= 20
    missing = [h for h in files if not (batch["out"] / h).is_file()]
    assert missing == []


def test_a_file_name_that_is_markup_is_shown_as_text(batch):
    page = _page(batch)
    assert page.css("img") == [] and page.css("script")[0].text().count("onerror") == 0
    names = [a.text() for a in page.css("#copies a")]
    assert f"{HOSTILE}.txt" in names


def test_file_names_of_copies_and_of_last_years_plans_link_to_their_pages(batch):
    page = _page(batch)
    pairs = page.css("#copies tbody tr")
    assert len(pairs) == len(batch["summary"]["copies"]) >= 2
    for tr in pairs:
        links = [a for td in tr.css("td")[:2] for a in td.css("a")]
        assert len(links) == 2, tr.html
        for a in links:            # the page named is the page of the file named
            report = json.loads((batch["out"] / a.attributes["href"]).with_suffix(".json").read_text(encoding="utf-8"))
            assert Path(report["source"]).name == a.text().strip()
    follow = page.css("#follow tbody tr")
    assert len(follow) == 1
    cells = [td.text().strip() for td in follow[0].css("td")]
    assert cells[2] == "梅坞镇_2024.txt" and cells[3] == "梅坞镇_2023.txt"     # last year's file named
    assert [a.text() for a in follow[0].css("td a")][:2] == ["梅坞镇_2024.txt", "梅坞镇_2023.txt"]


def test_every_bar_of_the_chart_links_to_the_table_filtered_by_its_rule(batch):
    page = _page(batch)
    bars = page.css("svg.bar a")
    rules = [o.attributes["value"] for o in page.css("#f-rule option") if o.attributes["value"]]
    assert bars and [a.attributes["href"] for a in bars] == [f"#rule={r}" for r in rules]
    # each row says which rules it has findings of: what the filter of a bar selects on
    by_source: dict[str, set] = {}
    for line in (batch["out"] / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        if "severity" in f and not f.get("waived"):
            by_source.setdefault(Path(f["source"]).name, set()).add(f["rule"])
    rows = page.css("#matrix tbody tr:not(.unreadable)")
    assert rows
    for tr in rows:
        name = tr.css_first("td").text().strip()
        assert set(tr.attributes["data-rules"].split()) == by_source.get(name, set()), name


def test_an_optional_element_not_written_is_never_missing(batch):
    page = _page(batch)
    rows = page.css("#matrix tbody tr:not(.unreadable)")
    others = [tr.attributes["data-other"] for tr in rows]
    assert "optional" in others and "absent" not in others
    # a required element not written still is
    assert any(tr.attributes[f"data-{k}"] == "absent" for tr in rows
               for k in page.css_first("#matrix").attributes["data-elements"].split() if k != "other")


def test_a_copy_pairs_quote_is_not_the_stock_opening(batch):
    stock = _stock()
    pairs = batch["summary"]["copies"]
    exact = [c for c in pairs if Path(c["b"]).name == "r00001_copy.txt"]
    assert exact, "the planted exact copy was not found"
    for c in pairs:
        assert c["passages"], c
        for p in c["passages"]:
            norm, _ = copies.normalise(p["text"])
            assert not stock.search(norm), p
    # the exact copy shares the whole report, opening first: the quote is a later paragraph,
    # and its line numbers are the lines of that paragraph in each report
    p = exact[0]["passages"][0]
    for side, line in (("a", p["a_line"]), ("b", p["b_line"])):
        text = Path(exact[0][side]).read_text(encoding="utf-8").split("\n")[line - 1]
        assert copies.normalise(p["text"])[0] in copies.normalise(text)[0]


def test_quote_passes_over_stock_paragraphs_and_falls_back_when_all_are():
    opening = "2024年，某镇坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻习近平法治思想，现将有关情况报告如下："
    body = "全年办理行政复议案件一百二十件，纠错率百分之十二，较上年提高三个百分点，组织执法人员培训十六场次。"
    a = copies.Flat([(opening, 3), (body, 5)])
    b = copies.Flat([("另一个标题行", 1), (opening, 2), (body, 9)])
    found, _, _, _ = copies.shared_passages(a, b, 40)
    assert len(found) == 1 and found[0].a_line == 3            # one passage, from the opening on
    stock = _stock()
    assert copies.quote(a, b, found[0], stock) == (5, 9, body[:-1])
    assert copies.quotes(a, b, found, stock) == [{"a_line": 5, "b_line": 9, "text": body[:-1]}]
    only_stock = copies.Flat([(opening, 1)])
    again, _, _, _ = copies.shared_passages(only_stock, copies.Flat([(opening, 4)]), 40)
    assert copies.quote(only_stock, only_stock, again[0], stock) is None
    assert copies.quotes(only_stock, copies.Flat([(opening, 4)]), again, stock)[0]["a_line"] == 1


@pytest.mark.skipif(not OPENINGS.is_dir(), reason=f"real openings not found at {OPENINGS}")
def test_the_stock_list_knows_the_guiding_thought_opening_of_real_reports():
    """Of the real openings that state the guiding thought (「…思想为指导」), the paragraph that
    does is stock; a measure paragraph with figures is not."""
    stock = _stock()
    stated = hit = 0
    for path in sorted(OPENINGS.glob("*.txt")):
        for para in path.read_text(encoding="utf-8", errors="replace").split("\n"):
            norm, _ = copies.normalise(para)
            if "新时代中国特色社会主义思想为指导" in norm:
                stated += 1
                hit += bool(stock.search(norm))
                break
    assert stated >= 40 and hit == stated
    assert not stock.search(copies.normalise("全年办理行政复议案件120件，纠错率12%，组织执法人员培训16场次。")[0])


def test_a_report_page_marks_the_words_of_a_finding_not_its_line(batch):
    from selectolax.lexbor import LexborHTMLParser
    checked = 0
    for path in sorted((batch["out"] / "reports").glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        page = LexborHTMLParser(path.with_suffix(".html").read_text(encoding="utf-8"))
        for k, f in enumerate(report["findings"]):
            if f["waived"] or not f["line"] or not f.get("words"):
                continue
            line = page.css_first(f"#L{f['line']}")
            marked = [m.text() for m in line.css("a.m") if str(k) in m.attributes["data-f"].split()]
            text = line.css_first(".tx").text()
            # each mark is (a piece of) one of its words: never the rest of the line
            assert marked and all(any(m.strip() in w for w in f["words"]) for m in marked), (f, marked)
            checked += sum(map(len, marked)) < len(text.strip())
    assert checked >= 20          # findings whose words are a part of their line, marked alone


# ---- in the browser ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with launched() as b:
        yield b


@pytest.fixture
def summary(browser, batch):
    """The summary page opened from its file; any request off the machine or script error fails."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    outside: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                  else (outside.append(route.request.url), route.abort()))
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    pg.goto((batch["out"] / "summary.html").as_uri())
    yield pg
    assert outside == [] and errors == []
    context.close()


def _column(pg, table: str, i: int) -> list[str]:
    return pg.eval_on_selector_all(f"#{table} tbody tr:not(.unreadable)", f"rs => rs.map(r => r.cells[{i}].textContent.trim())")


def test_sorting_a_column_orders_the_rows_numbers_as_numbers(summary):
    pg = summary
    heads = pg.eval_on_selector_all("#matrix thead th", "hs => hs.map(h => h.textContent.trim())")
    score = heads.index("得分")
    before = _column(pg, "matrix", score)
    pg.click(f"#matrix thead th:nth-child({score + 1}) button")
    up = _column(pg, "matrix", score)
    assert up != before and [int(x) for x in up] == sorted(int(x) for x in before)
    assert pg.get_attribute(f"#matrix thead th:nth-child({score + 1})", "aria-sort") == "ascending"
    # the keyboard: the header is a button, Enter sorts the other way
    pg.focus(f"#matrix thead th:nth-child({score + 1}) button")
    pg.keyboard.press("Enter")
    assert [int(x) for x in _column(pg, "matrix", score)] == sorted((int(x) for x in before), reverse=True)
    assert pg.get_attribute(f"#matrix thead th:nth-child({score + 1})", "aria-sort") == "descending"
    # Chinese text in the order of the Chinese collation, and the other headers say none
    pg.click("#matrix thead th:nth-child(2) button")
    units = _column(pg, "matrix", 1)
    assert pg.evaluate("u => u.every((x, i) => !i || new Intl.Collator('zh').compare(u[i - 1], x) <= 0)", units)
    assert pg.get_attribute(f"#matrix thead th:nth-child({score + 1})", "aria-sort") == "none"
    # unreadable files stay at the end whichever way
    last = pg.eval_on_selector_all("#matrix tbody tr", "rs => rs.slice(-3).map(r => r.className)")
    assert last == ["unreadable"] * 3
    # the similarity of the copies (87.1%, 100.0%) sorts as a number
    pg.click("#copies thead th:nth-child(3) button")
    sims = _column(pg, "copies", 2)
    assert [float(s.rstrip("%")) for s in sims] == sorted(float(s.rstrip("%")) for s in sims)


def test_a_bar_of_the_chart_shows_the_reports_of_its_rule(summary, batch):
    pg = summary
    bar = pg.locator("svg.bar a").nth(1)
    rule = bar.get_attribute("data-rule")
    bar.click()
    assert pg.evaluate("location.hash") == f"#rule={rule}"
    assert pg.input_value("#f-rule") == rule
    shown = pg.eval_on_selector_all("#matrix tbody tr", "rs => rs.filter(r => r.style.display !== 'none').map(r => r.cells[0].textContent.trim())")
    having = set()
    for line in (batch["out"] / "findings.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        if f.get("rule") == rule and "severity" in f and not f.get("waived"):
            having.add(Path(f["source"]).name)
    assert having and set(shown) == having
    assert pg.text_content("#f-n") == f"显示 {len(having)} / {pg.locator('#matrix tbody tr').count()}"
    # opened with the rule in its address, the page comes filtered the same way
    pg.goto((batch["out"] / "summary.html").as_uri() + f"#rule={rule}")
    assert pg.input_value("#f-rule") == rule


def test_the_missing_filter_passes_the_optional_other_by(summary):
    pg = summary
    pg.select_option("#f-st", "absent")
    visible = pg.eval_on_selector_all(
        "#matrix tbody tr:not(.unreadable)",
        "rs => rs.filter(r => r.style.display !== 'none').map(r => Object.assign({}, r.dataset))")
    total = pg.locator("#matrix tbody tr:not(.unreadable)").count()
    assert visible and len(visible) < total          # the reports missing only 其他 are not listed
    required = [k for k in pg.get_attribute("#matrix", "data-elements").split() if k != "other"]
    assert all(any(d[k] == "absent" for k in required) for d in visible)
    pg.select_option("#f-el", "other")
    assert pg.eval_on_selector_all("#matrix tbody tr:not(.unreadable)", "rs => rs.filter(r => r.style.display !== 'none').length") == 0


def test_a_report_page_tints_the_words_not_the_line(browser, batch):
    page = next(p for p in sorted((batch["out"] / "reports").glob("*.html"))
                if re.search(r'class="m m-\w+"', p.read_text(encoding="utf-8")))      # words marked, not only lines
    pg = browser.new_page()
    try:
        pg.goto(page.as_uri())
        line = pg.locator(".ln[data-f]").filter(has=pg.locator("a.m:not(.whole)")).first
        assert line.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
        mark = line.locator("a.m:not(.whole)").first
        assert mark.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    finally:
        pg.close()


def test_last_years_file_from_previous_is_named_but_not_linked(tmp_path):
    """A last-year report given with --previous was analysed, not checked: it has no page, so
    the table names it (its path) and links only this year's file."""
    from selectolax.lexbor import LexborHTMLParser
    (tmp_path / "in").mkdir()
    (tmp_path / "last").mkdir()
    shutil.copy(FOLLOW / "梅坞镇_2024.txt", tmp_path / "in")
    shutil.copy(FOLLOW / "梅坞镇_2023.txt", tmp_path / "last")
    out = tmp_path / "out"
    r = run_cli("audit", tmp_path / "in", "-o", out, "--previous", tmp_path / "last", "-j", "1")
    assert r.returncode in (0, 1), r.stderr
    row = LexborHTMLParser((out / "summary.html").read_text(encoding="utf-8")).css_first("#follow tbody tr")
    cells = row.css("td")
    assert cells[2].css_first("a") is not None and (out / cells[2].css_first("a").attributes["href"]).is_file()
    assert cells[3].text().strip() == str(tmp_path / "last" / "梅坞镇_2023.txt") and cells[3].css_first("a") is None
