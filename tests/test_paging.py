"""Incremental discovery without the engine: pagination links, listing dates, sitemap and feed dates,
and the metadata the spiders put on their requests for the seen-filter middleware."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from parsel import Selector
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.discovery import (
    META_LASTMOD,
    META_LINK,
    META_LISTED,
    entry_date,
    is_newer,
    is_pagination,
    listed_dates,
    listing_family,
    news_dates,
    older_than,
    parse_w3c_datetime,
)
from newscrawl.spiders.generic import GenericSpider
from newscrawl.spiders.hnr import HnrSpider

BEIJING = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.hnr.cn/xwrd/", "https://news.hnr.cn/xwrd/2.html"),
        ("https://news.hnr.cn/xwrd/", "https://news.hnr.cn/xwrd/index_3.html"),
        ("https://news.hnr.cn/xwrd/index.html", "https://news.hnr.cn/xwrd/4.html"),
        ("http://a.cn/news/list.html", "http://a.cn/news/list_2.html"),
        ("http://a.cn/news/list-2.shtml", "http://a.cn/news/list-3.shtml"),
        ("http://a.cn/html/list_12_1.html", "http://a.cn/html/list_12_2.html"),
        ("http://a.cn/news/", "http://a.cn/news/page/2/"),
        ("http://a.cn/list.php?cid=3", "http://a.cn/list.php?cid=3&page=2"),
        ("http://a.cn/zwdt/?page=2", "http://a.cn/zwdt/?page=3"),
    ],
)
def test_pages_of_one_listing(a: str, b: str) -> None:
    assert listing_family(a) == listing_family(b)
    assert is_pagination(a, b)
    assert is_pagination(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.hnr.cn/xwrd/", "https://news.hnr.cn/djn/"),  # another channel
        ("http://a.cn/list.php?cid=3", "http://a.cn/list.php?cid=4&page=2"),  # another category
        ("http://a.cn/html/list_12_1.html", "http://a.cn/html/list_13_1.html"),
        ("http://a.cn/news/list.html", "http://a.cn/news/20261126/10005.html"),  # an article
        ("http://a.cn/news/list.html", "http://b.cn/news/list_2.html"),  # another host
        ("http://a.cn/news/list.html", "http://a.cn/news/list.html"),  # the page itself
    ],
)
def test_not_pages_of_one_listing(a: str, b: str) -> None:
    assert not is_pagination(a, b)


def test_pager_text_counts_only_in_the_same_folder() -> None:
    assert is_pagination("http://a.cn/news/latest.html", "http://a.cn/news/older.html", "下一页")
    assert is_pagination("http://a.cn/news/latest.html", "http://a.cn/news/x.html", " 3 ")
    assert not is_pagination("http://a.cn/news/latest.html", "http://a.cn/sports/x.html", "下一页")
    assert not is_pagination("http://a.cn/news/latest.html", "http://a.cn/news/older.html", "更多新闻")


LISTING = """<html><body>
<ul>
  <li><a href="/a/1.html">11月20日郑州召开会议</a> <span>2026-11-25</span></li>
  <li><a href="/a/2.html">第二条</a><em>（2026年11月10日）</em></li>
  <li><a href="/a/3.html">没有日期</a></li>
  <li><div><a href="/a/4.html">套在 div 里</a></div><span class="t">11-24 09:30</span></li>
</ul>
<div class="box"><a href="/a/5.html">五</a> <a href="/a/6.html">六</a> <span>2026-11-01</span></div>
</body></html>"""


def test_listed_dates_come_from_each_link_s_own_item() -> None:
    urls = [f"http://a.cn/a/{n}.html" for n in range(1, 7)]
    dates = listed_dates(Selector(text=LISTING), "http://a.cn/list.html", urls, tz="Asia/Shanghai", now=NOW)
    assert dates == {
        "http://a.cn/a/1.html": date(2026, 11, 25),  # not the 11月20日 of its headline
        "http://a.cn/a/2.html": date(2026, 11, 10),
        "http://a.cn/a/4.html": date(2026, 11, 24),  # no year: the listing's year, from the fetch time
    }  # 3 has no date; 5 and 6 share one box, so its date belongs to neither


def test_w3c_datetimes() -> None:
    assert parse_w3c_datetime("2026-11-20T10:00:00+08:00") == datetime(2026, 11, 20, 2, tzinfo=UTC)
    assert parse_w3c_datetime("2026-11-20T02:00:00Z") == datetime(2026, 11, 20, 2, tzinfo=UTC)
    assert parse_w3c_datetime("2026-11-20") == datetime(2026, 11, 20, tzinfo=UTC)
    assert parse_w3c_datetime("2026-11-20", BEIJING) == datetime(2026, 11, 20, tzinfo=BEIJING)
    assert parse_w3c_datetime("2026-11-20T10:00") == datetime(2026, 11, 20, 10, tzinfo=UTC)
    assert parse_w3c_datetime("yesterday") is None
    assert parse_w3c_datetime("") is None
    assert is_newer("2026-11-26T10:00:00+08:00", "2026-11-26T01:00:00+00:00")
    assert not is_newer("2026-11-26T09:00:00+08:00", "2026-11-26T01:00:00+00:00")
    assert not is_newer(None, "2026-11-26")
    assert not is_newer("2026-11-26", None)
    assert older_than("2026-11-19T23:59:00+08:00", date(2026, 11, 20), BEIJING)
    assert not older_than("2026-11-19T16:30:00+00:00", date(2026, 11, 20), BEIJING)  # 00:30 in Beijing
    assert not older_than(None, date(2026, 11, 20))
    assert not older_than("2026-01-01", None)
    assert entry_date({"loc": "x", "lastmod": "2026-11-20"}) == "2026-11-20"
    assert entry_date({"loc": "x", "publication_date": "2026-11-21"}) == "2026-11-21"
    assert entry_date({"loc": "x"}) is None


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.hnr.cn/202611/26/1.html</loc><news:news><news:publication><news:name>x</news:name>
<news:language>zh</news:language></news:publication><news:publication_date>2026-11-26T08:00:00+08:00</news:publication_date>
<news:title>t</news:title></news:news></url>
<url><loc>https://news.hnr.cn/202611/01/2.html</loc><news:news><news:publication_date>2026-11-01</news:publication_date></news:news></url>
</urlset>"""


def test_news_dates() -> None:
    assert news_dates(NEWS_SITEMAP) == {
        "https://news.hnr.cn/202611/26/1.html": "2026-11-26T08:00:00+08:00",
        "https://news.hnr.cn/202611/01/2.html": "2026-11-01",
    }
    assert news_dates(b"<urlset><url><loc>x</loc></url></urlset>") == {}


# --- the spiders' side -----------------------------------------------------------------------------


def hnr(**settings: Any) -> HnrSpider:
    crawler = get_crawler(HnrSpider, settings_dict=settings)
    return HnrSpider.from_crawler(crawler)


HNR_LISTING = """<html><body><ul>
<li><a href="/202611/26/3130001.html">今天的稿件</a> <span>2026-11-26</span></li>
<li><a href="/202611/01/3130002.html">上个月的稿件</a> <span>2026-11-01</span></li>
</ul>
<div class="nav"><a href="/djn/">党建</a></div>
<div class="page"><a href="/xwrd/2.html">下一页</a></div></body></html>"""


def test_listing_requests_say_what_each_link_is() -> None:
    spider = hnr()
    response = HtmlResponse(url="https://news.hnr.cn/xwrd/", body=HNR_LISTING.encode(), encoding="utf-8")
    requests = list(spider.parse_listing(response))
    kinds = {r.url: r.meta[META_LINK] for r in requests}
    assert kinds == {
        "https://news.hnr.cn/202611/26/3130001.html": "article",
        "https://news.hnr.cn/202611/01/3130002.html": "article",
        "https://news.hnr.cn/djn/": "listing",
        "https://news.hnr.cn/xwrd/2.html": "pagination",
    }
    assert not any(META_LISTED in r.meta for r in requests)  # dates only matter with --since


def test_listing_dates_are_read_with_since() -> None:
    spider = hnr(NEWSCRAWL_SINCE="2026-11-20")
    response = HtmlResponse(url="https://news.hnr.cn/xwrd/", body=HNR_LISTING.encode(), encoding="utf-8")
    listed = {
        r.url: r.meta.get(META_LISTED)
        for r in spider.parse_listing(response)
        if r.meta[META_LINK] == "article"
    }
    assert listed == {
        "https://news.hnr.cn/202611/26/3130001.html": "2026-11-26",
        "https://news.hnr.cn/202611/01/3130002.html": "2026-11-01",
    }


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.hnr.cn/sitemap-2026-11.xml</loc><lastmod>2026-11-26</lastmod></sitemap>
<sitemap><loc>https://news.hnr.cn/sitemap-2026-10.xml</loc><lastmod>2026-10-31</lastmod></sitemap>
</sitemapindex>"""
URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.hnr.cn/202611/26/3130001.html</loc><lastmod>2026-11-26T10:00:00+08:00</lastmod></url>
<url><loc>https://news.hnr.cn/202611/01/3130002.html</loc><lastmod>2026-11-01T10:00:00+08:00</lastmod></url>
<url><loc>https://news.hnr.cn/about/</loc></url>
</urlset>"""


def test_sitemap_index_is_filtered_by_lastmod() -> None:
    spider = hnr(NEWSCRAWL_SINCE="2026-11-20")
    response = XmlResponse(url="https://news.hnr.cn/sitemap.xml", body=SITEMAP_INDEX)
    requests = list(spider._parse_sitemap(response))
    assert [r.url for r in requests] == ["https://news.hnr.cn/sitemap-2026-11.xml"]
    assert spider.crawler.stats.get_value("newscrawl/skipped/older_than_since") == 1
    assert len(list(hnr()._parse_sitemap(response))) == 2


def test_sitemap_articles_carry_their_lastmod() -> None:
    spider = hnr(NEWSCRAWL_SINCE="2026-11-20")
    requests = list(spider._parse_sitemap(XmlResponse(url="https://news.hnr.cn/sitemap.xml", body=URLSET)))
    assert [(r.url, r.meta[META_LASTMOD], r.meta[META_LINK]) for r in requests] == [
        ("https://news.hnr.cn/202611/26/3130001.html", "2026-11-26T10:00:00+08:00", "article")
    ]
    assert requests[0].callback == spider.parse_article


def test_google_news_sitemap_dates_filter_since() -> None:
    spider = hnr(NEWSCRAWL_SINCE="2026-11-20")
    requests = list(spider._parse_sitemap(XmlResponse(url="https://news.hnr.cn/news.xml", body=NEWS_SITEMAP)))
    assert [r.url for r in requests] == ["https://news.hnr.cn/202611/26/1.html"]
    assert META_LASTMOD not in requests[0].meta  # a publication date is not a modification date


def test_an_invalid_sitemap_is_counted() -> None:
    spider = hnr()
    body = b"<html><body>not a sitemap</body></html>"
    assert list(spider._parse_sitemap(TextResponse(url="https://news.hnr.cn/sitemap.xml", body=body))) == []
    assert spider.crawler.stats.get_value("newscrawl/sitemap/invalid") == 1


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<entry><link href="https://news.hnr.cn/202611/26/3130001.html"/><published>2026-11-26T08:00:00+08:00</published>
<updated>2026-11-26T12:00:00+08:00</updated></entry>
<entry><link href="https://news.hnr.cn/202611/01/3130002.html"/><updated>2026-11-01T08:00:00+08:00</updated></entry>
</feed>"""
RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>
<item><link>https://news.hnr.cn/202611/26/3130001.html</link><pubDate>Thu, 26 Nov 2026 08:00:00 +0800</pubDate></item>
<item><link>https://news.hnr.cn/202611/01/3130002.html</link><pubDate>Sun, 01 Nov 2026 08:00:00 +0800</pubDate></item>
<item><link>https://news.hnr.cn/202611/02/3130003.html</link></item>
</channel></rss>"""


def test_feeds_skip_old_entries_and_atom_updated_is_a_lastmod() -> None:
    spider = hnr(NEWSCRAWL_SINCE="2026-11-20")
    atom = list(spider.parse_feed(XmlResponse(url="https://news.hnr.cn/atom.xml", body=ATOM)))
    assert [(r.url, r.meta.get(META_LASTMOD)) for r in atom] == [
        ("https://news.hnr.cn/202611/26/3130001.html", "2026-11-26T12:00:00+08:00")
    ]
    rss = list(spider.parse_feed(XmlResponse(url="https://news.hnr.cn/rss.xml", body=RSS)))
    assert [r.url for r in rss] == [
        "https://news.hnr.cn/202611/26/3130001.html",
        "https://news.hnr.cn/202611/02/3130003.html",  # no date: kept
    ]


def test_generic_spider_marks_article_like_links_and_pagination() -> None:
    crawler = get_crawler(GenericSpider, settings_dict={"NEWSCRAWL_SINCE": "2026-11-20"})
    spider = GenericSpider.from_crawler(crawler, start_url="http://a.cn/")
    body = """<html><head><title>本地新闻</title></head><body><ul>
    <li><a href="/news/20261126/10001.html">新闻一</a><span>2026-11-26</span></li>
    <li><a href="/news/20261101/10002.html">新闻二</a><span>2026-11-01</span></li></ul>
    <a href="/news/list_2.html">下一页</a> <a href="/about.html">关于</a></body></html>"""
    response = HtmlResponse(url="http://a.cn/news/list.html", body=body.encode(), encoding="utf-8")
    requests = [r for r in spider.parse_page(response) if isinstance(r, Request)]
    meta = {r.url: (r.meta.get(META_LINK), r.meta.get(META_LISTED)) for r in requests}
    assert meta == {
        "http://a.cn/news/20261126/10001.html": ("article", "2026-11-26"),
        "http://a.cn/news/20261101/10002.html": ("article", "2026-11-01"),
        "http://a.cn/news/list_2.html": ("pagination", None),
        "http://a.cn/about.html": ("listing", None),
    }


_URL_PART = st.sampled_from(
    [
        "http",
        "https",
        "HTTP",
        "ftp",
        "://",
        ":/",
        "//",
        "a.cn",
        "news.a.cn",
        "A.CN",
        "xa.cn",
        "a.cn.",
        "b.cn",
        "u:p@",
        "@",
        ":8080",
        ":",
        "[::1]",
        "[",
        "]",
        "/",
        "/x",
        "?q=1",
        "#f",
        " ",
        "\t",
        "\n",
        "\x00",
        "\x7f",
    ]
)


@given(st.lists(st.lists(_URL_PART, max_size=9).map("".join), max_size=8))
@example(["http://a.cn/x", "http://news.a.cn:8080?q=1", "http://u:p@b.cn@a.cn/"])
@example(["http://a.cn ", "http://a.cn /x"])
@example(["http://a.cn/", "http://a.cn\t.evil/", "http://a.cn\n"])
@example(["http://[::1/", "http://[::1]/"])
def test_owns_is_the_host_check_of_urlsplit(urls: list[str]) -> None:
    # owns() keeps its answers per host part: one spider asked each URL in turn (twice), and every answer
    # must be the plain definition's.
    spider = GenericSpider.from_crawler(get_crawler(GenericSpider), start_url="http://a.cn/")
    for url in urls + urls:
        try:
            expected: bool | type[Exception] = spider.site.owns_host(urlsplit(url).hostname or "")
        except ValueError:
            expected = ValueError
        try:
            got: bool | type[Exception] = spider.owns(url)
        except ValueError:
            got = ValueError
        assert got == expected, url


_SHARED_PAGE = """<html><head><title>本地新闻</title>
<link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body>
<div style="display:none"><a href="/news/20261126/10003.html">隐藏的链接</a></div>
<ul><li><a href="/news/20261126/10001.html">新闻一</a></li></ul>
<a href="/news/list_2.html">下一页</a> <a href="http://b.cn/x.html">别站</a></body></html>"""


def _generic_output(response: TextResponse, monkeypatch: pytest.MonkeyPatch, *, share: bool) -> list[Any]:
    import parsel.selector  # noqa: PLC0415

    from newscrawl.spiders.base import PortalSpider  # noqa: PLC0415

    spider = GenericSpider.from_crawler(get_crawler(GenericSpider), start_url="http://a.cn/")
    parses: list[str] = []
    real_parse = parsel.selector.create_root_node
    monkeypatch.setattr(
        parsel.selector, "create_root_node", lambda *a, **k: parses.append("parsel") or real_parse(*a, **k)
    )
    if not share:
        real_extract = PortalSpider.extract
        monkeypatch.setattr(PortalSpider, "extract", lambda self, r, on_tree=None: real_extract(self, r))
    out = [(r.url, r.meta.get(META_LINK), r.callback.__name__) for r in spider.parse_page(response)]
    monkeypatch.undo()
    return [out, parses]


def test_generic_spider_reads_links_from_the_extractor_s_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def response() -> HtmlResponse:
        return HtmlResponse(url="http://a.cn/news/list.html", body=_SHARED_PAGE.encode(), encoding="utf-8")

    shared, shared_parses = _generic_output(response(), monkeypatch, share=True)
    usual, usual_parses = _generic_output(response(), monkeypatch, share=False)
    # The links of a hidden box and the page's feed are followed, as when Scrapy parsed the page itself.
    assert shared == usual
    assert ("http://a.cn/news/20261126/10003.html", "article", "parse_page") in shared
    assert ("http://a.cn/rss.xml", None, "parse_feed") in shared
    assert not any(url.startswith("http://b.cn") for url, _, _ in shared)
    assert (shared_parses, usual_parses) == ([], ["parsel"])


def test_generic_spider_parses_again_when_it_decodes_the_page_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Labelled Latin-1, but UTF-8: the extractor reads UTF-8, Scrapy reads Latin-1. Link texts (used to
    # spot "下一页") and non-ASCII URLs must stay as Scrapy reads them, so the page is parsed again.
    body = _SHARED_PAGE.replace("/news/list_2.html", "/新闻/list_2.html").encode()

    def response() -> HtmlResponse:
        return HtmlResponse(
            url="http://a.cn/news/list.html",
            body=body,
            headers={"Content-Type": "text/html; charset=iso-8859-1"},
        )

    assert response().encoding == "cp1252"
    shared, shared_parses = _generic_output(response(), monkeypatch, share=True)
    usual, usual_parses = _generic_output(response(), monkeypatch, share=False)
    assert shared == usual
    assert shared_parses == usual_parses == ["parsel"]


def test_link_extractor_resolves_each_href_once_and_gives_scrapy_s_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scrapy.linkextractors import LinkExtractor, lxmlhtml  # noqa: PLC0415

    from newscrawl.spiders.base import link_extractor  # noqa: PLC0415

    body = """<html><body>
    <a href="/news/1.html">首页要闻</a> <a href="/news/1.html" rel="nofollow">同一篇，第二次</a>
    <a href=" /news/1.html ">带空格</a> <a href="./news/1.html">相对</a>
    <map><area href="/news/2.html" alt="图"></map> <a href="/news/2.html">二</a>
    <a href="http://[bad/">坏链接</a> <a href="http://[bad/">坏链接</a>
    <a href="/news/3.html#comments">评论</a> <a href="/news/3.html">三</a></body></html>"""
    response = HtmlResponse("http://a.cn/list/index.html", body=body.encode(), encoding="utf-8")
    resolved: list[str] = []
    real = lxmlhtml.safe_url_string
    monkeypatch.setattr(
        lxmlhtml, "safe_url_string", lambda url, **kw: resolved.append(url) or real(url, **kw)
    )
    ours = [(x.url, x.text, x.nofollow) for x in link_extractor().extract_links(response)]
    ours_resolved = list(resolved)
    resolved.clear()
    stock = LinkExtractor(deny_extensions=[], unique=True, canonicalize=False).extract_links(response)
    assert ours == [(x.url, x.text, x.nofollow) for x in stock]
    assert ours[0] == ("http://a.cn/news/1.html", "首页要闻", False)  # the first occurrence, with its text
    # Exact repeats of an href are resolved once; other spellings of the same URL still are.
    assert len(ours_resolved) == len(resolved) - 2
