"""Dates: ``published`` / ``modified`` as ISO 8601 in the site's offset; future or broken dates removed."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newscrawl.extract.normalize import normalise_dates
from newscrawl.pipelines import BasePipeline, update


class DatesPipeline(BasePipeline):
    """Apply ``normalise_dates`` with the spider's site profile; count every date it had to refuse."""

    def process_item(self, item: Any) -> Any:
        """Normalise the item's dates in place."""
        record = ItemAdapter(item).asdict()
        normalise_dates(record, self.site)
        for issue in record.pop("_date_issue", []):
            self.inc(f"dates/{issue}")
        return update(item, record)
