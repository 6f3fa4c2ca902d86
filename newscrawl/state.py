"""The seen-store: which articles earlier runs wrote, under a state directory (SQLite, stdlib only).

One database, ``<state dir>/newscrawl.sqlite3``, shared by every site:

- ``articles``: one row per article (site + canonical URL key from ``dedup_key``): content hash, version,
  when it was fetched, the sitemap ``lastmod`` it was fetched for, and the run that wrote it;
- ``urls``: every URL key that led to an article (its own URL, its canonical URL, mobile/RSS variants),
  so a known article is skipped whichever link points to it;
- ``runs``: one row per run (started, finished, status, output file and the byte offset the run started
  writing at, the manifest), so a run that was killed can be found and reconciled.

The JSONL files are the truth and the store is their index: a line is written and fsynced before the
store records it, and ``reconcile`` records the lines of a run that died in between. Nothing here imports
Scrapy.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

logger = logging.getLogger(__name__)

DB_NAME = "newscrawl.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    site TEXT NOT NULL,
    key TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    fetched_at TEXT,
    lastmod TEXT,
    run_id TEXT,
    PRIMARY KEY (site, key)
);
CREATE TABLE IF NOT EXISTS urls (
    site TEXT NOT NULL,
    url_key TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (site, url_key)
);
CREATE TABLE IF NOT EXISTS runs (
    job TEXT NOT NULL,
    run_id TEXT NOT NULL,
    site TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,
    exit_code INTEGER,
    complete INTEGER NOT NULL DEFAULT 0,
    since TEXT,
    output TEXT NOT NULL,
    output_offset INTEGER NOT NULL DEFAULT 0,
    manifest_path TEXT NOT NULL,
    manifest TEXT,
    PRIMARY KEY (job, run_id)
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started);
"""


@dataclass(frozen=True, slots=True)
class Known:
    """What the store knows about one article."""

    key: str
    url: str
    content_hash: str
    version: int
    fetched_at: str | None
    lastmod: str | None
    run_id: str | None


@dataclass(frozen=True, slots=True)
class RunRow:
    """One row of the ``runs`` table."""

    job: str
    run_id: str
    site: str
    started: str
    finished: str | None
    status: str
    exit_code: int | None
    complete: bool
    since: str | None
    output: str
    output_offset: int
    manifest_path: str
    manifest: dict[str, Any] | None


def classify(known: Known | None, content_hash: str) -> tuple[str, int]:
    """``("new", 1)``, ``("unchanged", v)`` or ``("changed", v + 1)`` for an article just extracted."""
    if known is None:
        return "new", 1
    if known.content_hash == content_hash:
        return "unchanged", known.version
    return "changed", known.version + 1


class SeenStore:
    """The SQLite seen-store. Every write is its own committed transaction."""

    def __init__(self, state_dir: Path | str) -> None:
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.state_dir / DB_NAME
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        # WAL: readers (`newscrawl runs`) never block the crawl. NORMAL sync survives a killed process;
        # after a power loss the last commits may be missing, and reconcile re-reads them from the JSONL.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @classmethod
    def open_existing(cls, state_dir: Path | str) -> Self | None:
        """The store in ``state_dir``, or None when no crawl has created one there yet."""
        return cls(state_dir) if (Path(state_dir) / DB_NAME).is_file() else None

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # --- articles ------------------------------------------------------------------------------

    def known(self, site: str, url_key: str) -> Known | None:
        """The article a URL key (its own, canonical or an alias) leads to, or None."""
        return self.known_many(site, [url_key])[0]

    def known_many(self, site: str, url_keys: Sequence[str]) -> list[Known | None]:
        """``known`` of each URL key, in order: two queries per 500 keys (a page's links are asked about
        together)."""
        found: dict[str, Known | None] = {}
        unique = list(dict.fromkeys(url_keys))
        for start in range(0, len(unique), _BATCH):
            chunk = unique[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                "SELECT u.url_key AS asked, a.* FROM urls u JOIN articles a ON a.site = u.site AND a.key = u.key "
                f"WHERE u.site = ? AND u.url_key IN ({marks})",
                (site, *chunk),
            ):
                found[row["asked"]] = _known(row)
            rest = [k for k in chunk if k not in found]
            if rest:
                marks = ",".join("?" * len(rest))
                for row in self.db.execute(
                    f"SELECT * FROM articles WHERE site = ? AND key IN ({marks})", (site, *rest)
                ):
                    found[row["key"]] = _known(row)
        return [found.get(k) for k in url_keys]

    def article(self, site: str, key: str) -> Known | None:
        """The article with this canonical key, or None."""
        return _known(
            self.db.execute("SELECT * FROM articles WHERE site = ? AND key = ?", (site, key)).fetchone()
        )

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
        """Remember an article that was written (never replaces a higher version with a lower one)."""
        with self._transaction():
            row = self.db.execute(
                "SELECT version, lastmod FROM articles WHERE site = ? AND key = ?", (site, key)
            ).fetchone()
            if row is None or row["version"] <= version:
                self.db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        site,
                        key,
                        url,
                        content_hash,
                        version,
                        fetched_at,
                        lastmod or (row and row["lastmod"]),
                        run_id,
                    ),
                )
            self._aliases(site, key, (key, *url_keys))

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
        with self._transaction():
            self.db.execute(
                "UPDATE articles SET fetched_at = coalesce(?, fetched_at), lastmod = coalesce(?, lastmod) "
                "WHERE site = ? AND key = ?",
                (fetched_at, lastmod, site, key),
            )
            self._aliases(site, key, url_keys)

    def add_aliases(self, site: str, key: str, url_keys: tuple[str, ...]) -> None:
        """More URL keys that lead to a known article (a mobile page, a tracking variant …)."""
        with self._transaction():
            self._aliases(site, key, url_keys)

    def _aliases(self, site: str, key: str, url_keys: tuple[str, ...]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO urls VALUES (?, ?, ?)", [(site, k, key) for k in dict.fromkeys(url_keys)]
        )

    def count_articles(self, site: str | None = None) -> int:
        """How many articles the store knows (for one site, or all)."""
        if site is None:
            return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        return int(self.db.execute("SELECT count(*) FROM articles WHERE site = ?", (site,)).fetchone()[0])

    # --- runs ----------------------------------------------------------------------------------

    def start_run(self, run: RunRow) -> None:
        """Insert the row of a run that is starting."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.job,
                    run.run_id,
                    run.site,
                    run.started,
                    run.finished,
                    run.status,
                    run.exit_code,
                    int(run.complete),
                    run.since,
                    run.output,
                    run.output_offset,
                    run.manifest_path,
                    json.dumps(run.manifest, ensure_ascii=False) if run.manifest is not None else None,
                ),
            )

    def finish_run(
        self, job: str, run_id: str, *, finished: str, manifest: dict[str, Any], complete: bool = False
    ) -> None:
        """Mark a run finished with its manifest (status and exit code are read from it)."""
        with self._transaction():
            self.db.execute(
                "UPDATE runs SET finished = ?, status = ?, exit_code = ?, complete = ?, manifest = ? "
                "WHERE job = ? AND run_id = ?",
                (
                    finished,
                    manifest.get("status", "unknown"),
                    manifest.get("exit_code"),
                    int(complete),
                    json.dumps(manifest, ensure_ascii=False),
                    job,
                    run_id,
                ),
            )

    def run_exists(self, job: str, run_id: str) -> bool:
        """True when this job already has a run with that id."""
        return (
            self.db.execute("SELECT 1 FROM runs WHERE job = ? AND run_id = ?", (job, run_id)).fetchone()
            is not None
        )

    def unfinished_runs(self, job: str) -> list[RunRow]:
        """Runs of a job that never finished (killed), oldest first."""
        rows = self.db.execute(
            "SELECT * FROM runs WHERE job = ? AND finished IS NULL ORDER BY started, run_id", (job,)
        ).fetchall()
        return [_run(r) for r in rows]

    def last_finished_run(self, job: str) -> RunRow | None:
        """The most recent run of a job that finished (cleanly or reconciled after a crash)."""
        row = self.db.execute(
            "SELECT * FROM runs WHERE job = ? AND finished IS NOT NULL ORDER BY started DESC, run_id DESC LIMIT 1",
            (job,),
        ).fetchone()
        return _run(row) if row is not None else None

    def recent_runs(self, site: str | None = None, limit: int = 20) -> list[RunRow]:
        """The latest runs, newest first (of one site, or of all)."""
        if site is None:
            rows = self.db.execute(
                "SELECT * FROM runs ORDER BY started DESC, run_id DESC LIMIT ?", (limit,)
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT * FROM runs WHERE site = ? ORDER BY started DESC, run_id DESC LIMIT ?", (site, limit)
            ).fetchall()
        return [_run(r) for r in rows]

    def _transaction(self) -> sqlite3.Connection:
        # sqlite3.Connection as a context manager commits or rolls back; BEGIN makes it one transaction.
        self.db.execute("BEGIN IMMEDIATE")
        return self.db


_BATCH = 500  # keys per query: well under SQLite's limit on bound parameters


def _known(row: sqlite3.Row | None) -> Known | None:
    if row is None:
        return None
    return Known(
        key=row["key"],
        url=row["url"],
        content_hash=row["content_hash"],
        version=int(row["version"]),
        fetched_at=row["fetched_at"],
        lastmod=row["lastmod"],
        run_id=row["run_id"],
    )


def _run(row: sqlite3.Row) -> RunRow:
    return RunRow(
        job=row["job"],
        run_id=row["run_id"],
        site=row["site"],
        started=row["started"],
        finished=row["finished"],
        status=row["status"],
        exit_code=row["exit_code"],
        complete=bool(row["complete"]),
        since=row["since"],
        output=row["output"],
        output_offset=int(row["output_offset"]),
        manifest_path=row["manifest_path"],
        manifest=json.loads(row["manifest"]) if row["manifest"] else None,
    )


# --- the lock ----------------------------------------------------------------------------------


class LockedError(RuntimeError):
    """Another run of the same job holds the lock."""


class JobLock:
    """An exclusive, non-blocking ``flock`` on ``<state dir>/locks/<job>.lock``; the kernel drops it when
    the process dies, so a killed run never leaves a stale lock."""

    def __init__(self, state_dir: Path | str, job: str) -> None:
        self.path = Path(state_dir) / "locks" / f"{safe_name(job)}.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockedError."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise LockedError(f"another run holds {self.path} ({holder or 'pid unknown'})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Drop the lock (idempotent)."""
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def is_held_elsewhere(self) -> bool:
        """True when some process holds the lock right now (used to tell running from crashed runs)."""
        if not self.path.exists():
            return False
        with self.path.open("a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def safe_name(name: str) -> str:
    """A job name usable as a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "job"


# --- JSONL repair and reconcile ----------------------------------------------------------------


def repair_torn_tail(path: Path, start: int = 0) -> int:
    """Cut a partial last line (a write killed half-way) off a JSONL file; returns the bytes removed.

    Only the part from ``start`` on is looked at; a file that ends with a newline is left alone.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return 0
    if size <= start:
        return 0
    with path.open("rb+") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        # Walk back in blocks to the last newline (lines are a few kB; files may be large).
        end = size
        cut = start
        while end > start:
            begin = max(start, end - 65536)
            handle.seek(begin)
            block = handle.read(end - begin)
            at = block.rfind(b"\n")
            if at >= 0:
                cut = begin + at + 1
                break
            end = begin
        handle.truncate(cut)
        handle.flush()
        os.fsync(handle.fileno())
    logger.warning("Removed a torn last line (%d bytes) from %s", size - cut, path)
    return size - cut


def iter_records(path: Path, start: int = 0) -> Iterator[dict[str, Any]]:
    """Complete JSONL records of a file from byte ``start`` on (undecodable lines are logged and skipped)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    with handle:
        handle.seek(start)
        for number, raw in enumerate(handle, 1):
            if not raw.endswith(b"\n"):
                break  # a torn tail: never recorded, so never reconciled
            try:
                record = json.loads(raw)
            except ValueError:
                logger.warning("Skipping an unreadable line %d after byte %d of %s", number, start, path)
                continue
            if isinstance(record, dict) and record.get("url"):
                yield record


@dataclass
class Reconciled:
    """What reconciling one killed run found."""

    run_id: str
    output: str
    lines: int = 0
    torn_bytes: int = 0


def reconcile(
    store: SeenStore,
    run: RunRow,
    key_of: Callable[[dict[str, Any]], tuple[str, tuple[str, ...]]],
    on_line: Callable[[int], None] | None = None,
) -> Reconciled:
    """Make the store agree with the JSONL of a run that was killed: repair its torn tail, then record
    every line it wrote (idempotent, so a reconcile that is itself killed is simply done again).

    ``key_of(record)`` gives the record's canonical key and its URL keys.
    """
    path = Path(run.output)
    result = Reconciled(run_id=run.run_id, output=run.output)
    result.torn_bytes = repair_torn_tail(path, run.output_offset)
    for record in iter_records(path, run.output_offset):
        key, url_keys = key_of(record)
        store.record(
            run.site,
            key,
            url=record["url"],
            content_hash=record.get("content_hash") or "",
            version=int(record.get("version") or 1),
            fetched_at=record.get("fetched_at"),
            lastmod=None,
            run_id=run.run_id,
            url_keys=url_keys,
        )
        result.lines += 1
        if on_line is not None:
            on_line(result.lines)
    return result
