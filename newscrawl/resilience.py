"""Faults a portal can throw at a crawl, handled and counted (README, "Faults").

Each counter is a ``newscrawl/errors/<kind>`` stat, listed by kind in the run manifest's ``errors``:

- ``RetryAfterMiddleware``: a 429 or 503 with ``Retry-After`` is retried after that delay (capped by
  ``NEWSCRAWL_RETRY_AFTER_MAX``), and every request to the same download slot waits too
  (``newscrawl/retry_after/honoured``, ``newscrawl/retry_after/seconds``); the status itself is counted
  as ``http/429`` / ``http/503`` like any other;
- ``RedirectGuardMiddleware`` (Scrapy's redirect middleware): a redirect back to a URL of its own chain
  (``redirect/loop``), off the site (``redirect/offsite``, not followed) or past ``REDIRECT_MAX_TIMES``
  (``redirect/too_many``) is dropped at once;
- ``BoundedDecompressionMiddleware`` (Scrapy's decompression middleware): a body that inflates past
  ``DOWNLOAD_MAXSIZE`` (a gzip bomb) is refused (``download/too_large``, like a body over the limit on
  the wire);
- ``ListingDepthMiddleware`` (Scrapy's depth middleware): links past ``DEPTH_LIMIT`` are dropped and
  counted (``trap/depth_limit``: a calendar or any endless chain of links ends there); another page of
  the same listing is no step deeper — a long listing is walked to its end — and a listing's pagination
  stops after ``NEWSCRAWL_MAX_LISTING_PAGES`` pages instead (``trap/pagination``: an endless "next page").

- ``ContentGuardMiddleware``: a body that is binary (an image, an archive, random bytes) although served
  as text is handed to the spiders as a plain, non-text response, which they skip (``page/binary``); a
  document declaring XML entities (a "billion laughs" sitemap or feed) is counted (``xml/entities``) —
  Scrapy's sitemap and feed parsers never expand entities, so its real URLs are still used.

The spiders count a page whose declared charset is not the one its bytes are in (``charset/mismatch``;
the extractor decodes it right), and extract again, without them, a page whose C0 control characters
made lxml refuse a text (``page/control_characters``; ``retry_without_controls``).
"""

from __future__ import annotations

import codecs
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self, TypeVar

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.depth import DepthMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater
from w3lib.encoding import html_body_declared_encoding

from newscrawl.discovery import META_LINK

logger = logging.getLogger(__name__)

META_LISTING_PAGE = "newscrawl_listing_page"
"""Which page of its listing a pagination request is (the listing's first page is 1)."""


def count(crawler: Crawler, kind: str, n: int = 1) -> None:
    """Bump the ``newscrawl/errors/<kind>`` counter."""
    if crawler.stats is not None:
        crawler.stats.inc_value(f"newscrawl/errors/{kind}", n)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds from now: delta-seconds or an HTTP date; None when unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Honour ``Retry-After`` on 429 / 503: retry after the delay, and hold the whole download slot."""

    STATUSES = frozenset({429, 503})

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_delay = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 120)
        self.not_before: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        return cls(crawler)

    @staticmethod
    def slot_of(request: Request) -> str:
        """The download slot a request goes through (its host unless the request names one)."""
        return str(request.meta.get("download_slot") or urlparse_cached(request).hostname or "")

    async def process_request(self, request: Request) -> None:
        """Wait while the request's slot is told to back off."""
        wait = self.not_before.get(self.slot_of(request), 0.0) - time.monotonic()
        if wait > 0:
            # Imported here: importing it at module level would install Twisted's default reactor
            # before Scrapy installs the one it is configured with.
            from twisted.internet import reactor  # noqa: PLC0415

            await maybe_deferred_to_future(deferLater(reactor, wait))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        """A 429 / 503 with Retry-After: hold the slot and retry (within the retry budget)."""
        if response.status not in self.STATUSES:
            return response
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is None:
            return response
        delay = min(delay, self.max_delay)
        slot = self.slot_of(request)
        self.not_before[slot] = max(self.not_before.get(slot, 0.0), time.monotonic() + delay)
        retry = get_retry_request(
            request, spider=self.crawler.spider, reason=f"{response.status} with Retry-After {delay:g}s"
        )
        if retry is None:
            return response
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("newscrawl/retry_after/honoured")
            stats.inc_value("newscrawl/retry_after/seconds", delay)
        logger.info("%s: %s, retrying in %gs (Retry-After)", request.url, response.status, delay)
        return retry


class RedirectGuardMiddleware(RedirectMiddleware):
    """Scrapy's redirects, minus loops and hops off the site (both dropped and counted)."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        """Follow a redirect unless it loops, leaves the site or exceeds ``REDIRECT_MAX_TIMES``."""
        try:
            result = super().process_response(request, response)
        except IgnoreRequest:
            count(self.crawler, "redirect/too_many")
            logger.info("Not following %s: more than %d redirects", request.url, self.max_redirect_times)
            raise
        if not isinstance(result, Request):
            return result
        chain = {request.url, *request.meta.get("redirect_urls", ())}
        if result.url in chain:
            count(self.crawler, "redirect/loop")
            logger.info("Not following %s: a redirect loop back to %s", request.url, result.url)
            raise IgnoreRequest(f"redirect loop: {request.url} -> {result.url}")
        owns = getattr(self.crawler.spider, "owns", None)
        if owns is not None and not owns(result.url):
            count(self.crawler, "redirect/offsite")
            logger.info("Not following %s: it redirects off the site, to %s", request.url, result.url)
            raise IgnoreRequest(f"redirect off the site: {request.url} -> {result.url}")
        return result


class BoundedDecompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression (bounded by ``DOWNLOAD_MAXSIZE``), with the refusals counted."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        """Decompress; a body that inflates past the limit is refused and counted."""
        try:
            return super().process_response(request, response)
        except IgnoreRequest:
            if self.stats is not None:
                self.stats.inc_value("newscrawl/errors/download/too_large")
            raise


class ListingDepthMiddleware(DepthMiddleware):
    """``DEPTH_LIMIT`` for chains of links (drops counted); a page cap, not depth, for pagination."""

    max_pages: int = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook, plus the pagination cap."""
        middleware = super().from_crawler(crawler)
        middleware.max_pages = crawler.settings.getint("NEWSCRAWL_MAX_LISTING_PAGES", 500)
        return middleware

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        """Another page of a listing keeps the listing's depth and is numbered (dropped past the cap);
        any other link goes one step deeper, up to ``DEPTH_LIMIT``."""
        if response is None or request.meta.get(META_LINK) != "pagination":
            request.meta.pop(META_LISTING_PAGE, None)
            processed = super().get_processed_request(request, response)
            if processed is None:
                count(self.crawler, "trap/depth_limit")
            return processed
        page = int(response.meta.get(META_LISTING_PAGE, 1)) + 1
        if self.max_pages and page > self.max_pages:
            count(self.crawler, "trap/pagination")
            logger.debug("Not paging on to %s: page %d of one listing", request.url, page)
            return None
        request.meta[META_LISTING_PAGE] = page
        # Page 40 of a listing is as close to the start as page 1: counting pages as depth would cut
        # long listings short at DEPTH_LIMIT (whatever order the crawl happened to find them in).
        request.meta["depth"] = response.meta.get("depth", 0)
        return request


_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"Rar!",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x7fELF",
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")


def looks_binary(body: bytes) -> bool:
    """True when a body served as text is not text: a known file signature, NUL bytes or many control
    bytes in its first kilobyte (UTF-16 with a BOM is text)."""
    head = body[:1024]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if head.startswith(_MAGIC) or b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls > len(head) // 10


class ContentGuardMiddleware:
    """Binary bodies served as text become plain responses (skipped by the spiders); XML entity
    declarations are counted."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        """Check a text response's first bytes."""
        if not isinstance(response, TextResponse):
            return response
        if looks_binary(response.body):
            count(self.crawler, "page/binary")
            logger.warning(
                "Skipping %s: served as %s, but the body is binary",
                response.url,
                response.headers.get("Content-Type", b"?").decode("latin-1"),
            )
            return Response(
                url=response.url,
                status=response.status,
                headers=response.headers,
                body=response.body,
                flags=response.flags,
                request=response.request,
                certificate=response.certificate,
                ip_address=response.ip_address,
                protocol=response.protocol,
            )
        if b"<!ENTITY" in response.body[:65536]:
            count(self.crawler, "xml/entities")
            logger.warning("%s declares XML entities (never expanded)", response.url)
        return response


def _family(codec: str | None) -> str | None:
    """A codec's family: GB2312 / GBK / GB18030 are one, and so are Latin-1 / cp1252 / ASCII."""
    if not codec:
        return None
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030", "hz"):
        return "gb"
    if name.startswith("big5"):
        return "big5"
    if name in ("ascii", "latin-1", "iso8859-1", "cp1252"):
        return "latin"
    if name.startswith("utf-8"):
        return "utf-8"
    return name


def charset_mismatch(body: bytes, http_charset: str | None, used: str | None) -> bool:
    """True when the page declares a charset (Content-Type, else ``<meta>``) of another family than
    the codec its bytes were decoded with."""
    declared = _family(http_charset or html_body_declared_encoding(body[:4096]))
    actual = _family(used)
    return declared is not None and actual is not None and declared != actual


T = TypeVar("T")
LXML_CONTROL_ERROR = "All strings must be XML compatible"
# C0 controls that XML (so lxml) refuses in text; tab, newline, carriage return and ESC (ISO-2022) stay.
_CONTROLS = bytes.maketrans(
    bytes(b for b in range(32) if b not in b"\t\n\r\x1b"), b" " * (32 - len(b"\t\n\r\x1b"))
)


def strip_controls(body: bytes) -> bytes:
    """The body with C0 control bytes turned into spaces (UTF-16/32 bodies, whose bytes cannot be judged
    one by one, are left alone)."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return body
    return body.translate(_CONTROLS)


def retry_without_controls(analyze: Callable[..., T], stats: Any) -> Callable[..., T]:
    """``analyze`` (the body its first argument), tried once more on ``strip_controls(body)`` when lxml
    refused a control character in the page (``page/control_characters``): such pages are otherwise lost."""

    def run(body: bytes, *args: Any, **kwargs: Any) -> T:
        try:
            return analyze(body, *args, **kwargs)
        except ValueError as exc:
            if LXML_CONTROL_ERROR not in str(exc):
                raise
            if stats is not None:
                stats.inc_value("newscrawl/errors/page/control_characters")
            return analyze(strip_controls(body), *args, **kwargs)

    return run
