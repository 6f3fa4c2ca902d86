"""Headline: the visible heading that matches the page's <title>/og:title, else the title minus site name."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from newscrawl.extract.dom import Line, Page, squash

_SEPARATORS = re.compile(r"\s*(?:[_|｜丨–—]|--|\s-\s|-(?=[^-]*$)|\s::\s|\s»\s)\s*")
_SITE_WORDS = re.compile(
    r"(网|报|新闻|频道|中心|政府|客户端|在线|电视台|广播|门户|资讯|官网|首页|网站|平台|日报|晚报|快讯|"
    r"\.com|\.cn|\.net|News|Times|Post|Online|Daily|Herald|Journal|Tribune|Gazette|Magazine|TV|Radio)",
    re.IGNORECASE,
)
_HEADING_TAGS = ("h1", "h2", "h3", "h4")
_TITLE_CLASS = re.compile(r"title|headline|tit\b|biaoti|bt\b|hd\b|heading|article-?h", re.IGNORECASE)


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
        if (
            last
            and (last in names or (len(last) <= 16 and _SITE_WORDS.search(last)))
            and len(parts[:-1]) >= 1
        ):
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


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def heading_lines(page: Page) -> list[Line]:
    """Lines that come from heading-like elements (h1–h4 or title-classed blocks)."""
    out = []
    for line in page.lines:
        if not 2 <= line.chars <= 120:
            continue
        el = line.owner
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if tag in _HEADING_TAGS or _TITLE_CLASS.search(names):
            out.append(line)
    return out


def find_title(
    page: Page, candidates: list[str], site_names: tuple[str, ...]
) -> tuple[str, Line | None, str]:
    """Pick the headline.

    ``candidates`` are metadata titles in preference order (JSON-LD headline, og:title, <title>). Returns
    (title, the page line it was displayed on or None, which step gave it).
    """
    refs = [strip_site_suffix(c, site_names) for c in candidates if c and c.strip()]
    raw_refs = [squash(c) for c in candidates if c and c.strip()]
    headings = heading_lines(page)
    best: tuple[float, Line | None] = (0.0, None)
    for line in headings:
        text = line.text
        if len(text) < 4:
            continue
        score = 0.0
        for ref, raw in zip(refs, raw_refs, strict=True):
            if text == ref:
                score = max(score, 1.0)
            elif text in raw and len(text) >= 0.5 * len(ref):
                score = max(score, 0.9 * len(text) / max(len(ref), len(text)) + 0.1)
            else:
                score = max(score, _similar(text, ref))
        tag = line.owner.tag.lower() if isinstance(line.owner.tag, str) else ""
        if tag == "h1":
            score += 0.05
        if score > best[0]:
            best = (score, line)
    if best[1] is not None and best[0] >= 0.6:
        return best[1].text, best[1], "heuristic"
    if refs:
        ref = refs[0]
        for line in page.lines:
            if line.text == ref:
                return ref, line, "meta"
        return ref, None, "meta"
    # No metadata at all: the first h1, else the first heading.
    for line in headings:
        if line.owner.tag == "h1":
            return line.text, line, "heuristic"
    if headings:
        return headings[0].text, headings[0], "heuristic"
    return "", None, "none"
