"""`fzcheck serve` over HTTP, as other systems and the page's form use it: the API gives what
`check --format json` gives, bad input gets the CLI's Chinese message with a 4xx, the limits
hold, nothing of a request reaches the disk, the page escapes report text and carries no
inline script. The server runs as a user starts it (tests/serving.py)."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import stat
import subprocess

import pytest

from tests.conftest import SAMPLES, run_cli
from tests.formats import to_docx
from tests.serving import running

httpx = pytest.importorskip("httpx")

SAMPLE = SAMPLES / "白鹭区司法局_2024_草稿.txt"


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """The server's folder (no unit configuration in it) and the private temp folder it is given."""
    cwd = tmp_path_factory.mktemp("serve")
    tmp = tmp_path_factory.mktemp("serve-tmp")
    return cwd, tmp


@pytest.fixture(scope="module")
def url(place):
    cwd, tmp = place
    with running(cwd=cwd, env={"TMPDIR": str(tmp)}) as u:
        yield u


def _cli_json(place, name: str, data: bytes) -> dict:
    """What `fzcheck check NAME --format json` prints for the same bytes, in the server's folder."""
    cwd, _ = place
    (cwd / name).write_bytes(data)
    try:
        p = run_cli("check", name, "--format", "json", cwd=cwd)
        assert p.returncode in (0, 1), p.stderr
        return json.loads(p.stdout)
    finally:
        (cwd / name).unlink()


def _inputs():
    text = SAMPLE.read_text(encoding="utf-8")
    return [("白鹭区司法局_2024_草稿.txt", SAMPLE.read_bytes()),
            ("白鹭区司法局_2024_草稿.docx", to_docx(text, auto_numbering=False)),
            ("青石街道_2023_网页版.docx", to_docx((SAMPLES / "青石街道_2023_网页版.txt").read_text(encoding="gb18030"), auto_numbering=True))]


@pytest.mark.parametrize("name,data", _inputs(), ids=lambda x: x if isinstance(x, str) else "")
def test_api_check_of_a_file_is_the_cli_json(url, place, name, data):
    got = httpx.post(f"{url}/api/check", files={"file": (name, data)}, timeout=60)
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("application/json")
    assert got.json() == _cli_json(place, name, data)
    assert got.json()["findings"], "the sample has findings: the comparison must not be of two empty lists"


def test_api_check_of_a_text_is_the_cli_json_of_that_text(url, place):
    text = SAMPLE.read_text(encoding="utf-8")
    got = httpx.post(f"{url}/api/check", json={"text": text, "name": "白鹭区报告", "profile": "draft"}, timeout=60)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["source"] == "白鹭区报告.txt" and body["config"]["stage"] == "draft"
    cwd, _ = place
    (cwd / "白鹭区报告.txt").write_text(text, encoding="utf-8")
    p = run_cli("check", "白鹭区报告.txt", "--format", "json", "--profile", "draft", cwd=cwd)
    (cwd / "白鹭区报告.txt").unlink()
    cli = json.loads(p.stdout)
    # the CLI's own options are a layer of its record; the findings are the same
    for k in ("meta", "parts", "outline", "findings", "summary", "indicators", "removed", "rule_failures"):
        assert body[k] == cli[k], k


def test_api_rules_and_health(url):
    rules = httpx.get(f"{url}/api/rules").json()
    listed = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [r["id"] for r in rules] == [r["id"] for r in listed] and len(rules) > 30
    health = httpx.get(f"{url}/api/health").json()
    assert health["status"] == "ok" and health["workers"] >= 1 and health["busy"] == 0


def test_openapi_document_and_its_page(url):
    spec = httpx.get(f"{url}/api/openapi.json").json()
    assert {"/api/check", "/api/rules", "/api/health"} <= set(spec["paths"])
    body = spec["paths"]["/api/check"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "application/json"} <= set(body)
    page = httpx.get(f"{url}/api")
    assert page.status_code == 200 and "/api/check" in page.text and "curl" in page.text
    # no outside viewer (FastAPI's /docs would load Swagger UI from a CDN)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)
    assert httpx.get(f"{url}/docs").status_code == 404


def test_bad_files_get_the_cli_message_and_a_4xx(url, place):
    cwd, _ = place
    broken = b"PK\x03\x04" + b"\x00" * 200
    got = httpx.post(f"{url}/api/check", files={"file": ("损坏.docx", broken)})
    assert got.status_code == 422
    (cwd / "损坏.docx").write_bytes(broken)
    cli = run_cli("check", "损坏.docx", cwd=cwd)
    (cwd / "损坏.docx").unlink()
    assert cli.returncode == 2
    assert got.json() == {"error": cli.stderr.strip().split(": ", 2)[2], "source": "损坏.docx"}
    assert "Traceback" not in got.text

    assert httpx.post(f"{url}/api/check", files={"file": ("空.txt", b"  \n")}).json()["error"] == "文件为空"
    assert httpx.post(f"{url}/api/check", content=b"abc", headers={"content-type": "text/plain"}).status_code == 415
    bad_json = httpx.post(f"{url}/api/check", content=b"{not json", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400 and "JSON" in bad_json.json()["error"]
    assert httpx.post(f"{url}/api/check", json={"texts": "x"}).status_code == 422
    nothing = httpx.post(f"{url}/api/check", files={"other": ("a.txt", b"x")})
    assert nothing.status_code == 422 and "没有收到报告" in nothing.json()["error"]
    bad_level = httpx.post(f"{url}/api/check", json={"text": SAMPLE.read_text(encoding="utf-8"), "level": "galaxy"})
    assert bad_level.status_code == 422 and "层级" in bad_level.json()["error"] and "galaxy" in bad_level.json()["error"]
    bad_profile = httpx.post(f"{url}/api/check", files={"file": ("a.txt", SAMPLE.read_bytes())}, data={"profile": "xx"})
    assert bad_profile.status_code == 422 and "阶段应为" in bad_profile.json()["error"]
    from checker.read import MAX_BYTES
    big_text = httpx.post(f"{url}/api/check", json={"text": "一" * (MAX_BYTES // 3 + 10)}, timeout=60)
    assert big_text.status_code == 413 and "文件过大" in big_text.json()["error"]
    unknown = httpx.get(f"{url}/api/nothing")
    assert unknown.status_code == 404 and unknown.json() == {"error": "没有这个地址"}
    assert "没有这个地址" in httpx.get(f"{url}/nothing").text


def test_uploads_past_the_size_limit_are_refused_before_they_are_read(url):
    from checker.read import MAX_BINARY
    big = b"%PDF-1.4\n" + b"0" * (MAX_BINARY + 200_000)
    got = httpx.post(f"{url}/api/check", files={"file": ("大.pdf", big)}, timeout=60)
    assert got.status_code == 413 and "文件过大" in got.json()["error"]
    # a body sent without a length (chunked) is cut off as it comes
    def chunks():
        for _ in range(MAX_BINARY // 65536 + 40):
            yield b"a" * 65536
    got = httpx.post(f"{url}/api/check", content=chunks(), headers={"content-type": "application/json"}, timeout=60)
    assert got.status_code == 413
    assert httpx.get(f"{url}/api/health").json()["status"] == "ok"


def test_a_file_name_is_a_label_never_a_path(url, place):
    cwd, _ = place
    planted = cwd / "planted.txt"
    for name in (str(planted), "../../planted.txt", "..\\..\\planted.txt", "planted.txt\x1b[31m", ".." + "/" * 20 + "planted.txt"):
        got = httpx.post(f"{url}/api/check", files={"file": (name, SAMPLE.read_bytes())}, timeout=60)
        assert got.status_code == 200, got.text
        assert got.json()["source"] in ("planted.txt", "planted.txt[31m"), got.json()["source"]
        assert "\x1b" not in got.json()["source"]
    assert not planted.exists() and not (cwd.parent / "planted.txt").exists()


def test_nothing_of_a_request_is_left_on_disk(url, place, tmp_path):
    _, tmp = place
    text = SAMPLE.read_text(encoding="utf-8")
    for name, data in [("a.txt", SAMPLE.read_bytes()), ("a.docx", to_docx(text, auto_numbering=False))]:
        assert httpx.post(f"{url}/api/check", files={"file": (name, data)}, timeout=60).status_code == 200
    if shutil.which("soffice"):
        # an old .doc goes through LibreOffice, in a private folder removed after the request
        work = tmp_path / "doc"
        work.mkdir()
        (work / "draft.docx").write_bytes(to_docx(text, auto_numbering=False))
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/p", "--headless", "--convert-to", "doc",
                        "--outdir", str(work), str(work / "draft.docx")], capture_output=True, timeout=120, check=True)
        got = httpx.post(f"{url}/api/check", files={"file": ("旧版.doc", (work / "draft.doc").read_bytes())}, timeout=120)
        assert got.status_code == 200, got.text
    # the only thing there is multiprocessing's own folder for the forkserver's socket (the
    # workers' zygote, checker/serve/pool.py), removed when the server stops
    left = []
    for folder, _, names in os.walk(tmp):
        left += [os.path.join(folder, n) for n in names if not stat.S_ISSOCK(os.lstat(os.path.join(folder, n)).st_mode)]
    assert left == [] and all(n.startswith("pymp-") for n in os.listdir(tmp))


def test_the_page_marks_findings_compares_drafts_and_downloads(url):
    from docx import Document
    text = SAMPLE.read_text(encoding="utf-8")
    with httpx.Client(base_url=url, timeout=60) as c:
        first = c.post("/check", files={"file": ("第一稿.txt", text.encode())}, data={"profile": "draft"})
        assert first.status_code == 303 and first.headers["location"] == "/result"
        page = c.get("/result")
        assert page.status_code == 200
        _no_inline_code(page)
        # the placeholder 「XX」 of line 11 is marked, not its line
        assert re.search(r'<a class="m m-error" href="#F\d+" data-f="\d+" title="[^"]*">XX</a>', page.text)
        assert "能否报送" in page.text and "不能报送" in page.text
        api = c.post("/api/check", files={"file": ("第一稿.txt", text.encode())}, data={"profile": "draft"}).json()
        ids = re.findall(r'<li class="finding \w+" id="F(\d+)"', page.text)
        assert len(ids) == len([f for f in api["findings"] if not f["waived"]]) > 0

        fixed = text.replace("XX次", "12次")
        second = c.post("/check", files={"file": ("第二稿.txt", fixed.encode())}, data={"profile": "draft", "compare": "on"})
        assert second.status_code == 303
        page = c.get("/result").text
        assert "与上一稿「第一稿.txt」相比" in page and re.search(r"已改正 1\b", page)
        assert "已改正：" in page and "XX" in page.split("已改正：", 1)[1][:200]

        j = c.get("/download/result.json")
        assert j.status_code == 200 and "attachment" in j.headers["content-disposition"]
        assert j.json()["source"] == "第二稿.txt" and len(j.json()["fixed"]) == 1
        d = c.get("/download/checklist.docx")
        assert d.status_code == 200
        doc = Document(io.BytesIO(d.content))
        assert doc.tables and any("核查" in p.text for p in doc.paragraphs)
        h = c.get("/download/checklist.html")
        assert h.status_code == 200 and 'name="generator" content="fzcheck"' in h.text
        md = c.get("/download/result.md")
        assert md.status_code == 200 and md.text.startswith("#")
    # another browser has no result to download
    assert httpx.get(f"{url}/download/result.json").status_code == 404


def test_a_draft_the_page_told_by_its_name_gets_the_draft_checklist(url):
    """自动 (the page's default): a file named 草稿 is checked as a draft, and its checklist says
    the same — the items a draft is not checked on are 「未检查」, not passed."""
    text = SAMPLE.read_text(encoding="utf-8")
    pages = {}
    for profile in ("", "draft", "final"):
        with httpx.Client(base_url=url, timeout=60) as c:
            assert c.post("/check", files={"file": ("某区报告草稿.txt", text.encode())},
                          data={"profile": profile}).status_code == 303
            html = c.get("/download/checklist.html").text
            pages[profile] = sorted(re.findall(r'class="mark (\w+)"', html))
    assert pages[""] == pages["draft"] != pages["final"]
    assert pages["draft"].count("skip") > pages["final"].count("skip")


def _no_inline_code(response) -> None:
    """The page's CSP allows no inline code, and the page has none (tags read by a parser, so
    report text that says 「onerror=」 is text, not a tag)."""
    from html.parser import HTMLParser
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names = {k for k, _ in attrs}
            if tag == "script" and "src" not in names or tag == "style":
                found.append(tag)
            found.extend(f"{tag}[{k}]" for k in names if k == "style" or k.startswith("on"))

    Tags().feed(response.text)
    assert found == []


def test_report_text_is_escaped_on_the_page(url):
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "全年共召开局党组会议", "全年<script>alert(1)</script><img src=x onerror=alert(2)>共召开局党组会议", 1)
    with httpx.Client(base_url=url, timeout=60) as c:
        assert c.post("/check", files={"file": ("恶意.txt", text.encode())}).status_code == 303
        page = c.get("/result")
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    _no_inline_code(page)


def test_a_broken_file_on_the_page_says_why(url):
    got = httpx.post(f"{url}/check", files={"file": ("坏.docx", b"PK\x03\x04" + b"\x00" * 100)})
    assert got.status_code == 422
    assert re.search(r'<div class="alert" id="error" role="alert">坏\.docx：[^<]*损坏', got.text)
    assert "Traceback" not in got.text


def test_only_loopback_host_names_are_served(url):
    assert httpx.get(f"{url}/api/health", headers={"host": "attacker.example"}).status_code == 400
    assert httpx.get(f"{url}/api/health", headers={"host": "localhost"}).status_code == 200


def test_a_port_in_use_is_said_in_chinese(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        p = run_cli("serve", "--port", port, "--no-open", cwd=tmp_path)
    assert p.returncode == 2
    assert "无法在 127.0.0.1" in p.stderr and "换一个端口" in p.stderr and "Traceback" not in p.stderr


def test_open_to_the_network_warns(tmp_path):
    with running("--host", "0.0.0.0", cwd=tmp_path) as u:
        lines = list(u.output)
        while not any("注意" in x for x in lines):
            line = u.readline()
            assert line, lines
            lines.append(line)
        assert httpx.get(f"{u}/api/health").status_code == 200
    assert any("对本机以外开放" in x for x in lines)


def test_page_furniture_is_shown_struck_through_and_indicators_listed(url):
    sample = SAMPLES / "青石街道_2023_网页版.txt"
    with httpx.Client(base_url=url, timeout=60) as c:
        assert c.post("/check", files={"file": (sample.name, sample.read_bytes())}).status_code == 303
        page = c.get("/result").text
    # line 1 is the breadcrumb 「当前位置：首页 > …」, removed by the cleaner: kept, struck through
    line1 = re.search(r'<div class="ln[^"]*" id="L1"[^>]*>.*?</div>', page, re.S).group(0)
    assert "removed" in line1 and "已剔除：网页栏目" in line1 and "当前位置" in line1
    assert re.search(r'id="L87".*?已剔除：页尾附加内容', page, re.S)
    assert '<table class="outline" id="outline">' in page


def test_only_drafts_of_one_report_are_compared_and_a_refusal_keeps_the_form(url):
    text = SAMPLE.read_text(encoding="utf-8")
    other = (SAMPLES / "柳溪镇_2024_规范.txt").read_bytes()
    with httpx.Client(base_url=url, timeout=60) as c:
        c.post("/check", files={"file": ("白鹭区.txt", text.encode())})
        c.post("/check", files={"file": ("柳溪镇.txt", other)}, data={"compare": "on"})
        page = c.get("/result").text
        assert "与上一稿「白鹭区.txt」相比" not in page and "未作比较" in page and "白鹭区.txt" in page
        assert 'id="compare"' not in page and "已改正：" not in page
        # refused: the chosen profile and the pasted text are given back, with a way back to the result
        refused = c.post("/check", data={"text": "柳溪镇报告正文", "name": "柳溪镇（初稿/修改版）", "profile": "draft",
                                         "level": "galaxy"})
        assert refused.status_code == 422
        assert '<option value="draft" selected>' in refused.text
        assert ">柳溪镇报告正文</textarea>" in refused.text and 'value="柳溪镇（初稿/修改版）"' in refused.text
        assert 'href="/result"' in refused.text
        named = c.post("/api/check", json={"text": text, "name": "白鹭区（初稿/修改版）"}).json()
        assert named["source"] == "白鹭区（初稿／修改版）.txt"


def test_another_sites_page_cannot_post_here(url):
    text = SAMPLE.read_bytes()
    for headers in ({"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"},
                    {"origin": "http://attacker.example"}, {"origin": "null"}):
        got = httpx.post(f"{url}/api/check", files={"file": ("a.txt", text)}, headers=headers)
        assert got.status_code == 403 and "其他网站" in got.json()["error"], headers
    # the page's own form, and programs that send no Origin, are served
    assert httpx.post(f"{url}/api/check", files={"file": ("a.txt", text)},
                      headers={"sec-fetch-site": "same-origin", "origin": url}).status_code == 200
    assert httpx.post(f"{url}/api/check", files={"file": ("a.txt", text)}).status_code == 200


def test_a_form_of_many_parts_is_refused(url):
    parts = [("x", (None, "1")) for _ in range(40)] + [("file", ("a.txt", SAMPLE.read_bytes()))]
    got = httpx.post(f"{url}/api/check", files=parts)
    assert got.status_code == 400 and "个以上的部分" in got.json()["error"]
