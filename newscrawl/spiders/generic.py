"""The generic spider: any portal from one start page, with no site profile.

    newscrawl crawl generic --start-url https://www.example.cn/
    scrapy crawl generic -a start_url=https://www.example.cn/

It stays inside the start URL's domain (subdomains included; the port is ignored, so loopback test
servers work), reads robots.txt sitemaps and the feeds the start page advertises, and otherwise walks
links breadth-first. Each page is extracted; the extractor's signals decide whether it is an article
(yielded) or a listing / other page (its links are followed, nothing is yielded). Links that look like
article URLs are fetched first, and are what the seen-filter middleware looks at to decide that a
listing page holds nothing new (so its "next page" is not followed).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from lxml import etree
from scrapy import Request, Selector
from scrapy.http import Response, TextResponse

from newscrawl.discovery import META_LINK, META_LISTED
from newscrawl.extract import looks_like_article
from newscrawl.extract.article import site_key
from newscrawl.items import Article
from newscrawl.site import GENERIC, Site
from newscrawl.spiders.base import ARTICLE_PRIORITY, LISTING_PRIORITY, PortalSpider

# URL shapes of article pages on most CMSs: a date in the path, a long numeric id, t20210903_123.html …
_ARTICLE_HINT = re.compile(
    r"(?:/|_|\b)(?:19|20)\d{2}[-/_]?(?:0[1-9]|1[0-2])[-/_]?(?:[0-3]\d)?[/_-]|/t\d{8}_\d+|"
    r"[/_-]\d{4,}(?:_\d+)?\.s?html?(?:$|\?)|/(?:content|article|detail|news|show|view)[/_-]?\w*?\d{3,}|/\d{6,}(?:$|[/?.])",
    re.IGNORECASE,
)
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")


class GenericSpider(PortalSpider):
    """Crawl any portal from ``start_url``; articles are recognised by their content."""

    name = "generic"
    site: ClassVar[Site] = GENERIC

    def __init__(
        self,
        *args: Any,
        start_url: str | None = None,
        timezone: str | None = None,
        language: str | None = None,
        **kwargs: Any,
    ) -> None:
        urls = [u.strip() for u in (start_url or "").split(",") if u.strip()]
        if not urls:
            raise ValueError("the generic spider needs a start URL (-a start_url=https://…)")
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"not an http(s) URL: {url!r}")
        domains = tuple(dict.fromkeys(site_key(urlsplit(u).hostname or "") for u in urls))
        # An instance attribute shadows the class-level profile: this crawl's domain, zone and language.
        self.site = Site(  # type: ignore[misc]
            name=GENERIC.name,
            domains=domains,
            start_urls=tuple(urls),
            timezone=timezone,
            languages=(language,) if language else (),
        )
        super().__init__(*args, **kwargs)
        self.start_urls = urls

    def _sitemap_rule(self) -> str:
        return ""

    async def start(self) -> AsyncIterator[Any]:
        """The start pages, then the sitemaps named in each host's robots.txt."""
        for url in self.start_urls:
            yield Request(url, callback=self.parse_page, priority=LISTING_PRIORITY)
        for origin in dict.fromkeys(_origin(u) for u in self.start_urls):
            yield Request(f"{origin}/robots.txt", callback=self._parse_sitemap, dont_filter=True)

    def parse_article(self, response: Response) -> Iterator[Any]:
        """URLs from sitemaps and feeds are not known to be articles: classify them like any page."""
        return self.parse_page(response)

    def parse_page(self, response: Response) -> Iterator[Any]:
        """Yield the page as an article when it is one; otherwise follow its links."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/skipped/not_html")
            return
        head = response.body[:512].lstrip()[:300].lower()
        if b"<urlset" in head or b"<sitemapindex" in head:
            yield from self._parse_sitemap(response)  # a sitemap linked from a page ("网站地图")
            return
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            yield from self.parse_feed(response)  # an RSS/Atom feed linked from a page ("RSS订阅")
            return
        read: list[tuple[list[Request], list[tuple[str, str]]]] = []

        def read_links(root: etree._Element) -> None:
            # The extractor's own parse of the page, before it drops hidden parts: Scrapy's link
            # extractor would otherwise parse the page a second time (~1 ms for a 200 KB portal page)
            # and keep that tree with the response. On a failure here the links are read the usual way.
            with _sharing(response, root):
                try:
                    read.append(self._feeds_and_links(response))
                except Exception:  # noqa: BLE001 — the usual way below raises it again, where it did before
                    return

        item, signals = self.extract(response, on_tree=read_links)
        is_article = False
        if item is not None and signals is not None:
            is_article, reason = looks_like_article(item, signals)
            if is_article:
                yield Article(**item)
            else:
                self.crawler.stats.inc_value(f"newscrawl/not_article/{reason}")
        if read and not _same_codec(item, response):
            read.clear()  # the links' text and URLs must be decoded as Scrapy decodes the page
        feeds, links = read[-1] if read else self._feeds_and_links(response)
        yield from feeds
        hinted = {u for u, _ in links if _looks_like_article_url(u)}
        listed = {} if is_article else self.listed(response, sorted(hinted))
        for url, text in links:
            if url in hinted:
                meta = {META_LINK: "article"}
                if url in listed:
                    meta[META_LISTED] = listed[url]
                yield Request(url, callback=self.parse_page, priority=ARTICLE_PRIORITY, meta=meta)
            elif is_article:
                # An article's "next page" is the article's own second page, never a listing's.
                yield Request(
                    url, callback=self.parse_page, priority=LISTING_PRIORITY, meta={META_LINK: "listing"}
                )
            else:
                yield self.listing_request(response, url, self.parse_page, text)

    def _feeds_and_links(self, response: TextResponse) -> tuple[list[Request], list[tuple[str, str]]]:
        """The page's feed requests and its (link, text) pairs, from ``response.selector``."""
        return list(self._feeds(response)), list(self.link_texts(response))

    def _feeds(self, response: TextResponse) -> Iterator[Request]:
        for link in response.xpath("//link[@rel='alternate'][@href]"):
            if (link.attrib.get("type") or "").lower() in _FEED_TYPES:
                url = response.urljoin(link.attrib["href"])
                if self.owns(url):
                    yield Request(url, callback=self.parse_feed)


@contextmanager
def _sharing(response: TextResponse, root: etree._Element) -> Iterator[None]:
    """``response.selector`` (what Scrapy's link extractor and ``response.xpath`` read) over ``root``
    for the block; afterwards it is made again from the response when asked, as usual."""
    # TextResponse keeps its selector here (Scrapy has no public way to hand it a parsed tree).
    response._cached_selector = Selector(root=root, type="html")
    try:
        yield
    finally:
        response._cached_selector = None  # the extractor goes on to change the tree


def _same_codec(item: dict[str, Any] | None, response: TextResponse) -> bool:
    """The extractor decoded the page as Scrapy did (it may read a wrong charset label differently)."""
    try:
        return (
            item is not None
            and codecs.lookup(item.get("encoding") or "").name == codecs.lookup(response.encoding).name
        )
    except LookupError:
        return False


def _looks_like_article_url(url: str) -> bool:
    parts = urlsplit(url)
    return _ARTICLE_HINT.search(f"{parts.path}?{parts.query}") is not None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))
