"""Base spider for a portal described by a ``Site`` profile.

A site file is data::

    class HnrSpider(PortalSpider):
        name = "hnr"
        site = Site(name="hnr", title="映象网", domains=("hnr.cn",), start_urls=(...),
                    article_patterns=(r"/\\d{6}/\\d{2}/\\d+\\.html$",), listing_patterns=(r"/xwrd/(?:\\d+\\.html)?$",))

Discovery: ``start_urls`` are listing pages (their pagination and sub-listings are followed when they
match ``listing_patterns``); ``sitemap_urls`` go through Scrapy's sitemap support; ``feed_urls`` are
RSS/Atom feeds. Every URL matching ``article_patterns`` is fetched once and extracted by the generic
cascade (plus the profile's optional ``selectors``). Pages are never parsed here: extraction lives in
``newscrawl.extract``; cleaning, dates, validation, dedup and output live in the pipelines.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from lxml import etree
from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import SitemapSpider
from scrapy.utils.iterators import xmliter_lxml
from w3lib.encoding import http_content_type_encoding

from newscrawl.extract import PageSignals, analyze, looks_like_article
from newscrawl.items import Article
from newscrawl.site import Site

logger = logging.getLogger(__name__)

# Never worth a request on a news portal: files, account pages, search, print views.
NEVER_FOLLOW = (
    (
        r"\.(?:jpe?g|png|gif|webp|bmp|svg|ico|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|tar|mp[34]|avi|mov|flv|wmv|"
        r"exe|apk|dmg|iso|css|js|json|swf)(?:[?#]|$)"
    ),
    r"(?:^|[/?&._-])(?:login|logout|signin|signup|register|passport|search|print|share|comment)(?:[/?&=._-]|$)",
)
ARTICLE_PRIORITY = 10
LISTING_PRIORITY = 0


class PortalSpider(SitemapSpider):
    """Listing pages + sitemaps + feeds → article pages → ``Article`` items, driven by ``site``."""

    site: ClassVar[Site]
    custom_settings: ClassVar[dict[str, Any] | None] = None

    def __init__(self, *args: Any, max_articles: int | str | None = None, **kwargs: Any) -> None:
        site = self.site
        self.sitemap_urls = list(site.sitemap_urls)
        self.sitemap_rules = [(self._sitemap_rule(), "parse_article")]
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(site.domains)
        self.max_articles = int(max_articles) if max_articles else None
        self._never = re.compile("|".join(NEVER_FOLLOW), re.IGNORECASE)
        self._links = LinkExtractor(deny_extensions=[], unique=True, canonicalize=False)
        self.articles_requested = 0

    def _sitemap_rule(self) -> str:
        return "|".join(f"(?:{p})" for p in self.site.article_patterns) or ""

    async def start(self) -> AsyncIterator[Any]:
        """Listing pages first, then feeds, then sitemaps."""
        for url in self.site.start_urls:
            yield Request(url, callback=self.parse_listing, priority=LISTING_PRIORITY)
        for url in self.site.feed_urls:
            yield Request(url, callback=self.parse_feed)
        async for request in super().start():
            yield request

    # --- discovery ---------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Any:
        """Default callback: treat the page as a listing."""
        return self.parse_listing(response)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Follow article links and listing/pagination links found on a listing page."""
        if not isinstance(response, TextResponse):
            return
        for url in self.links(response):
            if self.site.is_article_url(url):
                yield self.article_request(url)
            elif self.site.is_listing_url(url):
                yield Request(url, callback=self.parse_listing, priority=LISTING_PRIORITY)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Article links from an RSS 2.0 or Atom feed."""
        urls: list[str] = []
        try:
            for node in xmliter_lxml(response, "item"):
                urls.extend(node.xpath("./link/text()").getall())
            if not urls:
                for node in xmliter_lxml(
                    response, "entry", namespace="http://www.w3.org/2005/Atom", prefix="atom"
                ):
                    urls.extend(node.xpath("./atom:link/@href").getall())
        except (etree.LxmlError, ValueError) as exc:  # a broken feed is counted, never fatal
            self.crawler.stats.inc_value("newscrawl/feed/invalid")
            logger.warning("Ignoring invalid feed %s: %s", response.url, exc)
            return
        for url in urls:
            url = response.urljoin(url.strip())
            if self.site.is_article_url(url) or not self.site.article_patterns:
                yield self.article_request(url)

    def links(self, response: TextResponse) -> Iterable[str]:
        """Absolute http(s) links of a page, inside the site, minus files and account/search pages."""
        for link in self._links.extract_links(response):
            url = link.url.split("#", 1)[0]
            if not url.startswith(("http://", "https://")) or self._never.search(url):
                continue
            if self.site.is_denied_url(url) or not self.owns(url):
                continue
            yield url

    def owns(self, url: str) -> bool:
        """True when the URL's host (port ignored) belongs to the site."""
        return self.site.owns_host(urlsplit(url).hostname or "")

    def article_request(self, url: str) -> Request:
        """A request for an article page (deduplicated by Scrapy's dupefilter)."""
        self.articles_requested += 1
        return Request(url, callback=self.parse_article, priority=ARTICLE_PRIORITY)

    # --- extraction --------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Any]:
        """Extract an article; pages that turn out not to be articles are counted and skipped."""
        item, signals = self.extract(response)
        if item is None:
            return
        ok, reason = looks_like_article(item, signals)
        if not ok and not self.site.is_article_url(response.url):
            self.crawler.stats.inc_value(f"newscrawl/not_article/{reason}")
            return
        yield Article(**item)

    def extract(self, response: Response) -> tuple[dict[str, Any] | None, PageSignals | None]:
        """Run the extractor on a response; a page that cannot be read is counted, not raised."""
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("newscrawl/skipped/not_html")
            return None, None
        charset = http_content_type_encoding(response.headers.get("Content-Type", b"").decode("latin-1"))
        try:
            record, signals = analyze(
                response.body,
                response.url,
                site=self.site,
                fetched_at=datetime.now(UTC),
                http_charset=charset,
            )
        except Exception:
            stats.inc_value("newscrawl/skipped/extract_error")
            logger.exception("Extraction failed for %s", response.url)
            return None, None
        stats.inc_value("newscrawl/pages_extracted")
        return record, signals
