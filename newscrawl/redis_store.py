"""The seen-store in Redis, for distributed crawls: every worker of a site shares one article index.

``RedisSeenStore`` has the interface of the SQLite ``SeenStore`` (it is one): articles and the URLs that
lead to them live in Redis, shared by all workers; runs stay in the worker's own SQLite database under
its state directory, because they describe that worker's own JSONL files and manifests (``newscrawl
runs`` reads them as before).

On top of the SQLite interface it adds *claims*, so that each article is written exactly once across
workers. Before a worker writes an article it claims the article's key in one atomic step (a Lua script:
classify against the store, refuse when another worker holds a claim or already wrote it in this crawl,
else take the claim). After the line is written and fsynced, ``record`` stores the article and drops the
claim in one step. A worker killed in between leaves its claim behind, which blocks every other worker
from writing that article — the JSONL of the dead worker may or may not hold its line, and only a
process that can read that file can tell. The next worker started with the dead worker's state directory
reconciles its run (the lines there are recorded and their claims dropped), then ``release_claims``
drops the claims that no line resolved and returns their URLs, to be crawled again. A claim whose owner
never comes back expires after ``claim_ttl`` seconds; the article is then fetched by a later crawl.

Keys (``P`` is the prefix, ``newscrawl`` by default): ``P:seen:<site>:articles`` (hash: article key →
JSON), ``P:seen:<site>:urls`` (hash: URL key → article key), ``P:seen:<site>:claim:<article key>``
(claim, with a TTL), ``P:claims:<owner>`` (the claim keys an owner holds), and the crawl-wide
``written`` set named by the caller (article keys claimed in the current crawl of a job).

Nothing here imports Scrapy.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import redis

from newscrawl.state import Known, SeenStore

NODE_FILE = "node-id"

_KNOWN = """
local key = redis.call('HGET', KEYS[2], ARGV[1])
local raw = false
if key then raw = redis.call('HGET', KEYS[1], key) end
if not raw then
  key = ARGV[1]
  raw = redis.call('HGET', KEYS[1], key)
end
if raw then return {key, raw} end
return false
"""

# KEYS: articles, urls, claim, owner's claim set. ARGV: key, record JSON, owner, url keys…
_RECORD = """
local value = cjson.decode(ARGV[2])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local write = true
if raw then
  local old = cjson.decode(raw)
  if tonumber(old['version']) > tonumber(value['version']) then write = false end
  if value['lastmod'] == cjson.null then value['lastmod'] = old['lastmod'] end
end
if write then redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(value)) end
for i = 4, #ARGV do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[1]) end
local claim = redis.call('GET', KEYS[3])
if claim and cjson.decode(claim)['owner'] == ARGV[3] then redis.call('DEL', KEYS[3]) end
redis.call('SREM', KEYS[4], KEYS[3])
return write and 1 or 0
"""

# KEYS: articles, urls. ARGV: key, fetched_at, lastmod, url keys…
_TOUCH = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local value = cjson.decode(raw)
  if ARGV[2] ~= '' then value['fetched_at'] = ARGV[2] end
  if ARGV[3] ~= '' then value['lastmod'] = ARGV[3] end
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(value))
end
for i = 4, #ARGV do redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[1]) end
return 0
"""

# KEYS: articles, claim, written set, owner's claim set. ARGV: key, content hash, owner, url, ttl ms.
_CLAIM = """
local claim = redis.call('GET', KEYS[2])
if claim and cjson.decode(claim)['owner'] ~= ARGV[3] then return {'claimed', 0} end
if not claim and redis.call('SISMEMBER', KEYS[3], ARGV[1]) == 1 then return {'duplicate', 0} end
local version = tonumber(ARGV[6])
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local old = cjson.decode(raw)
  if old['content_hash'] == ARGV[2] then return {'unchanged', tonumber(old['version'])} end
  version = math.max(version, tonumber(old['version']) + 1)
end
local value = cjson.encode({owner = ARGV[3], url = ARGV[4], key = ARGV[1], written = KEYS[3]})
redis.call('SET', KEYS[2], value, 'PX', ARGV[5])
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[4], KEYS[2])
return {'ok', version}
"""

# KEYS: owner's claim set. ARGV: owner. Returns the URLs of the claims dropped.
_RELEASE = """
local urls = {}
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local raw = redis.call('GET', name)
  if raw then
    local claim = cjson.decode(raw)
    if claim['owner'] == ARGV[1] then
      redis.call('DEL', name)
      redis.call('SREM', claim['written'], claim['key'])
      table.insert(urls, claim['url'])
    end
  end
end
redis.call('DEL', KEYS[1])
return urls
"""

# KEYS[1] a claim, KEYS[2] its owner's claim set, ARGV[1] the owner: drop the claim if that owner holds it.
_UNCLAIM = """
local raw = redis.call('GET', KEYS[1])
if not raw then
  return 0
end
local claim = cjson.decode(raw)
if claim['owner'] ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('SREM', claim['written'], claim['key'])
redis.call('SREM', KEYS[2], KEYS[1])
return 1
"""


def connect(url: str) -> redis.Redis:
    """A Redis client for ``url`` (``redis://``, ``rediss://`` or ``unix://``), with bounded timeouts."""
    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True)


def check_redis(url: str) -> None:
    """Raise ValueError with a readable reason when ``url`` is not a Redis URL or the server is unreachable."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"not a Redis URL (redis://HOST:PORT/DB, rediss://… or unix://…): {url!r}")
    client = connect(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise ValueError(f"cannot reach Redis at {url}: {exc}") from None
    finally:
        client.close()


def node_id(state_dir: Path | str) -> str:
    """A stable id for a state directory (made once, kept in ``<state dir>/node-id``): with a run id, it
    names a worker, so the next worker started with the same directory can find what a killed one left."""
    path = Path(state_dir) / NODE_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    value = uuid.uuid4().hex[:12]
    try:
        with path.open("x", encoding="ascii") as out:
            out.write(value + "\n")
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    return value


class RedisSeenStore(SeenStore):
    """Articles and URL keys in Redis (shared by all workers), runs in the local SQLite database."""

    def __init__(
        self,
        state_dir: Path | str,
        url: str,
        *,
        prefix: str = "newscrawl",
        claim_ttl: float = 3600,
        client: redis.Redis | None = None,
    ) -> None:
        super().__init__(state_dir)
        self.url = url
        self.prefix = prefix
        self.claim_ttl_ms = max(1, int(claim_ttl * 1000))
        self.redis = client or connect(url)
        self.node = node_id(state_dir)
        self._known = self.redis.register_script(_KNOWN)
        self._record = self.redis.register_script(_RECORD)
        self._touch = self.redis.register_script(_TOUCH)
        self._claim = self.redis.register_script(_CLAIM)
        self._release = self.redis.register_script(_RELEASE)
        self._unclaim = self.redis.register_script(_UNCLAIM)

    def close(self) -> None:
        """Close the Redis connection and the local database."""
        self.redis.close()
        super().close()

    # --- key names -------------------------------------------------------------------------------

    def owner(self, run_id: str) -> str:
        """The worker name of a run of this state directory (claims and in-flight requests carry it)."""
        return f"{self.node}/{run_id}"

    def _site(self, site: str, part: str) -> str:
        return f"{self.prefix}:seen:{site}:{part}"

    def claim_key(self, site: str, key: str) -> str:
        """The Redis key of an article's claim."""
        return self._site(site, f"claim:{key}")

    def owner_claims_key(self, owner: str) -> str:
        """The set of claim keys an owner holds."""
        return f"{self.prefix}:claims:{owner}"

    # --- the SeenStore interface ---------------------------------------------------------------

    def known_many(self, site: str, url_keys: Sequence[str]) -> list[Known | None]:
        """``known`` of each URL key, in order, in one round trip (``known`` asks for one key)."""
        keys = [self._site(site, "articles"), self._site(site, "urls")]
        pipe = self.redis.pipeline(transaction=False)
        for url_key in url_keys:
            self._known(keys=keys, args=[url_key], client=pipe)
        return [_known(_text(found[0]), found[1]) if found else None for found in pipe.execute()]

    def article(self, site: str, key: str) -> Known | None:
        """The article with this canonical key, or None."""
        raw = self.redis.hget(self._site(site, "articles"), key)
        return _known(key, raw) if raw is not None else None

    def record(
        self,
        site: str,
        key: str,
        *,
        url: str,
        content_hash: str,
        version: int,
        fetched_at: str | None,
        lastmod: str | None,
        run_id: str | None,
        url_keys: tuple[str, ...] = (),
    ) -> None:
        """Remember a written article (never over a higher version) and drop the run's claim on it."""
        # The key doubles as the URL and as its own alias (``known`` falls back to it): neither is stored
        # again, which halves the memory per article.
        value = {
            **({"url": url} if url != key else {}),
            "content_hash": content_hash,
            "version": int(version),
            "fetched_at": fetched_at,
            "lastmod": lastmod,
            "run_id": run_id,
        }
        owner = self.owner(run_id or "")
        claim = self.claim_key(site, key)
        self._record(
            keys=[
                self._site(site, "articles"),
                self._site(site, "urls"),
                claim,
                self.owner_claims_key(owner),
            ],
            args=[key, json.dumps(value, ensure_ascii=False), owner, *_aliases(key, url_keys)],
        )

    def touch(
        self,
        site: str,
        key: str,
        *,
        fetched_at: str | None,
        lastmod: str | None,
        url_keys: tuple[str, ...] = (),
    ) -> None:
        """An unchanged article was fetched again: note when, and the sitemap lastmod it was fetched for."""
        self._touch(
            keys=[self._site(site, "articles"), self._site(site, "urls")],
            args=[key, fetched_at or "", lastmod or "", *_aliases(key, url_keys)],
        )

    def add_aliases(self, site: str, key: str, url_keys: tuple[str, ...]) -> None:
        """More URL keys that lead to a known article."""
        aliases = _aliases(key, url_keys)
        if aliases:
            with self.redis.pipeline(transaction=True) as pipe:
                for url_key in aliases:
                    pipe.hsetnx(self._site(site, "urls"), url_key, key)
                pipe.execute()

    def count_articles(self, site: str | None = None) -> int:
        """How many articles the store knows (for one site, or all)."""
        if site is not None:
            return int(self.redis.hlen(self._site(site, "articles")))
        return sum(int(self.redis.hlen(k)) for k in self.redis.scan_iter(f"{self.prefix}:seen:*:articles"))

    # --- claims --------------------------------------------------------------------------------

    def claim(
        self,
        site: str,
        key: str,
        *,
        owner: str,
        url: str,
        content_hash: str,
        written: str,
        version: int = 1,
    ) -> tuple[str, int]:
        """Claim an article before writing it: ``("ok", version)``, or ``("claimed", 0)`` (another worker
        holds it), ``("duplicate", 0)`` (written in this crawl already: ``written`` is the crawl's set of
        claimed keys) or ``("unchanged", version)`` (stored with this content).

        ``version`` is what the caller found through the article's URL aliases (the version pipeline);
        the claim gives it, or one more than the record stored under ``key`` when that is higher: an
        article first written under its URL and now under a canonical URL keeps counting."""
        status, version = self._claim(
            keys=[
                self._site(site, "articles"),
                self.claim_key(site, key),
                written,
                self.owner_claims_key(owner),
            ],
            args=[key, content_hash, owner, url, self.claim_ttl_ms, version],
        )
        return _text(status), int(version)

    def unclaim(self, site: str, key: str, *, owner: str) -> None:
        """Give a claim back (the article was dropped after it was claimed, e.g. by --max-articles)."""
        # One script: between a read and a delete the claim could expire and be taken by another worker.
        self._unclaim(keys=[self.claim_key(site, key), self.owner_claims_key(owner)], args=[owner])

    def release_claims(self, owner: str) -> list[str]:
        """Drop every claim an owner still holds (call after reconciling its run, so the claims its lines
        resolved are gone); returns the URLs of the articles it claimed and never wrote."""
        urls = self._release(keys=[self.owner_claims_key(owner)], args=[owner])
        return [_text(u) for u in urls]

    def claims_of(self, owner: str) -> int:
        """How many claims an owner holds."""
        return int(self.redis.scard(self.owner_claims_key(owner)))


def _aliases(key: str, url_keys: tuple[str, ...]) -> list[str]:
    return [k for k in dict.fromkeys(url_keys) if k != key]


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _known(key: str, raw: bytes | str) -> Known:
    data = json.loads(raw)
    return Known(
        key=key,
        url=data.get("url") or key,
        content_hash=data.get("content_hash") or "",
        version=int(data.get("version") or 1),
        fetched_at=data.get("fetched_at"),
        lastmod=data.get("lastmod"),
        run_id=data.get("run_id"),
    )


def store_factory(settings: Any) -> Any:
    """With ``NEWSCRAWL_REDIS_URL`` set (a Scrapy settings object or any mapping with ``get``): a function
    that opens the Redis seen-store for a state directory; None for the SQLite one."""
    url = settings.get("NEWSCRAWL_REDIS_URL")
    if not url:
        return None
    prefix = settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl"
    claim_ttl = float(settings.get("NEWSCRAWL_REDIS_CLAIM_TTL") or 3600)

    def open_store(state_dir: Path) -> RedisSeenStore:
        return RedisSeenStore(state_dir, url, prefix=prefix, claim_ttl=claim_ttl)

    return open_store
