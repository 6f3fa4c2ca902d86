"""Spider middleware: skip known articles before they are scheduled, and stop paging through listings
that hold nothing new.

Working on the spider's output (not in the downloader) matters: a request dropped here never reaches
Scrapy's dupefilter, so when the same article later comes from a sitemap whose ``lastmod`` says it was
edited, that request is still free to go.

For every request the spider yields, in order:

- a link to another page of the same listing (``newscrawl_link=pagination``) is dropped when every
  article link on the page it came from is known (from an earlier run) or listed with a date before
  ``--since`` — counted as ``newscrawl/skipped/pagination``;
- an article link listed with a date before ``--since`` is dropped (``newscrawl/skipped/older_than_since``);
- a request for a known article is dropped (``newscrawl/skipped/known`` counts each article once) unless ``--refresh`` is on or
  its sitemap ``lastmod`` is newer than what the store recorded (``newscrawl/refetch/lastmod``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawl.discovery import META_LASTMOD, META_LINK, META_LISTED, META_REFETCH, is_newer
from newscrawl.extensions.run import RunExtension, spider_site
from newscrawl.faults import Holds
from newscrawl.pipelines.dedup import dedup_key
from newscrawl.runs import RunSession
from newscrawl.state import Known

logger = logging.getLogger(__name__)


class SeenFilterMiddleware:
    """Known-article skip, lastmod refetch and the paging stop (see the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = crawler.get_extension(RunExtension)
        self.holds = Holds.from_settings(crawler.settings)
        self.skipped: set[str] = set()  # URL keys already counted as skipped (pages link articles many times)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        return cls(crawler)

    @property
    def session(self) -> RunSession | None:
        """The run's session (None without the run extension)."""
        return self.run.session if self.run is not None else None

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Start requests go through the same known-article check."""
        async for obj in start:
            if not isinstance(obj, Request) or self.session is None:
                yield obj
                continue
            for request in self.filter([obj]):
                yield request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        """Items pass at once; a page's requests are judged together (the paging stop needs them all)."""
        if self.session is None:
            yield from result
            return
        requests: list[Request] = []
        for obj in result:
            if isinstance(obj, Request):
                requests.append(obj)
            else:
                yield obj
        yield from self.filter(requests)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """The same for asynchronous callbacks."""
        if self.session is None:
            async for obj in result:
                yield obj
            return
        requests: list[Request] = []
        async for obj in result:
            if isinstance(obj, Request):
                requests.append(obj)
            else:
                yield obj
        for request in self.filter(requests):
            yield request

    # --- the rules -------------------------------------------------------------------------------

    def filter(self, requests: list[Request]) -> Iterator[Request]:
        """The requests of one page (or one start request) that are worth making."""
        session = self.session
        assert session is not None
        known = self.known_all(session, requests)
        since = session.options.since.isoformat() if session.options.since else None
        pagination = [r for r in requests if r.meta.get(META_LINK) == "pagination"]
        exhausted = bool(pagination) and self.exhausted(session, requests, known, since)
        if pagination:
            self.holds.reached("listing")
        for request, seen in zip(requests, known, strict=True):
            kind = request.meta.get(META_LINK)
            if kind == "pagination" and exhausted:
                self.inc("skipped/pagination")
                logger.debug("Not paging on to %s: nothing new on the page before it", request.url)
                continue
            listed = request.meta.get(META_LISTED)
            if kind == "article" and since and listed and listed < since:
                self.inc("skipped/older_than_since")
                continue
            key = dedup_key(request.url)
            if seen is not None:
                if not self.edited(session, request, seen):
                    if key not in self.skipped:
                        self.skipped.add(key)
                        self.inc("skipped/known")
                    continue
                request.meta[META_REFETCH] = True
                self.inc("refetch/lastmod")
                logger.debug(
                    "Fetching %s again: lastmod %s is newer", request.url, request.meta.get(META_LASTMOD)
                )
            lastmod = request.meta.get(META_LASTMOD)
            if lastmod:
                session.lastmods[key] = lastmod
            yield request

    def known_all(self, session: RunSession, requests: list[Request]) -> list[Known | None]:
        """The stored article each request leads to, when an earlier run wrote it (all None with
        --refresh); the store is asked once for the whole page."""
        if session.options.refresh or not requests:
            return [None] * len(requests)
        found = session.store.known_many(session.options.site, [dedup_key(r.url) for r in requests])
        # None for new articles and for those written by this very run (the dupefilter handles repeats).
        return [k if k is not None and k.run_id != session.run_id else None for k in found]

    def edited(self, session: RunSession, request: Request, known: Known) -> bool:
        """True when the request's sitemap lastmod is newer than the stored lastmod (or fetch time)."""
        lastmod = request.meta.get(META_LASTMOD)
        if not lastmod:
            return False
        return is_newer(lastmod, known.lastmod or known.fetched_at, spider_site(self.crawler.spider).tz)

    def exhausted(
        self, session: RunSession, requests: list[Request], known: list[Known | None], since: str | None
    ) -> bool:
        """True when every article link of the page is known (and not edited) or listed before --since."""
        articles = [
            (r, k)
            for r, k in zip(requests, known, strict=True)
            if r.meta.get(META_LINK) == "article" or k is not None
        ]
        if not articles:
            return False

        def nothing_new(request: Request, seen: Known | None) -> bool:
            if seen is not None and session.stop_at_known and not self.edited(session, request, seen):
                return True
            listed = request.meta.get(META_LISTED)
            return bool(since and listed and listed < since)

        return all(nothing_new(r, k) for r, k in articles)

    def inc(self, key: str) -> None:
        """Bump a ``newscrawl/…`` counter."""
        if self.stats is not None:
            self.stats.inc_value(f"newscrawl/{key}")
