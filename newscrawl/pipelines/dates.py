"""Dates: ``published`` / ``modified`` as ISO 8601 in the site's offset; future or broken dates removed."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newscrawl.extract.normalize import date_issues
from newscrawl.pipelines import BasePipeline


class DatesPipeline(BasePipeline):
    """Normalise dates with the spider's site profile (in place); count every date it had to refuse."""

    def process_item(self, item: Any) -> Any:
        """Normalise the item's dates in place."""
        for issue in date_issues(ItemAdapter(item), self.site):
            self.inc(f"dates/{issue}")
        return item
