"""松花江网 (shjnet.cn), Jilin City's news portal (江城日报社)."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class ShjnetSpider(PortalSpider):
    """TRS channel pages (吉林新闻, 民生新闻 …) → articles at /<channel>/<sub>/<yyyymm>/t<date>_<id>.html."""

    name = "shjnet"
    site = Site(
        name="shjnet",
        title="松花江网",
        aliases=("江城日报社",),
        domains=("shjnet.cn",),
        start_urls=(
            "http://www.shjnet.cn/xw/jlxw/",
            "http://www.shjnet.cn/ms/msxw/",
            "http://www.shjnet.cn/xw/jcjsb/",
        ),
        article_patterns=(r"shjnet\.cn/(?:[\w-]+/)+\d{6}/t\d{8}_\d+\.html$",),
        listing_patterns=(r"shjnet\.cn/[a-z]+/[a-z]+/(?:index(?:_\d+)?\.html)?$",),
    )
