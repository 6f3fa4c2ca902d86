"""Redis memory per million URLs in a distributed crawl, measured on a real redis-server.

usage: python -m bench.redis_memory [--count 1000000] [--url redis://127.0.0.1:6379/15]

Without --url it starts its own redis-server (Debian's redis-server package) on a free loopback port in a
temporary folder, with persistence off, and stops it afterwards. With --url it uses that server's
database as scratch space: it must be empty, and it is flushed afterwards. For each structure it writes
``--count`` entries shaped as a crawl writes them and reads ``used_memory`` from INFO memory before and
after:

- the dupefilter: one request fingerprint per URL scheduled (newscrawl's 20 raw bytes, and
  scrapy-redis's own 40-character hex for comparison), for the length of one crawl;
- the seen-store: per article, its key and record (JSON: content hash, version, fetch time, run), and
  per extra URL that leads to an article (a ``?from=rss`` or mobile variant) one alias — this part stays
  across crawls;
- the crawl's ``written`` set (article keys claimed in one crawl);
- the queue: pickled requests waiting (measured on a tenth of ``--count``, scaled up).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis

from demo.serve import free_port

BATCH = 10_000


@contextmanager
def local_redis() -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (no persistence); yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit(
            "bench.redis_memory: redis-server not found (apt-get install redis-server), or pass --url"
        )
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newscrawl-redis-") as folder:
        process = subprocess.Popen(
            [
                binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(port),
                "--dir",
                folder,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            client = redis.Redis(port=port)
            for _ in range(100):
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=30)


def used(client: redis.Redis) -> int:
    """``used_memory`` in bytes."""
    return int(client.info("memory")["used_memory"])


def measure(client: redis.Redis, count: int, write: Callable[[redis.client.Pipeline, int], None]) -> float:
    """Bytes of Redis memory per entry after writing ``count`` entries (the database is flushed first)."""
    client.flushdb()
    before = used(client)
    for start in range(0, count, BATCH):
        with client.pipeline(transaction=False) as pipe:
            for i in range(start, min(start + BATCH, count)):
                write(pipe, i)
            pipe.execute()
    after = used(client)
    client.flushdb()
    return (after - before) / count


def _url(i: int) -> str:
    return f"http://www.example.cn/news/2026-11/{i % 28 + 1:02d}/content_{1_000_000 + i}.htm"


def _record(i: int) -> str:
    """An article's record as the Redis seen-store keeps it (the URL is the hash field, not repeated)."""
    return json.dumps(
        {
            "content_hash": hashlib.sha1(str(i).encode()).hexdigest(),
            "version": 1,
            "fetched_at": "2026-11-26T20:10:45.123456+00:00",
            "lastmod": None,
            "run_id": "20261126T201045Z",
        }
    )


def _request(i: int) -> bytes:
    """A request as scrapy-redis queues it (pickled ``Request.to_dict``), for a typical article link."""
    return pickle.dumps(
        {
            "url": _url(i),
            "callback": "parse_page",
            "errback": None,
            "headers": {},
            "method": "GET",
            "body": b"",
            "cookies": {},
            "meta": {"newscrawl_link": "article", "depth": 2, "download_slot": "www.example.cn"},
            "encoding": "utf-8",
            "priority": 10,
            "dont_filter": False,
            "flags": [],
            "cb_kwargs": {},
        },
        protocol=4,
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print MB per million entries of each structure."""
    parser = argparse.ArgumentParser(prog="python -m bench.redis_memory", description=__doc__)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--url", help="an empty Redis database to use (flushed afterwards)")
    args = parser.parse_args(argv)
    with local_redis() if args.url is None else _given(args.url) as url:
        client = redis.Redis.from_url(url)
        if client.dbsize():
            raise SystemExit(f"bench.redis_memory: {url} is not empty")
        version = client.info("server")["redis_version"]
        n = args.count
        rows = [
            (
                "dupefilter, newscrawl (20-byte fingerprints)",
                measure(client, n, lambda p, i: p.sadd("df", hashlib.sha1(str(i).encode()).digest())),
            ),
            (
                "dupefilter, scrapy-redis default (40-char hex)",
                measure(client, n, lambda p, i: p.sadd("df", hashlib.sha1(str(i).encode()).hexdigest())),
            ),
            (
                "seen-store: article (key + record)",
                measure(client, n, lambda p, i: p.hset("a", _url(i), _record(i))),
            ),
            (
                "seen-store: URL alias (?from=rss, mobile …)",
                measure(client, n, lambda p, i: p.hset("u", _url(i) + "?from=rss", _url(i))),
            ),
            (
                "written set of one crawl (article keys)",
                measure(client, n, lambda p, i: p.sadd("w", _url(i))),
            ),
            (
                "queue: pickled requests waiting (sampled 1/10)",
                measure(client, max(1, n // 10), lambda p, i: p.zadd("q", {_request(i): -10})),
            ),
        ]
    print(f"bench.redis_memory: Redis {version}, {n:,} entries per structure (used_memory, INFO memory)")
    for name, per_entry in rows:
        print(f"  {name:<48} {per_entry:7.1f} B/entry = {per_entry * 1_000_000 / 2**20:7.1f} MiB per million")
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    raise SystemExit(main())
