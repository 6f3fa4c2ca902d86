"""Distributed coordination step by step, against a real Redis but without a crawl: the take-over of a
killed worker with another worker acting between any two of its Redis commands, and the item chain of a
worker that meets a killed worker's claim. Needs a Redis server (see tests/redisutil.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy import Request, Spider, signals
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

import newscrawl.distributed
from newscrawl.distributed import ClaimPipeline, DistributedExtension, JobKeys
from newscrawl.extensions.run import RunExtension
from newscrawl.items import Article
from newscrawl.pipelines.dedup import DedupPipeline, DuplicateArticle
from newscrawl.redis_store import RedisSeenStore
from newscrawl.spiders.hnr import HnrSpider
from tests.redisutil import RedisForTest, redis_server, redis_url

__all__ = ["redis_server", "redis_url"]

SITE = "generic"
ARTICLE = "http://127.0.0.1/a/1483.html"
OTHER = "http://127.0.0.1/list/30.html"
KILLED = "deadbeef0000/20261127T000000Z"


class Interleaved(redis.Redis):
    """A Redis client that hands over to another worker after each of its commands."""

    between: Callable[[], None] = staticmethod(lambda: None)

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run the command, then let the other worker act."""
        result = super().execute_command(*args, **options)
        self.between()
        return result


@dataclass
class EagerWorker:
    """A live worker that takes every queued request as soon as it is there and claims the articles
    (queue members here are plain URLs)."""

    client: redis.Redis
    store: RedisSeenStore
    keys: JobKeys
    taken: list[str] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)

    def act(self) -> None:
        """Take what is queued; claim each article."""
        for member, _ in self.client.zpopmin(self.keys.requests, 100):
            url = member.decode()
            self.taken.append(url)
            if "/a/" not in url:
                continue
            status, _ = self.store.claim(
                SITE,
                url,
                owner=self.store.owner("live"),
                url=url,
                content_hash="h",
                written=self.keys.written,
            )
            self.claims.append((url, status))


@dataclass
class Engine:
    """Scrapy's engine as far as take-over uses it: ``crawl`` queues the request (its URL) in Redis."""

    client: redis.Redis
    keys: JobKeys

    def crawl(self, request: Request) -> None:
        """Queue a request."""
        self.client.zadd(self.keys.requests, {request.url: -request.priority})


def test_a_taken_over_request_is_never_queued_while_the_killed_workers_claim_stands(
    redis_server: RedisForTest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The killed worker claimed ARTICLE and never wrote it; its request for ARTICLE (and one for a
    listing page) are still leased to it. Whatever moment another worker looks at the queue during the
    take-over, it must never get ARTICLE while the killed worker's claim still refuses it: that worker
    would drop its copy as a duplicate and then (its in-run dedup now knowing the key) drop the re-crawl
    too, and the article would never be written."""
    prefix = redis_server.prefix
    keys = JobKeys(prefix, "generic-127.0.0.1")
    plain = redis.Redis.from_url(redis_server.url)
    other = EagerWorker(
        plain, RedisSeenStore(tmp_path / "other", redis_server.url, prefix=prefix, client=plain), keys
    )
    client = Interleaved.from_url(redis_server.url)
    monkeypatch.setattr(newscrawl.distributed, "connect", lambda url: client)
    successor = RedisSeenStore(tmp_path / "killed", redis_server.url, prefix=prefix, client=client)

    # What the killed worker left: its claim, its two leased requests, its membership and heartbeat.
    status = successor.claim(SITE, ARTICLE, owner=KILLED, url=ARTICLE, content_hash="h", written=keys.written)
    assert status == ("ok", 1)
    plain.hset(keys.inflight(KILLED), mapping={"t1": f"-10|{ARTICLE}", "t2": f"0|{OTHER}"})
    plain.sadd(keys.workers, KILLED)
    plain.set(keys.alive(KILLED), "1", px=60_000)

    crawler = get_crawler(
        Spider, settings_dict={"NEWSCRAWL_REDIS_URL": redis_server.url, "NEWSCRAWL_REDIS_PREFIX": prefix}
    )
    ext = DistributedExtension(crawler)
    ext.keys = keys
    ext.worker = successor.owner("successor")
    crawler.engine = Engine(client, keys)  # type: ignore[assignment]
    client.between = other.act
    ext.take_over(Spider(name="generic"), successor, KILLED)
    client.between = lambda: None

    assert (ARTICLE, "claimed") not in other.claims, other.claims
    assert (ARTICLE, "ok") in other.claims
    assert OTHER in other.taken
    assert not plain.exists(keys.inflight(KILLED), keys.alive(KILLED))
    assert not plain.sismember(keys.workers, KILLED)
    assert crawler.stats.get_value("newscrawl/distributed/released_claims") == 1
    assert crawler.stats.get_value("newscrawl/distributed/requeued_inflight") == 2
    successor.close()
    other.store.close()


def test_an_article_refused_for_a_killed_workers_claim_is_written_once_the_claim_is_released(
    redis_server: RedisForTest, tmp_path: Path
) -> None:
    """A live worker gets an article while a killed worker's claim still holds it (the killed worker's
    heartbeat expired and a sweep put its request back before its successor started): the claim refuses
    the copy. The successor then releases the claim and crawls the article again; when that copy comes
    to the same worker, its in-run dedup must not drop it, since nothing was written."""
    crawler = get_crawler(
        HnrSpider,
        settings_dict={
            "EXTENSIONS": {"newscrawl.extensions.run.RunExtension": 100},
            "NEWSCRAWL_STATE_DIR": str(tmp_path / "state"),
            "NEWSCRAWL_OUTPUT": str(tmp_path / "output" / "{site}" / "{run}.jsonl"),
            "NEWSCRAWL_REDIS_URL": redis_server.url,
            "NEWSCRAWL_REDIS_PREFIX": redis_server.prefix,
        },
    )
    spider = crawler._create_spider()
    crawler.spider = spider
    run = crawler.get_extension(RunExtension)
    assert run is not None
    dedup = DedupPipeline.from_crawler(crawler)
    claim = ClaimPipeline.from_crawler(crawler)
    run.spider_opened(spider)
    session = run.session
    assert session is not None
    assert isinstance(session.store, RedisSeenStore)
    store = session.store
    written = JobKeys(redis_server.prefix, session.job).written
    url = "https://news.hnr.cn/202611/27/1483.html"
    assert store.claim("hnr", url, owner=KILLED, url=url, content_hash="h1", written=written)[0] == "ok"

    def chain(item: Article) -> Article:
        """Dedup and claim, and the signal Scrapy sends for an item dropped on the way."""
        try:
            return claim.process_item(dedup.process_item(item))
        except DropItem as exc:
            crawler.signals.send_catch_log(
                signal=signals.item_dropped, item=item, response=None, spider=spider, exception=exc
            )
            raise

    with pytest.raises(DuplicateArticle, match="claimed by another worker"):
        chain(hnr_article(url))
    assert store.release_claims(KILLED) == [url]
    again = chain(hnr_article(url))
    assert again.version == 1
    crawler.signals.send_catch_log(signal=signals.item_scraped, item=again, response=None, spider=spider)
    # Another copy, while this worker's claim waits for the line's fsync, is this run's duplicate.
    with pytest.raises(DuplicateArticle, match=r"^duplicate: "):
        chain(hnr_article(url))
    assert store.claims_of(store.owner(session.run_id)) == 1
    session.close()


def hnr_article(url: str) -> Article:
    """An article of the hnr profile, as the clean pipeline leaves it."""
    return Article(
        url=url,
        site="hnr",
        title="标题",
        body="第一段。\n\n第二段。",
        fetched_at="2026-11-27T02:00:00+00:00",
        content_hash="h1",
    )
