"""云南日报网 (yndaily.com), the Yunnan Daily's portal (PHPCMS static pages)."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class YndailySpider(PortalSpider):
    """Channel pages (要闻云南, 观点, 云关注, 州市) → articles at html/<year>/<channel>_<mmdd>/<id>.html."""

    name = "yndaily"
    site = Site(
        name="yndaily",
        title="云南日报网",
        aliases=("云南日报报业集团", "云南网"),
        domains=("yndaily.com",),
        start_urls=tuple(
            f"https://www.yndaily.com/html/{c}/" for c in ("yaowenyunnan", "yunguanzhu", "zhoushi")
        ),
        article_patterns=(r"yndaily\.com/html/\d{4}/[a-z]+_\d{4}/\d+\.html$",),
        listing_patterns=(r"yndaily\.com/html/[a-z]+/(?:(?:index_)?\d+\.html)?$",),
    )
