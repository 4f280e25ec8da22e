"""The layout of a .docx as Word shows it, for the GB/T 9704 rules: the page and margins of its
section, each paragraph's font, size and line spacing, and the page number in the footer.

Word decides a run's formatting in layers — the run's own properties, its character style, the
paragraph's style and the styles it is based on, the document defaults, and for a font named by
theme (「+中文正文」) the theme's font — and so does this module. python-docx reads each layer but
resolves none of them (`run.font.name` is None for a run that inherits its font), and opening a
package with it costs 10 ms a report: the reader's lxml trees and its style cut-outs are used
instead (checker/read/docx.py)."""
from __future__ import annotations


from ..compiled import compile_kept
from ..models import Format, Layout, Page
from .docxruns import run_text, runs_of
from .wordnumbering import W

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_TWIP_MM = 25.4 / 1440
# Word's single line for a CJK font is about 1.3 × its size (仿宋 16 pt: 20.8 pt); a spacing of
# 「n 倍」 is n of those
_SINGLE = 1.3
_PAGE_FIELD = compile_kept(r"\bPAGE\b")


class _Resolver:
    """Looks a property up through the layers above a run, caching each style's answer."""

    def __init__(self, styles, theme_fonts: dict[str, str]):
        self.styles = styles
        self.theme = theme_fonts
        self.default_pid = styles.default_paragraph()
        self.cache: dict[tuple, object] = {}
        d = styles.defaults()
        self.default_rpr = d.find(f"{W}rPrDefault/{W}rPr") if d is not None else None
        self.default_ppr = d.find(f"{W}pPrDefault/{W}pPr") if d is not None else None

    def _style_props(self, sid: str | None, tag: str):
        """The w:rPr or w:pPr of a style and of the styles it is based on, nearest first."""
        seen = 0
        while sid and seen < 10:
            st = self.styles.element(sid)
            if st is None:
                return
            props = st.find(f"{W}{tag}")
            if props is not None:
                yield props
            based = st.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else None
            seen += 1

    def run_layers(self, p_style: str | None, rpr):
        """The run properties that apply to a run, nearest first."""
        if rpr is not None:
            yield rpr
            rs = rpr.find(f"{W}rStyle")
            if rs is not None:
                yield from self._style_props(rs.get(f"{W}val"), "rPr")
        yield from self._style_props(p_style or self.default_pid, "rPr")
        if self.default_rpr is not None:
            yield self.default_rpr

    def para_layers(self, p_style: str | None, ppr):
        if ppr is not None:
            yield ppr
        yield from self._style_props(p_style or self.default_pid, "pPr")
        if self.default_ppr is not None:
            yield self.default_ppr

    def font(self, layers) -> str | None:
        latin = None
        for props in layers:
            f = props.find(f"{W}rFonts")
            if f is None:
                continue
            name = f.get(f"{W}eastAsia")
            theme = f.get(f"{W}eastAsiaTheme")
            if name:
                return name
            if theme:
                return self.theme.get("major" if theme.startswith("major") else "minor") or latin
            latin = latin or f.get(f"{W}ascii")
        return latin

    @staticmethod
    def size(layers) -> float | None:
        for props in layers:
            sz = props.find(f"{W}sz")
            if sz is not None and (sz.get(f"{W}val") or "").isdigit():
                return int(sz.get(f"{W}val")) / 2
        return 10.0            # Word's size when nothing sets one

    @staticmethod
    def spacing(layers, size: float | None) -> tuple[float | None, str | None]:
        for props in layers:
            sp = props.find(f"{W}spacing")
            if sp is None or not (sp.get(f"{W}line") or "").lstrip("-").isdigit():
                continue
            line, rule = int(sp.get(f"{W}line")), sp.get(f"{W}lineRule") or "auto"
            if rule in ("exact", "atLeast"):
                return round(line / 20, 1), rule
            return round(line / 240 * _SINGLE * (size or 10.5), 1), "auto"
        return round(_SINGLE * (size or 10.5), 1), "auto"


def _dominant_run(p):
    """The run holding most of the paragraph's text: whose formatting the paragraph reads in."""
    best, most = None, 0
    for r in runs_of(p):
        n = len(run_text(r).strip())
        if n > most:
            best, most = r, n
    return best


def paragraph_format(resolver: _Resolver, p) -> Format | None:
    ppr = p.find(f"{W}pPr")
    ps = ppr.find(f"{W}pStyle") if ppr is not None else None
    sid = ps.get(f"{W}val") if ps is not None else None
    run = _dominant_run(p)
    if run is None:
        return None
    rpr = run.find(f"{W}rPr")
    key = (sid, None if rpr is None else _props_key(rpr), None if ppr is None else _props_key(ppr))
    if key not in resolver.cache:
        size = resolver.size(resolver.run_layers(sid, rpr))
        spacing, rule = resolver.spacing(resolver.para_layers(sid, ppr), size)
        resolver.cache[key] = Format(font=resolver.font(resolver.run_layers(sid, rpr)), size=size,
                                     spacing=spacing, spacing_rule=rule)
    return resolver.cache[key]


def _props_key(el) -> bytes:
    from lxml import etree
    return etree.tostring(el)


def _theme_fonts(theme) -> dict[str, str]:
    """major/minor → the theme's East-Asian font (its a:ea, else the one for simplified Chinese)."""
    out = {}
    if theme is None:
        return out
    for which in ("major", "minor"):
        f = theme.find(f".//{_A}{which}Font")
        if f is None:
            continue
        ea = f.find(f"{_A}ea")
        name = ea.get("typeface") if ea is not None else ""
        if not name:
            hans = next((x for x in f.findall(f"{_A}font") if x.get("script") == "Hans"), None)
            name = hans.get("typeface") if hans is not None else ""
        if name:
            out[which] = name
    return out


def _page(sect) -> Page | None:
    if sect is None:
        return None
    sz, mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    if sz is None or mar is None:
        return None

    def mm(el, attr, default):
        v = el.get(f"{W}{attr}")
        return round((int(v) if v and v.lstrip("-").isdigit() else default) * _TWIP_MM, 1)
    return Page(width=mm(sz, "w", 12240), height=mm(sz, "h", 15840), top=abs(mm(mar, "top", 1440)),
                bottom=abs(mm(mar, "bottom", 1440)), left=mm(mar, "left", 1800), right=mm(mar, "right", 1800))


def _page_number(resolver: _Resolver, part) -> Format | None:
    """The format of the PAGE field in a header or footer part, None when it has none."""
    if part is None:
        return None
    for el in part.iter(f"{W}fldSimple", f"{W}instrText"):
        code = el.get(f"{W}instr") if el.tag == f"{W}fldSimple" else (el.text or "")
        if not _PAGE_FIELD.search(code or ""):
            continue
        run = el.find(f"{W}r") if el.tag == f"{W}fldSimple" else el.getparent()
        p = next((a for a in el.iterancestors(f"{W}p")), None)
        ppr = p.find(f"{W}pPr") if p is not None else None
        ps = ppr.find(f"{W}pStyle") if ppr is not None else None
        sid = ps.get(f"{W}val") if ps is not None else None
        rpr = run.find(f"{W}rPr") if run is not None else None
        size = resolver.size(resolver.run_layers(sid, rpr))
        return Format(font=resolver.font(resolver.run_layers(sid, rpr)), size=size)
    return None


def layout_of(parts, body, styles, paragraphs: list[tuple[int, object]]) -> Layout:
    """The layout of the document whose body and styles the reader parsed; `parts(kind)` gives
    the parsed parts the main part relates to by relationship type (theme, footer, header),
    each as (type, r:id, element); `paragraphs` is (Location.paragraph, w:p) for the body's
    paragraphs."""
    theme = next((el for kind, _, el in parts() if kind == "theme"), None)
    resolver = _Resolver(styles, _theme_fonts(theme))
    formats = {}
    for n, p in paragraphs:
        f = paragraph_format(resolver, p)
        if f is not None:
            formats[n] = f
    sect = body.find(f"{W}sectPr")
    if sect is None:
        last = body.findall(f".//{W}pPr/{W}sectPr")
        sect = last[-1] if last else None
    by_id = {rid: (kind, el) for kind, rid, el in parts()}
    number, in_footer = None, False
    if sect is not None:
        for ref in sect:
            if ref.tag not in (f"{W}footerReference", f"{W}headerReference"):
                continue
            kind, el = by_id.get(ref.get(f"{_R}id"), (None, None))
            found = _page_number(resolver, el)
            if found is not None and (number is None or kind == "footer"):
                number, in_footer = found, kind == "footer"
    return Layout(page=_page(sect), formats=formats, page_number=number, footer=in_footer)
