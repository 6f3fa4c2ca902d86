"""东方网 (eastday.com), Shanghai's portal; its app and 东方号 articles are served from j.021east.com."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class EastdaySpider(PortalSpider):
    """Channel pages (上海, 滚动, 区情) → app articles at j.021east.com/p/<16 digits>."""

    name = "eastday"
    site = Site(
        name="eastday",
        title="东方网",
        domains=("eastday.com", "021east.com"),
        start_urls=(
            "https://sh.eastday.com/",
            "http://news.eastday.com/gd2008/news/index.html",
            "http://city.eastday.com/",
        ),
        article_patterns=(r"//j\.(?:021east|eastday)\.com/p/\d{16}$",),
        listing_patterns=(
            r"//(?:sh|city)\.eastday\.com/(?:index(?:_\d+)?\.html)?$",
            r"eastday\.com/gd2008/news/index\d*\.html$",
        ),
        deny_patterns=(r"//(?:n|tougao|login)\.eastday\.com/",),
    )
