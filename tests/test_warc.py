"""The WARC writer on a real crawler object (no engine, no network): records are written by a thread of
their own, an article waits for its page to be in the file, and a failing file stops neither."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.spiders.hnr import HnrSpider
from newscrawl.warc import WarcMiddleware, WarcOrderMiddleware
from tests.conftest import gzip_members

URL = "https://news.hnr.cn/202109/03/1.html"


def warc_kinds(path: Path) -> list[bytes]:
    """The WARC-Type of each gzip member of the file, in order."""
    return [
        record.split(b"WARC-Type: ", 1)[1].split(b"\r\n", 1)[0]
        for _, record in gzip_members(path.read_bytes())
    ]


@pytest.fixture
def middlewares(tmp_path: Path) -> tuple[WarcMiddleware, WarcOrderMiddleware]:
    crawler = get_crawler(
        HnrSpider,
        settings_dict={
            "NEWSCRAWL_OUTPUT": str(tmp_path / "run.jsonl"),
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
        },
    )
    crawler.spider = crawler._create_spider()
    return WarcMiddleware.from_crawler(crawler), WarcOrderMiddleware.from_crawler(crawler)


def exchange(url: str = URL) -> tuple[Request, HtmlResponse]:
    request = Request(url)
    body = "<html><body><h1>标题</h1><p>正文。</p></body></html>".encode()
    return request, HtmlResponse(url, body=body, encoding="utf-8", request=request)


def test_an_article_waits_for_its_page_to_be_in_the_file(
    middlewares: tuple[WarcMiddleware, WarcOrderMiddleware], monkeypatch: pytest.MonkeyPatch
) -> None:
    warc, order = middlewares
    gate = threading.Event()
    write = warc._write_records

    def held(records: list[Any]) -> None:
        gate.wait(10)
        write(records)

    monkeypatch.setattr(warc, "_write_records", held)
    request, response = exchange()
    assert warc.process_response(request, response) is response  # handed over, not written yet
    assert warc.path is not None
    assert warc_kinds(warc.path) == [b"warcinfo"]

    link = Request("https://news.hnr.cn/202109/03/2.html")
    out = order.process_spider_output(response, iter([link, {"title": "标题"}]))
    assert next(out) is link  # requests are not held back
    assert not gate.is_set()
    threading.Timer(0.05, gate.set).start()
    assert next(out) == {"title": "标题"}
    assert gate.is_set()  # the item came out only after the writer was let go ...
    assert warc_kinds(warc.path) == [b"warcinfo", b"response", b"request"]  # ... and had written the page

    warc.item_scraped({"url": URL, "title": "标题"}, response, warc.crawler.spider)
    warc.spider_closed(warc.crawler.spider)  # waits for the writer thread
    assert warc_kinds(warc.path) == [b"warcinfo", b"response", b"request", b"metadata"]
    assert warc.crawler.stats.get_value("newscrawl/warc/records") == 4


def test_a_failing_file_is_reported_once_and_the_crawl_goes_on(
    middlewares: tuple[WarcMiddleware, WarcOrderMiddleware],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    warc, order = middlewares
    request, response = exchange()
    warc.process_response(request, response)  # opens the file (warcinfo), hands the exchange over
    warc.wait_written(response)
    assert warc.writer is not None

    def full(record: Any, params: Any = None) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(warc.writer, "write_record", full)
    with caplog.at_level(logging.ERROR, logger="newscrawl.warc"):
        request, response = exchange("https://news.hnr.cn/202109/03/2.html")
        assert warc.process_response(request, response) is response
        assert list(order.process_spider_output(response, iter([{"title": "标题"}]))) == [{"title": "标题"}]
        for n in (3, 4):
            request, response = exchange(f"https://news.hnr.cn/202109/03/{n}.html")
            assert warc.process_response(request, response) is response
        warc.spider_closed(warc.crawler.spider)
    assert warc.failed
    assert warc.crawler.stats.get_value("newscrawl/warc/errors") == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"Cannot write the WARC file {warc.path}: [Errno 28] No space left on device; going on without it"
    ]
    assert warc.crawler.stats.get_value("newscrawl/warc/records") == 3  # warcinfo, the first exchange
    assert warc_kinds(warc.path) == [b"warcinfo", b"response", b"request"]
