"""Clean text fields: whitespace, full-width and zero-width characters, trailers (hotline, 来源, 责编 …)."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newscrawl.extract.clean import clean_record
from newscrawl.pipelines import BasePipeline


class CleanPipeline(BasePipeline):
    """Apply ``clean_record`` to every item."""

    def process_item(self, item: Any) -> Any:
        """Clean the item in place."""
        record = ItemAdapter(item)  # cleaned in place: no copy of the whole record per item
        before = record.get("body") or ""
        clean_record(record)
        if len(record["body"]) < len(before.strip()):
            self.inc("clean/body_trimmed")
        return item
