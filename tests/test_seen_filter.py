"""The Scrapy glue of the seen-store on a real crawler object (no engine, no network): the run extension's
session, the seen-filter middleware's rules, and the version / record pipelines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import CloseSpider, DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.discovery import META_LASTMOD, META_LINK, META_LISTED, META_REFETCH
from newscrawl.extensions.run import RunExtension
from newscrawl.items import Article
from newscrawl.middlewares import SeenFilterMiddleware
from newscrawl.pipelines.dedup import DuplicateArticle
from newscrawl.pipelines.state import RecordPipeline, VersionPipeline
from newscrawl.spiders.hnr import HnrSpider
from newscrawl.state import SeenStore

A1 = "https://news.hnr.cn/202611/20/1.html"
A2 = "https://news.hnr.cn/202611/20/2.html"
A3 = "https://news.hnr.cn/202611/25/3.html"
PAGE2 = "https://news.hnr.cn/xwrd/2.html"


class Crawl:
    """A crawler with the run extension, the middleware and the two store pipelines, spider opened."""

    def __init__(self, tmp_path: Path, **settings: Any) -> None:
        self.crawler = get_crawler(
            HnrSpider,
            settings_dict={
                "EXTENSIONS": {"newscrawl.extensions.run.RunExtension": 100},
                "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
                "NEWSCRAWL_OUTPUT": str(tmp_path / "output" / "{site}" / "{run}.jsonl"),
                **settings,
            },
        )
        self.spider = self.crawler._create_spider()
        self.crawler.spider = self.spider
        self.ext = self.crawler.get_extension(RunExtension)
        assert self.ext is not None
        self.middleware = SeenFilterMiddleware.from_crawler(self.crawler)
        self.version = VersionPipeline.from_crawler(self.crawler)
        self.record = RecordPipeline.from_crawler(self.crawler)
        self.ext.spider_opened(self.spider)

    @property
    def store(self) -> SeenStore:
        assert self.ext.session is not None
        return self.ext.session.store

    def stat(self, key: str) -> Any:
        return self.crawler.stats.get_value(f"newscrawl/{key}")

    def filter(self, *requests: Request) -> list[str]:
        response = HtmlResponse(url="https://news.hnr.cn/xwrd/", body=b"<html></html>")
        return [r.url for r in self.middleware.process_spider_output(response, iter(requests))]

    def write(self, item: Article) -> Article:
        """What the item chain does around the JSONL writer."""
        item = self.version.process_item(item)
        return self.record.process_item(item)

    def fetched(self, pages: int) -> None:
        """Stats of a crawl that downloaded ``pages`` pages without errors."""
        for key in (
            "response_received_count",
            "downloader/request_count",
            "downloader/response_status_count/200",
        ):
            self.crawler.stats.set_value(key, pages)

    def close(self, reason: str = "finished") -> dict[str, Any]:
        manifest_path = self.ext.session.manifest_path  # type: ignore[union-attr]
        self.ext.spider_closed(self.spider, reason)
        return json.loads(manifest_path.read_text(encoding="utf-8"))


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """A state dir in which an earlier, finished run wrote A1 and A2."""
    first = Crawl(tmp_path)
    for url in (A1, A2):
        first.write(article(url))
    first.fetched(3)
    assert first.close()["complete"]
    return tmp_path


@pytest.fixture
def crawl(earlier: Path) -> Iterator[Crawl]:
    c = Crawl(earlier)
    yield c
    if c.ext.session is not None:
        c.close()


def article(url: str, body: str = "正文第一段。\n\n正文第二段。", **fields: Any) -> Article:
    return Article(
        url=url,
        site="hnr",
        title="标题",
        body=body,
        content_hash=str(abs(hash(body))),
        fetched_at="2026-11-26T02:00:00+00:00",
        **fields,
    )


def art(url: str, **meta: Any) -> Request:
    return Request(url, meta={META_LINK: "article", **meta})


def page(url: str) -> Request:
    return Request(url, meta={META_LINK: "pagination"})


def test_known_articles_are_skipped_and_counted_once(crawl: Crawl) -> None:
    assert crawl.filter(art(A1), art(A2), art(A3)) == [A3]
    assert crawl.filter(art(A1 + "?from=rss")) == []  # any URL that leads to it
    assert crawl.stat("skipped/known") == 2


def test_paging_stops_after_a_page_of_known_articles(crawl: Crawl) -> None:
    assert crawl.ext.session.stop_at_known  # type: ignore[union-attr]
    assert crawl.filter(art(A1), art(A2), page(PAGE2)) == []
    assert crawl.stat("skipped/pagination") == 1
    assert crawl.filter(art(A1), art(A3), page(PAGE2)) == [A3, PAGE2]  # one new article: go on
    assert crawl.filter(page(PAGE2)) == [PAGE2]  # no article links at all: nothing to judge by


def test_since_skips_old_listed_articles_and_stops_paging(earlier: Path) -> None:
    crawl = Crawl(earlier, NEWSCRAWL_SINCE="2026-11-22")
    old = art(A3.replace("25/3", "10/9"), **{META_LISTED: "2026-11-10"})
    new = art(A3, **{META_LISTED: "2026-11-25"})
    undated = art(A3.replace("25/3", "26/8"))
    assert crawl.filter(old, page(PAGE2)) == []
    assert crawl.filter(old, new, page(PAGE2)) == [A3, PAGE2]
    assert crawl.filter(old, undated, page(PAGE2)) == [undated.url, PAGE2]  # undated: can't tell, go on
    assert crawl.stat("skipped/older_than_since") == 3
    crawl.close()


def test_a_newer_sitemap_lastmod_refetches_a_known_article(crawl: Crawl) -> None:
    stale = art(A1, **{META_LASTMOD: "2026-11-26T01:00:00+00:00"})  # before A1 was fetched (02:00)
    edited = art(A2, **{META_LASTMOD: "2026-11-26T12:00:00+08:00"})
    assert crawl.filter(stale, edited) == [A2]
    assert crawl.stat("refetch/lastmod") == 1
    assert edited.meta[META_REFETCH] is True
    # The edit is written as version 2, and the store remembers the lastmod it was fetched for.
    item = crawl.write(article(A2, body="改过的正文。"))
    assert item.version == 2
    known = crawl.store.article("hnr", A2)
    assert known is not None
    assert (known.version, known.lastmod) == (2, "2026-11-26T12:00:00+08:00")
    assert crawl.stat("articles/changed") == 1


def test_refresh_fetches_everything_but_writes_only_changes(earlier: Path) -> None:
    crawl = Crawl(earlier, NEWSCRAWL_REFRESH=True)
    assert crawl.filter(art(A1), art(A2), page(PAGE2)) == [A1, A2, PAGE2]
    with pytest.raises(DropItem, match="unchanged"):
        crawl.write(article(A1))
    assert crawl.stat("articles/unchanged") == 1
    manifest = crawl.close()
    assert manifest["articles"]["unchanged"] == 1
    assert manifest["options"]["refresh"] is True


def test_versions(crawl: Crawl) -> None:
    assert crawl.write(article(A3)).version == 1
    with pytest.raises(DropItem):
        crawl.write(article(A1))
    assert crawl.write(article(A1, body="第一版之后的更正。")).version == 2
    assert crawl.write(article(A1, body="再次更正。")).version == 3
    assert (crawl.stat("articles/new"), crawl.stat("articles/changed"), crawl.stat("articles/unchanged")) == (
        1,
        2,
        1,
    )


def test_a_duplicate_s_url_leads_to_its_article_next_time(crawl: Crawl) -> None:
    mobile = "https://m.hnr.cn/news/202611/25/3.html"
    crawl.write(article(A3))
    duplicate = article(mobile, canonical_url=A3)
    crawl.record.item_dropped(duplicate, DuplicateArticle("duplicate"))
    crawl.record.item_dropped(article("https://news.hnr.cn/x.html"), DropItem("no_title"))  # not a duplicate
    crawl.close()
    store = SeenStore(crawl.crawler.settings["NEWSCRAWL_STATE_DIR"])
    known = store.known("hnr", mobile)
    assert known is not None
    assert known.key == A3
    assert store.known("hnr", "https://news.hnr.cn/x.html") is None
    store.close()


def test_articles_written_by_this_run_are_left_to_the_dupefilter(crawl: Crawl) -> None:
    crawl.write(article(A3))
    assert crawl.filter(art(A3)) == [A3]
    assert crawl.stat("skipped/known") is None


def test_a_second_run_of_the_same_site_closes_at_once(earlier: Path) -> None:
    running = Crawl(earlier)
    crawler = get_crawler(
        HnrSpider,
        settings_dict={
            "EXTENSIONS": {"newscrawl.extensions.run.RunExtension": 100},
            "NEWSCRAWL_STATE_DIR": str(earlier / "state"),
        },
    )
    crawler.spider = crawler._create_spider()
    ext = crawler.get_extension(RunExtension)
    assert ext is not None
    with pytest.raises(CloseSpider) as closed:
        ext.spider_opened(crawler.spider)
    assert closed.value.reason == "already_running"
    assert crawler.stats.get_value("newscrawl/exit_code") == 75
    ext.spider_closed(crawler.spider, "already_running")  # writes nothing, raises nothing
    running.close()


def test_without_the_extension_everything_passes_through(tmp_path: Path) -> None:
    crawler = get_crawler(HnrSpider, settings_dict={"NEWSCRAWL_STATE_DIR": str(tmp_path / "state")})
    crawler.spider = crawler._create_spider()
    middleware = SeenFilterMiddleware.from_crawler(crawler)
    response = HtmlResponse(url="https://news.hnr.cn/xwrd/", body=b"")
    assert [r.url for r in middleware.process_spider_output(response, iter([art(A1), page(PAGE2)]))] == [
        A1,
        PAGE2,
    ]
    item = article(A1)
    assert VersionPipeline.from_crawler(crawler).process_item(item) is item
    assert RecordPipeline.from_crawler(crawler).process_item(item) is item
    assert not (tmp_path / "state").exists()


def test_manifest_from_the_extension(crawl: Crawl) -> None:
    crawl.write(article(A3))
    crawl.fetched(3)
    crawl.crawler.stats.set_value("newscrawl/articles_written", 1)
    manifest = crawl.close()
    assert (manifest["status"], manifest["exit_code"], manifest["site"], manifest["job"]) == (
        "ok",
        0,
        "hnr",
        "hnr",
    )
    assert manifest["articles"]["new"] == 1
    assert manifest["coverage"]["floor"] == {"title": 0.9, "published": 0.8, "body": 0.9}
    assert crawl.crawler.stats.get_value("newscrawl/status") == "ok"
    row = SeenStore(crawl.crawler.settings["NEWSCRAWL_STATE_DIR"]).last_finished_run("hnr")
    assert row is not None
    assert row.manifest == manifest
