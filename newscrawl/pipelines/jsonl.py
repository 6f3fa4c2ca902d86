"""JSONL output: one UTF-8 JSON object per line (no \\u escapes), flushed as each article arrives.

The path comes from the ``NEWSCRAWL_OUTPUT`` setting, a template with ``{site}`` and ``{run}`` (UTC run
start, ``20261126T195700Z``); the default is ``output/{site}/{run}.jsonl``.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.pipelines import BasePipeline

logger = logging.getLogger(__name__)
DEFAULT_OUTPUT = "output/{site}/{run}.jsonl"


def output_path(template: str, site: str, run: datetime) -> Path:
    """Fill the output template for one run."""
    return Path(template.format(site=site, run=run.strftime("%Y%m%dT%H%M%SZ")))


def dumps(record: dict[str, Any]) -> str:
    """One JSONL line for a record: the contract's fields in order, UTF-8 text, no trailing newline."""
    return json.dumps({k: record.get(k) for k in ARTICLE_FIELDS}, ensure_ascii=False, separators=(",", ":"))


class JsonlWriterPipeline(BasePipeline):
    """Append each article to the run's JSONL file and flush it at once (so a crash loses nothing)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.template = crawler.settings.get("NEWSCRAWL_OUTPUT") or DEFAULT_OUTPUT
        self.limit = crawler.settings.getint("NEWSCRAWL_MAX_ARTICLES") or None
        self.path: Path | None = None
        self.file: IO[str] | None = None
        self.written = 0

    def open_spider(self) -> None:
        """Create the output file for this run."""
        self.path = output_path(self.template, self.site.name, datetime.now(UTC))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("a", encoding="utf-8", newline="\n")
        if self.stats is not None:
            self.stats.set_value("newscrawl/output", str(self.path))

    def process_item(self, item: Any) -> Any:
        """Write one line and flush it."""
        if self.limit is not None and self.written >= self.limit:
            self.inc("dropped/max_articles")
            raise DropItem("max_articles reached", log_level="DEBUG")
        assert self.file is not None
        self.file.write(dumps(ItemAdapter(item).asdict()) + "\n")
        self.file.flush()
        self.written += 1
        self.inc("articles_written")
        return item

    def close_spider(self) -> None:
        """Close the file and log where the articles went."""
        if self.file is not None:
            self.file.close()
            logger.info("Wrote %d articles to %s", self.written, self.path)
