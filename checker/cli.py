"""The command line: thin — parse arguments, call the pipeline, print, choose the exit code.

Exit codes: 0 no error-level finding · 1 error-level findings · 2 an input or the command could
not be used (one Chinese line on stderr, never a traceback). A rule that crashed on a report is
no error by itself: the report is partly checked (「规则 X 运行出错，此项未检查」 in every output,
「部分检查」 in an audit) and the exit code follows the other rules' findings."""
from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple, Optional

import typer

from . import __version__
from .errors import ConfigError, InputError, RunError, os_reason
from .safe import one_line, visible

if TYPE_CHECKING:
    from .models import Summary

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="fzcheck：检查法治政府建设年度报告是否符合规定提纲和质量要求。")
def _show_version(value: bool):
    if value:
        print(f"fzcheck {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main_options(version: bool = typer.Option(False, "--version", "-V", callback=_show_version, is_eager=True,
                                               help="显示版本")):
    """fzcheck：检查法治政府建设年度报告是否符合规定提纲和质量要求。"""


rules_app = typer.Typer(help="列出或说明检查规则。", invoke_without_command=True)
app.add_typer(rules_app, name="rules")

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2


class AuditFormat(str, Enum):
    terminal = "terminal"
    json = "json"


class Format(str, Enum):
    terminal = "terminal"
    json = "json"
    md = "md"
    html = "html"


def _err(msg: str) -> None:
    """One line on stderr (not through rich: it would wrap a long path onto several lines); a
    file name's control characters shown, never sent to the terminal (checker/safe.py)."""
    sys.stderr.write("fzcheck: " + one_line(msg) + "\n")


def _severity_map(items: list[str]) -> dict[str, str]:
    out = {}
    for it in items:
        rid, sep, level = it.partition("=")
        if not sep:
            raise ConfigError(f"--severity 的写法应为 规则编号=级别，如 OUT-ORDER=warning（收到 {it!r}）")
        out[rid.strip()] = level.strip()
    return out


def _out_dir(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ConfigError(f"{out}: 已存在同名文件，--out 需要一个文件夹") from None
    except OSError as e:
        raise ConfigError(f"{out}: 无法创建输出文件夹：{os_reason(e)}") from None


def _free_names(out: Path, stem: str, ext: str, used: set[str], inputs: frozenset[str]):
    """Names for a result in `out`, in order of preference — 报告.html, 报告-2.html, … — passing
    over those written in this run, the inputs (「-o .」 beside 报告.txt must not write the
    terminal view over the report) and files that stand there. The file is written under the
    first name no file holds at that moment (write.write_new): nothing is ever written over."""
    name, i = f"{stem}.{ext}", 2
    while True:
        if name not in used and os.path.realpath(out / name) not in inputs and not os.path.lexists(out / name):
            yield name
        name, i = f"{stem}-{i}.{ext}", i + 1


def _write_result(out: Path, stem: str, ext: str, content: str | bytes, used: set[str],
                  inputs: frozenset[str]) -> tuple[Path, str]:
    """Write one result under a free name: (its path, a note for the user when the plain name
    was taken). OSError (a full disk, a read-only folder) is the caller's to say."""
    from .write import write_new
    target = write_new(out, _free_names(out, stem, ext, used, inputs), content)
    used.add(target.name)
    plain = f"{stem}.{ext}"
    return target, ("" if target.name == plain else f"{plain} 已存在，未覆盖")


def Console(*args, **kwargs):
    """rich's Console, imported when one is made (checker/cli.py's commands print through it)."""
    from rich.console import Console as RichConsole
    return RichConsole(*args, **kwargs)


class _Lazy:
    """An object made on first use of one of its attributes."""

    def __init__(self, make):
        self._make, self._made = make, None

    def __getattr__(self, name):
        if self._made is None:
            self._made = self._make()
        return getattr(self._made, name)


def _unwritten(what: str, out: Path, e: OSError) -> None:
    _err(f"{out}: {what}无法写入：{os_reason(e)}；此文件未写入，文件夹中原有的文件未改动")


def _resolved(files) -> frozenset[str]:
    # realpath, not Path.resolve: a looping link must not stop the run (it is said for its file)
    return frozenset(os.path.realpath(f) for f in files or [])


def _resolve(config: Optional[Path], profile: Optional[str], level: Optional[str], disable: list[str],
             severity: list[str], waivers: list[Path]):
    from .config import resolve_options
    return resolve_options(config, profile, level, disable, _severity_map(severity), tuple(waivers))


# Options several commands take, declared once (typing.Annotated: typer reads the Option from the
# type, so each command's signature names the type and its default only).
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", readable=False,
                                                   help="配置文件（在单位配置 fzcheck.toml 之上生效）")]
ProfileOpt = Annotated[Optional[str], typer.Option("--profile", "-p",
                                                   help="draft（起草稿）或 final（上报稿），可带层级如 township/draft")]
LevelOpt = Annotated[Optional[str], typer.Option("--level", help="指定层级（默认从发文单位识别）：province city county "
                                                                 "district township street department")]
DisableOpt = Annotated[list[str], typer.Option("--disable", "-d", help="停用某条规则（可重复）")]
SeverityOpt = Annotated[list[str], typer.Option("--severity", "-s", help="调整规则级别，如 OUT-ORDER=warning")]
WaiversOpt = Annotated[list[Path], typer.Option("--waivers", "-w", readable=False, help="豁免文件（YAML）")]
ColorOpt = Annotated[bool, typer.Option("--color/--no-color", help="终端输出是否着色")]


# Path options and arguments say readable=False: click would refuse the whole command with an
# English 「is not readable」 (the other files unchecked); the reason is said in Chinese instead,
# for the one file it concerns (an unreadable report, config, waivers or baseline).
@app.command()
def check(
    files: list[Path] = typer.Argument(..., readable=False, help="要检查的报告文件（可多个）", show_default=False),
    fmt: Format = typer.Option(Format.terminal, "--format", "-f", case_sensitive=False, help="输出格式"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", readable=False, help="把结果写入此目录（每份报告一个文件）"),
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    level: LevelOpt = None,
    disable: DisableOpt = [],
    severity: SeverityOpt = [],
    waivers: WaiversOpt = [],
    baseline: list[Path] = typer.Option([], "--baseline", readable=False, help="上一稿的 JSON 检查结果（可多个）或上次 audit 的结果文件夹：标出新增、仍存在、已改正的问题"),
    color: ColorOpt = True,
):
    """检查报告：提纲要素是否齐全，结构、标题、年份、日期、用语、数据是否有误。

    未用 --profile 时，文件名或标题处写有“草稿”“征求意见稿”“送审稿”等的报告按起草稿检查（落款、日期、期限暂不查），并在屏幕上说明。"""
    from . import baseline as baseline_mod
    from .render import EXTENSIONS, json_array

    resolved = _resolve(config, profile, level, disable, severity, waivers)
    # a draft (by its name or title, checker/draft.py) is checked as one unless a stage was chosen
    drafts = None if resolved.stage_chosen else _resolve(config, "draft", level, disable, severity, waivers)
    # each input's earlier draft (checker/baseline.py says which is which)
    earlier = baseline_mod.load(baseline).matching([str(f) for f in files]) if baseline else {}
    # emoji=False: a report's 「:warning:」 is text, not an emoji code (checker/safe.py escapes markup)
    # made when first printed to: `--format json`, which other tools run for each file, never
    # imports rich (~16 ms of a 0.47 s start)
    console = _Lazy(lambda: Console(highlight=False, no_color=not color, soft_wrap=True, emoji=False))
    texts, unusable, findings, used = [], False, False, set()
    inputs = _resolved(files)       # never written over (「-o .」 beside the reports)
    if out is not None:
        _out_dir(out)
    for f, done in _each_guarded(files, _checked, resolved, earlier, drafts, fmt.value, out is not None):
        if done is None:
            unusable = True
            continue
        if done.as_draft:
            _err(f"{f}: {done.as_draft}")
        if baseline and str(f) not in earlier:
            _err(f"{f}: 基线中没有此报告的上一稿，问题未标出新增、仍存在或已改正")
        for failure in done.failures:
            _err(f"{f}: {failure}；请将此文件报告维护者")
        for w in done.expired:
            _err(f"{f}: 豁免已过期（{w['rule']} {w['fingerprint']}，{w['expires']} 到期），该问题照常计入")
        findings = findings or done.summary.exit_code != 0
        if out is not None:
            text = _plain(done.text) if fmt is Format.terminal else done.text
            try:
                target, note = _write_result(out, Path(f).stem, EXTENSIONS[fmt.value], text, used, inputs)
            except OSError as e:
                _unwritten(f"{f} 的检查结果", out, e)
                unusable = True
                continue
            s = done.summary
            console.print(one_line(f"{f} → {target}（{s.errors} 个错误，{s.warnings} 个警告，{s.infos} 个提示"
                          f"{'；' + note if note else ''}）"), markup=False)
        elif fmt is Format.terminal:
            console.print(done.text, markup=True)
        elif fmt is Format.json:
            texts.append(done.text)
        else:
            sys.stdout.write(done.text)
    if texts:
        sys.stdout.write(json_array(texts, array=len(files) > 1) + "\n")
    raise typer.Exit(EXIT_UNUSABLE if unusable else EXIT_FINDINGS if findings else EXIT_OK)


class _Checked(NamedTuple):
    """One file's check as `check` needs it back from the guarded worker: the result rendered
    there, and what is said beside it. The result itself (some 130 models) costs this process
    ~0.9 ms to unpickle, and it takes in every report of the run while the workers check in
    parallel: rendered there (JSON ~0.2 ms; a page's templates ~30 ms once per worker), nothing
    but text comes back, nor are the lines the pages quote sent. The rendering is part of the
    report's time and memory limit, and a failure in it costs that file alone."""
    text: str                   # the result in the format asked for
    summary: Summary
    failures: list[str]         # the rules that failed on it, said as a line each
    expired: list[dict]         # the waivers that would have applied, expired
    as_draft: str | None        # checked as a draft because it reads as one: the line that says why


def _checked(resolved, earlier: dict, drafts, fmt: str, to_file: bool, f: Path) -> _Checked:
    from .render import render
    from .report import check_report
    why = None
    if drafts is not None:
        from .draft import draft_reason
        from .read import read_path
        source = read_path(f)
        why = draft_reason(str(f), source.lines)
        doc, result = check_report(source, drafts if why else resolved, earlier.get(str(f)))
    else:
        doc, result = check_report(f, resolved, earlier.get(str(f)))
    # the terminal quotes no lines; a file written, or another format, does
    text = render(result, fmt, None if fmt == "terminal" and not to_file else doc.source.lines)
    return _Checked(text, result.summary, [f"{x.message}：{x.error}" for x in result.rule_failures],
                    list(result.config.get("waivers_expired", [])), why)


def _checklist_of(resolved, f: Path):
    """One file's 核查清单 (built in the guarded worker: only the checklist comes back)."""
    from .checklist import build
    from .report import check_report
    doc, result = check_report(f, resolved)
    return build(result, resolved.rules, doc.source)


CHECK_JOBS = 4


def _each_guarded(files, fn, *fixed, ahead: int | None = None):
    """(file, fn(*fixed, file)) for each file, each in a guarded worker process killed at the time
    limit, its memory capped (checker/guard.py); (file, None) for a file that could not be
    checked, said on stderr — one file's failure never costs the others."""
    from .guard import Guarded, cores
    # several files: one worker per core (at most CHECK_JOBS: each may take the memory cap of
    # rules/audit.yaml; a batch of hundreds is `audit`'s), the results said in the files' order
    files = list(files)
    results = Guarded(fn, *fixed).map([(str(f), (f,)) for f in files], min(len(files), cores(), CHECK_JOBS), ahead)
    try:
        for f, (ok, value) in zip(files, results):
            if ok:
                yield f, value
                continue
            try:
                raise value
            except InputError as e:
                _err(f"{e.path}: {e.message}")
            except OSError as e:     # the system's refusal, not the checker's failure
                _err(f"{f}: 无法读取：{os_reason(e)}")
            except Exception as e:  # noqa: BLE001
                if os.environ.get("FZCHECK_DEBUG"):
                    raise
                _err(f"{f}: 内部错误（{type(e).__name__}: {e}），已跳过此文件；请将文件报告维护者")
            finally:
                del value           # the exception's traceback holds this frame (guard.answer)
            yield f, None
    finally:
        results.close()             # its workers: ended, or killed when the caller stopped early


def _plain(markup: str) -> str:
    from io import StringIO
    buf = StringIO()
    Console(file=buf, no_color=True, width=120, highlight=False, soft_wrap=True, emoji=False).print(markup, markup=True)
    return buf.getvalue()


def _annotated(resolved, f: Path):
    """One file's commented copy, built in the guarded worker (python-docx's tree of a large
    document stays there): the copy's bytes and what it holds come back."""
    from .read import load
    from .report import check_report
    from .word.annotate import annotate
    doc, result = check_report(f, resolved)
    data = load(f) if doc.source.format == "docx" else None
    return annotate(result, doc.source, data), result.summary


def _copies(files, out: Optional[Path], fn, *fixed):
    """(file, fn(*fixed, file), write) for each file checked in a guarded worker, where
    write(suffix, ext, data) puts 〈名称〉-〈suffix〉.〈ext〉 beside the file (or into `out`) under a
    free name, never over a file nor over an input, and gives back its path; (file, None, None)
    for a file that could not be used. OSError from write is the caller's to say."""
    inputs = _resolved(files)
    used: set[str] = set()
    if out is not None:
        _out_dir(out)
    # a commented copy is as large as its Word file (up to 40 MB): two ahead per worker at most
    for f, done in _each_guarded(files, fn, *fixed, ahead=2):
        if done is None:
            yield f, None, None
            continue
        folder = out if out is not None else (Path(f).parent or Path("."))

        def write(suffix: str, ext: str, data, f=f, folder=folder) -> Path:
            return _write_result(folder, f"{Path(f).stem}-{suffix}", ext, data, used, inputs)[0]
        write.folder = folder
        yield f, done, write


@app.command()
def annotate(
    files: list[Path] = typer.Argument(..., readable=False, help="要审核的报告（.docx 最好；.txt .pdf .doc .wps 先另存为 Word 文档）", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", readable=False, help="副本写入此目录（默认与报告同一文件夹）"),
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    level: LevelOpt = None,
    disable: DisableOpt = [],
    severity: SeverityOpt = [],
    waivers: WaiversOpt = [],
):
    """写批注：生成「报告-审核意见.docx」副本，每个问题作为 Word 批注标在相应字句上，原文件不改动。"""
    resolved = _resolve(config, profile, level, disable, severity, waivers)
    unusable = errors = False
    for f, done, write in _copies(files, out, _annotated, resolved):
        if done is None:
            unusable = True
            continue
        made, s = done
        try:
            target = write("审核意见", "docx", made.data)
        except OSError as e:
            _unwritten(f"{f} 的审核意见副本", write.folder, e)
            unusable = True
            continue
        errors = errors or bool(s.errors)
        listed = made.comments - 1
        if not listed:
            said = "未发现问题，标题处 1 条总体意见"
        else:
            where = f"其中 {made.at_words} 条标在所涉字句上" if made.at_words < listed else "均标在所涉字句上"
            said = (f"{s.errors} 个错误，{s.warnings} 个警告，{s.infos} 个提示：{listed} 条问题批注，{where}；"
                    f"标题处 1 条总体意见")
        sys.stdout.write(one_line(f"{f} → {target}（{said}）") + "\n")
        if made.converted:
            sys.stdout.write(one_line(f"   {Path(f).name} 不是 Word 文档：已按其文字新建 Word 文档（每行一段），"
                                      f"批注写在新文档中") + "\n")
    raise typer.Exit(EXIT_UNUSABLE if unusable else (EXIT_FINDINGS if errors else EXIT_OK))


def _fixed(resolved, f: Path):
    """One file's fixes, made and checked again in the guarded worker (checker/fixing.py)."""
    from .fixing import fix_report
    return fix_report(f, resolved)


_LISTED = 15          # edits listed one by one in the terminal; the diff shows them all


def _diff_markup(lines: list[str]) -> str:
    """A unified diff in the terminal's colours (removed red, added green), its text escaped."""
    from .safe import terminal
    style = {"-": "red", "+": "green", "@": "cyan"}
    out = []
    for line in lines:
        colour = style.get(line[:1]) if not line.startswith(("---", "+++")) else "bold"
        out.append(f"[{colour}]{terminal(line)}[/{colour}]" if colour else terminal(line))
    return "\n".join(out)


@app.command()
def fix(
    files: list[Path] = typer.Argument(..., readable=False, help="要修改的报告（.docx 或 .txt 等）", show_default=False),
    apply: bool = typer.Option(False, "--apply", help="写出修改稿：Word 文档为带修订标记的副本，文本为修改后的副本和 .diff"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", readable=False, help="修改稿写入此目录（默认与报告同一文件夹）"),
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    level: LevelOpt = None,
    disable: DisableOpt = [],
    color: ColorOpt = True,
):
    """自动修改：只改不会改变原意之处（序号、半角标点、日期写法、排版残留、安排年份、文种），先显示修改，--apply 才写出修改稿。"""
    resolved = _resolve(config, profile, level, disable, [], [])
    console = Console(highlight=False, no_color=not color, soft_wrap=True, emoji=False)
    unusable = False
    for f, done, write in _copies(files, out, _fixed, resolved):
        if done is None:
            unusable = True
            continue
        name = one_line(str(f))
        made = done.applied
        if not done.planned:
            console.print(f"{name}：没有可自动修改之处", markup=False)
            continue
        missed = len(done.planned) - len(made)
        console.print(one_line(f"{name}：可自动修改 {len(made)} 处" + (f"（另有 {missed} 处原文已不同，未改）" if missed else "")),
                      markup=False)
        for p in made[:_LISTED]:
            e = p.edit
            console.print(one_line(f"  第 {e.line} 行 {p.finding.rule}：「{e.old}」→「{e.new}」" if e.old
                                   else f"  第 {e.line} 行 {p.finding.rule}：行首补上「{e.new}」"), markup=False)
        if len(made) > _LISTED:
            console.print(f"  另有 {len(made) - _LISTED} 处，见下面的差异", markup=False)
        from .fixes import unified
        diff = unified(done.before, done.after, Path(f).name)
        console.print(_diff_markup(diff), markup=True)
        check = f"复查修改稿：{done.gone} 个问题已消除"
        check += f"，但新出现 {len(done.new)} 个：" + "；".join(x.message for x in done.new[:3]) if done.new else "，未出现新问题"
        console.print(one_line(check), markup=False)
        if not apply:
            continue
        docx_in = done.format == "docx"
        try:
            written = [write("修改稿", "docx" if docx_in else "txt", done.data)]
            if not docx_in:
                written.append(write("修改稿", "diff", "\n".join(diff) + "\n"))
        except OSError as e:
            _unwritten(f"{f} 的修改稿", write.folder, e)
            unusable = True
            continue
        how = "修订（在 Word/WPS 的「审阅」中逐条接受或拒绝）" if docx_in else "修改后的文本（UTF-8）和差异文件"
        console.print(one_line(f"  已写出{how}：{'、'.join(map(str, written))}；原文件未改动"), markup=False)
    if not apply and not unusable:
        console.print("以上修改未写入任何文件；确认后加 --apply 写出修改稿", markup=False)
    raise typer.Exit(EXIT_UNUSABLE if unusable else EXIT_OK)


class ChecklistFormatAudit(str, Enum):
    docx = "docx"
    html = "html"
    md = "md"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


def _run_name(first: str) -> str:
    """A folder name for an audit's results, from its first input: 「收到的报告」 for a folder,
    a file's stem, the fixed part of a glob (never a literal 「*」)."""
    p = Path(first.lstrip("@"))
    parts = [x for x in p.parts if not any(ch in x for ch in "*?[")]
    if len(parts) < len(p.parts):                       # a glob: its folder
        p = Path(*parts) if parts else Path(".")
    name = p.resolve().name if p.name in ("", ".", "..") else (p.stem if p.suffix else p.name)
    return name or "audit"


@app.command()
def audit(
    paths: list[str] = typer.Argument(..., help="报告所在文件夹（递归查找）、通配符或 @清单文件", show_default=False),
    out: Optional[Path] = typer.Option(None, "--out", "-o", readable=False, help="结果文件夹（默认 reports_out/<第一个输入的名称>）"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行进程数（默认为 CPU 核数）"),
    fmt: AuditFormat = typer.Option(AuditFormat.terminal, "--format", "-f", case_sensitive=False, help="terminal 或 json（打印批次汇总）"),
    checklists: bool = typer.Option(False, "--checklists", help="为每份报告生成核查清单"),
    checklist_format: ChecklistFormatAudit = typer.Option("docx", "--checklist-format", case_sensitive=False, help="核查清单格式"),
    previous: list[str] = typer.Option([], "--previous", help="上年报告所在文件夹（用于检查上年安排的落实）"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", readable=False, help="上次审核的结果文件夹：标出新增、仍存在、已改正的问题"),
    fresh: bool = typer.Option(False, "--fresh", help="不沿用上次结果，全部重新检查"),
    notice: bool = typer.Option(False, "--notice", help="另写「审核情况通报.docx」（公文格式的批次审核通报，修改主送、落款后即可印发）"),
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="何时以退出码 1 结束：error、warning 或 never"),
    config: ConfigOpt = None,
    profile: ProfileOpt = None,
    level: LevelOpt = None,
    disable: DisableOpt = [],
    severity: SeverityOpt = [],
    waivers: WaiversOpt = [],
    color: ColorOpt = True,
):
    """批量审核：并行检查一批报告，生成汇总表、汇总页、逐份结果，找出雷同报告和上年安排的落实情况。"""
    if jobs < 0:
        raise ConfigError(f"--jobs {jobs}：并行进程数应为正整数，或 0（按 CPU 核数）")
    from .audit.run import Options, main_json, print_summary, run
    from .audit.statuses import WAS_CHECKED

    resolved = _resolve(config, profile, level, disable, severity, waivers)
    if out is None:
        out = Path("reports_out") / _run_name(paths[0])
        for part in (out.parent, out):
            # a folder the user never named: a link planted there would send the results elsewhere
            if os.path.islink(part):
                raise ConfigError(f"{part}: 默认的结果文件夹是一个链接（指向 {os.path.realpath(part)}），"
                                  f"为免结果写到别处，未写入；请删除该链接，或用 -o 指定结果文件夹")
    # the topmost folder this run creates (reports_out/ too on a first run), removed if refused
    created = next((p for p in [*reversed(out.absolute().parents), out.absolute()] if not p.exists()), None)
    _out_dir(out)
    console = Console(stderr=True, highlight=False, emoji=False, no_color=not color)
    try:
        result = run(resolved, Options(paths=paths, out=out, jobs=jobs,
                                       checklists=checklist_format.value if checklists else None,
                                       previous=previous, baseline=baseline, fresh=fresh, notice=notice,
                                       progress=fmt is not AuditFormat.json), console)
    except KeyboardInterrupt:
        _err(f"已中断。检查完的报告已保存在 {out}/，重新运行同一命令会从中断处继续")
        raise typer.Exit(130) from None
    except (ConfigError, InputError):
        if created is not None:         # a run refused (no reports, a bad --baseline…) leaves no folder behind
            import shutil
            shutil.rmtree(created, ignore_errors=True)
        raise
    if fmt is AuditFormat.json:
        sys.stdout.write(main_json(result) + "\n")
    else:
        print_summary(result, Console(highlight=False, soft_wrap=True, emoji=False, no_color=not color))
    c = result["counts"]
    # a partial check (a rule crashed on a report, checker/audit/state.py) is no error-level
    # finding by itself: it is said in the summary line and tables, and the exit code follows
    # the findings the other rules made, as for any checked report
    failing = {"error": c["with_errors"] + c["unreadable"], "warning": c["with_errors"] + c["unreadable"]
               + sum(1 for r in result["reports"] if r["status"] in WAS_CHECKED and r["warnings"]),
               "never": 0}
    raise typer.Exit(EXIT_FINDINGS if failing[fail_on.value] else EXIT_OK)


class ChecklistFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


@app.command()
def checklist(
    files: list[Path] = typer.Argument(None, readable=False, help="报告文件（可多个）；与 --blank 同用时不需要", show_default=False),
    fmt: ChecklistFormat = typer.Option(ChecklistFormat.md, "--format", "-f", case_sensitive=False, help="md（默认，输出到屏幕）、html 或 docx"),
    out: Optional[Path] = typer.Option(None, "--out", "-o", readable=False, help="写入此目录（docx 必须指定）"),
    blank: bool = typer.Option(False, "--blank", help="输出空白核查清单，供单位自查"),
    level: Optional[str] = typer.Option(None, "--level", help="层级（--blank 时用于标明清单适用的层级）"),
    profile: ProfileOpt = None,
    config: ConfigOpt = None,
):
    """生成核查清单（要求、依据、结果、证据、整改建议），供核查人签字。"""
    from .checklist import build
    from .render import render_checklist

    resolved = _resolve(config, profile, level, [], [], [])
    if fmt is ChecklistFormat.docx and out is None:
        raise ConfigError("docx 格式需要用 --out 指定输出目录")
    if out is not None:
        _out_dir(out)
    jobs = []
    if blank:
        lv = resolved.settings.level
        jobs.append((f"核查清单-{lv or '通用'}", build(None, resolved.rules, level=lv,
                                                     profile=resolved.settings.profile_name(lv))))
    elif not files:
        raise ConfigError("请指定报告文件，或用 --blank 输出空白清单")
    unusable = False
    for f, checklist_of_f in _each_guarded(files or [], _checklist_of, resolved):
        if checklist_of_f is None:
            unusable = True
            continue
        jobs.append((f"{Path(f).stem}-核查清单", checklist_of_f))
    used: set[str] = set()
    inputs = _resolved(files)
    for stem, c in jobs:
        content = render_checklist(c, fmt.value)
        if out is not None:
            try:
                target, note = _write_result(out, stem, fmt.value, content, used, inputs)
            except OSError as e:
                _unwritten(f"核查清单 {stem}.{fmt.value} ", out, e)
                unusable = True
                continue
            print(one_line(f"核查清单已写入 {target}{'（' + note + '）' if note else ''}"))
        else:
            sys.stdout.write(content)
    raise typer.Exit(EXIT_UNUSABLE if unusable else EXIT_OK)


@app.command()
def parse(
    file: Path = typer.Argument(..., readable=False, help="报告文件", show_default=False),
    tokens: bool = typer.Option(False, "--tokens", "-t", help="逐行列出分类结果"),
):
    """显示报告的解析结果（调试用）：每行的类别、标题层级和各部分对应的提纲要素。"""
    from .pipeline import analyse_path
    from .render.tree import render_tree

    doc = analyse_path(file)
    Console(highlight=False, soft_wrap=True).print(visible(render_tree(doc, tokens)), markup=False)


class RulesFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    md = "md"


@rules_app.callback()
def rules_list(
    ctx: typer.Context,
    severity: Optional[str] = typer.Option(None, "--severity", help="只列出此级别：error warning info"),
    tag: Optional[str] = typer.Option(None, "--tag", help="只列出带此标签的规则，如 outline、wording"),
    profile: Optional[str] = typer.Option(None, "--profile", help="只列出此阶段启用的规则：draft 或 final"),
    config: Optional[Path] = typer.Option(None, "--config", "-c", readable=False, help="按此配置列出（含单位配置）"),
    fmt: RulesFormat = typer.Option(RulesFormat.terminal, "--format", "-f", case_sensitive=False, help="输出格式"),
):
    """列出检查规则（fzcheck rules show 规则编号 查看说明）。"""
    if ctx.invoked_subcommand:
        return
    from .render.rules import render_rules
    resolved = _resolve(config, profile, None, [], [], [])
    from .models import SEVERITIES
    from .render import SEVERITY
    severity = {word: sev for sev, word in SEVERITY.items()}.get(severity or "", severity)
    if severity is not None and severity not in SEVERITIES:
        raise ConfigError(f"--severity {severity}：应为 error（错误）、warning（警告）或 info（提示）")
    tags = sorted({t for r in resolved.rules for t in r.tags})
    if tag is not None and tag not in tags:
        raise ConfigError(f"--tag {tag}：没有这个标签；可用的标签：{'、'.join(tags)}")
    rules = [r for r in resolved.rules
             if (severity is None or r.severity == severity) and (tag is None or tag in r.tags)]
    text = render_rules(rules, fmt.value)
    sys.stdout.write(visible(text) if fmt is RulesFormat.terminal else text)


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="规则编号，如 OUT-REASONS"),
               config: Optional[Path] = typer.Option(None, "--config", "-c", readable=False, help="含此配置中的规则")):
    """说明一条规则：标题、依据、理由和正反示例。"""
    from .render import SEVERITY
    from .render.rules import param_lines
    resolved = _resolve(config, None, None, [], [], [])
    rule = next((r for r in resolved.known if r.id == rule_id.upper()), None)
    if rule is None:
        raise ConfigError(f"未知的规则编号 {rule_id}（fzcheck rules 列出全部规则）")
    lines = [f"{rule.id}  [{SEVERITY[rule.severity]}]  {rule.title}", f"依据：{rule.basis}",
             *([f"理由：{rule.rationale}"] if rule.rationale else []), f"建议：{rule.suggestion}",
             f"类型：{rule.kind}（定义于 {rule.source}）"]
    params = param_lines(rule)
    if params:
        # in force under this configuration: its [rules.params] merged over the rule file's
        lines += ["参数：", *(f"  {line}" for line in params)]
    for label, items in (("通过示例", rule.examples.pass_), ("不通过示例", rule.examples.fail)):
        for ex in items:
            lines.append(f"\n{label}{f'（第 {ex.line} 行）' if ex.line else ''}：\n  " + ex.text.replace("\n", "\n  "))
    # a rule of a unit's own configuration is text like any other: shown safe (checker/safe.py)
    Console(highlight=False, soft_wrap=True).print(visible("\n".join(lines)), markup=False)


@app.command()
def version():
    """显示版本。"""
    print(f"fzcheck {__version__}")


_USAGE = [  # click's usage messages, said in Chinese
    (r"Missing argument '(.+?)'", r"缺少参数 \1"), (r"No such command '(.+?)'", r"没有命令 \1"),
    (r"No such option: (\S+)", r"没有选项 \1"), (r"Invalid value for '(.+?)'.*?: (.*)", r"选项 \1 的值无效：\2"),
    (r"Option '(.+?)' requires an argument", r"选项 \1 需要一个值"), (r"Got unexpected extra argument", "多余的参数"),
    (r"is not one of", "不是以下之一："), (r"Value error, ", ""), (r"\. Did you mean (.+?)\?", r"。是不是要用 \1？"),
    (r"Input should be a valid integer.*", "应为整数"), (r"Input should be a valid number.*", "应为数字"),
    (r" ?\(Possible options: (.+?)\)", r"（可能是：\1）"), (r"Missing option '(.+?)'", r"缺少选项 \1"),
    (r"Missing command", "缺少命令"), (r"Option '(.+?)' does not take a value", r"选项 \1 不带值"),
    (r"\.$", ""),
]


def _usage_message(e) -> str:
    import re
    msg = " ".join(e.format_message().split()) if hasattr(e, "format_message") else str(e)
    for pat, rep in _USAGE:
        msg = re.sub(pat, rep, msg)
    # an argument by the word its help shows (缺少参数 文件, not files)
    from .clidata import cli_data
    names = cli_data()["help"]["metavar"]
    msg = re.sub(r"缺少参数 (\w+)", lambda m: f"缺少参数 {names.get(m.group(1), m.group(1))}", msg)
    return f"用法错误：{msg}（fzcheck --help 或 fzcheck 命令 --help 查看用法）"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（默认只对本机开放；0.0.0.0 对单位内网开放）"),
    port: int = typer.Option(8765, "--port", help="端口（0：任选一个空闲端口）"),
    open_browser: bool = typer.Option(True, "--open/--no-open", help="启动后是否打开浏览器"),
    workers: int = typer.Option(0, "--workers", help="同时检查的报告数（默认见 rules/serve.yaml）"),
    config: ConfigOpt = None,
):
    """启动本机网页：把报告拖进浏览器即可检查，问题标在原文处；并提供 JSON 接口（/api）。"""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port {port}：端口应在 0–65535 之间")
    if workers < 0:
        raise ConfigError(f"--workers {workers}：应为正整数，或 0（按 rules/serve.yaml）")
    from .serve import ServeOptions, run
    run(ServeOptions(host=host, port=port, config=config, workers=workers), open_browser)


def main() -> None:
    try:
        rc = app(prog_name="fzcheck", standalone_mode=False)
        sys.exit(rc if isinstance(rc, int) else EXIT_OK)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (ConfigError, InputError, RunError) as e:
        _err(f"{e.path}: {e.message}" if isinstance(e, InputError) else str(e))
        sys.exit(EXIT_UNUSABLE)
    except KeyboardInterrupt:
        _err("已中断")
        sys.exit(130)
    except OSError as e:        # what the system refused (a folder, a file) is no internal error
        if os.environ.get("FZCHECK_DEBUG"):
            raise
        _err(f"{e.filename or ''}: 无法读写：{os_reason(e)}".lstrip(": "))
        sys.exit(EXIT_UNUSABLE)
    except Exception as e:  # noqa: BLE001 — the user gets one line, not a traceback
        if type(e).__name__ == "Abort":
            _err("已中断")
            sys.exit(130)
        if type(e).__name__ == "NoArgsIsHelpError":
            # plain `fzcheck`: the help (in Chinese, checker/clihelp.py), and 2 as for any command
            # that could not be used — a script that forgot its arguments does not pass
            sys.stderr.write(e.format_message().rstrip("\n") + "\n")
            sys.exit(EXIT_UNUSABLE)
        if hasattr(e, "exit_code") and hasattr(e, "format_message"):      # click's usage errors
            _err(_usage_message(e))
            sys.exit(EXIT_UNUSABLE)
        if os.environ.get("FZCHECK_DEBUG"):
            raise
        _err(f"内部错误（{type(e).__name__}: {e}）。请将输入文件和此信息报告维护者；设置 FZCHECK_DEBUG=1 可查看详细信息")
        sys.exit(EXIT_UNUSABLE)


# --help in Chinese for every command (checker/clihelp.py); declared last, after every command
from . import clihelp  # noqa: E402
clihelp.apply(app)
