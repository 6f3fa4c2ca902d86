"""Validation: articles without a title or a body are dropped (counted by reason); a missing date is
counted but the article is kept. Field coverage of everything that passes is kept in the stats."""

from __future__ import annotations

from datetime import date
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.pipelines import BasePipeline

COVERAGE_FIELDS = (
    "title",
    "published",
    "source",
    "authors",
    "editors",
    "keywords",
    "section",
    "summary",
    "body",
    "images",
)


def problems(record: dict[str, Any], since: date | None = None) -> str | None:
    """The reason to drop a record, or None when it is a valid article."""
    if not (record.get("title") or "").strip():
        return "no_title"
    if not (record.get("body") or "").strip():
        return "no_body"
    if since is not None and record.get("published") and record["published"][:10] < since.isoformat():
        return "older_than_since"
    return None


class ValidatePipeline(BasePipeline):
    """Drop invalid articles with a counted reason; count missing dates and field coverage."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        since = crawler.settings.get("NEWSCRAWL_SINCE")
        self.since = date.fromisoformat(str(since)[:10]) if since else None

    def process_item(self, item: Any) -> Any:
        """Raise DropItem for invalid items; pass the rest through unchanged."""
        record = ItemAdapter(item).asdict()
        reason = problems(record, self.since)
        if reason:
            self.inc(f"dropped/{reason}")
            raise DropItem(f"{reason}: {record.get('url')}", log_level="INFO")
        if not record.get("published"):
            self.inc("missing/published")
        self.inc("validated")
        for name in COVERAGE_FIELDS:
            if name in ARTICLE_FIELDS and record.get(name):
                self.inc(f"field/{name}")
        return item
