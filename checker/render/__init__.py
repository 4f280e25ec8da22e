"""Rendering results through the Jinja templates in templates/: terminal (rich markup),
Markdown, HTML; JSON is the model itself (the contract in DEVELOPERS.md)."""
from __future__ import annotations

from functools import lru_cache


from .. import __version__, safe
from ..mark import TEXT as MARK
from ..models import ELEMENTS, LEVEL_NAMES, SEVERITIES, Result, place
from ..elements import spec
from . import marks

EXTENSIONS = {"terminal": "txt", "json": "json", "md": "md", "html": "html"}
STATUS = {"standalone": ("✔", "单列"), "embedded": ("△", "散见"), "absent": ("✘", "缺失"),
          "unknown": ("？", "未能判断")}   # unknown: the text breaks off before the part could come
SEVERITY = dict(zip(SEVERITIES, ("错误", "警告", "提示"), strict=True))   # in models.SEVERITIES' order


def _pad(s: str, width: int) -> str:
    """Pad to a display width (CJK characters take two cells)."""
    from rich.cells import cell_len
    return s + " " * max(0, width - cell_len(s))


# What every printed value of a template becomes, by the medium the template writes: report
# text and file names made safe (checker/safe.py). A filter that has already made its value safe
# for the medium (rx, mdcell, code) marks it as Markup, which is then left as it is.
_FINALIZE = {"terminal": safe.terminal, "md": safe.md_text, "html": safe.visible}


@lru_cache(maxsize=None)
def env(medium: str = "html"):
    """The Jinja environment for one medium: terminal (rich markup), md, or html (also the
    environment of pages that are the tool's own, like rules.md)."""
    # imported here: JSON output needs no templates, and jinja2 costs ~50 ms of start-up
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    from markupsafe import Markup

    clean = _FINALIZE[medium]

    def finalize(value):
        if value is None or isinstance(value, (int, float)):
            return value
        if isinstance(value, Markup):   # made safe by a filter for this medium
            return value
        return clean(str(value))

    e = Environment(loader=PackageLoader("checker.render", "templates"),
                    autoescape=select_autoescape(["html", "html.j2"]),
                    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                    keep_trailing_newline=True, finalize=finalize)
    # a filter's Markup passes finalize unescaped: each medium has only its own
    if medium == "terminal":
        e.filters["rx"] = lambda s: Markup(safe.terminal(str(s)))
        e.filters["pad"] = _pad
        from .capped import blocks, indicator_rows, more_indicators
        e.globals.update(blocks=blocks, indicator_rows=indicator_rows, more_indicators=more_indicators)
    if medium == "md":
        e.filters["mdcell"] = lambda s: Markup(safe.md_text(str(s)))
        e.filters["code"] = lambda s: Markup(safe.md_code(str(s)))
    e.filters["place"] = lambda f: place(f.line, f.location)
    e.globals.update(LEVELS=LEVEL_NAMES, STATUS=STATUS, SEVERITY=SEVERITY, version=__version__,
                     mark=MARK)   # every output says it is one (checker/mark.py)
    return e


def context(result: Result, source_lines: list[str] | None = None) -> dict:
    elements = spec()["elements"]
    outline = [{"id": k, "label": elements[k].label, "name": elements[k].name,
                "optional": elements[k].optional, **result.outline[k].model_dump()} for k in ELEMENTS]
    groups = [(sev, [f for f in result.findings if f.severity == sev and not f.waived]) for sev in SEVERITY]
    waived = [f for f in result.findings if f.waived]
    number = {id(f): k for k, f in enumerate(result.findings)}
    return {"r": result, "outline": outline, "element_label": {k: elements[k].label for k in ELEMENTS},
            "groups": [g for g in groups if g[1]], "waived": waived, "lines": source_lines or [],
            # a finding's number on a page (#F<n>, its first mark #M<n>): its place in the result
            "num": lambda f: number[id(f)]}


def text_section(result: Result, source_lines: list[str], detail: bool = True) -> str:
    """The report's text with its findings marked (templates/_text.html.j2), as HTML on its own:
    the HTML result embeds it; the server renders it in the worker that checked the report,
    where the time it takes on a long report holds no other request."""
    from markupsafe import Markup
    macro = env("html").get_template("_text.html.j2").module.text_rows
    removed = {r.line: r for r in result.removed if r.kind not in ("markup", "more")}
    text_rows, _ = marks.rows(source_lines, result.findings)
    return Markup(macro(text_rows, result.findings, removed, SEVERITY, detail))


def to_json(results: list[Result], array: bool | None = None) -> str:
    """One object for one result, an array for several or when asked (the contract: an array
    whenever several inputs were given). pydantic's serializer: ~10× json.dumps."""
    return json_array([r.model_dump_json(indent=2) for r in results], array)


def json_array(texts: list[str], array: bool | None = None) -> str:
    """The JSON of results, each already a JSON object (a worker's), as to_json gives them."""
    if not (len(texts) > 1 if array is None else array):
        return texts[0]
    inner = ",\n".join("  " + t.replace("\n", "\n  ") for t in texts)
    return "[\n" + inner + "\n]" if inner else "[]"


def render(result: Result, fmt: str, source_lines: list[str] | None = None) -> str:
    if fmt == "json":
        return to_json([result])
    name = {"terminal": "terminal.j2", "md": "report.md.j2", "html": "report.html.j2"}[fmt]
    ctx = context(result, source_lines)
    if fmt == "html":           # the marked text: the HTML result's alone, not the others'
        ctx["text_html"] = text_section(result, source_lines, detail=False) if source_lines else ""
    return env(fmt).get_template(name).render(**ctx)


def render_checklist(checklist, fmt: str) -> str | bytes:
    """The 核查清单 as html, md (text) or docx (bytes)."""
    if fmt == "docx":
        from .checklist_docx import to_docx
        return to_docx(checklist)
    name = {"html": "checklist.html.j2", "md": "checklist.md.j2"}[fmt]
    return env(fmt).get_template(name).render(c=checklist)
