"""Headline: the visible heading that matches the page's <title>/og:title, else the title minus site name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from newscrawl.extract.dom import Line, Page, class_test, squash

_SEPARATORS = re.compile(r"\s*(?:[_|｜丨–—]|--|\s-\s|-(?=[^-]*$)|\s::\s|\s»\s)\s*")
SITE_WORDS = re.compile(
    r"(网|报|新闻|频道|中心|政府|客户端|在线|电视台|广播|门户|资讯|官网|首页|网站|平台|日报|晚报|快讯|"
    r"\.com|\.cn|\.net|News|Times|Post|Online|Daily|Herald|Journal|Tribune|Gazette|Magazine|TV|Radio)",
    re.IGNORECASE,
)
_HEADING_TAGS = ("h1", "h2", "h3", "h4")
_CJK_END = re.compile(r"[\u4e00-\u9fff，。]$")
_CJK_START = re.compile(r"[\u4e00-\u9fff\d]")
# Box headings that sit above a block of text but are not headlines.
_SECTION_WORDS = re.compile(r"(?:相关|热点|推荐|最新|热门|精彩|更多)\S{0,6}|正文|内容|摘要|简介|导读")
_TITLE_CLASS = class_test(r"title|headline|tit\b|biaoti|bt\b|hd\b|heading|article-?h")


def strip_site_suffix(title: str, site_names: tuple[str, ...] = ()) -> str:
    """Remove trailing (or leading) site-name segments such as ``_映象网`` or ``- 新华网``."""
    title = squash(title)
    names = {n for n in site_names if n}
    changed = True
    while changed:
        changed = False
        parts = _SEPARATORS.split(title)
        if len(parts) < 2:
            break
        seps = _SEPARATORS.findall(title)
        last, first = parts[-1], parts[0]
        if last and (last in names or (len(last) <= 16 and SITE_WORDS.search(last))) and len(parts[:-1]) >= 1:
            cut = title.rfind(seps[-1])
            candidate = title[:cut].strip()
            if len(candidate) >= 4:
                title, changed = candidate, True
                continue
        if first and first in names:
            candidate = title[len(first) + len(seps[0]) :].strip()
            if len(candidate) >= 4:
                title, changed = candidate, True
    return title


# Below this a heading never wins (a match needs 0.6, an h1 gets a 0.05 bonus): no need to compute it.
_MIN_SIMILAR = 0.55


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if 2 * min(len(a), len(b)) < _MIN_SIMILAR * (len(a) + len(b)):
        return 0.0  # lengths alone rule it out
    # Dice coefficient of character pairs: linear time, where SequenceMatcher.ratio() was quadratic and
    # the extractor's most expensive call (pages have hundreds of title-like lines).
    pa, pb = _pairs(a), _pairs(b)
    if not pa or not pb:
        return 0.0
    return 2 * len(pa & pb) / (len(pa) + len(pb))


@lru_cache(maxsize=256)
def _pairs(text: str) -> frozenset[str]:
    # Cached (a few pages' worth): a page's metadata titles are compared with each of its headings.
    return frozenset(text[i : i + 2] for i in range(len(text) - 1))


def heading_lines(page: Page) -> Iterator[tuple[list[str], Line]]:
    """Headline candidates: the lines of each h1–h4 or title-classed block, with the first line.

    A heading split by <br> gives all its lines: "…助企纾困<br>预计4年…" is one headline, but
    "headline<br>2021-09-03 来源：…" is a headline followed by an info line; scoring decides.
    Lazily, in page order (a caller that has found an exact <h1> match stops reading the page).
    """
    current: tuple[list[str], Line] | None = None
    inside_from, inside_to = 0, -1  # current heading's subtree, as pre-order indexes (page.inside, inlined)
    verdicts: dict[int, bool] = {}  # many lines share an owner: look at each one once
    names = page.name_list
    for line in page.lines:
        if current is not None:
            if inside_from <= line.order <= inside_to:
                current[0].append(line.text)  # also a subtitle in a block nested inside the heading
                continue
            yield current
            current = None
        if not 2 <= line.chars <= 120:
            continue
        heading = verdicts.get(line.order)
        if heading is None:
            el = line.owner
            tag = el.tag  # lxml makes a new string on every read
            heading = (isinstance(tag, str) and tag.lower() in _HEADING_TAGS) or _TITLE_CLASS(
                names[line.order] if names else page.names(el)
            )
            verdicts[line.order] = heading
        if heading:
            current = ([line.text], line)
            inside_from, inside_to = line.order, page.end[line.owner]
    if current is not None:
        yield current


def _join(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        glue = "" if _CJK_END.search(text) and _CJK_START.match(part) else " "
        text += glue + part
    return text


def _match(text: str, ref: str, segments: list[str]) -> tuple[float, str]:
    """How well a shown heading matches a metadata title; and the text to report."""
    if text == ref:
        return 1.0, text
    for segment in [ref, *segments]:
        # "雄安新区[编辑]", or a counter / icon label right after the headline.
        if len(segment) >= 2 and text.startswith(segment) and len(text) - len(segment) <= 6:
            return 0.95, segment
    if text in segments:
        return 0.9, text  # "夜雨" in "夜雨_原文、翻译及赏析_白居易诗词_读古诗词网"
    if len(text) >= 2 and text in ref and len(text) >= 0.5 * len(ref):
        return 0.9 * len(text) / max(len(ref), len(text)) + 0.1, text
    return _similar(text, ref), text


def matched_title(
    page: Page, candidates: list[str], site_names: tuple[str, ...]
) -> tuple[str, Line, str] | None:
    """The headline where the page shows one of its metadata titles: (text, line, step) or None."""
    names = {n for n in site_names if n}
    refs: list[tuple[str, list[str]]] = []
    for cand in candidates:
        if not cand or not cand.strip():
            continue
        ref = strip_site_suffix(cand, site_names)
        segments = [seg for seg in _SEPARATORS.split(squash(cand)) if seg]
        # "-铜雀历史网", "映象网": a <title> that is only the site's name says nothing about the article.
        if len(ref) < 2 or ref in names or (len(segments) == 1 and squash(cand).startswith(("-", "_", "|"))):
            continue
        # The site-name part cut off the title ("… | India Post") is no headline: an h1 logo shows it.
        refs.append((ref, [seg for seg in segments if seg in ref]))
    best: tuple[float, str, Line | None] = (0.0, "", None)
    for parts, line in heading_lines(page):
        bonus = 0.05 if line.owner.tag == "h1" else 0.0
        if best[0] >= 1.0 + bonus:
            # _match gives at most 1.0 and ties keep the earlier heading: this one cannot win, and after
            # an exact <h1> match no heading can.
            if best[0] >= 1.05:
                break
            continue
        for n in range(len(parts), 0, -1):
            text = _join(parts[:n])
            for ref, segments in refs:
                score, shown = _match(text, ref, segments)
                if score + bonus > best[0]:
                    best = (score + bonus, shown, line)
    if best[2] is not None and best[0] >= 0.6:
        return best[1], best[2], "heuristic"
    lines = page.lines
    for ref, segments in refs:
        wanted = {ref, segments[0]} if len(segments) > 1 and len(segments[0]) >= 4 else {ref}
        for i, line in enumerate(lines):
            if line.text in wanted:
                return line.text, line, "meta"
            # A headline shown on two lines: "…凝聚强大智慧和力量" + "——热烈祝贺…开幕".
            if len(line.text) >= 4 and ref.startswith(line.text) and i + 1 < len(lines):
                joined = _join([line.text, lines[i + 1].text])
                if joined == ref:
                    return ref, line, "meta"
    return None


class _Unset:
    """Marks an argument the caller did not give (None is a meaningful ``matched``)."""


_UNSET = _Unset()


def find_title(
    page: Page,
    candidates: list[str],
    site_names: tuple[str, ...],
    body_start: int | None = None,
    *,
    matched: tuple[str, Line, str] | _Unset | None = _UNSET,
) -> tuple[str, Line | None, str]:
    """Pick the headline as displayed.

    ``candidates`` are metadata titles in preference order (JSON-LD headline, og:title, <title>);
    ``body_start`` is the index in ``page.lines`` of the body's first line. A visible heading that matches
    a metadata title wins; else a visible line equal to one (or to its first part); else the heading
    right above the body; else the metadata title. Returns (title, the line it was displayed on or None,
    which step gave it). ``matched`` is ``matched_title``'s answer when the caller already has it.
    """
    if isinstance(matched, _Unset):
        matched = matched_title(page, candidates, site_names)
    if matched is not None:
        return matched
    names = {n for n in site_names if n}
    refs = [r for c in candidates if c and c.strip() and len(r := strip_site_suffix(c, site_names)) >= 2]
    refs = [r for r in refs if r not in names]
    headings = list(heading_lines(page))
    if body_start is not None:
        # The heading closest above the body, within a few lines: the usual place of a headline.
        above = [(parts, ln) for parts, ln in headings if 0 < body_start - ln.index <= 12]
        for parts, line in reversed(above):
            text = parts[0]
            if len(text) >= 4 and not _SECTION_WORDS.fullmatch(text):
                return text, line, "heuristic"
    if refs:
        return refs[0], None, "meta"
    for parts, line in headings:
        if line.owner.tag == "h1":
            return parts[0], line, "heuristic"
    if headings:
        return headings[0][0][0], headings[0][1], "heuristic"
    return "", None, "none"
