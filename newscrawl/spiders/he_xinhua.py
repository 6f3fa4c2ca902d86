"""新华网河北频道 (he.news.cn), Xinhua's Hebei channel."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class HeXinhuaSpider(PortalSpider):
    """Channel index pages (新闻, 时政, 社会 …) → articles at /<yyyymmdd>/<32 hex>/c.html."""

    name = "he_xinhua"
    site = Site(
        name="he_xinhua",
        title="新华网河北频道",
        aliases=("新华网",),
        domains=("he.news.cn",),
        start_urls=tuple(f"http://he.news.cn/{c}/index.htm" for c in ("xinwen", "politics", "society")),
        article_patterns=(r"he\.news\.cn/\d{8}/[0-9a-f]{32}/c\.html$",),
        listing_patterns=(r"//he\.news\.cn/[a-zA-Z]+/index\.htm$",),
    )
