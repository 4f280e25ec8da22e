"""审核情况通报.docx: the note a justice bureau sends after reviewing a batch, drafted from the
batch's figures (checker/audit/figures.py) in 公文 form — title, 主送, body with 一、二、 headings,
落款 (the issuing body a placeholder to edit) and date — laid out to GB/T 9704 (checker/word/build.py).
Everything quoted from a report passes through one_line and xml_text; the file is written atomically."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..safe import one_line
from ..text import clip
from ..word.build import GBT9704
from ..word.paragraphs import empty_docx, save, xml_text
from ..write import write_atomic
from .figures import COUNT_NAMES, STATUS_NAMES, settings

CN_NUM = "一二三四五六七八九十"


def _year(figs_years) -> int | None:
    """The batch's report year: the most frequent one recognised."""
    known = [(n, y) for y, n in figs_years if y]
    return max(known)[1] if known else None


def body(figs: dict, today: dt.date | None = None) -> list[tuple[str, str]]:
    """The notice as (role, text) paragraphs: title, to, h1, body, item, sign, date."""
    conf = settings()["notice"]
    c = figs["counts"]
    year = _year(figs["years"])
    out: list[tuple[str, str]] = [("title", conf["title"].format(year=year) if year else conf["title_no_year"]),
                                  ("to", conf["to"]), ("body", conf["opening"])]
    sections: list[tuple[str, list[tuple[str, str]]]] = []

    # 一、the batch in numbers
    n = COUNT_NAMES
    # a figure that is zero is left out of its sentence (「其中部分检查0份」 says nothing)
    checked = f"{n['checked']}{c['checked']}份" + (f"（其中{n['partial']}{c['partial']}份）" if c["partial"] else "")
    found = "、".join(f"{n[k]}{c[k]}个" for k in ("errors", "warnings", "infos") if c[k])
    if not c["checked"]:            # nothing read: no verdict on errors, no elements to count
        verdict = "，均未能审核。"
    else:
        verdict = ((f"；{n['with_errors']}{c['with_errors']}份" if c["with_errors"] else "；均无错误")
                   + (f"。共发现{found}。" if found else "。未发现问题。"))
    paras = [("body", f"本批次{n['received']}{c['received']}份，{checked}"
                      + (f"，{n['unreadable']}{c['unreadable']}份" if c["unreadable"] else "") + verdict)]
    if figs["levels"]:
        paras.append(("body", "按单位层级：" + "、".join(f"{name}{k}份" for name, k in figs["levels"]) + "。"))
    years = "、".join(f"{y}年度{k}份" if y else f"未识别年度{k}份" for y, k in figs["years"])
    # the audit does not know when each report arrived: a placeholder for the reviewer, who does
    if figs["deadline"]:
        timing = f"报送截止日期为{figs['deadline']}，【按时报送×份、逾期×份：请对照收文登记填写】。"
    else:
        timing = "【按时报送情况：审核未记录收文时间，请对照收文登记填写或删除此句】"
    paras.append(("body", (f"报告所属年度：{years}。" if years else "") + timing))
    sections.append(("本批次报告总体情况", paras))

    # 二、the required elements (not when no report could be read: every figure would be nought)
    if c["checked"]:
        paras = [("body", f"按提纲要求，报告应写明以下要素。在已检查的{c['checked']}份报告中：")]
        for e in figs["elements"]:
            said = [f"{STATUS_NAMES[s]}{e[s]}份（{e['share_' + s]}%）" for s in ("standalone", "embedded", "absent") if e[s]]
            said += [f"{STATUS_NAMES['unknown']}{e['unknown']}份"] if e["unknown"] else []
            paras.append(("item", f"{e['label']}：" + "、".join(said) + "。"))
        paras.append(("body", "「单列」指以专门部分写明，「散见」指未单列、仅在其他部分中提及，「缺失」指全文未见。"))
        sections.append(("提纲要素落实情况", paras))

    # 三、the most common problems
    if figs["top"]:
        quote_max = settings()["quote_max"]
        paras = []
        for i, t in enumerate(figs["top"], 1):
            ex = t["example"]
            text = f"{i}．{t['title']}：共{t['count']}处，涉及{t['reports']}份报告。"
            if ex:
                text += f"如{ex['unit'] or Path(ex['source']).name}的报告原文「{clip(ex['excerpt'], quote_max)}」。"
            paras.append(("item", text))
        sections.append(("最常见的问题", paras))

    # 四、the reports to redo
    paras = []
    shown = settings()["shown"]
    if figs["redo"]:
        paras.append(("body", f"以下{len(figs['redo'])}份报告缺少规定的必备要素或不是年度报告（有错误级别的提纲问题），须修改后重新报送："))
        for i, r in enumerate(figs["redo"], 1):
            reasons = "；".join(r["reasons"][:shown['reasons']]) + (f"；另有{len(r['reasons']) - shown['reasons']}项" if len(r["reasons"]) > shown['reasons'] else "")
            paras.append(("item", f"{i}．{r['unit'] or Path(r['source']).name}：{reasons}。"))
    else:
        paras.append(("body", "本批次没有缺少必备要素、须重新报送的报告。"))
    if figs["unreadable"]:
        paras.append(("body", f"另有{len(figs['unreadable'])}个文件无法读取、未能审核，请报送单位重新提供可以打开的文件："
                      + "、".join(Path(r["source"]).name for r in figs["unreadable"][:shown["unreadable"]])
                      + (f"等（另有{len(figs['unreadable']) - shown['unreadable']}个，见 summary.xlsx「统计」表）"
                         if len(figs["unreadable"]) > shown["unreadable"] else "") + "。"))
    sections.append(("须重新报送的报告", paras))

    # 五、last year's plans
    if figs["compared"]:
        paras = []
        if figs["follow"]:
            paras.append(("body", f"对照上年报告，{len(figs['follow'])}个单位上年提出的工作安排在本年度报告中未见落实情况："))
            for f in figs["follow"]:
                items = "；".join(m["item"] for m in f["missing"])
                paras.append(("item", f"{f['unit']}（{f['year'] - 1}年度安排{len(f['missing'])}项）：{items}。"))
        else:
            paras.append(("body", f"对照上年报告的{figs['compared']}个单位，上年提出的工作安排在本年度报告中均有落实情况。"))
        sections.append(("上年工作安排落实情况", paras))

    for i, (head, paras) in enumerate(sections):
        out.append(("h1", f"{CN_NUM[i]}、{head}"))
        out += paras
    out.append(("body", conf["closing"]))
    today = today or dt.date.today()
    out += [("sign", conf["issuer"]), ("date", f"{today.year}年{today.month}月{today.day}日")]
    return out


def build(figs: dict, today: dt.date | None = None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt
    document = empty_docx()
    page = GBT9704["page"]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
    section.top_margin, section.bottom_margin = Mm(page["top"]), Mm(page["bottom"])
    section.left_margin, section.right_margin = Mm(page["left"]), Mm(page["right"])
    role_fmt = {"title": GBT9704["title"], "h1": GBT9704["h1"]}
    for role, text in body(figs, today):
        fmt = role_fmt.get(role, GBT9704["body"])
        p = document.add_paragraph()
        # a unit, file name or quote from a report: on one line (a newline would be a line break),
        # control and bidi characters shown as escapes as on every output, then fit for XML
        run = p.add_run(xml_text(one_line(text)))
        run.font.size = Pt(fmt.size)
        # Latin letters and digits in the same family as the Chinese (ascii/hAnsi/eastAsia)
        fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), fmt.font)
        pf = p.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(fmt.spacing)
        pf.space_before = pf.space_after = Pt(0)
        if role == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            pf.space_after = Pt(fmt.spacing)          # a blank line under the title (GB/T 9704 7.3.1)
        elif role in ("body", "item", "h1"):
            pf.first_line_indent = Pt(2 * fmt.size)     # two characters
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif role == "sign":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pf.right_indent = Pt(4 * fmt.size)
            pf.space_before = Pt(2 * fmt.spacing)
        elif role == "date":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            pf.right_indent = Pt(4 * fmt.size)
    return save(document)


_WRITTEN = ".fzcheck-notice.sha256"     # the hash of the notice this folder's last run wrote


def write(figs: dict, folder: Path, today: dt.date | None = None) -> Path:
    """The notice written into the audit's folder. The reviewer edits it (主送, 落款, wording):
    a notice that is not the one the last run wrote — edited, or put there by hand — is kept,
    and this run's goes under the next free name (审核情况通报-2.docx …)."""
    import hashlib
    import os
    data = build(figs, today)
    name = settings()["notice"]["file"]
    stem, ext = os.path.splitext(name)
    record = folder / _WRITTEN
    names = [name] + [f"{stem}-{i}{ext}" for i in range(2, 1000)]
    try:
        ours = set(record.read_text(encoding="ascii").split())
    except (OSError, UnicodeDecodeError):
        ours = set()
    for candidate in names:
        path = folder / candidate
        try:
            held = hashlib.sha256(path.read_bytes()).hexdigest() if os.path.lexists(path) else None
        except OSError:
            continue
        if held is None or (held in ours and not path.is_symlink()):
            break
    else:
        raise OSError(f"{folder}: 已有太多审核情况通报")
    write_atomic(path, data)
    write_atomic(record, "\n".join(sorted({*ours, hashlib.sha256(data).hexdigest()})) + "\n")
    return path
