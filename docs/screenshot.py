"""Make the pictures of the clerk's page that README shows (docs/serve*.png): `fzcheck serve`
started on a free port, a bundled sample dropped in as .docx, the page photographed by Debian's
chromium through Playwright. Run: .venv/bin/python docs/screenshot.py"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.formats import to_docx  # noqa: E402
from tests.serving import running  # noqa: E402
from tests.test_serve_browser import FLAGS  # noqa: E402


def main() -> None:
    sample = ROOT / "samples" / "白鹭区司法局_2024_草稿.txt"
    with tempfile.TemporaryDirectory() as tmp, running(cwd=Path(tmp)) as url, sync_playwright() as p:
        draft = Path(tmp) / "白鹭区司法局2024年法治政府建设情况（草稿）.docx"
        draft.write_bytes(to_docx(sample.read_text(encoding="utf-8"), auto_numbering=False))
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": 1366, "height": 860})
        page.goto(url + "/")
        page.screenshot(path=str(ROOT / "docs" / "serve-start.png"))
        page.set_input_files("#file", str(draft))
        page.wait_for_url("**/result")
        page.screenshot(path=str(ROOT / "docs" / "serve.png"))
        page.locator("#findings li.finding").nth(1).locator("a.where").click()
        page.wait_for_timeout(200)
        page.screenshot(path=str(ROOT / "docs" / "serve-marks.png"))
        browser.close()
    print("docs/serve-start.png docs/serve.png docs/serve-marks.png")


if __name__ == "__main__":
    main()
