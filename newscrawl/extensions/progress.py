"""Progress: a live status line on a terminal, periodic stats in logs.

``StatusLine`` redraws one line on stderr every ``NEWSCRAWL_PROGRESS_INTERVAL`` seconds (default 1) when
stderr is a terminal (``NEWSCRAWL_PROGRESS``: unset = auto, true/false to force); log records are printed
above it. ``RunLogStats`` replaces Scrapy's LogStats: every ``LOGSTATS_INTERVAL`` seconds it logs pages
and items per minute plus the run's new / changed / unchanged / skipped / error counts.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from typing import IO, Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.extensions.logstats import LogStats
from scrapy.utils.asyncio import create_looping_call

from newscrawl.runs import errors_by_type

logger = logging.getLogger(__name__)
_CLEAR = "\r\x1b[K"


def _n(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """The numbers progress reports show, from the crawl's stats."""
    return {
        "pages": _n(stats, "response_received_count"),
        "written": _n(stats, "newscrawl/articles_written"),
        "new": _n(stats, "newscrawl/articles/new"),
        "changed": _n(stats, "newscrawl/articles/changed"),
        "unchanged": _n(stats, "newscrawl/articles/unchanged"),
        "skipped": _n(stats, "newscrawl/skipped/known"),
        "errors": sum(errors_by_type(stats).values()),
    }


def status_text(stats: Mapping[str, Any], elapsed: float) -> str:
    """``pages 140 · articles 60 (58 new, 2 changed, 3 unchanged) · 12 known skipped · errors 0 · 4.1 pages/s · 0:00:34``."""
    c = counts(stats)
    rate = c["pages"] / elapsed if elapsed > 0 else 0.0
    minutes, seconds = divmod(int(elapsed), 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"pages {c['pages']} · articles {c['written']} ({c['new']} new, {c['changed']} changed, "
        f"{c['unchanged']} unchanged) · {c['skipped']} known skipped · errors {c['errors']} · "
        f"{rate:.1f} pages/s · {hours}:{minutes:02d}:{seconds:02d}"
    )


class _ClearLine(logging.Filter):
    """Wipes the status line before a log record is printed over it (and asks for a redraw)."""

    def __init__(self, owner: StatusLine) -> None:
        super().__init__()
        self.owner = owner

    def filter(self, record: logging.LogRecord) -> bool:
        """Clear the line; never drop the record."""
        self.owner.clear()
        return True


class StatusLine:
    """A live one-line status on stderr when it is a terminal."""

    def __init__(self, crawler: Crawler, stream: IO[str], interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.started = time.monotonic()
        self.shown = False
        self.task: Any = None
        self._filter = _ClearLine(self)

    @classmethod
    def from_crawler(cls, crawler: Crawler, stream: IO[str] | None = None) -> Self:
        """Enabled when stderr is a terminal, unless ``NEWSCRAWL_PROGRESS`` says otherwise."""
        stream = stream or sys.stderr
        wanted = crawler.settings.get("NEWSCRAWL_PROGRESS")
        enabled = (
            stream.isatty()
            if wanted in (None, "", "auto")
            else crawler.settings.getbool("NEWSCRAWL_PROGRESS")
        )
        if not enabled:
            raise NotConfigured
        ext = cls(crawler, stream, crawler.settings.getfloat("NEWSCRAWL_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        """Start redrawing; log records clear the line first."""
        self.started = time.monotonic()
        for handler in logging.root.handlers:
            handler.addFilter(self._filter)
        self.task = create_looping_call(self.draw)
        self.task.start(self.interval)

    def draw(self) -> None:
        """Redraw the status line."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.stream.write(_CLEAR + status_text(stats, time.monotonic() - self.started))
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Wipe the status line, if one is shown."""
        if self.shown:
            self.stream.write(_CLEAR)
            self.stream.flush()
            self.shown = False

    def spider_closed(self, spider: Spider) -> None:
        """Stop redrawing and leave the terminal clean."""
        if self.task is not None and self.task.running:
            self.task.stop()
        for handler in logging.root.handlers:
            handler.removeFilter(self._filter)
        self.clear()


class RunLogStats(LogStats):
    """Scrapy's periodic stats line, with the run's article and error counts."""

    def log(self, spider: Spider) -> None:
        """``Crawled N pages (at R pages/min), scraped … ; articles: new …, changed …``."""
        super().log(spider)
        c = counts(self.stats.get_stats())
        logger.info(
            "Articles: %(new)d new, %(changed)d changed, %(unchanged)d unchanged, %(skipped)d known skipped; "
            "errors %(errors)d",
            c,
            extra={"spider": spider},
        )
