"""Each pipeline on its own, through a real Scrapy crawler object (no engine, no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newscrawl.items import RECORD_FIELDS, Article
from newscrawl.pipelines.clean import CleanPipeline
from newscrawl.pipelines.coverage import CoveragePipeline
from newscrawl.pipelines.dates import DatesPipeline
from newscrawl.pipelines.dedup import DedupPipeline, dedup_key
from newscrawl.pipelines.jsonl import JsonlWriterPipeline
from newscrawl.pipelines.validate import ValidatePipeline
from newscrawl.spiders.hnr import HnrSpider


def make(cls: type, **settings: Any) -> Any:
    crawler = get_crawler(HnrSpider, settings_dict=settings)
    crawler.spider = crawler._create_spider()
    return cls.from_crawler(crawler)


def stat(pipeline: Any, key: str) -> Any:
    return pipeline.crawler.stats.get_value(f"newscrawl/{key}")


def article(**fields: Any) -> Article:
    base: dict[str, Any] = {
        "url": "https://news.hnr.cn/202109/03/1.html",
        "site": "hnr",
        "title": "标题",
        "body": "第一段。\n\n第二段。",
        "fetched_at": "2021-09-05T02:00:00+00:00",
    }
    base.update(fields)
    return Article(**base)


def test_clean_whitespace_invisible_characters_and_trailers() -> None:
    pipe = make(CleanPipeline)
    item = article(
        title="\u3000许昌市建安区\u200b:以组织振兴 ",
        source=" 映象网\u00a0",
        authors=["康世保", " 康世保", "郭歌\u200d"],
        body="\u3000\u3000映象网讯 近年来。\n\n 第二段\u200b内容。 \n\n"
        "(映象网许昌新闻热线:13703868400,投稿邮箱:xuchang@hnr.cn。)\n\n责编：高御",
    )
    pipe.process_item(item)
    assert item.title == "许昌市建安区:以组织振兴"
    assert item.source == "映象网"
    assert item.authors == ["康世保", "郭歌"]
    assert item.body == "映象网讯 近年来。\n\n第二段内容。"
    assert len(item.content_hash) == 40
    assert stat(pipe, "clean/body_trimmed") == 1


def test_clean_is_idempotent() -> None:
    pipe = make(CleanPipeline)
    item = article(body="正文第一段。（原标题：另一个标题）")
    pipe.process_item(item)
    once = (item.body, item.content_hash)
    pipe.process_item(item)
    assert (item.body, item.content_hash) == once
    assert item.body == "正文第一段。"


@pytest.mark.parametrize(
    ("fields", "published", "issue"),
    [
        ({"published_raw": "2021-09-03 16:39:39"}, "2021-09-03T16:39:39+08:00", None),
        ({"published_raw": "2021年9月3日 16:39"}, "2021-09-03T16:39+08:00", None),
        ({"published": "2021-09-03T08:39:39Z"}, "2021-09-03T16:39:39+08:00", None),
        ({"published": "2021-09-03T16:39"}, "2021-09-03T16:39+08:00", None),
        ({"published": "2021-09-03"}, "2021-09-03", None),
        ({"published": "2031-09-03T16:39:39+08:00"}, None, "published_future"),
        ({"published": "03/09/2021"}, None, "published_invalid"),
        ({"published_raw": "很久以前"}, None, "published_unparsable"),
    ],
)
def test_dates(fields: dict[str, Any], published: str | None, issue: str | None) -> None:
    pipe = make(DatesPipeline)
    item = pipe.process_item(article(**fields))
    assert item.published == published
    if issue:
        assert stat(pipe, f"dates/{issue}") == 1


def test_relative_date_uses_fetched_at() -> None:
    pipe = make(DatesPipeline)
    item = pipe.process_item(article(published_raw="3小时前", fetched_at="2021-09-05T02:00:00+00:00"))
    assert item.published == "2021-09-05T07:00+08:00"


@pytest.mark.parametrize(("fields", "reason"), [({"title": ""}, "no_title"), ({"body": "  "}, "no_body")])
def test_validate_drops_with_a_counted_reason(fields: dict[str, Any], reason: str) -> None:
    pipe = make(ValidatePipeline)
    with pytest.raises(DropItem, match=reason):
        pipe.process_item(article(**fields))
    assert stat(pipe, f"dropped/{reason}") == 1


def test_validate_keeps_articles_without_a_date() -> None:
    pipe = make(ValidatePipeline)
    item = article(published=None)
    assert pipe.process_item(item) is item


def test_validate_since() -> None:
    pipe = make(ValidatePipeline, NEWSCRAWL_SINCE="2021-09-04")
    with pytest.raises(DropItem, match="older_than_since"):
        pipe.process_item(article(published="2021-09-03T16:39:39+08:00"))
    assert pipe.process_item(article(published="2021-09-04")).published == "2021-09-04"


def test_dedup_by_canonical_url_ignoring_tracking() -> None:
    pipe = make(DedupPipeline)
    pipe.process_item(article(url="https://news.hnr.cn/a/1.html?from=rss"))
    with pytest.raises(DropItem, match="duplicate"):
        pipe.process_item(article(url="https://news.hnr.cn/a/1.html?utm_source=x#top"))
    with pytest.raises(DropItem):
        pipe.process_item(
            article(url="https://m.hnr.cn/a/1.html", canonical_url="https://news.hnr.cn/a/1.html")
        )
    pipe.process_item(article(url="https://news.hnr.cn/a/1.html?page=2"))
    assert stat(pipe, "dropped/duplicate") == 2


def test_dedup_key() -> None:
    assert (
        dedup_key("HTTP://News.HNR.cn:80/a/1.html?b=2&a=1&utm_medium=x")
        == "http://news.hnr.cn/a/1.html?a=1&b=2"
    )
    assert dedup_key("http://127.0.0.1:8080/x") != dedup_key("http://127.0.0.1:8081/x")


def test_jsonl_writes_utf8_lines_flushed_per_item(tmp_path: Path) -> None:
    out = tmp_path / "out" / "{site}-{run}.jsonl"
    pipe = make(JsonlWriterPipeline, NEWSCRAWL_OUTPUT=str(out))
    pipe.open_spider()
    pipe.process_item(article(title="许昌市建安区", authors=["康世保"]))
    path = pipe.path
    assert path is not None
    assert path.name.startswith("hnr-")
    # Flushed at once: readable before the spider closes.
    first = path.read_text(encoding="utf-8")
    assert first.count("\n") == 1
    assert "许昌市建安区" in first
    assert "\\u" not in first
    pipe.process_item(article(url="https://news.hnr.cn/2.html"))
    pipe.close_spider()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [list(r) for r in records] == [list(RECORD_FIELDS)] * 2
    assert stat(pipe, "articles_written") == 2
    assert stat(pipe, "output") == str(path)


def test_jsonl_max_articles(tmp_path: Path) -> None:
    pipe = make(JsonlWriterPipeline, NEWSCRAWL_OUTPUT=str(tmp_path / "o.jsonl"), NEWSCRAWL_MAX_ARTICLES=1)
    pipe.open_spider()
    pipe.process_item(article())
    with pytest.raises(DropItem):
        pipe.process_item(article(url="https://news.hnr.cn/2.html"))
    pipe.close_spider()
    assert len((tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_coverage_counts_present_fields() -> None:
    pipe = make(CoveragePipeline)
    pipe.process_item(article(source="映象网", authors=["康世保"]))
    pipe.process_item(article())
    assert stat(pipe, "counted") == 2
    assert stat(pipe, "field/title") == 2
    assert stat(pipe, "field/source") == 1
    assert stat(pipe, "missing/published") == 2
