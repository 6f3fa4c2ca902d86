"""The seen-store in the item chain: version before the JSONL writer, record after it.

``VersionPipeline`` compares an article with the store (``newscrawl.state.classify``): a new one gets
version 1, one whose body changed the next version, and an unchanged one is counted
(``newscrawl/articles/unchanged``) and not written. ``RecordPipeline`` runs after the JSONL line is
written and tells the store once the line is fsynced (the writer fsyncs in small groups) — so a crash
in between leaves a line that the next run's reconcile records, never a store entry without its line.
Both pass items through unchanged when the run extension is off.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.extensions.run import RunExtension
from newscrawl.faults import Holds
from newscrawl.pipelines import BasePipeline
from newscrawl.pipelines.dedup import DuplicateArticle, record_keys
from newscrawl.runs import RunSession
from newscrawl.state import classify


class _StorePipeline(BasePipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.run = crawler.get_extension(RunExtension)
        self.holds = Holds.from_settings(crawler.settings)

    @property
    def session(self) -> RunSession | None:
        """The run's session (None without the run extension)."""
        return self.run.session if self.run is not None else None


def _lastmod(session: RunSession, url_keys: tuple[str, ...]) -> str | None:
    return next((session.lastmods[k] for k in url_keys if k in session.lastmods), None)


class VersionPipeline(_StorePipeline):
    """Set ``version``; drop (and count) articles whose body is unchanged since they were written."""

    def process_item(self, item: Any) -> Any:
        """Classify the item against the seen-store."""
        session = self.session
        if session is None:
            return item
        adapter = ItemAdapter(item)
        key, url_keys = record_keys(adapter)
        site = session.options.site
        known = session.store.article(site, key) or next(
            (k for k in (session.store.known(site, u) for u in url_keys) if k is not None), None
        )
        status, version = classify(known, adapter.get("content_hash") or "")
        if status == "unchanged" and known is not None:
            session.store.touch(
                site,
                known.key,
                fetched_at=adapter.get("fetched_at"),
                lastmod=_lastmod(session, url_keys),
                url_keys=url_keys,
            )
            self.inc("articles/unchanged")
            raise DropItem(f"unchanged: {adapter['url']}", log_level="DEBUG")
        adapter["version"] = version
        return item


class RecordPipeline(_StorePipeline):
    """Record each written article in the seen-store once its JSONL line is fsynced (after the writer);
    remember duplicates' URLs."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.pending: deque[tuple[int, dict[str, Any]]] = deque()
        self.received = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        """Also listen for duplicates, so their URLs are known next time."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def process_item(self, item: Any) -> Any:
        """Queue the article; record every queued one whose line is now on disk."""
        session = self.session
        if session is None:
            return item
        adapter = ItemAdapter(item)
        key, url_keys = record_keys(adapter)
        self.received += 1  # items arrive here in the order the writer wrote their lines
        self.pending.append(
            (
                self.received,
                {
                    "key": key,
                    "url": adapter["url"],
                    "content_hash": adapter.get("content_hash") or "",
                    "version": int(adapter.get("version") or 1),
                    "fetched_at": adapter.get("fetched_at"),
                    "lastmod": _lastmod(session, url_keys),
                    "url_keys": url_keys,
                },
            )
        )
        # Without a JSONL writer in the run (pipelines used on their own) there is nothing to wait for.
        self._record(session.synced_lines if session.sync is not None else self.received)
        return item

    def close_spider(self) -> None:
        """Make the last lines durable, then record them (runs before the writer's own close)."""
        session = self.session
        if session is None or not self.pending:
            return
        if session.sync is None:
            self._record(self.received)
            return
        session.sync()
        self._record(session.synced_lines)

    def _record(self, durable: int) -> None:
        session = self.session
        assert session is not None
        while self.pending and self.pending[0][0] <= durable:
            _, article = self.pending.popleft()
            version = article.pop("version")
            session.store.record(
                session.options.site,
                article.pop("key"),
                version=version,
                run_id=session.run_id,
                **article,
            )
            self.inc("articles/new" if version == 1 else "articles/changed")
            self.holds.reached("after_record")

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """A duplicate's URL (mobile page, tracking variant) leads to the article it duplicates."""
        session = self.session
        if session is None or not isinstance(exception, DuplicateArticle):
            return
        key, url_keys = record_keys(ItemAdapter(item))
        if session.store.article(session.options.site, key) is not None:
            session.store.add_aliases(session.options.site, key, url_keys)
            return
        for _, article in self.pending:  # written in this run, not yet on disk: record it with these URLs
            if article["key"] == key:
                article["url_keys"] = tuple(dict.fromkeys((*article["url_keys"], *url_keys)))
                break
