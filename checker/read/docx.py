"""Word .docx: body paragraphs and tables in order, numbering rendered as a reader sees it,
tracked changes read as accepted, heading styles passed on as hints. Headers and footers are
not part of the report's structure and are left out."""
from __future__ import annotations

import io
import re
import zipfile

from ..compiled import compile_kept
from ..errors import InputError
from ..models import Location, Source
from .wordnumbering import W, Numbering
from .xmlsafe import refuse_dtd

_HEADING_NAME = compile_kept(r"^(heading|标题)\s*(\d)$", re.I)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Deleted text, field codes, and the fallback copy of a drawing (Word stores a text box twice:
# as a DrawingML shape and, in mc:Fallback, as a VML one).
_SKIP = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delInstrText", f"{_MC}Fallback"}


def _paragraph_lines(p, boxes: list | None = None) -> list[str]:
    """The paragraph's text as accepted (insertions in, deletions out), split at line breaks.
    The paragraphs of text boxes anchored in it go to `boxes`: they are not part of its text."""
    out, buf = [], []
    todo = [iter(p)]             # a stack of its own, not recursion: runs nest inside runs
    while todo:
        child = next(todo[-1], None)
        if child is None:
            todo.pop()
            continue
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == f"{W}txbxContent":
            if boxes is not None:
                boxes.extend(child.iter(f"{W}p"))
            continue
        if tag == f"{W}t":
            buf.append(child.text or "")
        elif tag == f"{W}tab":
            buf.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("".join(buf))
            buf.clear()
        elif tag != f"{W}pPr":
            todo.append(iter(child))
    out.append("".join(buf))
    return out


class _Styles:
    """Per style id: heading level (from name or outline level) and numbering, through basedOn.

    Only the styles the document uses are parsed, cut out of styles.xml by their tags: a
    template's styles.xml runs to hundreds of kilobytes of latent styles, and parsing it whole
    cost 10 ms a report, most of reading a .docx (bench/ --formats)."""

    def __init__(self, raw: bytes | None):
        self.source = raw or b""
        self.raw: dict[str, tuple] = {}
        self.parsed: dict[str, object] = {}

    def element(self, sid: str):
        """The w:style element of this id, parsed alone; None when there is none."""
        if sid in self.parsed:
            return self.parsed[sid]
        m = re.search(rb'<w:style\b[^>]*\bw:styleId="' + re.escape(sid.encode()) + rb'"[^>]*>.*?</w:style>',
                      self.source, re.S)
        self.parsed[sid] = _fragment(m.group(0)) if m else None
        return self.parsed[sid]

    def defaults(self):
        """The w:docDefaults element (the document's default run and paragraph properties)."""
        if "\0defaults" not in self.parsed:
            m = re.search(rb"<w:docDefaults\b.*?</w:docDefaults>", self.source, re.S)
            self.parsed["\0defaults"] = _fragment(m.group(0)) if m else None
        return self.parsed["\0defaults"]

    def default_paragraph(self) -> str | None:
        """The id of the paragraph style a paragraph without w:pStyle has (Normal, 正文)."""
        for m in re.finditer(rb"<w:style\b[^>]*>", self.source):
            tag = m.group(0)
            if b'w:type="paragraph"' in tag and re.search(rb'w:default="(1|true|on)"', tag):
                sid = re.search(rb'w:styleId="([^"]*)"', tag)
                return sid.group(1).decode() if sid else None
        return None

    def _load(self, sid: str) -> tuple | None:
        if sid in self.raw:
            return self.raw[sid]
        st = self.element(sid)
        entry = None
        if st is not None:
            name = st.find(f"{W}name")
            based = st.find(f"{W}basedOn")
            ppr = st.find(f"{W}pPr")
            outline = num = None
            if ppr is not None:
                ol = ppr.find(f"{W}outlineLvl")
                if ol is not None and ol.get(f"{W}val", "").isdigit():
                    outline = int(ol.get(f"{W}val"))
                numpr = ppr.find(f"{W}numPr")
                if numpr is not None:
                    nid, ilvl = numpr.find(f"{W}numId"), numpr.find(f"{W}ilvl")
                    num = (nid.get(f"{W}val") if nid is not None else None,
                           int(ilvl.get(f"{W}val")) if ilvl is not None else 0)
            entry = (name.get(f"{W}val") if name is not None else "", outline, num,
                     based.get(f"{W}val") if based is not None else None)
        self.raw[sid] = entry
        return entry

    def info(self, sid: str | None, depth: int = 0) -> tuple[int | None, tuple[str | None, int] | None]:
        """(heading level 1–9 or None, numbering of the style or None)."""
        entry = self._load(sid) if sid and depth <= 10 else None
        if entry is None:
            return None, None
        name, outline, num, based = entry
        m = _HEADING_NAME.match(name or "")
        level = int(m.group(2)) if m else (outline + 1 if outline is not None and outline < 9 else None)
        if (level is None or num is None) and based:
            b_level, b_num = self.info(based, depth + 1)
            level, num = level if level is not None else b_level, num or b_num
        return level, num


_PARSER = None


def _fragment(xml: bytes):
    """One element cut out of a part, parsed with the w: namespace declared around it."""
    from lxml import etree
    return etree.fromstring(b'<r xmlns:w="' + W[1:-1].encode() + b'">' + xml + b"</r>", _parser())[0]


def _parser():
    """No DTD, no entities, no network (and xmlsafe.refuse_dtd has already turned away any part
    that declares them)."""
    global _PARSER
    if _PARSER is None:
        from lxml import etree
        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return _PARSER


def _xml(zf: zipfile.ZipFile, member: str):
    from lxml import etree
    try:
        return etree.fromstring(zf.read(member), _parser())
    except KeyError:
        return None


def _main_part(zf: zipfile.ZipFile) -> str:
    """The document part named by the package relationships (word/document.xml as a rule)."""
    rels = _xml(zf, "_rels/.rels")
    if rels is not None:
        for rel in rels:
            if rel.get("Type", "").endswith("/officeDocument"):
                return rel.get("Target", "word/document.xml").lstrip("/")
    return "word/document.xml"


def blocks(body):
    """The body's units in reading order, as the reader numbers them (Location.paragraph counts
    them from 1): ("p", w:p, table) for a paragraph, ("row", w:tr, table) for a table row of
    several cells (one line, cells apart: 「行政复议申请（件）  132  186」 — its bare numbers are
    figures, not page numbers). A one-cell row (a table used for layout) gives its paragraphs.
    `table` counts tables from 1, None outside one. The annotate and fix commands walk a .docx
    with this too, so the paragraph a finding names is the one they mark. A stack, not
    recursion: tables nest in cells."""
    table_no = 0
    todo = [(iter(body), None)]
    while todo:
        children, table = todo[-1]
        child = next(children, None)
        if child is None:
            todo.pop()
            continue
        tag = child.tag
        if tag == f"{W}p":
            yield "p", child, table
        elif tag == f"{W}tbl":
            table_no += 1
            todo.append((iter(child.findall(f"{W}tr")), table_no))
        elif tag == f"{W}tr":
            cells = child.findall(f"{W}tc")
            if len(cells) > 1:
                yield "row", child, table
            else:
                todo.append((iter(cells), table))
        elif tag in _CONTAINERS:
            todo.append((iter(child), table))


_CONTAINERS = {f"{W}tc", f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"}


def row_text(tr) -> str:
    """A row of several cells as one line, its cells two spaces apart."""
    return "  ".join(" ".join("".join(_paragraph_lines(p)).strip() for p in tc.iter(f"{W}p")).strip()
                     for tc in tr.findall(f"{W}tc"))


def read(data: bytes, name: str) -> Source:
    # The package is read with zipfile and lxml directly: python-docx opens every part and
    # builds its object model, 10 ms of a report's 12 ms read (bench/ --formats).
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(name, "无法打开 Word 文档，文件可能已损坏；请用 Word/WPS 重新保存") from None
    refuse_dtd(zf, name)
    try:
        main = _main_part(zf)
        document = _xml(zf, main)
        folder = main.rsplit("/", 1)[0]
        numbering = Numbering.of(_xml(zf, f"{folder}/numbering.xml"))
        try:
            styles = _Styles(zf.read(f"{folder}/styles.xml"))
        except KeyError:
            styles = _Styles(None)
    except Exception as e:  # noqa: BLE001 — a broken package fails in many ways
        if "Excessive depth" in str(e):    # libxml2 stops at 256 levels (no huge_tree): no recursion runs away
            raise InputError(name, "Word 文档内部 XML 嵌套超过 256 层，文件可能被恶意构造，拒绝处理") from None
        raise InputError(name, f"无法打开 Word 文档（{type(e).__name__}），文件可能已损坏；请用 Word/WPS 重新保存") from None
    body = document.find(f"{W}body") if document is not None else None
    if body is None:
        raise InputError(name, "Word 文档中没有正文")

    lines: list[str] = []
    locations: list[Location | None] = []
    hints: list[str | None] = []
    para_no = 0

    def paragraph(p, table: int | None):
        nonlocal para_no
        para_no += 1
        ppr = p.find(f"{W}pPr")
        sid, num, level = None, None, None
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            sid = ps.get(f"{W}val") if ps is not None else None
            numpr = ppr.find(f"{W}numPr")
            if numpr is not None:
                nid, ilvl = numpr.find(f"{W}numId"), numpr.find(f"{W}ilvl")
                num = (nid.get(f"{W}val") if nid is not None else None,
                       int(ilvl.get(f"{W}val")) if ilvl is not None else 0)
        level, style_num = styles.info(sid)
        num = num or style_num
        boxes: list = []
        texts = _paragraph_lines(p, boxes)
        label = numbering.label(*num) if num and "".join(texts).strip() else ""
        texts[0] = label + texts[0]
        for t in texts:
            lines.append(t)
            locations.append(Location(paragraph=para_no, table=table))
            hints.append("table" if table else (f"h{min(level, 4)}" if level else None))
        for box in boxes:                       # after the paragraph it is anchored in
            text = "".join(_paragraph_lines(box))
            if text.strip():
                lines.append(text)
                locations.append(Location(paragraph=para_no, table=table))
                hints.append(None)

    own: list[tuple[int, object]] = []           # (paragraph number, w:p) outside tables: the layout's
    for unit, el, table in blocks(body):
        if unit == "p":
            paragraph(el, table)
            if table is None:
                own.append((para_no, el))
            continue
        para_no += 1
        text = row_text(el)
        if text.strip():
            lines.append(text)
            locations.append(Location(paragraph=para_no, table=table))
            hints.append("table")
    if not "".join(lines).strip():
        raise InputError(name, "Word 文档中没有文字")
    return Source(path=name, format="docx", encoding=None, lines=lines, locations=locations, hints=hints,
                  layout=_layout(zf, main, body, styles, own))


_RELATED = {"theme": "/theme", "footer": "/footer", "header": "/header"}


def _layout(zf, main: str, body, styles, paragraphs):
    """The page, fonts and page number (checker/read/docxlayout.py), or None when a part they
    are read from is broken: the text stands without them, and the layout rules say nothing."""
    from .docxlayout import layout_of
    folder = main.rsplit("/", 1)[0]
    cache: list = []

    def parts():
        if not cache:
            rels = _xml(zf, f"{folder}/_rels/{main.rsplit('/', 1)[-1]}.rels")
            for rel in rels if rels is not None else []:
                kind = next((k for k, end in _RELATED.items() if rel.get("Type", "").endswith(end)), None)
                target = rel.get("Target", "")
                if kind is None or rel.get("TargetMode") == "External" or ".." in target:
                    continue
                el = _xml(zf, target.lstrip("/") if target.startswith("/") else f"{folder}/{target}")
                cache.append((kind, rel.get("Id"), el))
        return cache
    try:
        return layout_of(parts, body, styles, paragraphs)
    except Exception:  # noqa: BLE001 — a malformed style or footer part costs only the layout
        return None
