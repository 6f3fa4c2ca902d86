"""The run extension: opens the run's session when the spider opens, writes its manifest when it closes.

Opening takes the job's lock (a second run of the same site while one is running closes at once with
reason ``already_running``), reconciles the seen-store with the JSONL of runs that were killed, and picks
the run id and output file. Closing builds the manifest from the crawl's stats, writes it atomically, and
marks the run finished. Pipelines and the seen-filter middleware reach the session through
``crawler.get_extension(RunExtension).session``; it is None before the spider opens and when the
extension is disabled, and they then behave as before (no store).
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any, Self

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from newscrawl.faults import Holds
from newscrawl.pipelines.dedup import record_keys
from newscrawl.redis_store import store_factory
from newscrawl.runs import (
    EXIT_LOCKED,
    RunOptions,
    RunSession,
    Thresholds,
    build_manifest,
    discard_if_empty,
    open_session,
    write_json_atomic,
)
from newscrawl.site import GENERIC, Site
from newscrawl.state import LockedError

logger = logging.getLogger(__name__)
DEFAULT_STATE_DIR = "state"
DEFAULT_OUTPUT = "output/{site}/{run}.jsonl"


class RunExtension:
    """Seen-store session, lock, reconcile and manifest for one crawl."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.session: RunSession | None = None
        self.locked: str | None = None
        self.holds = Holds.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Scrapy's constructor hook."""
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def options(self, site: Site) -> RunOptions:
        """What this run was asked to do, from the settings."""
        settings = self.crawler.settings
        since = settings.get("NEWSCRAWL_SINCE")
        return RunOptions(
            site=site.name,
            domains=site.domains,
            state_dir=Path(settings.get("NEWSCRAWL_STATE_DIR") or DEFAULT_STATE_DIR),
            output_template=settings.get("NEWSCRAWL_OUTPUT") or DEFAULT_OUTPUT,
            since=date.fromisoformat(str(since)[:10]) if since else None,
            refresh=settings.getbool("NEWSCRAWL_REFRESH"),
            resume=settings.getbool("NEWSCRAWL_RESUME"),
            store_factory=store_factory(settings),
        )

    def spider_opened(self, spider: Spider) -> None:
        """Open the session; close the spider at once when another run of the job holds the lock."""
        site = spider_site(spider)
        stats = self.crawler.stats
        try:
            self.session = open_session(
                self.options(site), record_keys, on_reconciled_line=lambda _: self.holds.reached("reconcile")
            )
        except LockedError as exc:
            self.locked = str(exc)
            logger.error("Not crawling %s: %s", site.name, exc)
            if stats is not None:
                stats.set_value("newscrawl/status", "already_running")
                stats.set_value("newscrawl/exit_code", EXIT_LOCKED)
            raise CloseSpider("already_running") from None
        session = self.session
        if stats is not None:
            stats.set_value("newscrawl/run_id", session.run_id)
            stats.set_value("newscrawl/manifest", str(session.manifest_path))
        logger.info(
            "Run %s of %s: state %s (%d articles known), output %s; paging stops at known articles: %s",
            session.run_id,
            session.job,
            session.options.state_dir,
            session.store.count_articles(site.name),
            session.output,
            "yes" if session.stop_at_known else "no (first run, or the last one did not finish)",
        )

    def thresholds(self) -> Thresholds:
        """Error rate and coverage floor in force: ``-s`` settings over the site profile's floor."""
        settings = self.crawler.settings
        site = spider_site(self.crawler.spider)
        floor = {
            **site.floor,
            **{k: float(v) for k, v in settings.getdict("NEWSCRAWL_COVERAGE_FLOOR").items()},
        }
        return Thresholds(
            max_error_rate=settings.getfloat("NEWSCRAWL_MAX_ERROR_RATE", 0.5),
            coverage_floor={k: v for k, v in floor.items() if v > 0},
            coverage_min_articles=settings.getint("NEWSCRAWL_COVERAGE_MIN_ARTICLES", 5),
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Write the manifest, mark the run finished, release the lock."""
        session = self.session
        stats = self.crawler.stats
        if session is None or stats is None:
            return
        try:
            self.holds.reached("before_manifest")
            manifest = build_manifest(session, stats.get_stats(), reason=reason, thresholds=self.thresholds())
            if not manifest["articles"]["written"]:
                discard_if_empty(session.output)
            write_json_atomic(session.manifest_path, manifest)
            self.holds.reached("after_manifest")
            session.store.finish_run(
                session.job,
                session.run_id,
                finished=manifest["end"],
                manifest=manifest,
                complete=bool(manifest["complete"]),
            )
        finally:
            session.close()
            self.session = None
        stats.set_value("newscrawl/status", manifest["status"])
        stats.set_value("newscrawl/exit_code", manifest["exit_code"])
        log = logger.info if manifest["status"] == "ok" else logger.error
        log(
            "Run %s: %s (exit %s)%s; manifest %s",
            manifest["run_id"],
            manifest["status"],
            manifest["exit_code"],
            "".join(f"; {p}" for p in manifest["problems"]),
            session.manifest_path,
        )


def spider_site(spider: Any) -> Site:
    """The running spider's site profile (the generic one when it has none)."""
    site = getattr(spider, "site", None)
    return site if isinstance(site, Site) else GENERIC
