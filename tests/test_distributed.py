"""Distributed crawls end to end: real ``newscrawl crawl generic --redis`` workers (subprocesses) against
a loopback portal of 2,000 articles (``bench.crawl_speed.build_portal``), sharing one real Redis.

Each worker has its own working directory and state directory, as on its own machine. What counts is the
union of every worker's JSONL: each article exactly once — with three workers, and when one of them is
SIGKILLed midway (at a random moment, or right after writing a line it never recorded) and a replacement
is started with its state directory. Needs a Redis server (see tests/redisutil.py).
"""

from __future__ import annotations

import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.crawl_speed import build_portal
from demo.serve import PortalServer, serve
from newscrawl.runs import EXIT_OK
from tests.crawls import all_records, crawl_command, manifests, output_files, start_crawl, wait_until
from tests.redisutil import RedisForTest, redis_server, redis_url

__all__ = ["redis_server", "redis_url"]

ARTICLES = 2000


@dataclass
class Served:
    server: PortalServer
    base_url: str

    @property
    def article_paths(self) -> set[str]:
        return {f"/a/{i}.html" for i in range(ARTICLES)}


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("distributed") / "site"
    build_portal(root, ARTICLES)
    server, base_url = serve(root)
    try:
        yield Served(server, base_url)
    finally:
        server.shutdown()
        server.server_close()


def worker_command(portal: Served, redis: RedisForTest, cwd: Path, *extra: str) -> list[str]:
    """One worker: its own state directory, the shared Redis, a short idle close."""
    return crawl_command(
        portal.base_url,
        cwd / "state",
        "--redis",
        redis.url,
        "-s",
        f"NEWSCRAWL_REDIS_PREFIX={redis.prefix}",
        "-s",
        "MAX_IDLE_TIME_BEFORE_CLOSE=2",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=4",
        *extra,
    )


def start_workers(
    portal: Served, redis: RedisForTest, root: Path, n: int
) -> list[tuple[Path, subprocess.Popen[str]]]:
    workers = []
    for i in range(n):
        cwd = root / f"worker{i}"
        cwd.mkdir()
        workers.append((cwd, start_crawl(cwd, worker_command(portal, redis, cwd))))
    return workers


def wait_all(workers: list[tuple[Path, subprocess.Popen[str]]]) -> None:
    for cwd, process in workers:
        code = process.wait(timeout=300)
        assert code == EXIT_OK, (cwd / "crawl.err").read_text(encoding="utf-8")[-3000:]


def written_paths(cwds: list[Path]) -> Counter[str]:
    """How often each article path appears across every worker's output (torn lines fail the test)."""
    return Counter("/" + r["url"].split("/", 3)[3] for cwd in cwds for r in all_records(cwd))


def lines_on_disk(cwd: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in output_files(cwd))


def assert_frontier_cleared(redis: RedisForTest) -> None:
    """Only the seen-store is left in Redis: the last worker cleared queue, dupefilter and claims."""
    left = redis.keys()
    assert f"{redis.prefix}:seen:generic:articles" in left
    assert all(k.startswith(f"{redis.prefix}:seen:generic:") and ":claim:" not in k for k in left), left


def test_three_workers_write_every_article_exactly_once(
    portal: Served, redis_server: RedisForTest, tmp_path: Path
) -> None:
    workers = start_workers(portal, redis_server, tmp_path, 3)
    wait_all(workers)
    cwds = [cwd for cwd, _ in workers]
    counts = written_paths(cwds)
    assert set(counts) == portal.article_paths
    assert max(counts.values()) == 1
    per_worker = [len(all_records(cwd)) for cwd in cwds]
    assert sum(per_worker) == ARTICLES
    assert sum(1 for n in per_worker if n) >= 2, f"the work was not shared: {per_worker}"
    runs = [manifests(cwd)[-1] for cwd in cwds]
    assert [m["status"] for m in runs] == ["ok"] * 3
    assert sum(m["articles"]["new"] for m in runs) == ARTICLES
    assert_frontier_cleared(redis_server)
    assert redis_server.client.hlen(f"{redis_server.prefix}:seen:generic:articles") == ARTICLES

    # The next scheduled crawl starts afresh from the start page (no stale dupefilter) and finds nothing new.
    again = tmp_path / "again"
    again.mkdir()
    mark = len(portal.server.request_log)
    rerun = start_crawl(again, worker_command(portal, redis_server, again))
    assert rerun.wait(timeout=300) == EXIT_OK
    assert "/" in portal.server.request_log[mark:]
    assert not any(p.startswith("/a/") for p in portal.server.request_log[mark:]), (
        "a known article was fetched"
    )
    assert all_records(again) == []
    assert manifests(again)[-1]["pages"]["skipped_known"] > 0


@pytest.mark.parametrize("hold", [None, "mid_write:40", "after_write:40"])
def test_a_worker_killed_midway_and_replaced_loses_and_doubles_nothing(
    portal: Served, redis_server: RedisForTest, tmp_path: Path, hold: str | None
) -> None:
    """``None``: SIGKILL at whatever moment the worker has reached after 40 lines; ``mid_write:40``: after
    it claimed its 40th article and wrote half the line (claimed, never written); ``after_write:40``: right
    after the 40th line was fsynced, before the seen-store knew it (written, claim still held)."""
    workers = start_workers(portal, redis_server, tmp_path, 2)
    victim = tmp_path / "victim"
    victim.mkdir()
    marker = victim / "hold.marker"
    extra = (
        ("-s", f"NEWSCRAWL_TEST_HOLD={hold}", "-s", f"NEWSCRAWL_TEST_HOLD_MARKER={marker}") if hold else ()
    )
    process = start_crawl(victim, worker_command(portal, redis_server, victim, *extra))
    try:
        if hold:
            wait_until(marker.exists, process, timeout=240)
        else:
            wait_until(lambda: lines_on_disk(victim) >= 40, process, timeout=240)
    finally:
        process.kill()
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    killed_lines = lines_on_disk(victim)
    assert killed_lines >= 39

    replacement = start_crawl(victim, worker_command(portal, redis_server, victim))
    wait_all([*workers, (victim, replacement)])

    counts = written_paths([*(cwd for cwd, _ in workers), victim])
    assert set(counts) == portal.article_paths
    duplicated = {path: n for path, n in counts.items() if n > 1}
    assert duplicated == {}
    killed, last = manifests(victim)
    assert killed["status"] == "crashed"
    assert killed["articles"]["written"] == killed_lines
    assert [r["run_id"] for r in last["reconciled"]] == [killed["run_id"]]
    taken_over = last["distributed"]
    if hold:  # the request of the held article was in flight: the replacement put it back in the queue
        assert taken_over["requeued_inflight"] >= 1, taken_over
    if hold == "mid_write:40":  # claimed, never written: the claim was released, the article crawled again
        assert taken_over["released_claims"] == 1, taken_over
    assert_frontier_cleared(redis_server)
