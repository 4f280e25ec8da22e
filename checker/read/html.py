"""Web pages saved from government sites: the article found (CMS containers from rules/html.yaml,
else the densest block of unlinked Chinese text), page furniture dropped, <p>/<br>/blocks made
lines, the article's title and publication date kept."""
from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import lexicon
from ..errors import InputError
from ..models import Source
from ..resources import load_yaml, rules_dir
from . import txt

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "section", "article", "h1", "h2",
          "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "dl", "center", "hr"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_PUB = re.compile(r"(发布|发稿|成文)?(时间|日期)\s*[:：]\s*((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


@lru_cache(maxsize=1)
def _cfg() -> dict:
    return load_yaml(rules_dir() / "html.yaml")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    m = _CHARSET.search(data[:4096])
    if m:
        enc = m.group(1).decode("ascii").lower()
        enc = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(enc, enc)
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return txt.decode(data, name)


def _lines(node) -> list[str]:
    """The node's text with a line break at every block element and <br>."""
    out, buf = [], []

    def flush():
        line = re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", "".join(buf)).strip()
        if line:
            out.append(line)
        buf.clear()

    def walk(n):
        c = n.child
        while c is not None:
            tag = c.tag
            if tag == "-text":
                buf.append(c.text(deep=False) or "")
            elif tag in _BLOCK:
                flush()
                walk(c)
                flush()
            elif tag in ("td", "th"):
                walk(c)
                buf.append(" ")             # cells of a row apart: 「132 186」, not 「132186」
            elif tag not in ("-comment",):
                walk(c)
            c = c.next

    walk(node)
    flush()
    return out


def _cjk(s: str) -> int:
    return len(_CJK.findall(s))


def _densest(root):
    """The block holding the report: most unlinked Chinese text (links count against it, so
    menus and lists of related articles lose); of blocks holding nearly as much, the smallest."""
    scored = []
    for n in [root, *root.css("div, td, section, article, main")]:
        text = n.text(deep=True) or ""
        links = sum(_cjk(a.text(deep=True) or "") for a in n.css("a"))
        scored.append((_cjk(text) - 2 * links, len(text), n))
    top = max(s for s, _, _ in scored)
    return min((x for x in scored if x[0] >= 0.9 * top), key=lambda x: x[1])[2]


def read(data: bytes, name: str) -> Source:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        raise InputError(name, "读取网页需要 selectolax：pip install selectolax") from None
    html, enc = _decode(data, name)
    tree = LexborHTMLParser(html)
    cfg = _cfg()
    title = None
    for sel in cfg["title"]:
        node = tree.css_first(sel)
        if node is not None:
            title = (node.attributes.get("content") if node.tag == "meta" else node.text(deep=True)) or None
            if title and _cjk(title) >= 4:
                title = re.sub(r"\s+", " ", title).strip()
                title = lexicon().title_site_suffix.sub("", title)
                break
            title = None
    published = None
    for sel in cfg["published"]:
        node = tree.css_first(sel)
        if node is not None and node.attributes.get("content"):
            m = re.search(r"((?:19|20)\d{2})\D(\d{1,2})\D(\d{1,2})", node.attributes["content"])
            if m:
                published = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
                break
    if published is None and tree.body is not None:
        m = _PUB.search(tree.body.text(deep=True) or "")
        if m:
            published = f"{m.group(3)}-{int(m.group(4)):02d}-{int(m.group(5)):02d}"
    root = tree.body or tree.root
    if root is None:
        raise InputError(name, "网页中没有正文")
    for tag in cfg["drop"]:
        for n in root.css(tag):
            n.decompose()
    article = None
    for sel in cfg["article"]:
        node = root.css_first(sel)
        if node is not None and _cjk(node.text(deep=True) or "") >= cfg["min_chars"]:
            article = node
            break
    if article is None:
        article = _densest(root)
    lines = _lines(article)
    if not "".join(lines).strip():
        raise InputError(name, "网页中没有找到正文文字")
    if title and not any(title.replace(" ", "") in ln.replace(" ", "") for ln in lines[:5]):
        lines.insert(0, title)
    if published:
        from datetime import date
        try:
            date.fromisoformat(published)
        except ValueError:
            published = None
    return Source(path=name, format="html", encoding=enc, lines=lines, published=published, title=title)
