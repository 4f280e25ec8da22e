"""Line classification: give each cleaned line its role (a terminal of grammar/report.lark),
decide the nesting depth of every heading, and repair markers damaged by copying.

Order of the passes matters: the closing block is found from the end and the head from the
start, so that a date or a short unit name in the body is never mistaken for either; headings
are found next, then paragraphs that lost their marker entirely (they are recognised only
beside a sibling heading); depth and numbering come last, when all headings are known.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

from ..compiled import compile_kept
from ..lexicon import Lexicon, lexicon
from ..models import Classified, Line
from ..elements import heading_elements
from ..text import cn_to_int

HEADING_KINDS = ("H1", "H2", "H3", "H4")
HEAD_KINDS = ("TITLE", "NOTE", "HDATE", "ADDRESSEE")
CLOSING_KINDS = ("CLOSING", "SIGN", "DATE", "ATTACH", "TAIL")
_MAX_DEPTH = len(HEADING_KINDS)
_SIGN_MAX = 40
_ATTACH_WINDOW = 15     # an attachment list sits among the last lines
_UNNUMBERED_MAX = 30    # an unnumbered part heading is a short line


def _is_date(lx: Lexicon, norm: str) -> bool:
    return bool(lx.date.match(norm) or lx.iso_date.match(norm) or lx.bare_date.match(norm))


def _split_heading(lx: Lexicon, rest: str) -> tuple[int, int]:
    """Where the heading text ends and where the body run into the same line starts."""
    m = lx.heading_end.search(rest)
    if m and m.start() <= lx.heading_max:
        return m.start(), m.end()
    if len(rest) <= lx.heading_max:
        return len(rest), len(rest)
    return lx.heading_max, lx.heading_max


def _number(m) -> int | None:
    if m is None:
        return None
    g = m.groupdict()
    return cn_to_int(g.get("num") or g.get("num2") or "")


def _attachment_start(lx: Lexicon, lines: list[Line]) -> int | None:
    """The first line of the attachments: 「附件：」「附表1」… among the last lines (a list of
    attachments above the signature), or anywhere right after the signature or date (tables of
    figures appended to the report, however long)."""
    n, first = len(lines), None
    for i, line in enumerate(lines):
        if not lx.attachment.match(line.norm):
            continue
        before = [lines[j].norm for j in range(max(0, i - 3), i)]
        if i >= n - _ATTACH_WINDOW or any(_is_date(lx, b) or (len(b) <= _SIGN_MAX and lx.signature.match(b))
                                          for b in before):
            first = i
            break
    if first is None:
        # a Word table right after the date or signature, with no 「附件」 line: appended figures
        j = n - 1
        while j >= 0 and lines[j].hint == "table":
            j -= 1
        if 0 <= j < n - 1 and (_is_date(lx, lines[j].norm)
                               or (len(lines[j].norm) <= _SIGN_MAX and lx.signature.match(lines[j].norm))):
            first = j + 1
    return first


def _closing_start(lx: Lexicon, lines: list[Line], out: list[Classified | None]) -> int:
    n = len(lines)
    attach = _attachment_start(lx, lines)
    start = n
    for i in range(n - 1, -1, -1):
        norm = lines[i].norm
        if lines[i].hint == "table" and (attach is None or i < attach):
            break
        if lx.closing_phrase.match(norm):
            kind = "CLOSING"
        elif _is_date(lx, norm):
            kind = "DATE"
        elif len(norm) <= _SIGN_MAX and lx.signature.match(norm):
            kind = "SIGN"
        elif attach is not None and i == attach:
            kind = "ATTACH"
        elif (attach is not None and i > attach) or lx.tail_lines.match(norm):
            kind = "TAIL"
        else:
            break
        out[i] = Classified(line=lines[i], kind=kind)
        start = i
    return start


def _header_end(lx: Lexicon, lines: list[Line], out: list[Classified | None], stop: int) -> int:
    """The head: short lines before the text. Among them the title (the line that names the
    topic and ends like a title, with the unit line(s) above it when it names no unit itself,
    and its repeats), a date, the addressee; any other short line — a site's column name, a
    letterhead, a site's name — is NOTE, never part of the title."""
    i = 0
    limit = min(stop, lx.header_max_lines)
    candidates: dict[int, str] = {}     # short head lines → their text without a site's name after it
    title = None                # index of the line that completes the title
    while i < limit:
        norm = lines[i].norm
        if lines[i].hint is not None and lines[i].hint != "h1" or lx.opens_structure(norm):
            break
        if lx.date.match(norm) or lx.iso_date.match(norm):
            out[i] = Classified(line=lines[i], kind="HDATE")
        elif len(norm) <= _SIGN_MAX and lx.addressee.match(norm):
            out[i] = Classified(line=lines[i], kind="ADDRESSEE")
            i += 1
            break
        elif len(norm) <= lx.title_max and not lx.body_line.search(norm):
            norm = lx.title_site_suffix.sub("", norm)       # 「…报告 - 某某县人民政府」
            ends = bool(lx.title_end.search(norm))
            if title is not None:
                if not (ends and _repeats(lines[title].norm, norm)):
                    break   # after the title only its repetition is head (「工作开展情况」 is a part)
            elif ends and lx.title_topic.search(norm):
                title = i
            candidates[i] = norm
            out[i] = Classified(line=lines[i], kind="NOTE")
        else:
            break
        i += 1
    if title is None:
        # no line both names the topic and ends like a title: the first that ends like one
        # (「…工作总结」), else the first that names the topic (a title with no genre word)
        title = next((j for j, norm in candidates.items() if lx.title_end.search(norm)), None)
        if title is None:
            title = next((j for j, norm in candidates.items() if lx.title_topic.search(norm)), None)
    if title is not None:
        for j in _title_lines(lx, lines, list(candidates), title):
            out[j] = Classified(line=lines[j], kind="TITLE")
    return i


def _title_lines(lx: Lexicon, lines: list[Line], candidates: list[int], title: int) -> list[int]:
    """The lines that make the title: the completing line, the unit line(s) right above it
    when it names no unit of its own (「灵寿县人民政府」/「关于2025年度…的报告」), the first half of
    a title wrapped over two lines, and its repeats below."""
    chosen = [title]
    k = candidates.index(title)
    norm = lines[title].norm
    j = k - 1
    if j >= 0 and candidates[j] == title - 1:
        prev = lines[title - 1].norm
        if lx.title_without_unit.match(norm) or not lx.title_topic.search(norm):
            while j >= 0 and candidates[j] == chosen[0] - 1 and (
                    lx.unit_line.match(lines[candidates[j]].norm)
                    or (not lx.title_topic.search(norm) and lx.title_topic.search(prev))):
                chosen.insert(0, candidates[j])
                if not lx.unit_line.match(lines[candidates[j]].norm):
                    break       # the first half of a wrapped title: nothing above it
                j -= 1
    return chosen + candidates[k + 1:]


def _repeats(title: str, norm: str) -> bool:
    """Is `norm` the title again (perhaps a little different, as web pages repeat it)?"""
    a, b = set(title), set(norm)
    return len(a & b) >= 0.6 * min(len(a), len(b))


def _heading(lx: Lexicon, line: Line, start: int, style: str, kind: str, number: int | None,
             repair: str | None = None) -> Classified:
    """A heading line: marker up to `start`, then the heading text, then any run-in body."""
    end, body_at = _split_heading(lx, line.norm[start:])
    body_at += start
    while body_at < len(line.text) and line.text[body_at].isspace():
        body_at += 1
    return Classified(line=line, kind=kind, style=style, number=number,
                      marker=line.text[:start].strip(), heading=line.text[start:start + end].strip(),
                      body=line.text[body_at:].strip(), body_at=body_at, repair=repair)


def _classify_body(lx: Lexicon, line: Line, prev: Classified | None) -> Classified:
    norm = line.norm
    if line.hint == "table":
        return Classified(line=line, kind="PARA")     # table cells are content, never structure
    for mk in lx.headings:
        m = mk.pattern.match(norm)
        if m:
            return _heading(lx, line, m.end(), mk.style, "HEADING", _number(m))
    m = lx.item.pattern.match(norm)
    if m:
        return _heading(lx, line, m.end(), "item", "ITEM", _number(m))
    for mk in lx.repairs:
        if mk.after and not (prev is not None and prev.style == mk.after):
            continue
        m = mk.pattern.match(norm)
        if m:
            return _heading(lx, line, m.end(), mk.style, "ITEM" if mk.style == "item" else "HEADING",
                            _number(m), mk.repair)
    if line.hint and line.hint[0] == "h" and len(norm) <= lx.heading_max:
        # a Word heading style without a number: the style says the level
        style = lx.headings[min(int(line.hint[1:]), len(lx.headings)) - 1].style
        return _heading(lx, line, 0, style, "HEADING", None, "unnumbered")
    return Classified(line=line, kind="PARA")


def _run_in(c: Classified | None) -> bool:
    return c is not None and c.kind == "HEADING" and bool(c.body)


class _Nearest:
    """Headings by level, to find the nearest one at or above a level before or after a line in
    logarithmic time (a pasted table can make thousands of candidate lines)."""

    def __init__(self, lx: Lexicon, body: list[Classified], numbered_only: bool):
        self.lx = lx
        self.by_rank: list[list[int]] = [[] for _ in lx.headings]
        for i, c in enumerate(body):
            if c.kind == "HEADING" and c.style != "item" and (c.number is not None or not numbered_only):
                self.add(i, c.style)

    def add(self, i: int, style: str) -> None:
        for r in range(self.lx.rank(style), len(self.by_rank)):
            insort(self.by_rank[r], i)

    def after(self, i: int, r: int) -> int | None:
        lst = self.by_rank[r]
        k = bisect_right(lst, i)
        return lst[k] if k < len(lst) else None

    def before(self, i: int, r: int) -> int | None:
        lst = self.by_rank[r]
        k = bisect_left(lst, i) - 1
        return lst[k] if k >= 0 else None


def _find_lost_markers(lx: Lexicon, body: list[Classified]) -> None:
    """A paragraph opening with a heading-like couplet, right beside a run-in sibling heading,
    is a heading whose marker was lost entirely — unless the siblings' numbers leave no room
    for it ((一) here (二) means it is only (一)'s second paragraph)."""
    near = _Nearest(lx, body, numbered_only=False)
    for i, c in enumerate(body):
        if c.kind != "PARA" or not lx.lost_marker.match(c.line.norm) or lx.not_heading_lead.match(c.line.norm):
            continue
        prev = body[i - 1] if i else None
        nxt = body[i + 1] if i + 1 < len(body) else None
        if _run_in(prev) and prev.style != "item" and prev.repair != "item_parts":
            sib, r = prev, lx.rank(prev.style)
            j = near.after(i, r)
            after = body[j] if j is not None else None
            if sib.number is not None and after is not None and after.style == sib.style \
                    and after.number == sib.number + 1:
                continue
        elif _run_in(nxt) and nxt.style != "item" and nxt.repair != "item_parts":
            sib, r = nxt, lx.rank(nxt.style)
            j = near.before(i, r)
            before = body[j] if j is not None else None
            p = before.number if before is not None and before.style == sib.style else 0
            if sib.number is not None and (p is None or sib.number - p != 2):
                continue
        else:
            continue
        body[i] = _heading(lx, c.line, 0, sib.style, "HEADING", None, "lost_marker")
        near.add(i, sib.style)


_SENTENCE_PUNCT = compile_kept(r"[。;；!！?？:：]")


def _heading_like(lx: Lexicon, c: Classified) -> bool:
    """A paragraph that reads like a heading without its marker: short and unpunctuated, or
    opening with the couplet that run-in headings carry."""
    norm = c.line.norm
    if lx.not_heading_lead.match(norm):
        return False
    return ((len(norm) <= lx.heading_max and not _SENTENCE_PUNCT.search(norm))
            or bool(lx.lost_marker.match(norm)))


# 「一、」 is the top of most reports; 「第一部分」 sits above it in those that use it
_TOP_PLAIN = "cn"
_ABOVE_TOP = ("part",)


def _fill_gaps(lx: Lexicon, body: list[Classified]) -> None:
    """A heading-like paragraph sitting exactly where a number is missing — (一) … here … (三),
    or here … 二、 with no 一、 before — is that heading with its marker lost. After the last
    sibling there is no number to bracket it: a top-level line must then name an outline element,
    a lower one must look like its siblings (stand-alone heading lines)."""
    near = _Nearest(lx, body, numbered_only=True)
    deepest_first = [m.style for m in reversed(lx.headings)]
    # the top level of this report: 「一、」, or 「第一部分」 when it uses those
    top_rank = min((lx.rank(c.style) for c in body if c.kind == "HEADING" and c.style in _ABOVE_TOP),
                   default=lx.rank(_TOP_PLAIN))
    for i, c in enumerate(body):
        if c.kind != "PARA" or not _heading_like(lx, c):
            continue
        for style in deepest_first:
            r = lx.rank(style)
            j, k = near.after(i, r), near.before(i, r)
            nxt = body[j] if j is not None else None
            prev = body[k] if k is not None else None
            p = prev.number if prev is not None and prev.style == style else 0
            if nxt is not None and nxt.style == style:
                fits = nxt.number - p == 2
            elif nxt is None or lx.rank(nxt.style) < r:
                after = body[i + 1] if i + 1 < len(body) else None      # its body or a sub-heading
                follows = after is not None and (after.kind in ("PARA", "ITEM") or (
                    after.kind == "HEADING" and after.style != "item" and lx.rank(after.style) > r))
                fits = p >= 1 and follows and (
                    _names_later_element(c.line.text, prev.heading) and not _SENTENCE_PUNCT.search(c.line.norm)
                    if r <= top_rank else
                    bool(lx.heading_line.match(c.line.norm)) and not prev.body)
            else:
                fits = False
            if fits:
                body[i] = _heading(lx, c.line, 0, style, "HEADING", p + 1, "lost_marker")
                body[i].expected_marker = lx.render(style, p + 1)
                near.add(i, style)
                break


def _names_later_element(text: str, prev_heading: str) -> bool:
    """Does `text` name an outline element that comes after what the last part carries? A new
    top-level part after 「四、2025年工作安排」 must be, say, 其他情况 — 「全面落实年度普法计划」
    is one of the plan's items."""
    from ..elements import spec
    order = spec()["order"]
    mine = heading_elements(text, None)
    before = heading_elements(prev_heading, None)
    last = max((order.index(e) for e in before), default=-1)
    return any(order.index(e) > last for e in mine)


def _unnumbered_parts(lx: Lexicon, body: list[Classified]) -> None:
    """In a report whose top-level parts carry no 「一、」 at all, a short unpunctuated line that
    names an outline element (「存在的问题和不足」) is a top-level heading without its number;
    so are paragraphs led by 「一是」「二是」… whose leads name the outline's elements."""
    top = _TOP_PLAIN
    if any(c.style in (top, *_ABOVE_TOP) for c in body):
        return
    for i, c in enumerate(body):
        norm = c.line.norm
        if (c.kind == "PARA" and len(norm) <= _UNNUMBERED_MAX and not _SENTENCE_PUNCT.search(norm)
                and heading_elements(c.line.text, None)):
            body[i] = _heading(lx, c.line, 0, top, "HEADING", None, "unnumbered")
    _item_parts(lx, body)


_LEAD_END = compile_kept(r"[,，。;；:：!！?？]")


def _item_lead(lx: Lexicon, c: Classified) -> tuple[int, int, int] | None:
    """Where an item's marker ends, its lead clause ends and the text after it starts."""
    m = lx.item.pattern.match(c.line.norm)
    if m is None:
        return None
    e = _LEAD_END.search(c.line.norm, m.end())
    end = e.start() if e else len(c.line.norm)
    return m.end(), end, e.end() if e else end


def _reads_as_lead(norm: str, at: tuple[int, int, int]) -> bool:
    """A part's lead is a line of its own (「一是主要举措和成效」) or a clause closed by 。 or ：
    with the part's text after it — not a whole one-sentence item, nor a clause running on."""
    _, end, body_at = at
    return end == len(norm) or (norm[end] in "。:" and bool(norm[body_at:].strip()))


def _item_parts(lx: Lexicon, body: list[Classified]) -> None:
    """「一是主要举措和成效。……」「二是存在的不足和原因。……」「三是2025年工作安排。……」: in a report
    with no 「一、」, paragraphs led by 一是, 二是… whose short leads name at least two different
    outline elements are its top-level parts (the items numbered in between, thematic parts of
    the measures, too). An ordinary run of items — 「一是学法不深；二是执法人员不足」, all
    shortcomings — names one element at most and stays as it is; so do items under a heading."""
    items = [i for i, c in enumerate(body) if c.kind == "ITEM" and c.repair is None and c.number]
    chain: list[int] = []
    named: set[str] = set()
    for i in items:
        at = _item_lead(lx, body[i])
        if at is None or at[1] - at[0] > _UNNUMBERED_MAX or not _reads_as_lead(body[i].line.norm, at):
            continue
        els = heading_elements(body[i].line.text[at[0]:at[1]], None)
        if els and (not chain or body[i].number > body[chain[-1]].number):
            chain.append(i)
            named.update(els)
    if len(chain) < 2 or len(named) < 2:
        return
    if any(c.kind == "HEADING" and c.style != "item" for c in body[:chain[0]]):
        return                  # the items sit under a heading: not the top level
    # the items numbered between two parts (before the first) and nothing else there are parts too
    parts, prev_i, prev_n = [], -1, 0
    for i in chain:
        between = [j for j in items if prev_i < j < i]
        if [body[j].number for j in between] == list(range(prev_n + 1, body[i].number)):
            parts.extend(between)
        parts.append(i)
        prev_i, prev_n = i, body[i].number
    for i in parts:
        c = body[i]
        start, end, body_at = _item_lead(lx, c)
        while body_at < len(c.line.text) and c.line.text[body_at].isspace():
            body_at += 1
        body[i] = Classified(line=c.line, kind="HEADING", style=_TOP_PLAIN, number=c.number,
                             marker=c.line.text[:start].strip(), heading=c.line.text[start:end].strip(),
                             body=c.line.text[body_at:].strip(), body_at=body_at, repair="item_parts")


def _inline_predecessor(lx: Lexicon, prev_para: Classified | None, n: int) -> bool:
    """Is item n's predecessor (…一是…) written inside the previous paragraph?"""
    return prev_para is not None and n > 1 and f"{lx.item.format(n - 1)}" in prev_para.line.norm


def _depth_and_numbers(lx: Lexicon, body: list[Classified]) -> None:
    stack: list[tuple[int, int]] = []          # (rank of style, index of heading) of open headings
    last: dict[tuple[int, str], int] = {}      # (parent index, style) → last number used
    item_last = 0
    prev_para = None
    for i, c in enumerate(body):
        if c.kind == "HEADING":
            r = lx.rank(c.style)
            while stack and stack[-1][0] >= r:
                stack.pop()
            depth = len(stack) + 1
            parent = stack[-1][1] if stack else -1
            stack.append((r, i))
            key = (parent, c.style)
            prior = last.get(key, 0)
            if c.number is None:
                c.number = prior + 1
                c.expected_marker = lx.render(c.style, c.number)
            elif c.number == prior:
                c.repair = c.repair or "repeated"
                c.expected_marker = lx.render(c.style, prior + 1)
            elif c.number > prior + 1 or (c.number < prior):
                c.repair = c.repair or ("skipped" if c.number > prior + 1 else "out_of_order")
                c.expected_marker = lx.render(c.style, prior + 1)
            last[key] = c.number
            if c.repair and not c.expected_marker:
                c.expected_marker = lx.render(c.style, c.number)
            c.kind = HEADING_KINDS[depth - 1] if depth <= _MAX_DEPTH else "PARA"
            item_last = 0
            prev_para = None
        elif c.kind == "ITEM":
            if c.number is None:
                c.number = item_last + 1
                c.expected_marker = lx.item.format(c.number)
            elif c.number == item_last and c.number > 1:
                c.repair = "repeated"
                c.expected_marker = lx.item.format(item_last + 1)
            elif c.number > item_last + 1 and not _inline_predecessor(lx, prev_para, c.number):
                c.repair = "skipped"
                c.expected_marker = lx.item.format(item_last + 1)
            item_last = c.number
            prev_para = c
        elif c.kind == "PARA":
            prev_para = c


def _parts_continued(body: list[Classified]) -> None:
    """「第一部分…第四部分」 then 「五、其他需要报告的情况」: a 一、-style heading that carries on
    the numbers of the 第X部分 parts, with none of its style opened under the last part, is one
    more part written in another form (STRUCT-MARKER-FORM says so), not a sub-part."""
    last_part, opened = None, False
    for c in body:
        if c.kind != "HEADING" or c.repair is not None:
            continue
        if c.style == "part":
            last_part, opened = c.number, False
        elif c.style == "cn" and last_part is not None:
            if not opened and c.number is not None and c.number > last_part:
                c.style, last_part = "part", c.number
            else:
                opened = True


def classify(lines: list[Line]) -> list[Classified]:
    lx = lexicon()
    out: list[Classified | None] = [None] * len(lines)
    stop = _closing_start(lx, lines, out)
    start = _header_end(lx, lines, out, stop)
    body: list[Classified] = []
    prev = None
    for line in lines[start:stop]:
        prev = _classify_body(lx, line, prev)
        body.append(prev)
    _parts_continued(body)
    # before the gaps are filled: in a report with no 「一、」 at all, 「存在的不足」 after
    # （一）…（五） is the next unnumbered part, not a sub-part that lost 「（六）」
    _unnumbered_parts(lx, body)
    _fill_gaps(lx, body)
    _find_lost_markers(lx, body)
    _depth_and_numbers(lx, body)
    out[start:stop] = body
    return out
