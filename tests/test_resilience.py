"""Unit tests of the fault handling (newscrawl/resilience.py) and of the distributed-mode wiring."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newscrawl.cli import main
from newscrawl.discovery import META_LINK
from newscrawl.distributed import DistributedMode, JobKeys
from newscrawl.resilience import (
    META_LISTING_PAGE,
    ListingDepthMiddleware,
    charset_mismatch,
    looks_binary,
    retry_after_seconds,
    retry_without_controls,
    strip_controls,
)
from newscrawl.runs import errors_by_type


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (b"1", 1.0),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Thu, 26 Nov 2026 12:00:30 GMT", 30.0),
        ("Thu, 26 Nov 2026 11:00:00 GMT", 0.0),  # in the past: at once
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value: bytes | str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, now=datetime(2026, 11, 26, 12, 0, tzinfo=UTC)) == seconds


@pytest.mark.parametrize(
    ("body", "binary"),
    [
        (b"<html><body>\xe4\xb8\xad</body></html>", False),
        ("<html>新闻</html>".encode("utf-16"), False),  # a BOM: text
        (b"\x89PNG\r\n\x1a\n" + b"x" * 100, True),
        (b"PK\x03\x04rest of a zip", True),
        (b"<html>\x00\x00</html>", True),
        (bytes(range(1, 32)) * 4, True),
        (b"<p>a\tb\r\nc\x0cd\x1b</p>", False),
        (b"", False),
    ],
)
def test_looks_binary(body: bytes, binary: bool) -> None:
    assert looks_binary(body) is binary


@pytest.mark.parametrize(
    ("body", "http", "used", "mismatch"),
    [
        (b"<meta charset=utf-8>", None, "gb18030", True),
        (b"<meta charset=gb2312>", None, "gb18030", False),  # one family
        (b"<meta charset=gbk>", "utf-8", "utf-8", False),  # the header wins, and it was right
        (b"", "gbk", "utf-8", True),
        (b"", "iso-8859-1", "cp1252", False),
        (b"", None, "utf-8", False),  # nothing declared
        (b"", "x-unknown", "utf-8", False),
    ],
)
def test_charset_mismatch(body: bytes, http: str | None, used: str, mismatch: bool) -> None:
    assert charset_mismatch(body, http, used) is mismatch


def test_strip_controls_keeps_text_and_utf16() -> None:
    assert strip_controls(b"<p>a\x0b\x00b\tc\r\n\x1b$B</p>") == b"<p>a  b\tc\r\n\x1b$B</p>"
    assert strip_controls("<p>中</p>".encode("gbk")) == "<p>中</p>".encode("gbk")
    utf16 = "<p>中</p>".encode("utf-16")
    assert strip_controls(utf16) == utf16


def test_a_page_lxml_refuses_for_a_control_character_is_extracted_again_without_it() -> None:
    class Stats:
        counts: ClassVar[dict[str, int]] = {}

        def inc_value(self, key: str, n: int = 1) -> None:
            self.counts[key] = self.counts.get(key, 0) + n

    calls: list[bytes] = []

    def analyze(body: bytes, url: str) -> str:
        calls.append(body)
        if b"\x0b" in body:
            raise ValueError(
                "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
            )
        return "record"

    stats = Stats()
    assert retry_without_controls(analyze, stats)(b"<p>\x0bx</p>", "u") == "record"
    assert calls == [b"<p>\x0bx</p>", b"<p> x</p>"]
    assert stats.counts == {"newscrawl/errors/page/control_characters": 1}
    with pytest.raises(ValueError, match="other"):
        retry_without_controls(lambda body, url: (_ for _ in ()).throw(ValueError("other")), stats)(b"", "u")


def test_pages_of_a_listing_keep_its_depth_up_to_the_page_cap() -> None:
    crawler = get_crawler(Spider, {"DEPTH_LIMIT": 2, "NEWSCRAWL_MAX_LISTING_PAGES": 3})
    crawler.spider = crawler._create_spider("s")
    middleware = ListingDepthMiddleware.from_crawler(crawler)

    def follow(parent: Request, url: str, kind: str) -> Request | None:
        response = HtmlResponse(parent.url, body=b"", request=parent)
        middleware._init_depth(response)
        return middleware.get_processed_request(Request(url, meta={META_LINK: kind}), response)

    page = Request("http://x/list/1.html", meta={"depth": 1})
    pages = []
    while (page := follow(page, f"http://x/list/{len(pages) + 2}.html", "pagination")) is not None:
        pages.append((page.meta["depth"], page.meta[META_LISTING_PAGE]))
    assert pages == [(1, 2), (1, 3)]  # as deep as page 1; page 4 is past the cap
    deeper = follow(Request("http://x/list/3.html", meta={"depth": 1}), "http://x/a/1.html", "article")
    assert deeper is not None
    assert deeper.meta["depth"] == 2
    assert follow(deeper, "http://x/a/2.html", "listing") is None  # depth 3 > DEPTH_LIMIT
    assert crawler.stats.get_value("newscrawl/errors/trap/pagination") == 1
    assert crawler.stats.get_value("newscrawl/errors/trap/depth_limit") == 1


def test_fault_counters_reach_the_manifest_errors() -> None:
    stats = {
        "newscrawl/errors/redirect/loop": 2,
        "newscrawl/errors/page/binary": 1,
        "downloader/exception_type_count/scrapy.exceptions.DownloadCancelledError": 3,
        "newscrawl/errors/download/too_large": 1,
    }
    assert errors_by_type(stats) == {"download/too_large": 4, "page/binary": 1, "redirect/loop": 2}


def test_the_add_on_changes_nothing_without_a_redis_url() -> None:
    settings = Settings({"SCHEDULER": "scrapy.core.scheduler.Scheduler"})
    DistributedMode().update_settings(settings)
    assert settings["SCHEDULER"] == "scrapy.core.scheduler.Scheduler"
    assert "newscrawl.distributed.ClaimPipeline" not in settings.getdict("ITEM_PIPELINES")


def test_the_add_on_replaces_the_disk_queue_scheduler_of_the_project_settings() -> None:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    settings.set("NEWSCRAWL_REDIS_URL", "redis://127.0.0.1:1/0", priority="cmdline")
    DistributedMode().update_settings(settings)
    assert settings["SCHEDULER"] == "newscrawl.distributed.RedisScheduler"


def test_the_add_on_switches_to_redis() -> None:
    settings = Settings({"NEWSCRAWL_REDIS_URL": "redis://127.0.0.1:1/0"})
    DistributedMode().update_settings(settings)
    assert settings["SCHEDULER"] == "newscrawl.distributed.RedisScheduler"
    assert settings["DUPEFILTER_CLASS"] == "newscrawl.distributed.RedisDupeFilter"
    assert settings["REDIS_URL"] == "redis://127.0.0.1:1/0"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings.getdict("ITEM_PIPELINES")["newscrawl.distributed.ClaimPipeline"] == 850
    assert "newscrawl.distributed.DistributedExtension" in settings.getdict("EXTENSIONS")


def test_job_keys_are_per_job() -> None:
    keys = JobKeys("p", "generic-127.0.0.1")
    assert keys.requests == "p:job:generic-127.0.0.1:requests"
    assert keys.inflight("n/r") == "p:job:generic-127.0.0.1:inflight:n/r"
    assert keys.alive("n/r") == "p:alive:n/r"


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://127.0.0.1:6379/", "not a Redis URL"), ("redis://127.0.0.1:1/0", "cannot reach Redis")],
)
def test_crawl_refuses_a_bad_redis_url(url: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "generic", "--start-url", "http://127.0.0.1:9/", "--redis", url]) == 2
    assert message in capsys.readouterr().err
