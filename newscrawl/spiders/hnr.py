"""映象网 (hnr.cn), 河南广播电视台's news portal: news channels, city and topic sub-sites."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class HnrSpider(PortalSpider):
    """Channel listings on news.hnr.cn → pagination → articles (four URL shapes seen since 2015)."""

    name = "hnr"
    site = Site(
        name="hnr",
        title="映象网",
        aliases=("映象网络", "河南广播电视台"),
        domains=("hnr.cn",),
        languages=("zh",),
        timezone="Asia/Shanghai",
        start_urls=tuple(f"https://news.hnr.cn/{c}/" for c in ("xwrd", "djn", "mxw", "rxw", "ixw")),
        article_patterns=(
            r"hnr\.cn/(?:\w+/)?\d{4,6}/\d{1,2}/\d+\.s?html?$",  # news.hnr.cn/201808/17/3130286.html
            r"hnr\.cn/\w+/\d{4}/\d{4}/\d+\.s?html?$",  # tech.hnr.cn/yjs/2015/1117/38468.html
            r"hnr\.cn/(?:[\w-]+/)+t\d{8}_\d+\.s?html?$",  # news.hnr.cn/xwgqtj/201808/t20180817_3130286.html
            r"hnr\.cn/\w+/article/\d+/\d{10,}$",  # news.hnr.cn/djn/article/1/1663732007049814017 (2023)
        ),
        listing_patterns=(
            r"//news\.hnr\.cn/[a-z]+/(?:(?:index_)?\d{1,4}\.html|index\.html)?$",  # channels and their pages
        ),
        selectors={
            "title": ("h2.f32", "section#article > h1", "#txt_left h2"),
            "body": ("#text_content", "#text_fix", "div.TRS_Editor", "div.ZKHN_Editor", "div.editor"),
        },
    )
