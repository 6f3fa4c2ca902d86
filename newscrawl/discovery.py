"""Pure helpers for incremental discovery: listing-item dates, pagination links, sitemap dates.

No Scrapy here: the spiders call these on parsel selectors and plain strings, the seen-filter middleware
on request metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, tzinfo
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from parsel import Selector

from newscrawl.extract.dates import find_date_tokens, parse_date

# --- request metadata (set by the spiders, read by the seen-filter middleware) -------------------

META_LINK = "newscrawl_link"
"""What a followed link is: ``article``, ``pagination`` (next/previous page of the same listing) or
``listing`` (another listing page or any other page)."""
META_LISTED = "newscrawl_listed"
"""ISO date shown next to an article link on a listing page, when there is one."""
META_LASTMOD = "newscrawl_lastmod"
"""``lastmod`` of the sitemap entry (or Atom ``updated``) a request came from."""
META_REFETCH = "newscrawl_refetch"
"""Set by the middleware on a known article that is fetched again because its lastmod is newer."""

# --- pagination ----------------------------------------------------------------------------------

_PAGER_TEXT = re.compile(
    r"^\s*(?:\d{1,4}|[<>«»‹›]+|下一?页|上一?页|下一頁|上一頁|后一?页|前一?页|首页|尾页|末页|第\s*\d+\s*页|"
    r"next(?:\s+page)?|prev(?:ious)?(?:\s+page)?|first|last|older(?:\s+posts)?|newer(?:\s+posts)?)\s*[<>«»›‹]*\s*$",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(r"(?:^|[_-])\d{1,3}$")
_INDEX_STEMS = frozenset({"", "index", "default", "list", "page"})
_PAGE_QUERY = re.compile(
    r"^(?:page|p|pn|pg|pageno|pagenum|page_?index|cur_?page|start|offset)$", re.IGNORECASE
)


def listing_family(url: str) -> str:
    """A listing URL with its page number removed: every page of one listing gives the same value.

    ``/xwrd/``, ``/xwrd/2.html``, ``/xwrd/index_2.html``, ``/news/page/3/`` and ``/list.php?page=3`` give
    ``/xwrd/``, ``/xwrd/``, ``/xwrd/``, ``/news/`` and ``/`` (plus the other query parameters).
    """
    parts = urlsplit(url)
    folder, _, last = parts.path.rpartition("/")
    stem = _PAGE_NUMBER.sub("", last.split(".", 1)[0])
    if stem.lower() in _INDEX_STEMS:
        stem = ""
        segments = folder.split("/")
        if not last and segments and segments[-1].isdigit() and len(segments[-1]) <= 3:
            segments.pop()  # /news/page/3/
            if segments and segments[-1].lower() == "page":
                segments.pop()
        folder = "/".join(segments)
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _PAGE_QUERY.match(k)))
    return urlunsplit(("", (parts.hostname or "").lower(), f"{folder}/{stem}", query, ""))


def is_pagination(page_url: str, link_url: str, text: str = "") -> bool:
    """True when ``link_url`` is another page of the listing ``page_url`` (next, previous, numbered)."""
    if link_url == page_url:
        return False
    same_host = (urlsplit(page_url).hostname or "") == (urlsplit(link_url).hostname or "")
    if not same_host:
        return False
    if listing_family(page_url) == listing_family(link_url):
        return True
    return bool(text and _PAGER_TEXT.match(text)) and _same_dir(page_url, link_url)


def _same_dir(a: str, b: str) -> bool:
    return urlsplit(a).path.rsplit("/", 1)[0] == urlsplit(b).path.rsplit("/", 1)[0]


# --- listing-item dates --------------------------------------------------------------------------

_MAX_CLIMB = 3


def listed_dates(
    page: Selector,
    base_url: str,
    urls: Iterable[str],
    *,
    tz: tzinfo | str | None,
    now: datetime,
    languages: tuple[str, ...] = (),
) -> dict[str, date]:
    """The date shown next to each wanted link on a listing page (``<li><a>…</a><span>2026-11-20</span>``).

    The date must sit in the link's own list item — the smallest ancestor (at most three levels up) that
    holds no other wanted link — and outside the link text, so a date in a headline ("11月20日召开…")
    is never taken for the item's date. Links without such a date are left out.
    """
    wanted = set(urls)
    found: dict[str, date] = {}
    for anchor in page.xpath("//a[@href]"):
        url = urljoin(base_url, (anchor.attrib.get("href") or "").strip()).split("#", 1)[0]
        if url not in wanted or url in found:
            continue
        anchor_text = "".join(anchor.xpath(".//text()").getall())
        node = anchor
        for _ in range(_MAX_CLIMB):
            parents = node.xpath("..")
            if not parents:
                break
            node = parents[0]
            hrefs = {urljoin(base_url, h.strip()).split("#", 1)[0] for h in node.xpath(".//a/@href").getall()}
            if len(hrefs & wanted) > 1:
                break  # the node spans several items: its dates are not this link's
            text = " ".join(node.xpath(".//text()").getall()).replace(anchor_text, " ")
            tokens = find_date_tokens(text)
            if tokens:
                parsed = parse_date(tokens[0].raw, tz=tz, fetched_at=now, languages=languages)
                if parsed is not None:
                    found[url] = parsed.value.date()
                break
    return found


# --- sitemap and feed dates ----------------------------------------------------------------------


def parse_w3c_datetime(value: str | None, tz: tzinfo | None = None) -> datetime | None:
    """A sitemap ``lastmod`` / Atom ``updated`` as an aware datetime (date-only → midnight; no zone →
    ``tz``, else UTC); None when empty or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        try:
            when = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    return when if when.tzinfo else when.replace(tzinfo=tz or UTC)


def is_newer(lastmod: str | None, reference: str | None, tz: tzinfo | None = None) -> bool:
    """True when ``lastmod`` is later than ``reference`` (both W3C datetimes); False when either is missing."""
    new, old = parse_w3c_datetime(lastmod, tz), parse_w3c_datetime(reference, tz)
    return new is not None and old is not None and new > old


_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def news_dates(body: bytes) -> dict[str, str]:
    """``<loc>`` → ``<news:publication_date>`` of a Google News sitemap (Scrapy's parser drops nested
    elements, so these are read separately); empty for other sitemaps."""
    if _NEWS_NS.encode() not in body:
        return {}
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return {}
    if root is None:
        return {}
    ns = {"sm": _SITEMAP_NS, "news": _NEWS_NS}
    dates: dict[str, str] = {}
    for url in root.iterfind("sm:url", ns):
        loc = (url.findtext("sm:loc", namespaces=ns) or "").strip()
        published = (url.findtext("news:news/news:publication_date", namespaces=ns) or "").strip()
        if loc and published:
            dates[loc] = published
    return dates


def entry_date(entry: dict[str, str]) -> str | None:
    """The date of a sitemap entry: ``lastmod``, else the Google News publication date."""
    return entry.get("lastmod") or entry.get("publication_date") or None


def older_than(value: str | None, since: date | None, tz: tzinfo | None = None) -> bool:
    """True when the W3C datetime ``value`` falls before the day ``since`` (in ``tz``)."""
    when = parse_w3c_datetime(value, tz)
    if when is None or since is None:
        return False
    return (when.astimezone(tz) if tz else when).date() < since


def with_news_dates(entries: Iterable[dict[str, str]], news: dict[str, str]) -> Iterator[dict[str, str]]:
    """Sitemap entries with their Google News publication date added (when there is one)."""
    for entry in entries:
        published = news.get(entry.get("loc", ""))
        yield {**entry, "publication_date": published} if published else entry
