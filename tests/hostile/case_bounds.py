"""Bounded reading and analysis: pages nested or left open without end, text under the size cap
that would take minutes and gigabytes, XML parts that declare a DTD wherever they hide it, NUL
bytes in a real report, a damaged .doc. Each must end within the time limit by the tool's own
bounds (rules/limits.yaml), whatever guard runs outside it."""
from __future__ import annotations

import io
import json
import re
import zipfile

from . import ROOT, Case

REPORT = (ROOT / "samples" / "柳溪镇_2024_规范.txt").read_text(encoding="utf-8")
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _write(ctx, name: str, data: bytes) -> str:
    (ctx.root / "in").mkdir(exist_ok=True)
    (ctx.root / "in" / name).write_bytes(data)
    return f"in/{name}"


def _json(ran) -> dict:
    return json.loads(ran.stdout)


def _no_internal_error(ctx, ran):
    assert "内部错误" not in ran.stderr + ran.stdout, ran.stderr[-1000:]


# --- web pages --------------------------------------------------------------------------------

def _page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode("utf-8")


def _paragraphs() -> str:
    return "".join(f"<p>{line}</p>" for line in REPORT.splitlines() if line.strip())


def _unclosed_700k(ctx):
    return ["check", _write(ctx, "未闭合.html", _page("<div>" * 700_000 + _paragraphs()))]


def _unclosed_150k(ctx):
    # under the tag limit: flattened past 256 levels, then read and checked like any page
    return ["check", "--format", "json", _write(ctx, "未闭合15万.html", _page("<div>" * 150_000 + _paragraphs()))]


def _nested_1000(ctx):
    return ["check", "--format", "json",
            _write(ctx, "嵌套.html", _page("<div>" * 1000 + _paragraphs() + "</div>" * 1000))]


def _read_the_report(ctx, ran):
    _no_internal_error(ctx, ran)
    result = _json(ran)
    assert result["meta"]["title"] and "法治政府建设" in result["meta"]["title"], result["meta"]
    assert result["outline"]["measures"]["status"] != "absent"


# --- text under the size cap ------------------------------------------------------------------

def _heading_lines(ctx):
    piece = "一、\n".encode("utf-8")
    return ["check", "--format", "json", _write(ctx, "一一一.txt", piece * (3_900_000 // len(piece)))]


def _one_line(ctx):
    piece = "我县推进法治政府建设，依法行政水平提高。".encode("utf-8")
    return ["check", "--format", "json", _write(ctx, "无换行.txt", piece * (3_900_000 // len(piece)))]


def _output_small(ctx, ran):
    assert len(ran.stdout.encode("utf-8")) < 1_000_000, len(ran.stdout)
    assert ran.peak_mb < 500, ran.peak_mb


def _many_findings(ctx):
    # under the line and heading limits: checked, each heading out of sequence a finding
    report = REPORT.splitlines()
    at = next(i for i, line in enumerate(report) if line.startswith("一、")) + 1
    text = "\n".join(report[:at] + ["一、"] * 4000 + report[at:])
    return ["check", "--format", "json", _write(ctx, "一一一4000.txt", text.encode("utf-8"))]


def _capped(ctx, ran):
    _output_small(ctx, ran)
    result = _json(ran)
    findings = result["findings"]
    per_rule: dict[str, int] = {}
    for f in findings:
        per_rule[f["rule"]] = per_rule.get(f["rule"], 0) + 1
    from checker.limits import limits
    cap = limits().findings.per_rule
    assert max(per_rule.values()) <= cap + 1, per_rule                # those listed + one 「另有」
    more = [f for f in findings if f["omitted"]]
    assert more and all(re.search(r"另有 [\d,]+ 处同类问题未逐一列出", f["message"]) for f in more), more[:1]
    sequence = next(f for f in more if f["rule"] == "STRUCT-NUMBER-SEQUENCE")
    assert sequence["omitted"] > 3000 and sequence["excerpt"] == ""
    # the summary counts every finding, the ones not listed too
    for severity, key in (("error", "errors"), ("warning", "warnings")):
        n = sum(f["omitted"] or 1 for f in findings if f["severity"] == severity and not f["waived"])
        assert result["summary"][key] == n, (key, result["summary"], n)
    assert result["summary"]["warnings"] > 3000


def _audit_worst(ctx):
    # the worst that is still checked beside the worst that is refused, audited together
    _many_findings(ctx)
    _heading_lines(ctx)
    _write(ctx, "报告.txt", REPORT.encode("utf-8"))
    return ["audit", "in", "-o", "out", "-f", "json", "-j", "1"]


def _audit_small(ctx, ran):
    reports = {r["source"]: r for r in _json(ran)["reports"]}
    refused = reports["in/一一一.txt"]
    assert refused["status"] == "unreadable" and "不像一份年度报告" in refused["reason"], refused
    total = sum(p.stat().st_size for p in (ctx.root / "out").rglob("*") if p.is_file())
    assert total < 5_000_000, f"audit wrote {total:,} bytes"


# --- XML parts declaring a DTD ----------------------------------------------------------------

def _docx(alter) -> bytes:
    """A real .docx made by python-docx, its members passed through alter(name, bytes) →
    [(name, bytes)]."""
    from tests.formats import to_docx
    src = zipfile.ZipFile(io.BytesIO(to_docx(REPORT, True)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            for name, data in alter(info.filename, src.read(info)):
                zf.writestr(name, data)
    return out.getvalue()


def _with_dtd(xml: bytes, before: bytes = b"") -> bytes:
    decl, rest = xml.split(b"?>", 1)
    return decl + b"?>" + before + XXE.encode() + rest.lstrip()


def _comment_then_doctype(ctx):
    def alter(name, data):
        if name == "word/document.xml":
            data = _with_dtd(data, b"<!--" + b" padding " * 600 + b"-->")      # 5 KB before the DTD
        return [(name, data)]
    return ["check", _write(ctx, "注释后DTD.docx", _docx(alter))]


def _main_part_dat(ctx):
    def alter(name, data):
        if name == "word/document.xml":
            return [("word/document.dat", _with_dtd(data))]
        if name in ("[Content_Types].xml", "_rels/.rels"):
            data = data.replace(b"word/document.xml", b"word/document.dat")
        return [(name, data)]
    return ["check", _write(ctx, "主部件改名.docx", _docx(alter))]


def _utf16_part(ctx):
    def alter(name, data):
        if name == "word/styles.xml":
            text = _with_dtd(data).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
            data = text.encode("utf-16")
        return [(name, data)]
    return ["check", _write(ctx, "UTF16部件.docx", _docx(alter))]


def _odt_dtd(ctx):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?>\n<!-- x -->'
                    '<!DOCTYPE office:document-content [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                    '<office:document-content>&e;</office:document-content>')
    return ["check", _write(ctx, "实体.odt", out.getvalue())]


# --- NUL bytes in a real report ---------------------------------------------------------------

def _stray_nul(ctx):
    data = REPORT.encode("utf-8").replace("全年".encode("utf-8"), "全\x00年".encode("utf-8"), 1)
    return ["check", "--format", "json", _write(ctx, "含NUL.txt", data)]


def _nul_padding(ctx):
    return ["check", "--format", "json", _write(ctx, "NUL填充.txt", REPORT.encode("utf-8") + b"\x00" * 8192)]


def _noted(pattern: str):
    def check(ctx, ran):
        result = _json(ran)
        notes = [r for r in result["removed"] if r["kind"] == "control" and r["pattern"] == pattern]
        assert notes and "NUL" in notes[0]["text"], result["removed"]
        assert result["meta"]["title"], result["meta"]
    return check


# --- a damaged .doc ---------------------------------------------------------------------------

def _no_soffice():
    from checker.read.office import soffice
    return None if soffice() else "LibreOffice 未安装"


def _damaged_doc(ctx):
    import random
    rng = random.Random(9)
    junk = bytes(rng.randrange(256) for _ in range(60_000))
    return ["check", _write(ctx, "损坏.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk)]


CASES = [
    Case("html-700k-unclosed-div", _unclosed_700k, rc=2, message=r"网页有 700,\d{3} 个标签，超过上限", issue="边界"),
    Case("html-150k-unclosed-div-flattened", _unclosed_150k, rc=(0, 1), check=_read_the_report, issue="边界"),
    Case("html-1000-nested", _nested_1000, rc=(0, 1), check=_read_the_report, issue="边界"),
    Case("txt-3.9MB-heading-lines", _heading_lines, rc=2, message="共 [\\d,]+ 行，超过上限 [\\d,]+ 行，不像一份年度报告",
         check=_output_small, issue="边界"),
    Case("txt-3.9MB-one-line", _one_line, rc=2, message="第 1 行长达 [\\d,]+ 字，超过单行上限", check=_output_small,
         issue="边界"),
    Case("txt-4000-headings-findings-capped", _many_findings, rc=(0, 1), check=_capped, issue="边界"),
    Case("audit-worst-cases-output-bounded", _audit_worst, rc=(0, 1, 2), check=_audit_small,
         issue="边界"),
    Case("docx-comment-before-doctype", _comment_then_doctype, rc=2, message="word/document.xml 含有 DTD/实体声明",
         issue="XXE"),
    Case("docx-main-part-dat", _main_part_dat, rc=2, message="word/document.dat 含有 DTD/实体声明", issue="XXE"),
    Case("docx-utf16-part-doctype", _utf16_part, rc=2, message="word/styles.xml 含有 DTD/实体声明", issue="XXE"),
    Case("odt-content-doctype", _odt_dtd, rc=2, message="content.xml 含有 DTD/实体声明", issue="XXE"),
    Case("txt-stray-nul", _stray_nul, rc=(0, 1), check=_noted("nul"), issue="NUL"),
    Case("txt-nul-padding", _nul_padding, rc=(0, 1), check=_noted("nul-padding"), issue="NUL"),
    # LibreOffice's own start-up is 3–5 s of the time (a fresh profile for each conversion)
    Case("doc-damaged", _damaged_doc, rc=2, message="文件已损坏：转换后的文字大多是乱码", skip=_no_soffice,
         issue="损坏"),
]
