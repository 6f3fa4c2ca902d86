"""太原晚报 (tywbw.com), Taiyuan's evening paper: the news site on paper.tywbw.com."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class TywbSpider(PortalSpider):
    """Channel pages (太原, 山西, 社会 …) → articles; the channel slugs are the site's own."""

    name = "tywb"
    site = Site(
        name="tywb",
        title="太原晚报",
        domains=("tywbw.com",),
        start_urls=tuple(f"http://paper.tywbw.com/{c}/" for c in ("tyxw", "sxxw", "shxw", "jjxw")),
        # paper.tywbw.com/tyxw/c/2021-11/25/content_183736.htm
        article_patterns=(r"tywbw\.com/\w+/c/\d{4}-\d{2}/\d{2}/content_\d+\.htm$",),
        listing_patterns=(r"//paper\.tywbw\.com/\w+/(?:index(?:_\d+)?\.htm)?$",),
    )
