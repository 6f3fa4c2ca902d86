"""Distributed crawls: any number of workers, on any machines, share one frontier in Redis (scrapy-redis).

``newscrawl crawl SITE --redis redis://host:6379/0`` (or the ``NEWSCRAWL_REDIS_URL`` setting) makes the
``DistributedMode`` add-on switch the crawl to:

- scrapy-redis's scheduler, checking the dupefilter and queueing in one atomic step, with a *leased*
  priority queue: a request popped by a worker moves, in one atomic step, into that worker's in-flight
  hash, and leaves it only once the engine is completely done with it (downloaded, its callback's
  requests queued, its items through the pipelines). A worker that
  dies leaves its in-flight requests behind; they go back to the queue when its successor (the next
  worker started with its state directory) reconciles its run, or when any live worker notices that the
  dead one stopped renewing its heartbeat key (``NEWSCRAWL_REDIS_WORKER_TTL`` seconds);
- scrapy-redis's dupefilter, storing Scrapy's 20-byte request fingerprints (not 40-character hex);
- the Redis seen-store (``newscrawl.redis_store``) and a claim before every write, so each article is
  written exactly once across workers (``ClaimPipeline``);
- idle close: a worker closes once the shared queue is empty and no live worker has a request in flight
  for ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds (scrapy-redis's setting; 0 waits for work forever).

One crawl of a job (a site, or ``generic-<domain>``) is one *frontier*: the queue, the dupefilter and the
set of articles claimed in it. The last worker out, when nothing is left queued or in flight, clears the
frontier, so the next scheduled crawl starts afresh (scrapy-redis's "nothing is crawled after a resume"
surprise comes from a dupefilter that outlives its crawl); a crawl cut short (workers killed or
interrupted with requests left) keeps its frontier, and the next workers resume it.

Keys: ``<prefix>:job:<job>:{requests,dupefilter,written,workers,inflight:<worker>}`` and
``<prefix>:alive:<worker>``.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any, Self

from itemadapter import ItemAdapter
from redis import Redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, DropItem, NotConfigured
from scrapy.settings import BaseSettings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from newscrawl.extensions.run import RunExtension, spider_site
from newscrawl.pipelines.dedup import DuplicateArticle, HeldElsewhere, record_keys
from newscrawl.pipelines.state import _StorePipeline
from newscrawl.redis_store import RedisSeenStore, connect
from newscrawl.runs import job_name
from newscrawl.state import safe_name

logger = logging.getLogger(__name__)

URL_SETTING = "NEWSCRAWL_REDIS_URL"

# KEYS: queue, worker's in-flight hash. Pops the best request and leases it in one step.
_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
local token = redis.sha1hex(item[1])
redis.call('HSET', KEYS[2], token, item[2] .. '|' .. item[1])
return {token, item[1]}
"""

# KEYS: queue, dupefilter. ARGV: fingerprint, score, "1" when the request is not filtered, request.
# Dupefilter check and push in one step: a worker killed between the two would leave a URL marked seen
# that no queue holds, and nobody would ever crawl it.
_ENQUEUE = """
if ARGV[3] == '1' or redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  return 1
end
return 0
"""

# KEYS: in-flight hash, queue. Puts every leased request back with its priority.
_REQUEUE = """
local entries = redis.call('HGETALL', KEYS[1])
local n = 0
for i = 2, #entries, 2 do
  local value = entries[i]
  local cut = string.find(value, '|', 1, true)
  redis.call('ZADD', KEYS[2], tonumber(string.sub(value, 1, cut - 1)), string.sub(value, cut + 1))
  n = n + 1
end
redis.call('DEL', KEYS[1])
return n
"""

# KEYS: workers set, queue. ARGV: key prefix of the job, alive-key prefix, this worker.
# Re-queues the in-flight requests of every worker whose heartbeat key expired; returns their count.
_SWEEP = """
local n = 0
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if worker ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. worker) == 0 then
    local inflight = ARGV[1] .. 'inflight:' .. worker
    local entries = redis.call('HGETALL', inflight)
    for i = 2, #entries, 2 do
      local value = entries[i]
      local cut = string.find(value, '|', 1, true)
      redis.call('ZADD', KEYS[2], tonumber(string.sub(value, 1, cut - 1)), string.sub(value, cut + 1))
      n = n + 1
    end
    redis.call('DEL', inflight)
    redis.call('SREM', KEYS[1], worker)
  end
end
return n
"""

# KEYS: workers, queue, dupefilter, written. ARGV: job prefix, alive prefix, this worker.
# A worker leaves; the last one out, with nothing queued or in flight, clears the frontier. Returns
# "done", "others" (live workers remain) or "pending" (requests left: the next workers resume them).
_LEAVE = """
redis.call('SREM', KEYS[1], ARGV[3])
redis.call('DEL', ARGV[2] .. ARGV[3])
local busy = false
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[2] .. worker) == 1 then return 'others' end
  if redis.call('HLEN', ARGV[1] .. 'inflight:' .. worker) > 0 then busy = true end
end
if busy or redis.call('ZCARD', KEYS[2]) > 0 then return 'pending' end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
return 'done'
"""


@dataclass(frozen=True)
class JobKeys:
    """Redis key names of one job's frontier."""

    prefix: str
    job: str

    @property
    def base(self) -> str:
        """``<prefix>:job:<job>:``."""
        return f"{self.prefix}:job:{safe_name(self.job)}:"

    @property
    def requests(self) -> str:
        """The queue (sorted set by priority)."""
        return self.base + "requests"

    @property
    def dupefilter(self) -> str:
        """Fingerprints of every request scheduled in this crawl."""
        return self.base + "dupefilter"

    @property
    def written(self) -> str:
        """Article keys claimed (being written or written) in this crawl."""
        return self.base + "written"

    @property
    def workers(self) -> str:
        """Workers that joined this crawl and have not left."""
        return self.base + "workers"

    def inflight(self, worker: str) -> str:
        """A worker's leased requests (token → ``score|encoded request``)."""
        return self.base + f"inflight:{worker}"

    @property
    def alive_prefix(self) -> str:
        """Prefix of the heartbeat keys (``<prefix>:alive:<worker>``, with a TTL)."""
        return f"{self.prefix}:alive:"

    def alive(self, worker: str) -> str:
        """A worker's heartbeat key."""
        return self.alive_prefix + worker


def job_keys(settings: BaseSettings, spider: Spider) -> JobKeys:
    """The frontier keys of the job a spider crawls."""
    site = spider_site(spider)
    return JobKeys(settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl", job_name(site.name, site.domains))


class DistributedMode:
    """Scrapy add-on: with ``NEWSCRAWL_REDIS_URL`` set, switch scheduler, dupefilter and seen-store to Redis."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Wire in the Redis components (nothing changes without a Redis URL)."""
        url = settings.get(URL_SETTING)
        if not url:
            return
        # newscrawl's own scheduler (a project setting, above an add-on's priority) gives way: in Redis
        # mode the queue lives in Redis.
        if settings.get("SCHEDULER") == "newscrawl.scheduler.DiskQueueScheduler":
            settings.set(
                "SCHEDULER",
                "newscrawl.distributed.RedisScheduler",
                priority=settings.getpriority("SCHEDULER"),
            )
        for name, value in {
            "REDIS_URL": url,
            "SCHEDULER": "newscrawl.distributed.RedisScheduler",
            "SCHEDULER_QUEUE_CLASS": "newscrawl.distributed.LeasedPriorityQueue",
            "DUPEFILTER_CLASS": "newscrawl.distributed.RedisDupeFilter",
            "SCHEDULER_PERSIST": True,
        }.items():
            settings.set(name, value, priority="addon")
        settings["EXTENSIONS"]["newscrawl.distributed.DistributedExtension"] = 110
        settings["ITEM_PIPELINES"]["newscrawl.distributed.ClaimPipeline"] = 850


def in_progress(crawler: Crawler) -> set[Request]:
    """Requests the engine is still working on (downloading, or scraping: callback and item pipelines).

    Scrapy has no public "request done" signal; its engine keeps this set and drops a request from it
    only after the scraper has finished with everything the request produced.
    """
    slot = getattr(crawler.engine, "_slot", None)
    return slot.inprogress if slot is not None else set()


class LeasedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue, popping into a per-worker in-flight hash instead of into thin air."""

    def __init__(self, server: Redis, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self._pop_script = server.register_script(_POP)
        self._requeue_script = server.register_script(_REQUEUE)

    def encode(self, request: Request) -> bytes:
        """A request as this queue stores it."""
        return self._encode_request(request)

    def pop_leased(self, inflight: str) -> tuple[Request, str] | None:
        """Pop the best request and lease it; None when the queue is empty."""
        popped = self._pop_script(keys=[self.key, inflight])
        if not popped:
            return None
        token, data = popped
        token = token.decode() if isinstance(token, bytes) else str(token)
        try:
            return self._decode_request(data), token
        except Exception:
            logger.exception("Dropping a queued request that cannot be decoded")
            self.ack(inflight, [token])
            return None

    def ack(self, inflight: str, tokens: list[str]) -> None:
        """The engine is done with these leased requests."""
        if tokens:
            self.server.hdel(inflight, *tokens)

    def requeue(self, inflight: str) -> int:
        """Put every request still leased in ``inflight`` back into the queue; returns how many."""
        return int(self._requeue_script(keys=[inflight, self.key]))


class RedisDupeFilter(RFPDupeFilter):
    """scrapy-redis's dupefilter with Scrapy's request fingerprints (20 raw bytes each)."""

    def __init__(self, server: Redis, key: str, debug: bool = False, fingerprinter: Any = None) -> None:
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request: Request) -> Any:
        """The crawler's fingerprint of a request (scrapy-redis's own hex one without a crawler)."""
        if self.fingerprinter is None:
            return super().request_fingerprint(request)
        return self.fingerprinter.fingerprint(request)

    def close(self, reason: str = "") -> None:
        """Keep the fingerprints: the frontier outlives a worker (the last worker clears it)."""


class RedisScheduler(Scheduler):
    """scrapy-redis's scheduler on per-job keys, with leases acknowledged as the engine finishes requests."""

    crawler: Crawler
    queue: LeasedPriorityQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def open(self, spider: Spider) -> None:
        """Open the job's queue and dupefilter."""
        self.keys = job_keys(spider.settings, spider)
        self.queue_key = self.keys.requests
        self.df = RedisDupeFilter(
            self.server,
            key=self.keys.dupefilter,
            debug=spider.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=self.crawler.request_fingerprinter,
        )
        self.leases: dict[Request, str] = {}
        self._worker: str | None = None
        self._enqueue = self.server.register_script(_ENQUEUE)
        super().open(spider)

    @property
    def worker(self) -> str:
        """This worker's name (from the distributed extension, known once the spider has opened)."""
        if self._worker is None:
            ext = self.crawler.get_extension(DistributedExtension)
            self._worker = ext.worker if ext is not None and ext.worker else _random_worker()
        return self._worker

    def enqueue_request(self, request: Request) -> bool:
        """Queue a request unless the dupefilter has seen it (one atomic step); False when filtered."""
        fingerprint = b"" if request.dont_filter else self.df.request_fingerprint(request)
        added = self._enqueue(
            keys=[self.queue.key, self.df.key],
            args=[
                fingerprint,
                -request.priority,
                "1" if request.dont_filter else "0",
                self.queue.encode(request),
            ],
        )
        if not added:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        """Acknowledge finished requests, then lease the next one."""
        self.ack()
        popped = self.queue.pop_leased(self.keys.inflight(self.worker))
        if popped is None:
            return None
        request, token = popped
        self.leases[request] = token
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def ack(self) -> int:
        """Release the leases of requests the engine is done with; returns how many."""
        if not self.leases:
            return 0
        busy = in_progress(self.crawler)
        done = [request for request in self.leases if request not in busy]
        self.queue.ack(self.keys.inflight(self.worker), [self.leases.pop(r) for r in done])
        return len(done)

    def close(self, reason: str) -> None:
        """Acknowledge what finished; anything still leased goes back to the queue (never flushed)."""
        self.ack()
        if self.leases or self._worker is not None:
            back = self.queue.requeue(self.keys.inflight(self.worker))
            if back:
                logger.info("Put %d unfinished requests back into the shared queue", back)
        self.leases.clear()
        super().close(reason)


def _random_worker() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class DistributedExtension:
    """Worker membership, heartbeat, idle close, take-over of dead workers' work, frontier clean-up."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        url = settings.get(URL_SETTING)
        if not url:
            raise NotConfigured
        self.crawler = crawler
        self.server = connect(url)
        self.ttl_ms = max(1000, int(settings.getfloat("NEWSCRAWL_REDIS_WORKER_TTL", 60) * 1000))
        self.max_idle = settings.getfloat("MAX_IDLE_TIME_BEFORE_CLOSE", 0)
        self.worker: str | None = None
        self.keys: JobKeys | None = None
        self.idle_since: float | None = None
        self.heartbeat: LoopingCall | None = None
        self._sweep = self.server.register_script(_SWEEP)
        self._leave = self.server.register_script(_LEAVE)
        self._requeue = self.server.register_script(_REQUEUE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def inc(self, key: str, count: int = 1) -> None:
        """Bump a ``newscrawl/distributed/…`` counter."""
        if self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(f"newscrawl/distributed/{key}", count)

    def spider_opened(self, spider: Spider) -> None:
        """Join the crawl; take over what killed predecessors of this state directory left behind."""
        run = self.crawler.get_extension(RunExtension)
        session = run.session if run is not None else None
        if run is not None and run.locked:
            return  # another run of this state directory is going: this one closes at once
        keys = self.keys = job_keys(self.crawler.settings, spider)
        store = session.store if session is not None else None
        redis_store = store if isinstance(store, RedisSeenStore) else None
        self.worker = redis_store.owner(session.run_id) if redis_store and session else _random_worker()
        self.server.sadd(keys.workers, self.worker)
        self.server.set(keys.alive(self.worker), str(os.getpid()), px=self.ttl_ms)
        if session is not None and redis_store is not None:
            for killed in session.reconciled:
                self.take_over(spider, redis_store, redis_store.owner(killed.run_id))
        self.sweep()
        self.heartbeat = LoopingCall(self.beat)
        self.heartbeat.start(self.ttl_ms / 3000, now=False)
        logger.info(
            "Distributed crawl of %s: worker %s, %d requests queued, %d workers",
            keys.job,
            self.worker,
            self.server.zcard(keys.requests),
            self.server.scard(keys.workers),
        )

    def take_over(self, spider: Spider, store: RedisSeenStore, owner: str) -> None:
        """A killed run of this state directory was reconciled: drop its claims, crawl again the articles it
        claimed but never wrote, and queue its leased requests again."""
        assert self.keys is not None
        # Claims first: a leased request put back while its article's claim still stands could be taken at
        # once by another worker and refused, and that worker's in-run dedup would then drop the re-crawl
        # too. Until the requeue, the leases keep the killed worker busy for idle workers: none closes.
        urls = store.release_claims(owner)
        for url in urls:
            make = getattr(spider, "article_request", None)
            request = make(url) if make is not None else Request(url)
            self.crawler.engine.crawl(request.replace(dont_filter=True))
        back = int(self._requeue(keys=[self.keys.inflight(owner), self.keys.requests]))
        self.server.srem(self.keys.workers, owner)
        self.server.delete(self.keys.alive(owner))
        self.inc("requeued_inflight", back)
        self.inc("released_claims", len(urls))
        if back or urls:
            logger.warning(
                "Took over from killed worker %s: %d in-flight requests re-queued, %d unwritten claims released",
                owner,
                back,
                len(urls),
            )

    def sweep(self) -> int:
        """Re-queue the in-flight requests of workers whose heartbeat expired; returns how many."""
        if self.keys is None or self.worker is None:
            return 0
        back = int(
            self._sweep(
                keys=[self.keys.workers, self.keys.requests],
                args=[self.keys.base, self.keys.alive_prefix, self.worker],
            )
        )
        if back:
            self.inc("requeued_inflight", back)
            logger.warning("Re-queued %d requests of workers that stopped answering", back)
        return back

    def beat(self) -> None:
        """Renew this worker's heartbeat key."""
        if self.keys is not None and self.worker is not None:
            self.server.set(self.keys.alive(self.worker), str(os.getpid()), px=self.ttl_ms)

    def others_busy(self) -> bool:
        """True when a live worker other than this one has a request in flight."""
        assert self.keys is not None
        for raw in self.server.smembers(self.keys.workers):
            worker = raw.decode() if isinstance(raw, bytes) else raw
            if worker != self.worker and self.server.hlen(self.keys.inflight(worker)):
                return True
        return False

    def spider_idle(self, spider: Spider) -> None:
        """Stay open while the crawl may still grow; close after ``MAX_IDLE_TIME_BEFORE_CLOSE`` idle seconds."""
        if self.keys is None:
            return
        self.sweep()
        if self.server.zcard(self.keys.requests) or self.others_busy():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if self.max_idle <= 0 or now - self.idle_since < self.max_idle:
            raise DontCloseSpider

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Leave the crawl; the last worker out clears the frontier when nothing is left to crawl."""
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        keys = self.keys
        if keys is None or self.worker is None:
            self.server.close()
            return
        outcome = self._leave(
            keys=[keys.workers, keys.requests, keys.dupefilter, keys.written],
            args=[keys.base, keys.alive_prefix, self.worker],
        )
        outcome = outcome.decode() if isinstance(outcome, bytes) else str(outcome)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newscrawl/distributed/frontier", outcome)
        if outcome == "done":
            logger.info("The crawl of %s is complete: its frontier was cleared for the next crawl", keys.job)
        elif outcome == "pending":
            logger.info("Requests of %s are left in Redis: the next workers resume them", keys.job)
        self.server.close()


class ClaimPipeline(_StorePipeline):
    """Claim each article in Redis before it is written, so that it is written once across workers.

    Runs after the version pipeline and before the JSONL writer. An article another worker is writing, or
    wrote in this crawl, is dropped as a duplicate; a claim whose article is dropped later (by
    ``--max-articles``) or fails in a later pipeline is given back. A no-op without the Redis seen-store.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.claimed: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Also listen for items that leave the pipelines after their claim."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_done, signal=signals.item_scraped)
        crawler.signals.connect(pipeline.item_lost, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_lost, signal=signals.item_error)
        return pipeline

    def _store(self) -> RedisSeenStore | None:
        session = self.session
        return session.store if session is not None and isinstance(session.store, RedisSeenStore) else None

    def process_item(self, item: Any) -> Any:
        """Claim the item's article (or drop it, counted, when another worker has it)."""
        store = self._store()
        session = self.session
        if store is None or session is None:
            return item
        adapter = ItemAdapter(item)
        key, _ = record_keys(adapter)
        keys = JobKeys(self.crawler.settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl", session.job)
        status, version = store.claim(
            session.options.site,
            key,
            owner=store.owner(session.run_id),
            url=adapter["url"],
            content_hash=adapter.get("content_hash") or "",
            written=keys.written,
            version=int(adapter.get("version") or 1),  # the version pipeline's, which knows URL aliases
        )
        if status == "ok":
            adapter["version"] = version
            self.claimed.add(key)
            return item
        if status == "unchanged":
            self.inc("articles/unchanged")
            raise DropItem(f"unchanged (written by another worker): {adapter['url']}", log_level="DEBUG")
        self.inc("dropped/duplicate")
        self.inc(f"distributed/claim_refused/{status}")
        refused = HeldElsewhere if status == "claimed" else DuplicateArticle
        raise refused(f"duplicate ({status} by another worker): {adapter['url']}", log_level="INFO")

    def item_done(self, item: Any) -> None:
        """Written and recorded: the record dropped the claim."""
        self.claimed.discard(record_keys(ItemAdapter(item))[0])

    def item_lost(self, item: Any) -> None:
        """Dropped or failed after the claim: give the claim back."""
        key = record_keys(ItemAdapter(item))[0]
        store, session = self._store(), self.session
        if key in self.claimed and store is not None and session is not None:
            self.claimed.discard(key)
            store.unclaim(session.options.site, key, owner=store.owner(session.run_id))
