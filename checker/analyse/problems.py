"""The problems a report admits to, one per item: the units of its shortcomings part that the
quality rules weigh (how many, how concrete, whether the plan answers them)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..compiled import compile_kept
from ..elements import heading_elements, opens_plan
from ..termlists import derived
from ..text import fold

# what opens an item: 一是 (一) 一、 1.
_MARKER = r"(?:[一二三四五六七八九十]{1,3}是|[（(][一二三四五六七八九十\d]{1,2}[）)]|[一二三四五六七八九十]、|\d{1,2}[、.．])"
_ENUMERATOR = compile_kept(rf"(?:^|(?<=[。；;：:\s])){_MARKER}")
_LEAD = compile_kept(rf"\s*{_MARKER}\s*")
_INTRO = compile_kept(r"(主要表现(在|为)|表现在以下|主要有以下|具体如下|主要是)[:：]?\s*$")
_CUE = compile_kept(r"不够|不足|不强|不高|不深|不严|不畅|不力|不实|不细|不一|不到|不全|不便|不匹配|不适应|还需|尚需|亟需|参差不齐|老化|不多|程度低|率低|较差|欠佳|低于|仅有|仅为|仅占|仅\d|只有\d|欠缺|缺乏|薄弱|有待|亟待|滞后|单一|不到位|不完善|不规范|不平衡|问题|短板|差距|困难|较少|偏少|偏多|偏高|偏低|偏弱|较弱|较低|仍需|尚未|未能|不及时|不健全|不明显")
# A segment that gives causes is not a problem of its own (「究其原因，…」「原因主要是…」「（二）原因
#分析」): 原因 in its first clause. A problem that states its cause later in the sentence
# (「一是执法人员仅3名，力量不足，原因是编制少」) stays a problem.
_CAUSE = compile_kept(r"^[^，,。；;：:]{0,16}原因")
_CLAUSE = compile_kept(r"[，,。；;：:！!？?]")


@dataclass
class Problem:
    text: str
    norm: str
    line: int
    listed: bool = False            # an item of a 「一是…二是…」 list: a problem whatever its words

    @property
    def topic(self) -> str:
        """What a plan would name to answer it: the headline and the clause that makes it
        concrete (「区域发展不平衡，粤东西北地区…差距」)."""
        cuts = [m.start() for m in _CLAUSE.finditer(self.norm)]
        end = cuts[1] if len(cuts) > 1 else len(self.norm)
        lead = _LEAD.match(self.norm)
        return self.norm[lead.end() if lead else 0:end]

    @property
    def headline(self) -> str:
        """The problem's first clause — what it is about — without its 「一是」「（一）」."""
        m = _CLAUSE.search(self.norm)
        head = self.text[: m.start()] if m else self.text
        lead = _LEAD.match(fold(head))
        return head[lead.end():] if lead else head


def _enumerated(norm: str) -> list[int]:
    return [m.start() for m in _ENUMERATOR.finditer(norm)]


def segments(paragraphs) -> list[Problem]:
    """The items of a part: enumerated segments (一是…二是…, (1)…) or else whole paragraphs,
    leaving out introductions that end in 「主要表现在：」. A sub-part heading (from
    Part.content()) and the one paragraph under it are one item; a heading over a paragraph that
    lists several items is only their label."""
    paragraphs = list(paragraphs)
    out: list[Problem] = []
    skip = False
    for i, para in enumerate(paragraphs):
        if skip:
            skip = False
            continue
        norm = para.norm.strip()
        if para.kind.startswith("H"):
            nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
            if nxt is not None and nxt.kind.startswith("H") and nxt.kind > para.kind:
                continue                    # 「（一）存在的不足」 over 「1.…」「2.…」: a label
            if nxt is not None and not nxt.kind.startswith("H"):
                if len(_enumerated(nxt.norm.strip())) >= 2:
                    continue
                text = f"{para.text.rstrip('。')}。{nxt.text.strip()}"
                out.append(Problem(text, fold(text), para.line))
                skip = True
                continue
        starts = _enumerated(norm)
        if len(starts) >= 2:
            bounds = [*starts, len(norm)]
            for a, b in zip(bounds, bounds[1:]):
                out.append(Problem(para.text[a:b].strip(), norm[a:b].strip(), para.line_at(a), listed=True))
            continue
        if not _INTRO.search(norm):
            out.append(Problem(para.text.strip(), norm, para.line))
    return out


def problems(doc) -> list[Problem]:
    """What the shortcomings part states as problems (not their causes): each sub-part (its
    heading is the problem's headline), else each enumerated item or paragraph."""
    carriers = [part for info, part in zip(doc.outline.parts, doc.report.parts, strict=True)
                if "shortcomings" in info.elements]
    found: list[Problem] = []
    if carriers:
        for part in carriers:
            found += _of_part(part, year=doc.meta.report_year)
    else:
        found = segments(doc.outline.regions.get("shortcomings") or [])
    return [x for x in found if (x.listed or _CUE.search(x.norm)) and not _CAUSE.search(x.norm)]


def _before_plan(paragraphs, year: int | None) -> list:
    """A part that also carries the plan (「存在的问题和下一步打算」): its paragraphs up to the
    one that opens the plan (「2025年，我镇将…」)."""
    out = []
    for p in paragraphs:
        if opens_plan(p.norm, year):
            break
        out.append(p)
    return out


# a sub-part heading that only names the element: 「（一）存在的不足」「（一）主要问题」
_LABEL = compile_kept(r"^(存在的?|主要|突出|当前|工作中的?)?(问题|不足|短板|弱项|困难|差距)(和|与|及|、)?(问题|不足|短板|弱项|困难|差距)?$")


def _is_label(child) -> bool:
    """A sub-part that only groups problems: 「（一）存在的不足」 over 1.、2.…, over one
    paragraph listing 一是…二是…, or over problems apart by 「；」."""
    if child.children or _LABEL.match(fold(child.heading).strip(" 。.:：")):
        return True
    own = ([child.run_in] if child.run_in else []) + child.body
    return len(child.heading) <= 12 and any(len(_enumerated(p.norm.strip())) >= 2 for p in own)


def _by_semicolon(paragraphs) -> list[Problem]:
    """Under a label, an unnumbered paragraph lists its problems apart by 「；」."""
    out: list[Problem] = []
    for para in paragraphs:
        if len(_enumerated(para.norm.strip())) >= 2:
            out += segments([para])
            continue
        pos = 0
        for piece in re.split(r"(?<=[;；])", para.text):
            if piece.strip():
                norm = fold(piece).strip()
                out.append(Problem(piece.strip(), norm, para.line_at(pos)))
            pos += len(piece)
    return out


def _of_part(part, label: bool = False, year: int | None = None) -> list[Problem]:
    own = _before_plan(([part.run_in] if part.run_in else []) + part.body, year)
    found = _by_semicolon(own) if label else segments(own)
    lone = part.children[0] if len(part.children) == 1 else None
    if lone is not None and lone.body and not _is_label(lone):
        # a single sub-part followed by paragraphs: the later problems lost their (二)、(三)
        # (or never had them); each paragraph is a problem of its own
        text = "".join([lone.heading, "。", lone.run_in.text if lone.run_in else ""])
        return [*found, Problem(text, fold(text), lone.line), *segments(lone.body)]
    for child in part.children:
        if _CAUSE.search(fold(child.heading)):
            continue                        # 「（二）原因分析」: the causes, not more problems
        if "next_plan" in heading_elements(child.heading, year):
            break                           # 「（三）下一步打算」 in a merged part: the plan from here
        if _is_label(child):
            found += _of_part(child, label=True, year=year)
            continue
        text = "".join([child.heading, "。", *(p.text for p in child.paragraphs())])
        found.append(Problem(text, fold(text), child.line))
    return found


def clause_count(probs: list[Problem]) -> int:
    """Problems counted by clause: a paragraph that runs its problems together with 「，」
    (「能力不强，程序不规范，学习不及时，…主要原因是…」) states several. Only clauses before the
    causes, with a problem cue and no figure, count."""
    n = 0
    for x in probs:
        before = x.norm.split("原因", 1)[0]
        # a clause with a figure mostly makes the one before it concrete (「…不高，14名中仅2名」)
        n += sum(1 for clause in _CLAUSE.split(before) if _CUE.search(clause) and not re.search(r"\d", clause))
    return n


def split_items(paragraphs) -> list[tuple[str, int]]:
    """(text, line) of each item of a part (a plan's measures)."""
    return [(x.text, x.line) for x in segments(paragraphs) if len(x.norm) >= 6]


# What a problem is about, and whether a plan answers it: read by QUAL-PLAN-ANSWERS (checks/
# problems.py) and by the follow-through of last year's plan in an audit (audit/follow.py).
_CJK_RUN = compile_kept(r"[\u4e00-\u9fff]{2,}")


def stock_patterns(tl):
    return derived(tl, "problems", lambda: (
        compile_kept("|".join(f"(?:{e})" for e in tl.entries)),
        compile_kept(tl.model_extra["specific"]),
        compile_kept("|".join(sorted(map(re.escape, tl.model_extra.get("ignore_words") or ()), key=len, reverse=True))
                     or "(?!)")))


def widen(text: str, tl) -> str:
    """`text` with the related words of every group it touches appended (stock_phrases
    `related`), so that a topic named one way is found when the plan names it another."""
    groups = related_groups(tl)
    extra = [w for g in groups if any(w in text for w in g) for w in g]
    return text + " " + " ".join(extra) if extra else text


def topic_pairs(headline: str, stock: re.Pattern, ignore: re.Pattern) -> set[str]:
    """What a problem is about, as character pairs: the headline with stock phrases and words
    too general to tell (法治、建设、加强…) taken out. Used by the follow-through of last year's
    plan (audit/follow.py) and by QUAL-PLAN-ANSWERS with `match: pairs`; they find 执法 in
    执法力量 and 宣传 in 宣传部, which the words (`match: words`, checker/words.py) do not."""
    rest = ignore.sub(" ", stock.sub(" ", headline))
    return {run[i:i + 2] for run in _CJK_RUN.findall(rest) for i in range(len(run) - 1)}


def related_groups(tl) -> list[tuple[str, ...]]:
    return derived(tl, "related", lambda: [tuple(fold(w) for w in g) for g in tl.model_extra.get("related") or ()])


def topic_words(text: str, stock: re.Pattern, tl):
    """What a problem is about, as words, in order: its words of two or more characters, stock
    phrases and words too general to tell (stock_phrases `ignore_words`, `stop_words`) left out.
    A generator: the caller stops at the first word the plan has, and jieba cuts no further."""
    from ..words import words
    ignore = derived(tl, "ignore_set", lambda: frozenset(
        fold(w) for key in ("ignore_words", "stop_words") for w in tl.model_extra.get(key) or ()))
    return (w for w in words(stock.sub(" ", text)) if w not in ignore)


def answered_by_pairs(x, plan_text: str, stock, ignore) -> bool | None:
    """Character pairs: the problem is answered when a pair of its topic's characters occurs in
    the plan (widened by the related words). None: its headline is too general to judge."""
    if not topic_pairs(fold(x.headline), stock, ignore):
        return None
    return any(k in plan_text for k in topic_pairs(x.topic, stock, ignore))


def answered_by_words(x, plan, stock, tl) -> bool | None:
    """Words: the problem is answered when one of its topic's words, or a word related to it
    (stock_phrases `related`), is a word of the plan (`plan`: a words.Text). None: its headline
    is too general to judge (asked only when no word is found: either way nothing is reported)."""
    groups = related_groups(tl)
    for w in topic_words(x.topic, stock, tl):
        if plan.has(w) or any(plan.has(r) for g in groups if w in g for r in g if r != w):
            return True
    return False if next(topic_words(fold(x.headline), stock, tl), None) else None
