"""Web pages saved from government sites: the article found (CMS containers from rules/html.yaml,
else the densest block of unlinked Chinese text), page furniture dropped, <p>/<br>/blocks made
lines, the article's title and publication date kept."""
from __future__ import annotations

import re
from functools import lru_cache

from ..compiled import compile_kept
from ..lexicon import lexicon
from ..errors import InputError
from ..models import Source
from ..resources import load_yaml, rules_dir
from . import txt
from .htmlbounds import bound

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "section", "article", "h1", "h2",
          "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "dl", "center", "hr"}
_CJK = compile_kept(r"[\u4e00-\u9fff]")
_CHARSET = compile_kept(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_PUB = compile_kept(r"(发布|发稿|成文)?(时间|日期)\s*[:：]\s*((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


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


_FLUSH, _CELL = object(), object()       # markers on the walk's stack: end of a block, of a cell


def _lines(node) -> list[str]:
    """The node's text with a line break at every block element and <br>. The tree is walked
    with a stack of its own, not by recursion: a page nested 1,000 deep broke Python's limit."""
    out, buf = [], []

    def flush():
        line = re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", "".join(buf)).strip()
        if line:
            out.append(line)
        buf.clear()

    todo = [_children(node)]
    while todo:
        top = todo[-1]
        if top is _FLUSH:
            todo.pop()
            flush()
            continue
        if top is _CELL:
            todo.pop()
            buf.append(" ")                 # cells of a row apart: 「132 186」, not 「132186」
            continue
        c = next(top, None)
        if c is None:
            todo.pop()
            continue
        tag = c.tag
        if tag == "-text":
            buf.append(c.text(deep=False) or "")
        elif tag in _BLOCK:
            flush()
            todo += [_FLUSH, _children(c)]
        elif tag in ("td", "th"):
            todo += [_CELL, _children(c)]
        elif tag != "-comment":
            todo.append(_children(c))
    flush()
    return out


def _children(n):
    c = n.child
    while c is not None:
        yield c
        c = c.next


def _cjk(s: str) -> int:
    return len(_CJK.findall(s))


_CANDIDATE = frozenset({"div", "td", "section", "article", "main"})


def _densest(root):
    """The block holding the report: most unlinked Chinese text (links count against it, so
    menus and lists of related articles lose); of blocks holding nearly as much, the smallest.

    Every block's counts come from one walk up the tree, each text counted once: asking each
    block for its text made a page nested 250 deep cost 250 times its size (35 s)."""
    scored = []                  # [Chinese characters, of them in links, characters, node], in page order
    path = []                    # the open elements' counts, the walk's own stack
    todo = [(root, True)]
    while todo:
        node, entering = todo.pop()
        if not entering:                       # all of it counted: add it to the element above
            cjk, links, length, _, is_link = path.pop()
            if path:
                up = path[-1]
                up[0] += cjk
                up[1] += cjk if is_link else links
                up[2] += length
            continue
        tag = node.tag
        if tag == "-text":
            text = node.text(deep=False) or ""
            if path:
                path[-1][0] += _cjk(text)
                path[-1][2] += len(text)
            continue
        if tag == "-comment":
            continue
        entry = [0, 0, 0, node, tag == "a"]
        path.append(entry)
        if node is root or tag in _CANDIDATE:
            scored.append(entry)
        todo.append((node, False))
        todo.extend((c, True) for c in reversed(list(_children(node))))
    ranked = [(cjk - 2 * links, length, node) for cjk, links, length, node, _ in scored]
    top = max(s for s, _, _ in ranked)
    return min((x for x in ranked if x[0] >= 0.9 * top), key=lambda x: x[1])[2]


def read(data: bytes, name: str) -> Source:
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        raise InputError(name, "读取网页需要 selectolax：pip install selectolax") from None
    html, enc = _decode(data, name)
    tree = LexborHTMLParser(bound(html, name))
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
