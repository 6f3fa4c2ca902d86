"""Field coverage of the articles written: ``newscrawl/field/<name>`` counts, ``newscrawl/missing/<name>``."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

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


class CoveragePipeline(BasePipeline):
    """Count, for every article that reached the output, which fields it has."""

    def process_item(self, item: Any) -> Any:
        """Bump one counter per present field and one per missing date; the item is unchanged."""
        adapter = ItemAdapter(item)
        self.inc("counted")
        for name in COVERAGE_FIELDS:
            if adapter.get(name):
                self.inc(f"field/{name}")
            elif name == "published":
                self.inc("missing/published")
        return item
