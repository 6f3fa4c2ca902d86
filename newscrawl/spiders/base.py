"""Base spider for a portal described by a ``Site`` profile.

A site file is data::

    class HnrSpider(PortalSpider):
        name = "hnr"
        site = Site(name="hnr", title="映象网", domains=("hnr.cn",), start_urls=(...),
                    article_patterns=(r"/\\d{6}/\\d{2}/\\d+\\.html$",), listing_patterns=(r"/xwrd/(?:\\d+\\.html)?$",))

Discovery: ``start_urls`` are listing pages (their pagination and sub-listings are followed when they
match ``listing_patterns``); ``sitemap_urls`` go through Scrapy's sitemap support (sitemap indexes,
Google News sitemaps, ``sitemap_filter`` on ``lastmod`` for ``--since``); ``feed_urls`` are RSS/Atom
feeds. Every URL matching ``article_patterns`` is fetched once and extracted by the generic cascade (plus
the profile's optional ``selectors``). Requests carry what the seen-filter middleware needs to make runs
incremental: what kind of link each is (article / pagination / listing), the date a listing shows next
to an article, and the sitemap ``lastmod``. Pages are never parsed here: extraction lives in
``newscrawl.extract``; cleaning, dates, validation, dedup and output live in the pipelines.

A profile's ``settings`` (politeness per portal) are applied at spider priority, so ``-s`` still wins;
the User-Agent names the project and the ``NEWSCRAWL_CONTACT`` URL unless ``USER_AGENT`` is set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from lxml import etree
from scrapy import Request
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.linkextractors.lxmlhtml import LxmlParserLinkExtractor
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.spiders import SitemapSpider
from scrapy.spiders.sitemap import iterloc
from scrapy.utils.iterators import xmliter_lxml
from scrapy.utils.sitemap import Sitemap
from w3lib.encoding import http_content_type_encoding

from newscrawl import __version__
from newscrawl.discovery import (
    META_LASTMOD,
    META_LINK,
    META_LISTED,
    entry_date,
    is_pagination,
    listed_dates,
    news_dates,
    older_than,
    with_news_dates,
)
from newscrawl.extract import PageSignals, analyze, looks_like_article
from newscrawl.items import Article
from newscrawl.resilience import charset_mismatch, retry_without_controls
from newscrawl.site import Site
from newscrawl.warc import fetched_at_of

logger = logging.getLogger(__name__)
# The host part of an http(s) URL as urlsplit finds it (up to "/", "?", "#" or the end), when it holds no
# whitespace or control character (urlsplit drops tabs and newlines anywhere before it splits).
_HTTP_NETLOC = re.compile(r"https?://([^/?#\x00-\x20\x7f]*)(?=[/?#]|\Z)")
_OWNED_HOSTS = 4096

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


class _FirstOfEachHref(LxmlParserLinkExtractor):
    """Scrapy's link extractor that resolves each distinct ``href`` of a page once.

    A portal page repeats a third of its links (menus, "more" links); each cost two ``urljoin`` and a
    ``safe_url_string``. Only exact repeats are skipped: they give the same URL as their first
    occurrence, which is the one ``unique=True`` keeps (with its text), so the links are Scrapy's.
    """

    def _iter_links(self, document: Any) -> Iterator[tuple[Any, str, str]]:
        seen: set[str] = set()
        for el, attr, value in super()._iter_links(document):
            if value not in seen:
                seen.add(value)
                yield el, attr, value


def link_extractor() -> LinkExtractor:
    """The spiders' link extractor: every tag ``a``/``area`` link, no extension filter, each URL once."""
    links = LinkExtractor(deny_extensions=[], unique=True, canonicalize=False)
    # LinkExtractor builds its parser-level extractor itself: give that object the subclass's method
    # (it adds no state), rather than repeat how Scrapy builds it.
    links.link_extractor.__class__ = _FirstOfEachHref
    return links


def user_agent(contact: str) -> str:
    """The User-Agent: the project, its version and the operator's contact URL."""
    return f"newscrawl/{__version__} (+{contact})"


class PortalSpider(SitemapSpider):
    """Listing pages + sitemaps + feeds → article pages → ``Article`` items, driven by ``site``."""

    site: ClassVar[Site]
    custom_settings: ClassVar[dict[str, Any] | None] = None

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The site profile's settings, then the class's ``custom_settings``, then the User-Agent."""
        site = getattr(cls, "site", None)
        if isinstance(site, Site):
            settings.setdict(dict(site.settings), priority="spider")
        super().update_settings(settings)
        # Above project priority, a User-Agent was chosen for this site or run: keep it.
        if (settings.getpriority("USER_AGENT") or 0) <= SETTINGS_PRIORITIES["project"]:
            settings.set("USER_AGENT", user_agent(settings.get("NEWSCRAWL_CONTACT")), priority="spider")

    def __init__(self, *args: Any, max_articles: int | str | None = None, **kwargs: Any) -> None:
        site = self.site
        self.sitemap_urls = list(site.sitemap_urls)
        self.sitemap_rules = [(self._sitemap_rule(), "parse_article")]
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(site.domains)
        self.max_articles = int(max_articles) if max_articles else None
        self._never = re.compile("|".join(NEVER_FOLLOW), re.IGNORECASE)
        self._links = link_extractor()
        self._owned: dict[str, bool] = {}
        self.articles_requested = 0

    def _sitemap_rule(self) -> str:
        return "|".join(f"(?:{p})" for p in self.site.article_patterns) or ""

    @property
    def since(self) -> date | None:
        """The ``--since`` day (``NEWSCRAWL_SINCE``), if any."""
        value = self.settings.get("NEWSCRAWL_SINCE") if getattr(self, "crawler", None) else None
        return date.fromisoformat(str(value)[:10]) if value else None

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
        links = list(self.link_texts(response))
        articles = [u for u, _ in links if self.site.is_article_url(u)]
        listed = self.listed(response, articles)
        for url, text in links:
            if self.site.is_article_url(url):
                yield self.article_request(url, listed=listed.get(url))
            elif self.site.is_listing_url(url):
                yield self.listing_request(response, url, self.parse_listing, text)

    def listed(self, response: TextResponse, urls: list[str]) -> dict[str, str]:
        """ISO dates shown next to article links (only looked up with ``--since``: they serve to stop
        paging and skip old articles)."""
        since = self.since
        if since is None or not urls:
            return {}
        dates = listed_dates(
            response,
            response.url,
            urls,
            tz=self.site.tz,
            now=datetime.now(UTC),
            languages=self.site.languages,
        )
        return {url: day.isoformat() for url, day in dates.items()}

    def listing_request(self, response: TextResponse, url: str, callback: Any, text: str = "") -> Request:
        """A request for another listing page, marked as pagination when it is another page of this one."""
        kind = "pagination" if is_pagination(response.url, url, text) else "listing"
        return Request(url, callback=callback, priority=LISTING_PRIORITY, meta={META_LINK: kind})

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Article links from an RSS 2.0 or Atom feed (entries dated before ``--since`` are skipped; an
        Atom entry's ``updated`` is its lastmod)."""
        entries: list[tuple[str, str | None, str | None]] = []  # url, published, updated
        try:
            for node in xmliter_lxml(response, "item"):
                published = _rfc822(node.xpath("./pubDate/text()").get())
                entries += [(u, published, None) for u in node.xpath("./link/text()").getall()]
            if not entries:
                for node in xmliter_lxml(
                    response, "entry", namespace="http://www.w3.org/2005/Atom", prefix="atom"
                ):
                    updated = node.xpath("./atom:updated/text()").get()
                    published = node.xpath("./atom:published/text()").get() or updated
                    entries += [(u, published, updated) for u in node.xpath("./atom:link/@href").getall()]
        except (etree.LxmlError, ValueError) as exc:  # a broken feed is counted, never fatal
            self.crawler.stats.inc_value("newscrawl/feed/invalid")
            logger.warning("Ignoring invalid feed %s: %s", response.url, exc)
            return
        since = self.since
        for url, published, updated in entries:
            url = response.urljoin(url.strip())
            if not (self.site.is_article_url(url) or not self.site.article_patterns):
                continue
            if older_than(published, since, self.site.tz):
                self.crawler.stats.inc_value("newscrawl/skipped/older_than_since")
                continue
            yield self.article_request(url, lastmod=updated)

    # --- sitemaps --------------------------------------------------------------------------------

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
        """Skip sitemap entries (articles, or child sitemaps of an index) last modified before ``--since``."""
        since = self.since
        for entry in entries:
            if older_than(entry_date(entry), since, self.site.tz):
                self.crawler.stats.inc_value("newscrawl/skipped/older_than_since")
                continue
            yield entry

    def _parse_sitemap(self, response: Response) -> Iterable[Request]:
        """Scrapy's sitemap handling, with each article request carrying its entry's ``lastmod``."""
        if response.url.endswith("/robots.txt"):
            return super()._parse_sitemap(response)
        body = self._get_sitemap_body(response)
        sitemap = Sitemap(body) if body else None
        if sitemap is None or sitemap.type not in ("urlset", "sitemapindex"):
            self.crawler.stats.inc_value("newscrawl/sitemap/invalid")
            return super()._parse_sitemap(response)  # logs "Ignoring invalid sitemap"
        assert body is not None
        entries = self.sitemap_filter(with_news_dates(sitemap, news_dates(body)))
        if sitemap.type == "sitemapindex":
            follow = [re.compile(p) if isinstance(p, str) else p for p in self.sitemap_follow]
            return [
                Request(loc, callback=self._parse_sitemap)
                for loc in iterloc(entries, self.sitemap_alternate_links)
                if any(x.search(loc) for x in follow)
            ]
        rules = [(re.compile(r) if isinstance(r, str) else r, c) for r, c in self.sitemap_rules]
        requests = []
        for entry in entries:
            for loc in iterloc([entry], self.sitemap_alternate_links):
                callback = next((c for r, c in rules if r.search(loc)), None)
                if callback is not None:
                    callback = getattr(self, callback) if isinstance(callback, str) else callback
                    requests.append(
                        self.article_request(loc, lastmod=entry.get("lastmod"), callback=callback)
                    )
        return requests

    def link_texts(self, response: TextResponse) -> Iterable[tuple[str, str]]:
        """Absolute http(s) links of a page, inside the site, minus files and account/search pages, with
        each link's text (each URL once: ``a.html`` and ``a.html#comment`` are one page)."""
        seen: set[str] = set()
        for link in self._links.extract_links(response):
            url = link.url.split("#", 1)[0]
            if url in seen or not url.startswith(("http://", "https://")) or self._never.search(url):
                continue
            seen.add(url)
            if self.site.is_denied_url(url) or not self.owns(url):
                continue
            yield url, link.text

    def owns(self, url: str) -> bool:
        """True when the URL's host (port ignored) belongs to the site."""
        # Asked for every link of every page (hundreds on a portal's page), where urlsplit is most of
        # the link filter's time: the answer is kept per host part. Only a plain "http(s)://host" start
        # is keyed: anything urlsplit would clean up first (whitespace, controls) takes the long way.
        plain = _HTTP_NETLOC.match(url)
        if plain is None:
            return self.site.owns_host(urlsplit(url).hostname or "")
        netloc = plain.group(1)
        owned = self._owned.get(netloc)
        if owned is None:
            if len(self._owned) >= _OWNED_HOSTS:
                self._owned.clear()  # a crawl meets few hosts; this only bounds a pathological one
            owned = self._owned[netloc] = self.site.owns_host(urlsplit(url).hostname or "")
        return owned

    def article_request(
        self, url: str, *, listed: str | None = None, lastmod: str | None = None, callback: Any = None
    ) -> Request:
        """A request for an article page (deduplicated by Scrapy's dupefilter; known articles are
        skipped by the seen-filter middleware)."""
        self.articles_requested += 1
        meta: dict[str, Any] = {META_LINK: "article"}
        if listed:
            meta[META_LISTED] = listed
        if lastmod:
            meta[META_LASTMOD] = lastmod
        return Request(url, callback=callback or self.parse_article, priority=ARTICLE_PRIORITY, meta=meta)

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

    def extract(
        self, response: Response, on_tree: Callable[[etree._Element], object] | None = None
    ) -> tuple[dict[str, Any] | None, PageSignals | None]:
        """Run the extractor on a response; a page that cannot be read is counted, not raised.

        ``on_tree`` sees the extractor's parse of the page before the extractor changes it."""
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("newscrawl/skipped/not_html")
            return None, None
        charset = http_content_type_encoding(response.headers.get("Content-Type", b"").decode("latin-1"))
        try:
            record, signals = retry_without_controls(analyze, stats)(
                response.body,
                response.url,
                site=self.site,
                fetched_at=fetched_at_of(response),  # the download time, also the WARC-Date
                http_charset=charset,
                on_tree=on_tree,
            )
        except Exception:
            stats.inc_value("newscrawl/skipped/extract_error")
            logger.exception("Extraction failed for %s", response.url)
            return None, None
        stats.inc_value("newscrawl/pages_extracted")
        if charset_mismatch(response.body, charset, record.get("encoding")):
            stats.inc_value("newscrawl/errors/charset/mismatch")
        if signals.malformed:
            stats.inc_value("newscrawl/errors/page/malformed_html")
        return record, signals


def _rfc822(value: str | None) -> str | None:
    """An RSS ``pubDate`` as ISO 8601 (None when missing or unreadable)."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.strip()).isoformat()
    except (TypeError, ValueError):
        return None
