"""央广网 (cnr.cn), China National Radio's news portal, with its channel and provincial sub-sites."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class CnrSpider(PortalSpider):
    """Channel pages (中国之声, 滚动, 地方) → TRS article pages; old pages are GB2312."""

    name = "cnr"
    site = Site(
        name="cnr",
        title="央广网",
        aliases=("中央人民广播电台", "中央广播电视总台"),
        domains=("cnr.cn",),
        start_urls=(
            "http://news.cnr.cn/native/gd/",
            "http://china.cnr.cn/news/",
            "http://news.cnr.cn/native/city/",
        ),
        # china.cnr.cn/news/20220213/t20220213_525739615.shtml
        article_patterns=(r"cnr\.cn/(?:[\w-]+/)+\d{8}/t\d{8}_\d+\.shtml$",),
        listing_patterns=(r"//(?:news|china)\.cnr\.cn/(?:[a-z]+/){1,2}(?:index(?:_\d+)?\.html)?$",),
    )
