"""巴彦淖尔市人民政府网 (bynr.gov.cn), the Bayannur city government portal (TRS WCM)."""

from __future__ import annotations

from newscrawl.site import Site
from newscrawl.spiders.base import PortalSpider


class BynrSpider(PortalSpider):
    """News columns (政务动态, 旗县区动态) → articles at /<column>/<sub>/<yyyymm>/t<date>_<id>.html."""

    name = "bynr"
    site = Site(
        name="bynr",
        title="巴彦淖尔市人民政府网",
        aliases=("巴彦淖尔市人民政府", "巴彦淖尔市政府门户网站"),
        domains=("bynr.gov.cn",),
        # Column slugs guessed from the 动态信息 > 政务动态 trail (the pages link them relatively).
        start_urls=("https://www.bynr.gov.cn/dtxx/zwdt/", "https://www.bynr.gov.cn/dtxx/qxqdt/"),
        article_patterns=(r"bynr\.gov\.cn/(?:[a-z]+/)+\d{6}/t\d{8}_\d+\.html$",),
        listing_patterns=(r"//www\.bynr\.gov\.cn/dtxx/[a-z]+/(?:index(?:_\d+)?\.html)?$",),
        selectors={
            # The headline's second line is a bare <div> after p.mm_all_p (the ArticleTitle meta joins both).
            "title": (
                "(concat(//p[@class='mm_all_p'], //p[@class='mm_all_p']/following-sibling::*[1][self::div][not(@class)]))",
            ),
        },
    )
