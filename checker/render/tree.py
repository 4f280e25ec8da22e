"""`fzcheck parse`: the parsed report as an indented outline, for debugging the parser."""
from __future__ import annotations

from ..text import clip


def render_tree(doc, tokens: bool = False) -> str:
    out = []
    m = doc.meta
    out.append(f"标题 {m.title!r}  单位 {m.issuer!r}  层级 {m.level}  年度 {m.report_year}  日期 {m.date}")
    if tokens:
        out.append("\n逐行分类（行号 类别 样式 序号 修复）：")
        for c in doc.classified:
            span = f"{c.line.start}" if c.line.start == c.line.end else f"{c.line.start}-{c.line.end}"
            extra = f" {c.style or ''} {c.number or ''} {c.repair or ''}{'→' + c.expected_marker if c.expected_marker else ''}"
            out.append(f"  {span:>7} {c.kind:<9}{extra:<28} {clip(c.line.text, 50)}")
        for r in doc.cleaned.removed:
            out.append(f"  {r.line:>7} 已剔除({r.kind}/{r.pattern}) {clip(r.text, 50)}")
    out.append("\n结构：")
    for c in doc.report.head:
        out.append(f"  [{c.kind}] 第 {c.line.start} 行 {clip(c.line.text, 60)}")
    for p in doc.report.preamble:
        out.append(f"  [前言] 第 {p.line} 行 {clip(p.text, 50)}")
    elements = {i.line: i for i in doc.outline.parts}

    def walk(part, indent):
        info = elements.get(part.line) if part.depth == 1 else None
        tag = ""
        if info:
            tag = f"  → {','.join(info.elements) or '未识别'}{'（主题部分）' if info.thematic else ''}"
        n = sum(1 for _ in part.paragraphs())
        out.append(f"{'  ' * indent}H{part.depth} 第 {part.line}-{part.end_line} 行 {part.marker}{clip(part.heading, 40)}"
                   f"  [{n} 段]{tag}")
        for ch in part.children:
            walk(ch, indent + 1)

    for p in doc.report.parts:
        walk(p, 1)
    for c in doc.report.closing:
        out.append(f"  [{c.kind}] 第 {c.line.start} 行 {clip(c.line.text, 60)}")
    out.append("\n提纲要素：")
    for k, v in doc.outline.outline.items():
        ev = "；".join(f"第 {e.line} 行" for e in v.evidence)
        out.append(f"  {k:<18} {v.status:<10} {ev}")
    return "\n".join(out)
