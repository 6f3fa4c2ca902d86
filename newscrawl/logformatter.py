"""Log lines that name the page, not the whole article body."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter, is_item
from scrapy import logformatter
from scrapy.http import Response
from twisted.python.failure import Failure


class LogFormatter(logformatter.LogFormatter):
    """Scrapy's formatter, with dropped and scraped items shown by URL only."""

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Any
    ) -> logformatter.LogFormatterResult:
        """``Dropped (reason): url`` at the exception's level (INFO by default)."""
        result = super().dropped(item, exception, response, spider)
        result["msg"] = "Dropped: %(exception)s"
        result["args"] = {"exception": exception}
        return result

    def scraped(
        self, item: Any, response: Response | Failure | None, spider: Any
    ) -> logformatter.LogFormatterResult:
        """``Scraped url`` at DEBUG."""
        url = ItemAdapter(item).get("url") if is_item(item) else None
        return {"level": logging.DEBUG, "msg": "Scraped %(url)s", "args": {"url": url}}
