"""大河网 (dahe.cn), the Henan Daily group's portal: news pages and the e-paper reader."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class DaheSpider(PortalSpider):
    """News channels and the newpaper.dahe.cn e-papers (河南日报, 河南商报 …): page lists → articles."""

    name = "dahe"
    site = Site(
        name="dahe",
        title="大河网",
        aliases=("大河报业集团", "河南日报报业集团"),
        domains=("dahe.cn",),
        start_urls=(  # entry pages guessed: article pages only link an issue's own page lists
            "https://news.dahe.cn/",
            "http://newpaper.dahe.cn/hnrb/",
            "http://newpaper.dahe.cn/hnsb/",
        ),
        article_patterns=(
            r"newpaper\.dahe\.cn/\w+/html/\d{4}-\d{2}/\d{2}/content_\d+\.htm$",  # e-paper articles
            r"dahe\.cn/\d{4}/\d{2}-\d{2}/\d+\.html$",  # news.dahe.cn/2025/05-17/1234567.html
        ),
        listing_patterns=(r"newpaper\.dahe\.cn/\w+/(?:html/\d{4}-\d{2}/\d{2}/node_\d+\.htm)?$",),
    )
