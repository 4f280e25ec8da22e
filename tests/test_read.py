"""Reading .txt inputs: the same report in every encoding and line ending a user may save it in
gives the same result; broken, hostile and oversized inputs are refused with exit code 2 and
one Chinese line on stderr naming the file, never a traceback, never touching the file."""
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time

import pytest

from checker.report import check_path
from checker.read import MAX_BYTES, read_bytes
from checker.read.txt import split_lines

from .conftest import ROOT, SAMPLES, run_cli

try:
    import resource
except ImportError:          # not POSIX
    resource = None

SAMPLE_FILES = sorted(SAMPLES.glob("*.txt"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def sample_text(path) -> str:
    enc = "gb18030" if path.name == "青石街道_2023_网页版.txt" else "utf-8"
    return path.read_bytes().decode(enc)


def outcome(path):
    doc, r = check_path(path)
    assert doc.report.recovered == []
    return ({k: v.status for k, v in r.outline.items()},
            [(f.rule, f.line) for f in r.findings],
            doc.source.lines)


# --- one report, many encodings --------------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: t.encode("utf-8-sig"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "utf-16-le-bom": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf-16-le-nobom": lambda t: t.encode("utf-16-le"),
    "utf-16-be-nobom": lambda t: t.encode("utf-16-be"),
    "utf-32-bom": lambda t: t.encode("utf-32"),
}
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}

def _enc_params():
    for enc in ENCODINGS:
        yield pytest.param(enc, id=enc)


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """What each sample gives when saved as plain UTF-8 with LF line endings."""
    d = tmp_path_factory.mktemp("ref")
    out = {}
    for p in SAMPLE_FILES:
        ref = d / p.name
        ref.write_bytes(sample_text(p).encode("utf-8"))
        out[p.name] = outcome(ref)
    return out


def test_references_are_meaningful(references):
    """The reference runs say something (so that 'same as the reference' is not vacuous)."""
    assert len(references) == 3
    statuses = {s for outline, _, _ in references.values() for s in outline.values()}
    assert {"standalone", "absent"} <= statuses
    assert any(findings for _, findings, _ in references.values())


@pytest.mark.parametrize("nl", NEWLINES, ids=list(NEWLINES))
@pytest.mark.parametrize("enc", list(_enc_params()))
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.stem for p in SAMPLE_FILES])
def test_same_result_in_every_encoding(sample, enc, nl, tmp_path, references):
    text = sample_text(sample).replace("\n", NEWLINES[nl])
    try:
        data = ENCODINGS[enc](text)
    except UnicodeEncodeError:
        pytest.skip(f"{sample.name} is not encodable in {enc}")
    path = tmp_path / sample.name
    path.write_bytes(data)
    outline, findings, lines = outcome(path)
    ref_outline, ref_findings, ref_lines = references[sample.name]
    assert lines == ref_lines
    assert outline == ref_outline
    assert findings == ref_findings


def test_utf16_without_bom_minimal():
    """Minimal reproduction of the UTF-16-without-BOM case, on a two-line report."""
    text = "关于法治政府建设情况的报告\n一、主要举措和成效\n"
    assert read_bytes(text.encode("utf-16-le"), "a.txt").lines == split_lines(text)
    assert read_bytes(text.encode("utf-16-be"), "a.txt").lines == split_lines(text)


def test_utf16_without_bom_not_misread_as_the_other_byte_order():
    """「一」 is U+4E00: its low byte is NUL, so LE text rich in 一 looks like ASCII in BE and is
    silently read as mojibake (「NİNİNİ」) instead of Chinese."""
    text = "一、一、一、"
    assert read_bytes(text.encode("utf-16-le"), "a.txt").lines == [text]


def test_short_utf8_without_nul_is_not_read_as_utf16():
    """Found by the fuzz test in CI: 42 bytes of digits and newlines, even in length, read as
    UTF-16 LE gave 「〰〰…ਰ」, which passed as text because 〰 is CJK punctuation."""
    text = "\n" + "0" * 40 + "\n"
    assert read_bytes(text.encode("utf-8"), "a.txt").lines == split_lines(text)


def test_mixed_line_endings_number_lines_as_an_editor_does():
    data = "第一行\r\n第二行\r第三行\n\n第五行".encode("utf-8")
    assert read_bytes(data, "m.txt").lines == ["第一行", "第二行", "第三行", "", "第五行"]


# --- hostile and broken inputs through the command line ---------------------------------------

def fingerprint(path):
    st = os.stat(path)
    if os.path.isdir(path):
        return st.st_mtime_ns, sorted(os.listdir(path))
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return st.st_mtime_ns, st.st_size, h.hexdigest()


def assert_refused(r, name):
    """Exit 2, one Chinese line on stderr naming the file, no traceback, nothing on stdout."""
    assert r.returncode == 2, (r.returncode, r.stdout[-500:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0], r.stderr
    assert str(name) in lines[0], r.stderr
    assert CJK.search(lines[0].replace(str(name), "")), r.stderr
    assert "内部错误" not in lines[0], r.stderr
    assert r.stdout.strip() == "", r.stdout


def _png() -> bytes:
    rnd = random.Random(7)
    return (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
            + rnd.randbytes(3000) + b"\x00\x00\x00\x00IEND\xaeB`\x82")


BROKEN = {
    "empty": b"",
    "newlines_only": b"\n\r\n\r\n\n",
    "whitespace_only": b" \t \n\r\n   \t\n",
    "fullwidth_spaces_only": "　　\n　 \n".encode("utf-8"),
    "bom_only": b"\xef\xbb\xbf",
    "bom_and_blanks": b"\xef\xbb\xbf\r\n  \r\n",
    "random_bytes_1": random.Random(1).randbytes(4096),
    "random_bytes_2": random.Random(2).randbytes(65536),
    "png": _png(),
    "utf16_bom_odd_length": b"\xff\xfe" + "报告".encode("utf-16-le") + b"\x00",
    "utf8_bom_then_garbage": b"\xef\xbb\xbf" + b"\xff\xfe\xfd" * 100,
    "nul_bytes": b"\x00" * 1000,
    "zip_like": b"PK\x03\x04\x14\x00\x06\x00" + random.Random(3).randbytes(2000),
}


@pytest.mark.parametrize("kind", BROKEN)
def test_broken_file_is_refused(kind, tmp_path):
    path = tmp_path / f"{kind}.txt"
    path.write_bytes(BROKEN[kind])
    before = fingerprint(path)
    r = run_cli("check", path)
    assert_refused(r, path)
    assert fingerprint(path) == before


@pytest.mark.parametrize("fmt", ["json", "md", "html", "terminal"])
def test_broken_file_refused_in_every_format(fmt, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    r = run_cli("check", path, "--format", fmt)
    assert_refused(r, path)


def test_nonexistent_path(tmp_path):
    path = tmp_path / "没有这个文件.txt"
    r = run_cli("check", path)
    assert_refused(r, path)
    assert not path.exists()


def test_directory(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "a.txt").write_text("关于2024年度法治政府建设情况的报告\n", encoding="utf-8")
    before = fingerprint(d)
    r = run_cli("check", d)
    assert_refused(r, d)
    assert fingerprint(d) == before


def test_directory_message_suggests_a_real_command(tmp_path):
    r = run_cli("check", tmp_path)
    for command in re.findall(r"fzcheck (\w+)", r.stderr.removeprefix("fzcheck:")):
        help_ = run_cli(command, "--help")
        assert help_.returncode == 0, help_.stderr


def test_file_just_over_the_size_limit(tmp_path):
    path = tmp_path / "sparse.txt"
    with open(path, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)          # sparse: no time or disk spent
    before = fingerprint(path)
    t0 = time.monotonic()
    r = run_cli("check", path)
    assert time.monotonic() - t0 < 15
    assert_refused(r, path)
    assert fingerprint(path) == before


def test_50mb_text_file_refused_quickly(tmp_path):
    path = tmp_path / "big.txt"
    chunk = ("今年以来，我镇认真贯彻落实党中央、国务院关于法治政府建设的决策部署，取得积极成效。\n" * 2000).encode("utf-8")
    with open(path, "wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    before = fingerprint(path)
    t0 = time.monotonic()
    r = run_cli("check", path)
    assert time.monotonic() - t0 < 15
    assert_refused(r, path)
    assert "MB" in r.stderr
    assert fingerprint(path) == before


def test_file_at_the_size_limit_is_read(tmp_path):
    """The limit is inclusive: a file of exactly MAX_BYTES is not refused for its size."""
    path = tmp_path / "limit.txt"
    head = "关于2024年度法治政府建设情况的报告\n".encode("utf-8")
    path.write_bytes(head + b" " * (MAX_BYTES - len(head)))
    from checker.read import read_path
    assert read_path(path).lines[0] == "关于2024年度法治政府建设情况的报告"


def _run_limited(args, timeout, mem=None):
    def limit():
        if mem and resource is not None:
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
    e = dict(os.environ)
    e.pop("FZCHECK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "checker", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=e, timeout=timeout,
                          preexec_fn=limit if os.name == "posix" else None)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_not_waited_on(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    try:
        r = _run_limited(["check", path], timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("fzcheck hung reading a named pipe")
    assert_refused(r, path)


@pytest.mark.skipif(not os.path.exists("/dev/zero") or resource is None,
                    reason="needs /dev/zero and an address-space limit to read it safely")
def test_endless_device_is_refused(tmp_path):
    # the address-space limit keeps the bug from exhausting the machine's memory
    r = _run_limited(["check", "/dev/zero"], timeout=60, mem=1 << 30)
    assert_refused(r, "/dev/zero")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("关于2024年度法治政府建设情况的报告\n", encoding="utf-8")
    path.chmod(0)
    try:
        r = run_cli("check", path)
        assert_refused(r, path)
    finally:
        path.chmod(0o644)


def test_file_name_with_spaces_and_chinese(tmp_path):
    path = tmp_path / "青石 街道 报告（空）.txt"
    path.write_bytes(b"")
    assert_refused(run_cli("check", path), path)


def test_file_name_with_double_space_is_quoted_as_is(tmp_path):
    path = tmp_path / "a  b.txt"
    path.write_bytes(b"")
    assert_refused(run_cli("check", path), path)


def test_file_name_with_markup_brackets(tmp_path):
    """Square brackets in a name are text, not console markup."""
    for name in ("a[/b].txt", "[red]x.txt", "报告[1].txt", "[bold]报告[/bold].txt", "x\\"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)        # "a[/b].txt" is the file "b].txt" in "a["
        path.write_bytes(b"")
        assert_refused(run_cli("check", path), path)
        assert_refused(run_cli("check", tmp_path / ("missing" + name)), tmp_path / ("missing" + name))


def test_pathologically_joined_lines_checked_within_seconds(tmp_path):
    """1 MB of wrapped lines that never end a sentence: the cleaner joins them into one."""
    path = tmp_path / "wrapped.txt"
    line = "这是一段很长的没有句号的文字，继续写下去，继续写下去，还有更多"
    path.write_text("\n".join([line] * 12000), encoding="utf-8")
    try:
        r = _run_limited(["check", path, "--format", "json"], timeout=8)
    except subprocess.TimeoutExpired:
        pytest.fail("checking 1 MB took more than 8 s")
    assert r.returncode in (0, 1), r.stderr
    json.loads(r.stdout)



@pytest.mark.parametrize("n", [9000, 20000])
def test_many_short_lines_between_headings_checked_within_seconds(tmp_path, n):
    """Short headings and short unpunctuated lines (a long table pasted as text): checked
    within seconds, or — past rules/limits.yaml's 10,000 headings — refused at once, saying so."""
    path = tmp_path / "table.txt"
    path.write_text("\n".join(f"{i % 99 + 1}.标题" if i % 2 else "短行没有标点" for i in range(n)),
                    encoding="utf-8")
    try:
        r = _run_limited(["check", path, "--format", "json"], timeout=6)
    except subprocess.TimeoutExpired:
        pytest.fail(f"checking {n} lines took more than 6 s")
    if n < 10000:
        assert r.returncode in (0, 1), r.stderr
        json.loads(r.stdout)
    else:
        assert r.returncode == 2 and "个标题行，超过上限 10,000 个" in r.stderr, r.stderr


# --- several files, one broken -----------------------------------------------------------------

def test_one_broken_among_several_json(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(sample_text(SAMPLE_FILES[0]).encode("utf-8"))
    broken = tmp_path / "broken.txt"
    broken.write_bytes(_png())
    before = fingerprint(good), fingerprint(broken)
    r = run_cli("check", good, broken, "--format", "json")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    data = json.loads(r.stdout)
    results = data if isinstance(data, list) else [data]
    assert [d["source"] for d in results] == [str(good)]
    assert set(results[0]["outline"]) == {"measures", "first_responsible", "shortcomings",
                                          "reasons", "next_plan", "other"}
    err = r.stderr.strip("\n").split("\n")
    assert len(err) == 1 and str(broken) in err[0] and str(good) not in err[0], r.stderr
    assert (fingerprint(good), fingerprint(broken)) == before


def test_broken_first_then_good_terminal(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(sample_text(SAMPLE_FILES[1]).encode("gb18030"))
    missing = tmp_path / "missing.txt"
    r = run_cli("check", missing, good)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert str(missing) in r.stderr and str(good) not in r.stderr
    assert "提纲要素" in r.stdout


def test_one_broken_among_several_out_dir(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(sample_text(SAMPLE_FILES[2]).encode("utf-8"))
    broken = tmp_path / "empty.txt"
    broken.write_bytes(b"")
    out = tmp_path / "out"
    r = run_cli("check", broken, good, "--format", "json", "--out", out)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and str(broken) in r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["good.json"]
    assert json.loads((out / "good.json").read_text(encoding="utf-8"))["source"] == str(good)


def test_an_inner_time_limit_leaves_the_outer_one_running():
    """Without a guard process (no fork, FZCHECK_DEBUG) the whole check runs under one alarm;
    the reader's own limit inside it must not switch that alarm off when it ends."""
    from checker.errors import InputError
    from checker.read import time_limit
    with pytest.raises(InputError, match="outer"):
        with time_limit(1, "x", message="outer"):
            with time_limit(5, "x", message="inner"):
                pass
            while True:
                pass
