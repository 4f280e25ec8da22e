"""The clerk's page in a real browser: Debian's chromium driven by Playwright (the system
browser, never a downloaded one). A .docx dropped in and a pasted text are checked; the marks
sit on the flagged words; a finding and its mark lead to each other; the filters hide what they
should; the checklist downloads and opens in python-docx; a broken file says why; a <script> in
a report stays text; and no request leaves the machine. Skipped, with the reason, where there
is no browser."""
from __future__ import annotations

import base64
import io
import time

import pytest

from tests.conftest import SAMPLES
from tests.formats import to_docx
from tests.browsing import CHROMIUM, launched
from tests.serving import running

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)")

SAMPLE = SAMPLES / "白鹭区司法局_2024_草稿.txt"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(cwd=tmp_path_factory.mktemp("serve")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launched() as b:
        yield b


@pytest.fixture
def page(browser, server):
    """A fresh browser session on the page; every request that is not to the server is refused
    and recorded (the page must work with the network off)."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    outside: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    pg.goto(server + "/")
    yield pg
    assert outside == [], "requests left the machine"
    assert errors == [], "script errors or dialogs on the page"
    context.close()


def _docx(tmp_path, name="草稿.docx"):
    path = tmp_path / name
    path.write_bytes(to_docx(SAMPLE.read_text(encoding="utf-8"), auto_numbering=False))
    return path


def _api(server, path):
    import httpx
    return httpx.post(f"{server}/api/check", files={"file": (path.name, path.read_bytes())}, timeout=60).json()


def test_a_docx_is_checked_and_each_mark_sits_on_its_words(page, server, tmp_path):
    path = _docx(tmp_path)
    started = time.monotonic()
    page.set_input_files("#file", str(path))       # the page sends it as soon as it is chosen
    page.wait_for_url("**/result")
    page.wait_for_selector("#verdict")
    took = time.monotonic() - started
    assert "不能报送" in page.inner_text("#verdict")
    assert took < 5, f"{took:.1f} s from choosing the file to the result"
    result = _api(server, path)
    placed = 0
    for k, f in enumerate(result["findings"]):
        if not f["line"] or f["waived"]:
            continue
        marks = page.locator(f".m[data-f~='{k}']")
        assert marks.count() >= 1, f["rule"]
        shown = "".join(marks.all_inner_texts())
        if f["words"]:
            assert "".join(shown.split()) == "".join("".join(f["words"]).split()), f["rule"]
            placed += 1
        # a mark is on the finding's line (or the lines its words run over), never elsewhere
        line = int(marks.first.evaluate("m => m.closest('.ln').id.slice(1)"))
        assert f["line"] <= line <= f["line"] + 4
    assert placed >= 2
    assert page.locator(".m[data-f]").filter(has_text="XX").count() >= 1


def test_a_dropped_file_is_checked(page, tmp_path):
    data = base64.b64encode(_docx(tmp_path).read_bytes()).decode()
    page.evaluate("""(data) => {
        const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], "拖入的草稿.docx"));
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
    }""", data)
    page.wait_for_url("**/result")
    assert "拖入的草稿.docx" in page.inner_text(".src")


def test_a_pasted_text_is_checked_and_a_finding_leads_to_its_mark_and_back(page):
    page.click(".paste summary")
    page.fill("#text", SAMPLE.read_text(encoding="utf-8"))
    page.click("#go")
    page.wait_for_url("**/result")
    assert "粘贴的文本.txt" in page.inner_text(".src")
    item = page.locator("#findings li.finding").first
    k = item.get_attribute("id")[1:]
    item.locator("a.where").click()
    assert page.evaluate("location.hash") == f"#M{k}"
    mark = page.locator(f".m[data-f~='{k}']").first
    assert _in_view(page, mark)
    mark.click()
    assert page.evaluate("location.hash") == f"#F{k}"
    assert _in_view(page, page.locator(f"#F{k}"))


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_filters_hide_findings_and_their_marks(page, tmp_path):
    page.set_input_files("#file", str(_docx(tmp_path)))
    page.wait_for_url("**/result")
    errors = page.locator("#findings li.finding.error")
    assert errors.count() > 0
    page.uncheck("[data-filter=severity][value=error]")
    assert all(not errors.nth(i).is_visible() for i in range(errors.count()))
    assert page.locator("#findings li.finding.warning").first.is_visible()
    k = errors.first.get_attribute("id")[1:]
    only_error = page.locator(f".m[data-f='{k}']")
    assert only_error.count() and "off" in only_error.first.get_attribute("class")
    page.check("[data-filter=severity][value=error]")
    page.select_option("#rule-filter", "WORD-PLACEHOLDER")
    shown = page.locator("#findings li.finding:visible")
    assert shown.count() >= 1
    assert {shown.nth(i).get_attribute("data-rule") for i in range(shown.count())} == {"WORD-PLACEHOLDER"}


def test_the_checklist_downloads_and_opens_in_word(page, tmp_path):
    from docx import Document
    page.set_input_files("#file", str(_docx(tmp_path)))
    page.wait_for_url("**/result")
    with page.expect_download() as d:
        page.click("#dl-checklist")
    download = d.value
    assert download.suggested_filename == "草稿-核查清单.docx"
    doc = Document(io.BytesIO(open(download.path(), "rb").read()))
    assert doc.tables and len(doc.tables[0].rows) > 5


def test_a_broken_file_says_why_on_the_page(page, tmp_path):
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 300)
    page.set_input_files("#file", str(bad))
    page.wait_for_selector("#error")
    message = page.inner_text("#error")
    assert message.startswith("坏.docx：") and "损坏" in message
    assert page.locator("#file").count() == 1          # the form is there for the next try


def test_a_script_inside_a_report_is_shown_as_text_and_does_not_run(page):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "全年共召开局党组会议",
        "全年<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">共召开局党组会议", 1)
    page.click(".paste summary")
    page.fill("#text", text)
    page.click("#go")
    page.wait_for_url("**/result")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "<script>window.__pwned = 1</script>" in page.inner_text(".text")
    assert page.locator(".text script, .text img").count() == 0


def test_a_second_draft_shows_what_was_fixed_and_what_is_new(page, tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    first, second = tmp_path / "第一稿.txt", tmp_path / "第二稿.txt"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("XX次", "12次").replace("2025年2月30日", "2025年2月28日")
                      .replace("参训128人次。", "参训128人次，在XX会上交流。"), encoding="utf-8")
    page.set_input_files("#file", str(first))
    page.wait_for_url("**/result")
    page.set_input_files("#file", str(second))
    page.wait_for_url("**/result")
    page.wait_for_selector("#compare")
    compare = page.inner_text("#compare")
    assert "第一稿.txt" in compare and "已改正 2" in compare and "新增 1" in compare
    assert page.locator("#findings .c-new").count() == 1


def test_a_form_on_another_site_cannot_replace_the_clerks_result(page, browser, server, tmp_path):
    page.set_input_files("#file", str(_docx(tmp_path)))
    page.wait_for_url("**/result")
    title = page.inner_text("h1")
    # another page (here: a page of no origin) that posts a forged report to the server
    other = page.context.new_page()
    other.set_content(f"""<form id="f" method="post" action="{server}/check" enctype="multipart/form-data">
        <input name="text" value="攻击者伪造的报告"></form>""")
    with other.expect_navigation():
        other.evaluate("document.getElementById('f').submit()")
    assert "其他网站" in other.inner_text("body")
    other.close()
    page.goto(server + "/result")
    assert page.inner_text("h1") == title
