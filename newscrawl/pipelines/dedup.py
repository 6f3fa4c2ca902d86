"""Dedup within a run: one article per canonical URL (rel=canonical when same-site, else the URL)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from w3lib.url import canonicalize_url

from newscrawl.pipelines import BasePipeline

_TRACKING = re.compile(
    r"^(?:utm_\w+|from|spm|share_?\w*|fbclid|gclid|isappinstalled|wfr|source|ref|_t|timestamp)$",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)
def dedup_key(url: str) -> str:
    """A URL with tracking parameters, fragment, default ports and letter case of the host normalised.

    Cached: every link of every page goes through it (the seen-store check), and pages repeat links."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    cleaned = urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(query), ""))
    return canonicalize_url(cleaned)


def record_keys(record: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """An article record's key in the seen-store (its canonical URL's ``dedup_key``) and the keys of
    every URL it was reached at."""
    url = record["url"]
    key = dedup_key(record.get("canonical_url") or url)
    return key, tuple(dict.fromkeys((key, dedup_key(url))))


class DuplicateArticle(DropItem):
    """An article already written in this run (under another URL, or the same one)."""


class HeldElsewhere(DuplicateArticle):
    """Another worker of a distributed crawl holds the article's claim: nothing was written here, and the
    holder may never write it (a killed worker, whose successor crawls the article again)."""


class DedupPipeline(BasePipeline):
    """Drop an article whose canonical URL was already written in this run."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        """Also listen for items dropped further down the chain."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """Forget an article another worker held: a later copy of it may be the one to write it."""
        if isinstance(exception, HeldElsewhere):
            adapter = ItemAdapter(item)
            self.seen.discard(dedup_key(adapter.get("canonical_url") or adapter["url"]))

    def process_item(self, item: Any) -> Any:
        """Raise DropItem for a duplicate; remember the key otherwise."""
        adapter = ItemAdapter(item)
        key = dedup_key(adapter.get("canonical_url") or adapter["url"])
        if key in self.seen:
            self.inc("dropped/duplicate")
            raise DuplicateArticle(f"duplicate: {adapter['url']}", log_level="INFO")
        self.seen.add(key)
        return item
