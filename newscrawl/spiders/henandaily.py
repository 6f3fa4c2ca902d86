"""河南日报网 (henandaily.cn), the Henan Daily's own site."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class HenandailySpider(PortalSpider):
    """Channel index pages (时政, 经济, 社会, city channels) → articles."""

    name = "henandaily"
    site = Site(
        name="henandaily",
        title="河南日报网",
        aliases=("河南日报官方网站",),
        domains=("henandaily.cn",),
        start_urls=tuple(
            f"https://www.henandaily.cn/content/{c}/index.html" for c in ("szheng", "fzhan", "sh")
        ),
        article_patterns=(
            r"henandaily\.cn/content/\d{4}/\d{4}/\d+\.html$",  # /content/2025/0415/412873.html
            r"henandaily\.cn/\d{4}/\d{2}-\d{2}/\d+\.html$",  # older pages: /2014/12-18/103950141.html
        ),
        listing_patterns=(r"henandaily\.cn/content/[a-z_]+(?:/[a-z_]+)*/(?:index(?:_\d+)?\.html)?$",),
        deny_patterns=(r"henandaily\.cn/2014/12-18/",),  # about / contact / copyright pages
    )
