"""南方网 (southcn.com), the Nanfang Media Group's Guangdong portal."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class SouthcnSpider(PortalSpider):
    """Channel nodes (node_<hex>) → articles at node_<hex>/<hex>.shtml; 2010s pages: content/…/content_<id>.htm."""

    name = "southcn"
    site = Site(
        name="southcn",
        title="南方网",
        aliases=("南方新闻网", "南方报业传媒集团"),
        domains=("southcn.com",),
        start_urls=tuple(
            f"https://news.southcn.com/node_{n}" for n in ("179d29f1ce", "742c1a40f1", "810c33d731")
        ),
        article_patterns=(
            r"southcn\.com/node_[0-9a-f]{10}/[0-9a-f]{10}\.shtml$",
            r"southcn\.com/(?:[\w-]+/)*content/\d{4}-\d{2}/\d{2}/content_\d+\.htm$",
        ),
        listing_patterns=(r"southcn\.com/node_[0-9a-f]{10}(?:_\d+)?$",),
        deny_patterns=(r"southcn\.com/aboutus/",),
    )
