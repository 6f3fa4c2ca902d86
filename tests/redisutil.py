"""A Redis server for the tests that need one (distributed crawls).

``NEWSCRAWL_TEST_REDIS`` names it (``.ci/run`` starts a redis-server on a free loopback port and exports
it); without it, ``redis://127.0.0.1:6379/0`` is tried. No server reachable: the tests that need one skip —
unless ``NEWSCRAWL_TEST_REDIS`` was given, when an unreachable server fails them (CI must run them).
Each test gets its own key prefix and deletes its keys afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis

ENV = "NEWSCRAWL_TEST_REDIS"
DEFAULT_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class RedisForTest:
    """A reachable Redis server and a key prefix of this test's own."""

    url: str
    prefix: str
    client: redis.Redis

    def keys(self) -> list[str]:
        """Every key under this test's prefix."""
        return sorted(k.decode() for k in self.client.scan_iter(f"{self.prefix}:*"))


def _reachable(url: str) -> str | None:
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        return str(exc)
    finally:
        client.close()
    return None


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The URL of a reachable Redis server (or the test is skipped, see the module docstring)."""
    url = os.environ.get(ENV)
    problem = _reachable(url or DEFAULT_URL)
    if problem is None:
        return url or DEFAULT_URL
    if url:
        pytest.fail(f"{ENV}={url} is not reachable: {problem}")
    pytest.skip(f"no Redis server reachable at {DEFAULT_URL} (set {ENV}=redis://HOST:PORT/DB): {problem}")


@pytest.fixture
def redis_server(redis_url: str) -> Iterator[RedisForTest]:
    """Redis with a fresh key prefix; the test's keys are deleted afterwards."""
    client = redis.Redis.from_url(redis_url)
    server = RedisForTest(url=redis_url, prefix=f"nctest-{uuid.uuid4().hex[:10]}", client=client)
    try:
        yield server
    finally:
        for key in client.scan_iter(f"{server.prefix}:*"):
            client.delete(key)
        client.close()
