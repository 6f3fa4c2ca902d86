"""The Redis seen-store: the SQLite store's article semantics, plus claims (needs a Redis server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.redis_store import RedisSeenStore, check_redis, node_id, store_factory
from newscrawl.state import SeenStore
from tests.redisutil import RedisForTest, redis_server, redis_url

__all__ = ["redis_server", "redis_url"]

SITE = "generic"
WRITTEN = "written-set"


@pytest.fixture
def store(redis_server: RedisForTest, tmp_path: Path) -> RedisSeenStore:
    opened = RedisSeenStore(tmp_path / "state", redis_server.url, prefix=redis_server.prefix, claim_ttl=60)
    yield opened
    opened.close()


@pytest.fixture(params=["sqlite", "redis"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> SeenStore:
    if request.param == "sqlite":
        opened = SeenStore(tmp_path / "sqlite")
    else:
        server: RedisForTest = request.getfixturevalue("redis_server")
        opened = RedisSeenStore(tmp_path / "redis", server.url, prefix=server.prefix)
    yield opened
    opened.close()


def _record(store: SeenStore, key: str, *, version: int = 1, content_hash: str = "h1", **kw: object) -> None:
    store.record(
        SITE,
        key,
        url=key,
        content_hash=content_hash,
        version=version,
        fetched_at=kw.get("fetched_at", "2026-11-26T10:00:00+00:00"),  # type: ignore[arg-type]
        lastmod=kw.get("lastmod"),  # type: ignore[arg-type]
        run_id="run1",
        url_keys=kw.get("url_keys", ()),  # type: ignore[arg-type]
    )


def test_both_stores_know_articles_by_key_and_alias(any_store: SeenStore) -> None:
    _record(any_store, "http://a/1", url_keys=("http://a/1", "http://m.a/1"))
    assert any_store.known(SITE, "http://m.a/1").key == "http://a/1"
    assert any_store.known(SITE, "http://a/1").version == 1
    assert any_store.known(SITE, "http://a/2") is None
    assert any_store.article(SITE, "http://m.a/1") is None  # an alias is not an article key
    assert any_store.count_articles(SITE) == 1
    assert any_store.count_articles() == 1


def test_both_stores_answer_many_keys_at_once_as_one_by_one(any_store: SeenStore) -> None:
    _record(any_store, "http://a/1", url_keys=("http://a/1", "http://m.a/1"))
    _record(any_store, "http://a/2", version=2)
    any_store.add_aliases(SITE, "http://a/2", ("http://a/1?x",))
    asked = ["http://m.a/1", "http://a/9", "http://a/2", "http://a/1?x", "http://a/1", "http://m.a/1"]
    asked += [f"http://a/new/{n}" for n in range(1200)]  # more than one batch of SQLite parameters
    asked += ["http://a/2"]
    many = any_store.known_many(SITE, asked)
    assert many == [any_store.known(SITE, key) for key in asked]
    assert [k.key if k else None for k in many[:6]] == [
        "http://a/1",
        None,
        "http://a/2",
        "http://a/2",
        "http://a/1",
        "http://a/1",
    ]
    assert many[-1] is not None
    assert many[-1].version == 2
    assert any_store.known_many(SITE, []) == []
    assert any_store.known_many("other-site", ["http://a/1"]) == [None]


def test_both_stores_never_replace_a_higher_version(any_store: SeenStore) -> None:
    _record(any_store, "http://a/1", version=3, content_hash="h3", lastmod="2026-11-01")
    _record(any_store, "http://a/1", version=2, content_hash="h2")
    known = any_store.article(SITE, "http://a/1")
    assert (known.version, known.content_hash, known.lastmod) == (3, "h3", "2026-11-01")
    _record(any_store, "http://a/1", version=4, content_hash="h4")
    known = any_store.article(SITE, "http://a/1")
    assert (known.version, known.content_hash) == (4, "h4")
    assert known.lastmod == "2026-11-01"  # a record without lastmod keeps the stored one


def test_both_stores_touch_fetch_time_lastmod_and_aliases(any_store: SeenStore) -> None:
    _record(any_store, "http://a/1")
    any_store.touch(
        SITE, "http://a/1", fetched_at="2026-11-27T00:00:00+00:00", lastmod="2026-11-20", url_keys=("x",)
    )
    known = any_store.known(SITE, "x")
    assert (known.fetched_at, known.lastmod) == ("2026-11-27T00:00:00+00:00", "2026-11-20")
    any_store.add_aliases(SITE, "http://a/1", ("y", "z"))
    assert any_store.known(SITE, "z").key == "http://a/1"


def test_runs_stay_in_the_local_database(store: RedisSeenStore, tmp_path: Path) -> None:
    assert (tmp_path / "state" / "newscrawl.sqlite3").is_file()
    assert store.recent_runs() == []
    assert store.node == node_id(tmp_path / "state")  # stable for the directory


def test_a_claim_is_exclusive_and_the_record_releases_it(store: RedisSeenStore) -> None:
    a, b = store.owner("run-a"), store.owner("run-b")
    claim = {"url": "http://a/1", "content_hash": "h1", "written": f"{store.prefix}:{WRITTEN}"}
    assert store.claim(SITE, "http://a/1", owner=a, **claim) == ("ok", 1)
    assert store.claim(SITE, "http://a/1", owner=b, **claim) == ("claimed", 0)
    assert store.claim(SITE, "http://a/1", owner=a, **claim) == ("ok", 1)  # its own claim again
    store.record(
        SITE,
        "http://a/1",
        url="http://a/1",
        content_hash="h1",
        version=1,
        fetched_at=None,
        lastmod=None,
        run_id="run-a",
    )
    assert store.claims_of(a) == 0
    # Written in this crawl: another worker's copy is a duplicate, whatever its content.
    assert store.claim(SITE, "http://a/1", owner=b, **{**claim, "content_hash": "other"}) == ("duplicate", 0)
    # In the next crawl (a new written set) the same content is unchanged and new content a new version.
    later = {**claim, "written": f"{store.prefix}:next"}
    assert store.claim(SITE, "http://a/1", owner=b, **later) == ("unchanged", 1)
    assert store.claim(SITE, "http://a/1", owner=b, **{**later, "content_hash": "h2"}) == ("ok", 2)


def test_a_claim_keeps_the_version_found_through_url_aliases(store: RedisSeenStore) -> None:
    """Written first under its URL; later the page names a canonical URL and its text changed: the
    version pipeline finds version 1 through the alias and asks for 2, and the claim must not say 1."""
    owner = store.owner("run-a")
    _record(store, "http://a/1?from=rss", version=1, content_hash="h1")
    claim = {"url": "http://a/1?from=rss", "content_hash": "h2", "written": f"{store.prefix}:next"}
    assert store.claim(SITE, "http://a/1", owner=owner, **claim, version=2) == ("ok", 2)
    # With nothing found through aliases, the record stored under the key still counts.
    _record(store, "http://a/2", version=3, content_hash="h1")
    assert store.claim(SITE, "http://a/2", owner=owner, **{**claim, "url": "http://a/2"}) == ("ok", 4)


def test_release_gives_back_unwritten_claims_of_a_dead_owner(store: RedisSeenStore) -> None:
    dead, live = store.owner("dead"), store.owner("live")
    written = f"{store.prefix}:{WRITTEN}"
    for n in (1, 2, 3):
        store.claim(
            SITE, f"http://a/{n}", owner=dead, url=f"http://a/{n}?from=x", content_hash="h", written=written
        )
    # Its line for article 2 was found on disk and recorded (what reconcile does).
    store.record(
        SITE,
        "http://a/2",
        url="http://a/2",
        content_hash="h",
        version=1,
        fetched_at=None,
        lastmod=None,
        run_id="dead",
    )
    assert sorted(store.release_claims(dead)) == ["http://a/1?from=x", "http://a/3?from=x"]
    assert store.claims_of(dead) == 0
    # Released claims may be taken again; the recorded article stays a duplicate in this crawl.
    assert store.claim(SITE, "http://a/1", owner=live, url="u", content_hash="h", written=written) == (
        "ok",
        1,
    )
    assert store.claim(SITE, "http://a/2", owner=live, url="u", content_hash="h", written=written) == (
        "duplicate",
        0,
    )


def test_unclaim_only_releases_the_owners_claim(store: RedisSeenStore) -> None:
    a, b = store.owner("a"), store.owner("b")
    written = f"{store.prefix}:{WRITTEN}"
    store.claim(SITE, "k", owner=a, url="u", content_hash="h", written=written)
    store.unclaim(SITE, "k", owner=b)
    assert store.claim(SITE, "k", owner=b, url="u", content_hash="h", written=written) == ("claimed", 0)
    assert store.claims_of(a) == 1
    store.unclaim(SITE, "k", owner=a)
    assert store.claims_of(a) == 0
    store.unclaim(SITE, "k", owner=a)  # no claim left: nothing to do
    assert store.claim(SITE, "k", owner=b, url="u", content_hash="h", written=written) == ("ok", 1)


def test_factory_and_check(redis_server: RedisForTest, tmp_path: Path) -> None:
    assert store_factory({}) is None
    factory = store_factory(
        {"NEWSCRAWL_REDIS_URL": redis_server.url, "NEWSCRAWL_REDIS_PREFIX": redis_server.prefix}
    )
    opened = factory(tmp_path)
    assert isinstance(opened, RedisSeenStore)
    opened.close()
    check_redis(redis_server.url)
    with pytest.raises(ValueError, match="not a Redis URL"):
        check_redis("http://127.0.0.1:6379/")
