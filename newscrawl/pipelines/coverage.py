"""Field coverage: of the articles written (``newscrawl/field/<name>``, ``newscrawl/missing/published``,
for the summary line) and of every article extracted (``newscrawl/extracted/<name>``, for the run's
coverage floor: counted before validation, so articles a changed layout leaves without a title or a
body still count against it)."""

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


def present(record: Any, names: tuple[str, ...] = COVERAGE_FIELDS) -> list[str]:
    """The fields of a record (any mapping or item adapter) that have a value."""
    return [name for name in names if record.get(name)]


class ExtractedCoveragePipeline(BasePipeline):
    """Count, for every extracted article (before validation), which fields it has."""

    def process_item(self, item: Any) -> Any:
        """Bump ``newscrawl/extracted`` and one counter per present field; the item is unchanged."""
        self.inc("extracted")
        for name in present(ItemAdapter(item)):
            self.inc(f"extracted/{name}")
        return item


class CoveragePipeline(BasePipeline):
    """Count, for every article that reached the output, which fields it has."""

    def process_item(self, item: Any) -> Any:
        """Bump one counter per present field and one per missing date; the item is unchanged."""
        adapter = ItemAdapter(item)
        self.inc("counted")
        fields = present(adapter)
        for name in fields:
            self.inc(f"field/{name}")
        if "published" not in fields:
            self.inc("missing/published")
        return item
