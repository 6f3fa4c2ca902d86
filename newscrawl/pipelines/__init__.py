"""Item pipelines, each one concern, each a thin wrapper over a pure function.

Order (also in ``newscrawl.settings.ITEM_PIPELINES``): clean → dates → coverage of what was extracted →
validate → dedup (within the run) → version (against the seen-store; unchanged articles stop here) →
JSONL output (flushed and fsynced) → record in the seen-store → field coverage of what was written.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from newscrawl.site import GENERIC, Site

ITEM_PIPELINES: dict[str, int] = {
    "newscrawl.pipelines.clean.CleanPipeline": 100,
    "newscrawl.pipelines.dates.DatesPipeline": 200,
    "newscrawl.pipelines.coverage.ExtractedCoveragePipeline": 250,
    "newscrawl.pipelines.validate.ValidatePipeline": 300,
    "newscrawl.pipelines.dedup.DedupPipeline": 400,
    "newscrawl.pipelines.state.VersionPipeline": 500,
    "newscrawl.pipelines.jsonl.JsonlWriterPipeline": 900,
    "newscrawl.pipelines.state.RecordPipeline": 920,
    "newscrawl.pipelines.coverage.CoveragePipeline": 950,
}


class BasePipeline:
    """Holds the crawler; gives the running spider's site profile and the stats collector."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        """Scrapy's constructor hook."""
        return cls(crawler)

    @property
    def site(self) -> Site:
        """The profile of the spider being run (the generic one when it has none)."""
        spider = self.crawler.spider
        site = getattr(spider, "site", None)
        return site if isinstance(site, Site) else GENERIC

    def inc(self, key: str, count: int = 1) -> None:
        """Bump a ``newscrawl/…`` stats counter."""
        if self.stats is not None:
            self.stats.inc_value(f"newscrawl/{key}", count)
