"""The per-field extraction cascade: site selectors → JSON-LD → meta → visible-text patterns → heuristics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import tldextract
from lxml import etree

from newscrawl.extract.body import (
    _END_MARK,
    BodyResult,
    drop_title_lines,
    extract_body,
    is_caption,
    line_score,
)
from newscrawl.extract.clean import clean_text
from newscrawl.extract.credits import (
    Credits,
    clean_source,
    lead_credits,
    parse_credits,
    split_keywords,
    split_names,
    trailer_credits,
)
from newscrawl.extract.dates import ParsedDate, date_from_url, find_date_tokens, is_future, parse_date
from newscrawl.extract.dom import Line, Page, class_pattern, class_test, remembered, squash
from newscrawl.extract.metadata import Metadata, jsonld_names, jsonld_text
from newscrawl.extract.title import SITE_WORDS, find_title, matched_title, strip_site_suffix
from newscrawl.site import Site

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "pub_date",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "article:create_at",
    "og:release_date",
    "weibo:article:create_at",
    "firstpublishedtime",
    "created",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "lastmodified",
    "last-modified",
    "og:article:modified_time",
    "weibo:article:update_at",
)
_TIME_LABEL = re.compile(
    r"发布时间|发表时间|发布日期|时间|日期|发布于|发表于|Published|Posted|Updated|Date", re.IGNORECASE
)
# "最新推荐文章于 2023-09-04 发布": the date of some other story shown near the headline.
_OTHER_STORY = re.compile(r"最新|推荐|相关|热门|上一篇|下一篇|往期|专题")
# "今天是2026年11月26日 星期四": a page header's today-line, wherever the layout puts it.
_TODAY_CUE = re.compile(r"今天是|今日是|今天：|今日：|天气|农历|欢迎(?:您|访问|光临)")
_MODIFIED_LABEL = re.compile(r"(?:更新|修改|最后更新|编辑)(?:时间|于|日期)|Updated|Modified", re.IGNORECASE)
_HEADER_DECOY = re.compile(
    r"今天是|今日|星期[一二三四五六日天]|周[一二三四五六日]\b|天气|农历|©|copyright", re.IGNORECASE
)
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|->|\||｜)\s*")
_CRUMB_MARKS = re.compile(r"[>＞»›]")
_CRUMB_NOISE = re.compile(
    r"^(?:当前位置|您的位置|你的位置|所在位置|位置|首页|网站首页|主页|正文|内容|详情|文章|正文内容|"
    r"阅读文章|Home|首頁|本站首页)[:：]?$",
    re.IGNORECASE,
)
_CRUMB_PREFIX = re.compile(
    r"^(?:当前位置|您的位置|你的位置|您所在的位置|你所在的位置|所在位置|现在位置|位置)\s*[:：]?\s*"
)
_CRUMB_ARROW = re.compile(r"\s(?:>|＞|»|›)\s|>>|->")
# Breadcrumb class names. Two patterns: with the anchored "adr" in the same alternation, the regex engine
# could not skip ahead to a possible first letter, and this runs on every element above the headline.
_CRUMB_CLASS = class_pattern(
    r"crumb|bread|position|location|weizhi|dqwz|szwei|path|nav_?bar|place|mianbao|current"
)
_CRUMB_ADR = class_pattern(r"(?:^|[\s_-])adr(?:$|[\s_-])")


@remembered
def _crumb_class(names: str) -> bool:
    """A breadcrumb's class or id, in ``Page.names`` (answers kept)."""
    return names != " " and (  # " ": no class, no id
        _CRUMB_CLASS.search(names) is not None or ("adr" in names and _CRUMB_ADR.search(names) is not None)
    )


_IMG_SKIP = re.compile(
    r"icon|logo|share|qrcode|erweima|blank|spacer|loading|avatar|emoji|\.svg(?:$|\?)", re.IGNORECASE
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_GENERIC_KEYWORDS = re.compile(r"新闻|资讯|门户|网站|首页|频道|官网")
_ZONE_LINES = 12
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_KEYWORD_LABEL = re.compile(
    r"^\s*[【\[]?\s*(?:文章)?(?:关键词|关键字|标签|Tags?|TAGS?)\s*[:：]?", re.IGNORECASE
)
_TAG_CLASS = class_pattern(r"(?:^|[\s_-])tags?(?:$|[\s_-])|tag-?(?:list|box|s)|keywords?|biaoqian")
# Hot-topic / tag-cloud boxes, by their class names or their heading text.
_HOT_WORDS = r"hot|popular|cloud|热门|热点|热词"
_HOT_CLASS = class_pattern(_HOT_WORDS)
_HOT = re.compile(_HOT_WORDS, re.IGNORECASE)
_TITLE_PARTS = re.compile(r"\s*(?:[_|｜]|\s[-–—]\s)\s*")
_RELATED = re.compile(r"\s*[【\[]?\s*(?:相关|推荐|延伸|猜你|Related)", re.IGNORECASE)
_TAIL_LABEL = re.compile(
    r"^\s*[【\[(（]?\s*(?:文章)?(?:关键词|关键字|标签|Tags?|TAGS?|责任编辑|责编|编辑)\s*[:：]", re.IGNORECASE
)
_LABELLED = re.compile(
    r"^\s*[【\[]?\s*(?:文章)?(?:关键词|关键字|标签|Tags?|TAGS?|热词|责任编辑|责编|编辑|来源)\s*[:：]",
    re.IGNORECASE,
)


@dataclass
class _Zones:
    head: list[Line]
    """Lines between the headline and the body (the date / 来源 / 作者 area)."""
    before_title: list[Line]
    tail: list[Line]
    """Lines right after the body (关键词 / 责编 area), up to related-story lists."""


def extract_fields(page: Page, url: str, site: Site, fetched_at: datetime) -> dict[str, Any]:
    """Run the cascade on a parsed page; returns the raw record plus ``field_sources``."""
    md = page.metadata
    jl = md.jsonld
    sources: dict[str, str] = {}
    names = _site_names(site, md)

    # Body block first: the headline is usually the heading right above it. Where the page shows its
    # metadata title, the text is looked for right after that headline.
    candidates = [jsonld_text(jl.get("headline")), md.first("og:title", "twitter:title", "title"), md.title]
    shown = matched_title(page, [c for c in candidates if c], names)
    body = _select_body(page, site)
    if body is not None:
        sources["body"] = "selector"
    else:
        body = extract_body(page, after=shown[1].order if shown else None)
        sources["body"] = "heuristic"
    body_start = (body.head[0] if body.head else body.lines[0]).index if body.lines else None

    # Title.
    title = _select_text(page, site, "title")
    if title and not 2 <= len(title) <= 150:
        title = None
    title_line: Line | None = None
    if title:
        sources["title"] = "selector"
        title_line = next((ln for ln in page.lines if ln.text == title), None)
    else:
        title, title_line, step = find_title(
            page, [c for c in candidates if c], names, body_start, matched=shown
        )
        if step == "meta" and candidates[0] and title == strip_site_suffix(candidates[0], names):
            step = "jsonld"
        sources["title"] = step

    drop_title_lines(body, title)
    zones = _zones(page, title_line, body)
    paragraphs = list(body.paragraphs)

    # Credits from visible text: the head zone, the lead, the body's edges and the tail zone.
    head = Credits()
    for line in zones.head:
        head.merge(_line_credits(line))
    edge = Credits()
    if paragraphs:
        # The lead is the first paragraph, unless a video label or a teaser line comes first.
        for para in paragraphs[:3]:
            lead = lead_credits(para)
            if lead.authors or lead.editors or lead.source:
                edge.merge(lead)
                break
        for para in paragraphs[-3:]:
            edge.merge(trailer_credits(para))
        for para in paragraphs[:2] + paragraphs[-3:]:
            if len(para) <= 80 and "。" not in para:
                edge.merge(parse_credits(para))
    tail = Credits()
    for line in zones.tail:
        tail.merge(_line_credits(line))
    before = Credits()
    for line in zones.before_title[-3:]:
        before.merge(_line_credits(line))

    record: dict[str, Any] = {"title": title}

    # 来源.
    source = _select_text(page, site, "source")
    if source:
        record["source"], sources["source"] = clean_source(_strip_label(source)), "selector"
    else:
        for credits in (head, before, edge, tail):
            if credits.source:
                record["source"], sources["source"] = credits.source, "text"
                break
        else:
            meta_source = md.first("source", "og:source", "article:source", "来源")
            if meta_source and meta_source not in names:
                record["source"], sources["source"] = clean_source(meta_source), "meta"

    # People: visible credits first — JSON-LD and meta authors are often the site, a CMS account or
    # the editor, so they only count when the page credits nobody, and never when named as an editor.
    not_people = (*names, *_title_parts(md), *filter(None, [md.first("copyright")]))
    text_authors: list[str] = []
    text_editors: list[str] = []
    for credits in (head, before, edge, tail):
        _extend(text_authors, credits.authors)
        _extend(text_editors, credits.editors)
    authors = _select_list(page, site, "authors", split_names)
    if authors:
        sources["authors"] = "selector"
    elif authors := [n for n in text_authors if n not in text_editors]:
        # "（郭旭）" closing the text and "【责任编辑：郭旭】" under it: the labelled role wins.
        sources["authors"] = "text"
    elif byline := [
        n for n in _byline_names(page, title_line, body) if n not in not_people and n not in text_editors
    ]:
        authors, sources["authors"] = byline, "heuristic"
    else:
        authors = [
            n for n in _jsonld_people(jl.get("author")) if n not in not_people and n not in text_editors
        ]
        if authors:
            sources["authors"] = "jsonld"
        else:
            meta_author = md.first("author", "article:author", "byl", "dc.creator", "sailthru.author")
            if meta_author and not meta_author.startswith("http"):
                # A meta author is often a CMS account or the site: only a real-looking name counts.
                authors = [
                    n
                    for n in _meta_people(meta_author)
                    if n not in text_editors and not any(n in other for other in not_people)
                ]
                if authors:
                    sources["authors"] = "meta"
    record["authors"] = authors

    editors = _select_list(page, site, "editors", split_names)
    if editors:
        sources["editors"] = "selector"
    else:
        editors = text_editors
        if editors:
            sources["editors"] = "text"
    record["editors"] = editors

    # Keywords: the visible line, else article-specific meta keywords.
    keywords = _select_list(page, site, "keywords", split_keywords)
    if keywords:
        sources["keywords"] = "selector"
    else:
        for credits in (head, tail, edge, before):
            if credits.keywords:
                keywords, sources["keywords"] = credits.keywords, "text"
                break
        if keywords:
            # "标签：<a>山东省</a><a>青岛市</a>": links glued together read as one word; take the links.
            keywords = _keyword_links(zones, keywords) or keywords
        elif links := _tag_list(page, title_line, body):
            keywords, sources["keywords"] = links, "heuristic"
        else:
            keywords = _meta_keywords(md, title, paragraphs, (*names, *_title_parts(md)))
            if keywords:
                sources["keywords"] = "jsonld" if isinstance(jl.get("keywords"), list | str) else "meta"
    record["keywords"] = keywords

    # Dates.
    language = _language(site, md, title, paragraphs)
    tz = _time_zone(site, md, url, title, paragraphs)
    langs = site.languages or ((language,) if language else ())
    record.update(_dates(page, site, md, zones, body, url, tz, langs, fetched_at, sources))

    record["section"] = _section(page, site, md, zones, title_line, names, sources)
    record["summary"] = _summary(page, site, md, title, paragraphs, sources)
    record["body"] = "\n\n".join(paragraphs)
    record["images"] = _images(page, body, url, md)
    record["language"] = language
    record["canonical_url"] = _canonical(md, url)
    record["field_sources"] = {k: v for k, v in sources.items() if record.get(k)}
    record["_link_lines"] = body.link_lines
    record["_article_typed"] = md.is_article_typed
    return record


def _extend(target: list[str], items: list[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


_BYLINE_CLASS = class_test(r"author|writer|byline|zuozhe|nick-?name|user-?name|uname")
# Account names (WeChat, blogs, video sites) are as often an outlet as a person.
_ACCOUNT_CLASS = class_pattern(r"nick-?name|user-?name|uname")
_PERSON_CLASS = class_pattern(r"author|writer|byline|zuozhe")
_AUTHOR_PATH = re.compile(r"/authors?/")


def _byline_names(page: Page, title_line: Line | None, body: BodyResult) -> list[str]:
    """Names in byline elements between the headline and the text (class="author…", rel=author, /author/ links)."""
    if not body.lines:
        return []
    start = title_line.order if title_line is not None else page.order.get(body.node, 0) - 200
    stop = (body.head[0] if body.head else body.lines[0]).order
    # (element, its names); an element inside the previous one replaces it: "By <a>John Walk</a> -".
    found: list[tuple[etree._Element, list[str]]] = []
    for order in range(max(start + 1, 0), stop):
        el = page.elements[order]
        if not isinstance(el.tag, str):
            continue
        names = page.names(el)
        by_class = _BYLINE_CLASS(names) and "editor" not in names
        if not (by_class or el.get("rel") == "author" or _AUTHOR_PATH.search(el.get("href") or "")):
            continue
        if _in_infobox_row(el):
            continue
        text = squash(" ".join(el.itertext()))
        if not text or len(text) > 30 or ":" in text or "：" in text:
            continue
        account = by_class and _ACCOUNT_CLASS.search(names) is not None and not _PERSON_CLASS.search(names)
        people = split_names(text, strict=account)
        if not people:
            continue
        if found and order <= page.end[found[-1][0]]:
            found[-1] = (el, people)
        else:
            found.append((el, people))
    return list(dict.fromkeys(name for _, people in found for name in people))


def _in_infobox_row(el: etree._Element) -> bool:
    """Inside a table row with a header cell ("昵称 | 能力者、国儿"): a fact box, not a byline."""
    node: etree._Element | None = el
    for _ in range(4):
        if node is None:
            return False
        if node.tag == "tr":
            return any(c.tag == "th" for c in node)
        node = node.getparent()
    return False


def _meta_people(value: str) -> list[str]:
    """Names from a meta author: Chinese names of 2–4 characters, or First Last; accounts and sites are not."""
    out = []
    for name in split_names(value):
        cjk_only = bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name))
        if cjk_only or split_names(name, strict=True):
            out.append(name)
    return out


def _line_credits(line: Line) -> Credits:
    # A long line is prose (a lead or a summary shown near the headline): only its bracketed credits count.
    if line.chars > 120:
        return lead_credits(line.text)
    return parse_credits(line.text)


# --- site selectors -----------------------------------------------------------------------------


def _query(page: Page, selector: str) -> list[Any]:
    sel = page.selector
    try:
        return list(sel.xpath(selector) if selector.startswith(("/", "(")) else sel.css(selector))
    except ValueError:
        return []


def _select_text(page: Page, site: Site, name: str) -> str | None:
    for selector in site.selectors.get(name, ()):
        for node in _query(page, selector):
            root = node.root
            text = squash(root if isinstance(root, str) else " ".join(root.itertext()))
            if text:
                return text
    return None


def _select_list(page: Page, site: Site, name: str, split: Any) -> list[str]:
    text = _select_text(page, site, name)
    if not text:
        return []
    items: list[str] = split(_strip_label(text))
    return items


def _strip_label(text: str) -> str:
    return re.sub(r"^[^:：]{0,8}[:：]\s*", "", text.strip()) if re.match(r"^[^:：]{0,8}[:：]", text) else text


def _select_body(page: Page, site: Site) -> BodyResult | None:
    for selector in site.selectors.get("body", ()):
        for node in _query(page, selector):
            el = node.root
            if not isinstance(el, etree._Element) or el not in page.order:
                continue
            lines = [ln for ln in page.lines_in(el) if ln.chars and not is_caption(page, ln)]
            kept = []
            for ln in lines:
                if _END_MARK.match(ln.text) and kept:
                    break
                if ln.link_chars * 2 > ln.chars and line_score(ln) == 0.0:
                    continue
                kept.append(ln)
            # A selector that lands on the wrong block (a 责编 line, an empty shell) must not win.
            if sum(ln.chars for ln in kept) >= 40 and any(line_score(ln) for ln in kept):
                return BodyResult(el, [ln.text for ln in kept], kept, 0)
    return None


# --- zones --------------------------------------------------------------------------------------


def _zones(page: Page, title_line: Line | None, body: BodyResult) -> _Zones:
    lines = page.lines
    # Body lines are page lines, so Line.index places them (no index of every line needed).
    if body.lines:
        first = body.lines[0].index
        last = body.lines[-1].index
    else:
        first = last = len(lines)
    tail_ids = {id(ln) for ln in body.tail}
    t = None
    if title_line is not None and title_line.index < len(lines) and lines[title_line.index] is title_line:
        t = title_line.index
    if body.head:
        first = body.head[0].index
    if t is not None and t < first:
        between = lines[t + 1 : first]
        # Info lines sit right under the headline or right above the text; menus may come between.
        head = between if len(between) <= 2 * _ZONE_LINES else between[:_ZONE_LINES] + between[-_ZONE_LINES:]
        before = lines[max(0, t - 4) : t]
    else:
        head = lines[max(0, first - 6) : first]
        before = []
    for ln in body.head:
        # Date/credit lines at the top of the chosen block: above the headline they are page furniture.
        (before if t is not None and ln.index < t else head).append(ln)
    tail: list[Line] = list(body.tail)
    after_related = False
    for ln in lines[last + 1 : last + 1 + 3 * _ZONE_LINES]:
        if len(tail) >= _ZONE_LINES:
            break
        if _END_MARK.match(ln.text) and _RELATED.match(ln.text):
            after_related = True
        if id(ln) in tail_ids:
            continue
        if after_related:
            # Past a related-stories list only 关键词 / 责编 lines still belong to the article.
            if _TAIL_LABEL.match(ln.text):
                tail.append(ln)
        # Tag lines are links ("标签：<a>旅游</a> <a>灯会</a>") but still credit lines.
        elif ln.chars and (ln.link_chars * 2 <= ln.chars or _LABELLED.match(ln.text)):
            tail.append(ln)
    return _Zones(head=head, before_title=before, tail=tail)


# --- dates --------------------------------------------------------------------------------------


def _dates(
    page: Page,
    site: Site,
    md: Metadata,
    zones: _Zones,
    body: BodyResult,
    url: str,
    tz: tzinfo | None,
    langs: tuple[str, ...],
    fetched_at: datetime,
    sources: dict[str, str],
) -> dict[str, Any]:
    out: dict[str, Any] = {"published": None, "published_raw": None, "modified": None}

    def parse(raw: str | None, year_hint: int | None = None, zone: tzinfo | None = tz) -> ParsedDate | None:
        if not raw:
            return None
        pd = parse_date(raw, tz=zone, fetched_at=fetched_at, languages=langs, year_hint=year_hint)
        if pd is None or is_future(pd, fetched_at):
            return None
        return pd

    def parse_meta(raw: str | None) -> ParsedDate | None:
        # Without a site profile the zone is only a guess: a value that states its own offset keeps it.
        if site.tz is None and raw:
            own = parse(raw, zone=None)
            if own is not None and own.value.tzinfo is not None:
                return own
        return parse(raw)

    url_date = date_from_url(url)
    year_hint = url_date.year if url_date else None

    chosen: tuple[ParsedDate, str] | None = None
    raw = _select_text(page, site, "published")
    if raw:
        pd = parse(raw, year_hint)
        if pd:
            chosen = (pd, "selector")
    meta_pd = None
    for value in (
        jsonld_text(md.jsonld.get("datePublished")),
        md.first(*_PUBLISHED_META),
        md.jsonld.get("dateCreated"),
        *md.time_datetimes[:1],
    ):
        meta_pd = parse_meta(value if isinstance(value, str) else None)
        if meta_pd:
            break
    if chosen is None:
        visible = _visible_date(zones, parse, fetched_at, tz, year_hint)
        if visible and site.tz is None and meta_pd is not None:
            visible = (_offset_from_metadata(visible[0], meta_pd, parse), visible[1])
        if (
            visible
            and meta_pd
            and not visible[1]
            and abs((_as_date(visible[0]) - _as_date(meta_pd)).days) > 1
        ):
            visible = None  # an unlabelled date that disagrees with the metadata is likely a decoy
        if visible and meta_pd and _is_relative(visible[0].raw):
            # "3 minutes ago" is only as exact as the moment the page was saved; metadata is exact.
            visible = None
        if visible:
            chosen = (visible[0], "text")
        elif meta_pd:
            step = "jsonld" if md.jsonld.get("datePublished") else "meta"
            chosen = (meta_pd, step)
        elif standalone := _date_line_near_body(page, body, parse, year_hint):
            chosen = (standalone, "text")
        elif url_date:
            out["published"] = url_date.isoformat()
            sources["published"] = "url"
        elif langs[:1] not in (("zh",), ("ja",), ("ko",)) and (
            found := _htmldate(page.html, url, fetched_at)
        ):
            # Only for pages in other languages: on Chinese pages our own reading of dates (and of the
            # decoys around them) is the better judge, and guessing adds false dates.
            out["published"] = found
            sources["published"] = "htmldate"
    if chosen:
        pd, step = chosen
        out["published"], out["published_raw"], sources["published"] = pd.iso(), pd.raw, step
        sources["published_raw"] = step

    mod = None
    raw_mod = _select_text(page, site, "modified")
    if raw_mod:
        mod = parse(raw_mod, year_hint)
    if mod is None:
        for line in zones.head + zones.tail:
            m = _MODIFIED_LABEL.search(line.text)
            if m:
                mod = parse(line.text[m.end() :], year_hint)
                if mod:
                    break
    if mod is None:
        value = jsonld_text(md.jsonld.get("dateModified")) or md.first(*_MODIFIED_META)
        mod = parse_meta(value)
    if mod is not None and out["published"] and mod.iso() != out["published"]:
        out["modified"] = mod.iso()
        sources["modified"] = "text"
    return out


def _date_line_near_body(
    page: Page, body: BodyResult, parse: Any, year_hint: int | None
) -> ParsedDate | None:
    """A line above the text that is little more than a date ("January 18, 2020"), in a byline area."""
    if not body.lines:
        return None
    first = (body.head[0] if body.head else body.lines[0]).index
    for line in reversed(page.lines[max(0, first - 30) : first]):
        # A header's "2026年11月26日 星期四" is a line that is little more than a date too.
        if (
            line.link_chars * 2 > line.chars
            or _TODAY_CUE.search(line.text)
            or _HEADER_DECOY.search(line.text)
        ):
            continue
        for tok in find_date_tokens(line.text):
            if not tok.has_year or tok.relative:
                continue
            if len(tok.raw) * 2 >= len(line.text) and not _OTHER_STORY.search(line.text[: tok.start]):
                pd = parse(tok.raw, year_hint)
                if pd is not None:
                    return pd
    return None


def _htmldate(html: str, url: str, fetched_at: datetime) -> str | None:
    """Last resort for pages that show no date we can read: htmldate's own search (day precision)."""
    if not html:
        return None
    from htmldate import find_date  # noqa: PLC0415 — imported only for the rare page that needs it

    latest = (fetched_at + timedelta(days=1)).strftime("%Y-%m-%d")
    try:
        found = find_date(html, url=url or None, extensive_search=True, original_date=True, max_date=latest)
    except (ValueError, TypeError):
        return None
    # htmldate pads a bare year to January 1st: that is a guess, not a date the page shows.
    if not isinstance(found, str) or len(found) != 10 or found.endswith("-01-01"):
        return None
    return found


def _visible_date(
    zones: _Zones, parse: Any, fetched_at: datetime, tz: tzinfo | None, year_hint: int | None
) -> tuple[ParsedDate, bool] | None:
    """The date shown near the headline (else a labelled one under the text); (date, labelled?).

    A date shown without a time is completed by a time shown for the same day nearby
    ("2015-11-05" under the headline, "发布于：2015-11-05 11:34" under the text).
    """
    found = _first_visible_date(zones, parse, fetched_at, tz, year_hint)
    if found is None or found[0].precision != "day":
        return found
    day = found[0].value.date()
    for line in zones.head + zones.tail:
        for tok in find_date_tokens(line.text):
            pd = parse(tok.raw, year_hint)
            if pd is not None and pd.precision != "day" and pd.value.date() == day:
                return pd, found[1]
    return found


def _first_visible_date(
    zones: _Zones, parse: Any, fetched_at: datetime, tz: tzinfo | None, year_hint: int | None
) -> tuple[ParsedDate, bool] | None:
    today = fetched_at.astimezone(tz or UTC).date()
    first: tuple[ParsedDate, bool] | None = None
    # A date inside a heading or in brackets ("…出身馬紹介(2020/7/11-12)") is what a story is about;
    # it is only taken when no other date is shown.
    weak: tuple[ParsedDate, bool] | None = None
    for zone, where in ((zones.head, "head"), (zones.before_title, "before"), (zones.tail, "tail")):
        is_before = where == "before"
        for line in zone:
            text = line.text
            # Between headline and text even a linked date is the article's; elsewhere links are other pages.
            if (where != "head" and line.link_chars * 2 > line.chars) or _MODIFIED_LABEL.match(text):
                continue
            if _TODAY_CUE.search(text) or (is_before and _HEADER_DECOY.search(text)):
                continue
            for tok in find_date_tokens(text):
                prefix = text[: tok.start]
                if _MODIFIED_LABEL.search(prefix[-8:]) or _OTHER_STORY.search(prefix[-12:]):
                    continue
                labelled = bool(_TIME_LABEL.search(prefix))
                if where == "tail" and not labelled:
                    continue  # under the text only "发布时间：…" is the article's own date
                pd = parse(tok.raw, year_hint)
                if pd is None:
                    continue
                if (
                    pd.precision == "day"
                    and pd.value.date() == today
                    and (is_before or _HEADER_DECOY.search(text))
                ):
                    continue  # "today is …" (2026年11月26日 星期四) in a page header, wherever the layout puts it
                if labelled and tok.has_year:
                    return pd, True  # "发布时间：…", "Published: …" beats any unlabelled date
                if line.owner.tag in _HEADINGS or prefix.rstrip().endswith(("(", "（")):
                    weak = weak or (pd, labelled)
                elif first is None:
                    first = (pd, labelled)
        if (first or weak) is not None and where == "head":
            # An unlabelled date in the info area is taken unless a labelled one follows in it.
            return first or weak
    return first or weak


def _offset_from_metadata(shown: ParsedDate, meta: ParsedDate, parse: Any) -> ParsedDate:
    """Give a displayed wall-clock time the offset implied by the metadata's exact time of the same moment.

    Only for pages whose zone is a guess: "06/02/2022 - 13:48" on a page whose metadata says
    12:48:06+00:00 was shown at +01:00.
    """
    if shown.precision == "day" or meta.value.tzinfo is None:
        return shown
    wall = parse(shown.raw, zone=None)
    if wall is None or wall.value.tzinfo is not None:
        return shown
    utc = meta.value.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    delta = wall.value.replace(second=0, microsecond=0) - utc
    if abs(delta) > timedelta(hours=14) or delta % timedelta(minutes=15):
        return shown
    return ParsedDate(wall.value.replace(tzinfo=timezone(delta)), shown.precision, shown.raw)


def _is_relative(raw: str) -> bool:
    tokens = find_date_tokens(raw)
    return bool(tokens) and tokens[0].relative


def _as_date(pd: ParsedDate) -> Any:
    return pd.value.date()


def _time_zone(site: Site, md: Metadata, url: str, title: str, paragraphs: list[str]) -> tzinfo | None:
    if site.tz is not None:
        return site.tz
    lang = _language(site, md, title, paragraphs) or ""
    host = (urlsplit(url).hostname or "").lower()
    if host.endswith(".tw"):
        return ZoneInfo("Asia/Taipei")
    if host.endswith(".hk"):
        return ZoneInfo("Asia/Hong_Kong")
    if lang == "zh" or host.endswith((".cn", ".mo")):
        return ZoneInfo("Asia/Shanghai")
    if lang == "ja" or host.endswith(".jp"):
        return ZoneInfo("Asia/Tokyo")
    if lang == "ko" or host.endswith(".kr"):
        return ZoneInfo("Asia/Seoul")
    return None


# --- other fields -------------------------------------------------------------------------------


def _title_parts(md: Metadata) -> tuple[str, ...]:
    """ "巴以冲突，困住中国外贸人_凤凰网": the last part of a <title> names the site.

    Only the last: the parts between are often the article's own tags ("…_停车位_停车费_网易订阅").
    """
    parts = _TITLE_PARTS.split(md.title or "")
    last = parts[-1].strip() if len(parts) > 1 else ""
    return (last,) if 2 <= len(last) <= 20 and SITE_WORDS.search(last) else ()


def _site_names(site: Site, md: Metadata) -> tuple[str, ...]:
    names = list(site.names)
    for key in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
        value = md.meta.get(key)
        if value and value not in names:
            names.append(value)
    publisher = jsonld_text(md.jsonld.get("publisher"))
    if publisher and publisher not in names:
        names.append(publisher)
    return tuple(names)


def _jsonld_people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    people = [i for i in items if not (isinstance(i, dict) and i.get("@type") == "Organization")]
    names: list[str] = []
    for name in jsonld_names(people):
        for n in split_names(name):
            if n not in names:
                names.append(n)
    return names


def _keyword_links(zones: _Zones, keywords: list[str]) -> list[str]:
    for line in zones.head + zones.tail:
        if not _KEYWORD_LABEL.match(line.text):
            continue
        links = [squash("".join(a.itertext())) for a in line.owner.iter("a")]
        links = [t for t in links if t and len(t) <= 40]
        flat = line.text.replace(" ", "")
        if len(links) >= 2 and "".join(links).replace(" ", "") in flat and len(links) > len(keywords):
            return list(dict.fromkeys(links))
    return []


def _tag_list(page: Page, title_line: Line | None, body: BodyResult) -> list[str]:
    """Links of a tag list (class="tags", "tag-list" …) next to the article, not a sidebar tag cloud."""
    if body.node is None or not body.lines:
        return []
    start = title_line.order if title_line is not None else page.order[body.node]
    stop = page.end[body.node] + 400  # a little past the text: tags sit under it, before related lists
    for offset, names in enumerate(page.names_of(start, stop + 1)):
        # Every _TAG_CLASS match holds one of these words; plain substring tests first (hundreds per page).
        if not ("tag" in names or "keyword" in names or "biaoqian" in names):
            continue
        if not _TAG_CLASS.search(names) or _HOT_CLASS.search(names):
            continue
        el = page.elements[start + offset]
        links = [squash("".join(a.itertext())) for a in el.iter("a")]
        links = [t.lstrip("#") for t in links if t and len(t) <= 20]
        if 1 <= len(links) <= 20 and not _HOT.search(squash(el.text or "")):
            return list(dict.fromkeys(links))
    return []


def _meta_keywords(md: Metadata, title: str, paragraphs: list[str], names: tuple[str, ...]) -> list[str]:
    raw = md.jsonld.get("keywords")
    if isinstance(raw, list):
        raw = ",".join(str(x) for x in raw)
    if not isinstance(raw, str) or not raw.strip():
        raw = md.first("keywords", "news_keywords", "article:tag")
    if not raw:
        return []
    items = split_keywords(raw)
    # A list naming the site or its channels ("云南日报网,云南,云南网") is the site's, not the article's.
    if not items or any(n in k for k in items for n in names if len(n) >= 2):
        return []
    text = title + "".join(paragraphs[:50])
    hits = sum(1 for k in items if _mentioned(k, text))
    # Site-wide keyword lists ("新闻,资讯,河南") rarely occur in the article; article tags usually do.
    if hits == 0 or (hits * 3 < len(items) and any(_GENERIC_KEYWORDS.search(k) for k in items)):
        return []
    return items


def _mentioned(keyword: str, text: str) -> bool:
    """The keyword, or most of its character pairs ("燃气安全" in "燃气入户安全检查"), occur in the text."""
    if keyword in text:
        return True
    if not _CJK.search(keyword) or len(keyword) < 3:
        return False
    pairs = [keyword[i : i + 2] for i in range(len(keyword) - 1)]
    return sum(1 for p in pairs if p in text) * 2 >= len(pairs) + 1


def _section(
    page: Page,
    site: Site,
    md: Metadata,
    zones: _Zones,
    title_line: Line | None,
    names: tuple[str, ...],
    sources: dict[str, str],
) -> str | None:
    value = _select_text(page, site, "section")
    if value:
        sources["section"] = "selector"
        return _crumb_leaf(value, names) or value
    candidates: list[tuple[Line, bool]] = []
    limit = page.order.get(title_line.owner, len(page.order)) if title_line is not None else None
    # A breadcrumb class on a line's element, its parent or its grandparent (ancestors come first in
    # document order: all of them are in the list). Only those elements are tested, not every element
    # above the headline: most of the page's elements own no line.
    order = page.order
    crumb_names = page.names_of(0, len(order) if limit is None else limit)
    for line in page.lines:
        if limit is not None and line.order >= limit:
            break
        text = line.text
        classed = _crumb_class(crumb_names[line.order])
        if not classed and (parent := line.owner.getparent()) is not None:
            classed = _crumb_class(crumb_names[order[parent]]) or (
                (grand := parent.getparent()) is not None and _crumb_class(crumb_names[order[grand]])
            )
        if (
            classed
            or _CRUMB_PREFIX.match(text)
            or (len(text) < 80 and (_CRUMB_ARROW.search(text) or len(_CRUMB_MARKS.findall(text)) >= 2))
        ):
            candidates.append((line, classed))
    for line, classed in reversed(candidates):
        leaf = _crumb_leaf(
            line.text, (*names, title_line.text if title_line is not None else ""), classed=classed
        )
        if leaf:
            sources["section"] = "text"
            return leaf
    value = jsonld_text(md.jsonld.get("articleSection")) or md.first("article:section")
    if value:
        sources["section"] = "jsonld" if md.jsonld.get("articleSection") else "meta"
        return value
    return None


def _crumb_leaf(text: str, names: tuple[str, ...], *, classed: bool = False) -> str | None:
    raw = text.strip()
    marked = classed or bool(_CRUMB_PREFIX.match(raw))
    text = _CRUMB_PREFIX.sub("", raw)
    parts = [p.strip() for p in _CRUMB_SPLIT.split(text) if p.strip()]
    if len(parts) < 2 and marked and not _CRUMB_SPLIT.search(text):
        parts = text.split()  # "您所在的位置 首页 新闻 吉林新闻": a trail set with spaces only
    if not parts or (len(parts) < 2 and not marked):
        return None
    for part in reversed(parts):
        if _CRUMB_NOISE.match(part) or part in names or len(part) > 20 or find_date_tokens(part):
            continue
        return part
    return None


def _summary(
    page: Page, site: Site, md: Metadata, title: str, paragraphs: list[str], sources: dict[str, str]
) -> str | None:
    value = _select_text(page, site, "summary")
    if value:
        sources["summary"] = "selector"
        return value
    desc = jsonld_text(md.jsonld.get("description")) or md.first(
        "description", "og:description", "twitter:description"
    )
    if not desc:
        return None
    desc = clean_text(desc)
    if len(desc) < 10 or desc == title:
        return None
    body = "".join(paragraphs).replace(" ", "")  # rendered lines hold no other whitespace
    # CMSs glue the headline in front ("标题-导语") or the site's blurb after ("导语-本网由…主办"): keep the
    # parts that are about this article's text, in order.
    parts = [p for p in _DESC_SPLIT.split(desc) if p.strip()]
    kept = [p for p in parts if p.strip() != title.strip() and _mostly_in(p, body)]
    if not kept:
        return None  # a site-wide description, not this article's
    summary = desc if len(kept) == len(parts) else "".join(kept).strip()
    if len(summary) < 10:
        return None
    sources["summary"] = "jsonld" if md.jsonld.get("description") else "meta"
    return summary


_DESC_SPLIT = re.compile(r"(?<=\S)\s*(?:-|——|—|\|)\s*(?=\S)")


def _mostly_in(text: str, other: str) -> bool:
    """At least 40 % of the character pairs of ``text`` also occur in ``other`` (stops as soon as that is
    settled: ``other`` is a whole article, searched once per pair)."""
    grams = {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}
    total = len(grams)
    need = -(-2 * total // 5)  # hits * 5 >= total * 2
    hits = misses = 0
    for gram in grams:
        # Most pairs missing from ``other`` hold a character missing from it: a one-character search
        # settles that ~5× faster than the pair's own search (which then runs only for the rest).
        if gram[1] in other and gram[0] in other and gram in other:
            hits += 1
            if hits >= need:
                return total > 0
        else:
            misses += 1
            if misses > total - need:
                return False
    return total > 0 and hits >= need


def _images(page: Page, body: BodyResult, url: str, md: Metadata) -> list[str]:
    node = body.node
    if node is None or not body.lines:
        return []
    # Images after the last paragraph (related-story thumbnails, share icons) are not the article's.
    last = body.lines[-1].owner
    stop = page.end[node] if last is node else page.end.get(last, page.end[node])
    base = urljoin(url, md.base_href) if md.base_href else url
    out: list[str] = []
    candidates = [*_lead_picture(page, node), *node.iter("img", "amp-img")]
    for img in candidates:
        if page.order.get(img, 0) > stop:
            break
        src = (
            img.get("data-original")
            or img.get("data-src")
            or img.get("data-lazy-src")
            or img.get("src")
            or ""
        ).strip()
        if not src or src.startswith("data:") or _IMG_SKIP.search(src):
            continue
        if _tiny(img.get("width")) or _tiny(img.get("height")):
            continue
        absolute = urljoin(base, src)
        if absolute.startswith(("http://", "https://")) and absolute not in out:
            out.append(absolute)
    return out


def _lead_picture(page: Page, node: etree._Element) -> list[etree._Element]:
    """Images of a picture block set right before the text (a table or figure holding only the picture
    and its caption), as e-paper and CMS templates place the lead photo."""
    prev = node.getprevious()
    if prev is None or not isinstance(prev.tag, str) or prev.tag not in ("table", "figure", "div", "p"):
        return []
    images = list(prev.iter("img"))
    if not 1 <= len(images) <= 2 or prev.find(".//a") is not None:
        return []
    text = sum(ln.chars for ln in page.lines_in(prev)) if prev in page.spans else 0
    return images if text <= 60 else []


def _tiny(value: str | None) -> bool:
    if not value:
        return False
    m = re.match(r"\s*(\d+)", value)
    return bool(m) and int(m.group(1)) < 40


def _language(site: Site, md: Metadata, title: str, paragraphs: list[str]) -> str | None:
    if site.languages:
        return site.languages[0]
    sample = title + "".join(paragraphs[:3])[:500]
    if _KANA.search(sample):
        return "ja"
    if _HANGUL.search(sample):
        return "ko"
    cjk = len(_CJK.findall(sample))
    if sample and cjk / len(sample) > 0.2:
        return "zh"
    for value in (md.html_lang, md.first("content-language", "og:locale", "language")):
        if value:
            code = re.split(r"[-_]", value.strip().lower())[0]
            if re.fullmatch(r"[a-z]{2,3}", code):
                return code
    return None


def _canonical(md: Metadata, url: str) -> str | None:
    for value in (md.canonical, md.first("og:url")):
        if not value:
            continue
        absolute = urljoin(url, value.strip())
        if absolute.startswith(("http://", "https://")) and same_site(absolute, url):
            return absolute
    return None


# The Public Suffix List snapshot bundled with tldextract: never fetched (crawls and tests stay offline).
_PUBLIC_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@lru_cache(maxsize=4096)
def site_key(host: str) -> str:
    """The registrable domain, by the Public Suffix List: ``news.hnr.cn`` → ``hnr.cn``,
    ``a.people.com.cn`` → ``people.com.cn``, ``www.foo.sh.cn`` → ``foo.sh.cn``; IPs and single labels as given."""
    host = host.lower().rstrip(".")
    if re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host):
        return host
    return _PUBLIC_SUFFIXES(host).top_domain_under_public_suffix or host


def same_site(a: str, b: str) -> bool:
    """True when two URLs belong to the same site (ports ignored)."""
    ha, hb = urlsplit(a).hostname or "", urlsplit(b).hostname or ""
    return bool(ha) and site_key(ha) == site_key(hb)
