"""Validation: articles without a title or a body (or older than ``--since``) are dropped with a counted
reason. A missing date is not a reason: those articles are kept and counted by the coverage pipeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.pipelines import BasePipeline


def problems(record: Mapping[str, Any], since: date | None = None) -> str | None:
    """The reason to drop a record, or None when it is a valid article."""
    if not (record.get("title") or "").strip():
        return "no_title"
    if not (record.get("body") or "").strip():
        return "no_body"
    if since is not None and record.get("published") and record["published"][:10] < since.isoformat():
        return "older_than_since"
    return None


class ValidatePipeline(BasePipeline):
    """Drop invalid articles with a counted reason."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        since = crawler.settings.get("NEWSCRAWL_SINCE")
        self.since = date.fromisoformat(str(since)[:10]) if since else None

    def process_item(self, item: Any) -> Any:
        """Raise DropItem for invalid items; pass the rest through unchanged."""
        record = ItemAdapter(item)
        reason = problems(record, self.since)
        if reason:
            self.inc(f"dropped/{reason}")
            raise DropItem(f"{reason}: {record.get('url')}", log_level="INFO")
        return item
