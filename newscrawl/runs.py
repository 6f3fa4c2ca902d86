"""Runs: ids, the per-run session (lock, reconcile, seen-store), manifests and exit codes.

A run's id is its UTC start time as used in the JSONL name (``20261126T201045Z``). Its manifest is
``<folder of the JSONL>/runs/<run id>.json``, written atomically when the run ends (or, for a run that
was killed, by the next run of the same job after it reconciled the store with the JSONL). Nothing here
imports Scrapy: the run extension feeds it the crawl's stats.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from newscrawl.state import JobLock, Reconciled, RunRow, SeenStore, reconcile, repair_torn_tail

logger = logging.getLogger(__name__)

RUN_ID_FORMAT = "%Y%m%dT%H%M%SZ"
MANIFEST_VERSION = 1

# Exit codes of `newscrawl crawl` (README, "Scheduled runs").
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOTHING_FETCHED = 3
EXIT_TOO_MANY_ERRORS = 4
EXIT_BELOW_FLOOR = 5
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run of the same job is in progress; try again later
EXIT_INTERRUPTED = 130

STATUS_EXIT: Mapping[str, int] = {
    "ok": EXIT_OK,
    "failed": EXIT_FAILED,
    "nothing_fetched": EXIT_NOTHING_FETCHED,
    "too_many_errors": EXIT_TOO_MANY_ERRORS,
    "below_coverage_floor": EXIT_BELOW_FLOOR,
    "already_running": EXIT_LOCKED,
    "interrupted": EXIT_INTERRUPTED,
}
"""Exit code of each run status (``crashed`` has none: the process was killed)."""

# Finish reasons of a crawl that stopped where the operator asked it to (limits), not because it broke.
OK_FINISH_REASONS = frozenset(
    {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}
)
INTERRUPTED_REASONS = frozenset({"shutdown"})


def run_id_of(when: datetime) -> str:
    """The run id (and JSONL name) for a start time."""
    return when.astimezone(UTC).strftime(RUN_ID_FORMAT)


def job_name(site: str, domains: tuple[str, ...] = ()) -> str:
    """What a lock and a run history belong to: the site, or for generic crawls the portal's domains."""
    if site == "generic" and domains:
        return f"generic-{'+'.join(domains)}"
    return site


def format_output(template: str, site: str, run_id: str) -> Path:
    """The JSONL path of a run: ``template`` with ``{site}`` and ``{run}`` filled in."""
    return Path(template.format(site=site, run=run_id))


WARC_SUFFIX = ".warc.gz"


def warc_path_for(jsonl: Path) -> Path:
    """The WARC file that goes with a JSONL file: ``x.jsonl`` → ``x.warc.gz``."""
    name = jsonl.name.removesuffix(".jsonl")
    return jsonl.with_name(name + WARC_SUFFIX)


def manifest_path_for(output: Path, run_id: str) -> Path:
    """``<folder of the JSONL>/runs/<run id>.json``."""
    return output.parent / "runs" / f"{run_id}.json"


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write JSON so that readers see the old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> dict[str, Any] | None:
    """A manifest file's content, or None when it is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def now_iso() -> str:
    """UTC now, ISO 8601 with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# --- the session -----------------------------------------------------------------------------------


@dataclass
class RunOptions:
    """What a run was asked to do (from settings)."""

    site: str
    domains: tuple[str, ...]
    state_dir: Path
    output_template: str
    since: date | None = None
    refresh: bool = False
    resume: bool = False
    store_factory: Callable[[Path], SeenStore] | None = None
    """Opens the seen-store for ``state_dir`` (the Redis one in distributed mode); SQLite when None."""


@dataclass
class RunSession:
    """One run: its id, output file, the seen-store and the job lock it holds."""

    options: RunOptions
    store: SeenStore
    lock: JobLock
    job: str
    run_id: str
    started: datetime
    output: Path
    output_offset: int
    stop_at_known: bool
    """Whether paging may stop at listing pages with only known articles (see ``open_session``)."""
    reconciled: list[Reconciled] = field(default_factory=list)
    lastmods: dict[str, str] = field(default_factory=dict)
    """URL key → sitemap lastmod of the requests made in this run (stored once the article is written)."""
    synced_lines: int = 0
    """JSONL lines of this run known to be on disk (fsynced); the store may only record up to here."""
    sync: Callable[[], None] | None = None
    """Forces the JSONL writer to fsync now (set by the writer)."""

    @property
    def manifest_path(self) -> Path:
        """Where this run's manifest goes."""
        return manifest_path_for(self.output, self.run_id)

    def close(self) -> None:
        """Release the lock and close the store."""
        self.lock.release()
        self.store.close()


def open_session(
    options: RunOptions,
    key_of: Callable[[dict[str, Any]], tuple[str, tuple[str, ...]]],
    *,
    now: datetime | None = None,
    on_reconciled_line: Callable[[int], None] | None = None,
) -> RunSession:
    """Start a run: take the job's lock (LockedError if taken), reconcile runs that were killed, pick a
    unique run id and the output file, and insert the run's row.

    Paging stops at known articles only when the job's previous run finished its crawl (and with a
    ``--since`` no later than this one); after a killed, interrupted or limited run, or with ``resume``,
    every listing page is walked again (known articles are still not fetched), which completes the work.
    """
    job = job_name(options.site, options.domains)
    store = (options.store_factory or SeenStore)(options.state_dir)
    lock = JobLock(options.state_dir, job)
    try:
        lock.acquire()
    except BaseException:
        store.close()
        raise
    # With {run} in the template, the JSONL name is reserved by creating the file exclusively: other jobs
    # writing to the same folder (generic crawls of other portals) may start in the same second.
    per_run = "{run}" in options.output_template
    output: Path | None = None
    try:
        started = now or datetime.now(UTC)
        run_id = run_id_of(started)
        output = format_output(options.output_template, options.site, run_id)
        while (
            store.run_exists(job, run_id)
            or manifest_path_for(output, run_id).exists()
            or (per_run and not _reserve(output))
        ):
            # Taken (two runs in one second): the next free second keeps ids sortable and unique.
            started += timedelta(seconds=1)
            run_id = run_id_of(started)
            output = format_output(options.output_template, options.site, run_id)
        reconciled = reconcile_killed_runs(store, job, key_of, run_id, on_line=on_reconciled_line)
        repair_torn_tail(output)
        offset = output.stat().st_size if output.exists() else 0
        previous = store.last_finished_run(job)
        stop_at_known = (
            not options.resume
            and not options.refresh
            and previous is not None
            and previous.complete
            and (
                previous.since is None
                or (options.since is not None and options.since.isoformat() >= previous.since)
            )
        )
        session = RunSession(
            options=options,
            store=store,
            lock=lock,
            job=job,
            run_id=run_id,
            started=started,
            output=output,
            output_offset=offset,
            stop_at_known=stop_at_known,
            reconciled=reconciled,
        )
        store.start_run(
            RunRow(
                job=job,
                run_id=run_id,
                site=options.site,
                started=started.isoformat(timespec="milliseconds"),
                finished=None,
                status="running",
                exit_code=None,
                complete=False,
                since=options.since.isoformat() if options.since else None,
                output=str(output),
                output_offset=offset,
                manifest_path=str(session.manifest_path),
                manifest=None,
            )
        )
    except BaseException:
        if per_run and output is not None:
            discard_if_empty(output)
        lock.release()
        store.close()
        raise
    return session


def _reserve(path: Path) -> bool:
    """Create ``path`` empty if no file has that name yet; False when one has."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.open("x").close()
    except FileExistsError:
        return False
    return True


def discard_if_empty(path: Path) -> None:
    """Remove an empty output file (a run that wrote nothing leaves none behind)."""
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except FileNotFoundError:
        pass


def reconcile_killed_runs(
    store: SeenStore,
    job: str,
    key_of: Callable[[dict[str, Any]], tuple[str, tuple[str, ...]]],
    by: str,
    on_line: Callable[[int], None] | None = None,
) -> list[Reconciled]:
    """Record the JSONL lines of every killed run of the job, then mark each finished: with its own
    manifest when it got that far, else with a ``crashed`` manifest written now."""
    done: list[Reconciled] = []
    for run in store.unfinished_runs(job):
        result = reconcile(store, run, key_of, on_line)
        discard_if_empty(Path(run.output))
        manifest_file = Path(run.manifest_path)
        manifest = read_manifest(manifest_file)
        complete = False
        if manifest is None or manifest.get("run_id") != run.run_id:
            manifest = crashed_manifest(run, result, by=by)
            write_json_atomic(manifest_file, manifest)
            logger.warning(
                "Run %s of %s was killed; reconciled %d written articles from %s",
                run.run_id,
                job,
                result.lines,
                run.output,
            )
        else:
            complete = bool(manifest.get("complete"))
        store.finish_run(job, run.run_id, finished=now_iso(), manifest=manifest, complete=complete)
        done.append(result)
    return done


def crashed_manifest(run: RunRow, result: Reconciled, *, by: str) -> dict[str, Any]:
    """The manifest of a run that was killed, from what its JSONL holds."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": run.run_id,
        "site": run.site,
        "job": run.job,
        "status": "crashed",
        "exit_code": None,
        "complete": False,
        "start": run.started,
        "end": None,
        "output": run.output if result.lines else None,
        "output_range": None,
        "articles": {"written": result.lines},
        "reconciled": {"by_run": by, "at": now_iso(), "lines": result.lines, "torn_bytes": result.torn_bytes},
        "problems": ["the run was killed before it finished; its written articles were reconciled"],
    }


# --- manifests from crawl stats ----------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """When a finished crawl still counts as failed."""

    max_error_rate: float = 0.5
    coverage_floor: Mapping[str, float] = field(default_factory=dict)
    coverage_min_articles: int = 5


def _count(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def _prefixed(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    return {k[len(prefix) :]: _count(stats, k) for k in stats if k.startswith(prefix)}


def errors_by_type(stats: Mapping[str, Any]) -> dict[str, int]:
    """Errors of a crawl by type: ``download/<Exception>`` (``download/too_large`` over DOWNLOAD_MAXSIZE),
    ``spider/<Exception>``, ``http/<status>`` (4xx and 5xx, robots.txt excluded), ``extract/error``,
    ``feed/invalid``, ``sitemap/invalid``, and the faults of ``newscrawl.resilience`` (``redirect/…``,
    ``trap/…``, ``page/binary``, ``charset/mismatch``, ``xml/entities``)."""
    errors: dict[str, int] = {}
    for name, n in _prefixed(stats, "downloader/exception_type_count/").items():
        if name.endswith(".IgnoreRequest"):
            continue  # refused on purpose (robots.txt, offsite): counted in pages, not an error
        kind = f"download/{name.rsplit('.', 1)[-1]}"
        if kind == "download/DownloadCancelledError":
            kind = "download/too_large"  # Scrapy cancels a download only when it exceeds DOWNLOAD_MAXSIZE
        errors[kind] = errors.get(kind, 0) + n
    for name, n in _prefixed(stats, "spider_exceptions/").items():
        errors[f"spider/{name}"] = n
    robots = _prefixed(stats, "robotstxt/response_status_count/")
    for code, n in _prefixed(stats, "downloader/response_status_count/").items():
        if code.isdigit() and int(code) >= 400 and n - robots.get(code, 0) > 0:
            errors[f"http/{code}"] = n - robots.get(code, 0)
    for key, name in (
        ("newscrawl/skipped/extract_error", "extract/error"),
        ("newscrawl/feed/invalid", "feed/invalid"),
        ("newscrawl/sitemap/invalid", "sitemap/invalid"),
    ):
        if _count(stats, key):
            errors[name] = _count(stats, key)
    for name, n in _prefixed(stats, "newscrawl/errors/").items():
        errors[name] = errors.get(name, 0) + n  # faults counted by newscrawl.resilience and the spiders
    return dict(sorted(errors.items()))


# Counted, but what a site is like rather than a failed request: not part of the error rate.
NOT_FAILURES = (
    "feed/invalid",
    "sitemap/invalid",
    "redirect/",
    "trap/",
    "charset/",
    "xml/",
    "page/control_characters",
    "page/malformed_html",
)


def _is_failure(kind: str) -> bool:
    """Errors that count toward the error rate (a 404 is a removed page, not a broken run)."""
    if kind.startswith("http/"):
        code = int(kind.split("/", 1)[1])
        return code >= 500 or code in (403, 429)
    return not kind.startswith(NOT_FAILURES)


def coverage_of(stats: Mapping[str, Any]) -> tuple[int, dict[str, float]]:
    """Articles extracted this run and the share of them that had each field."""
    total = _count(stats, "newscrawl/extracted")
    fields = _prefixed(stats, "newscrawl/extracted/")
    return total, {k: round(v / total, 4) for k, v in sorted(fields.items())} if total else {}


def build_manifest(
    session: RunSession,
    stats: Mapping[str, Any],
    *,
    reason: str,
    thresholds: Thresholds,
    end: datetime | None = None,
) -> dict[str, Any]:
    """The manifest of a run that ended (cleanly or not) in this process, status and exit code included."""
    end = end or datetime.now(UTC)
    robots_requests = _count(stats, "robotstxt/request_count")
    robots_responses = _count(stats, "robotstxt/response_count")
    pages = max(0, _count(stats, "response_received_count") - robots_responses)
    requests = max(0, _count(stats, "downloader/request_count") - robots_requests)
    statuses = _prefixed(stats, "downloader/response_status_count/")
    robots_statuses = _prefixed(stats, "robotstxt/response_status_count/")
    pages_ok = sum(
        n - robots_statuses.get(code, 0) for code, n in statuses.items() if code.isdigit() and int(code) < 400
    )
    written = _count(stats, "newscrawl/articles_written")
    articles = {
        "new": _count(stats, "newscrawl/articles/new"),
        "changed": _count(stats, "newscrawl/articles/changed"),
        "unchanged": _count(stats, "newscrawl/articles/unchanged"),
        "written": written,
    }
    errors = errors_by_type(stats)
    failures = sum(n for kind, n in errors.items() if _is_failure(kind))
    error_rate = failures / requests if requests else (1.0 if failures else 0.0)
    extracted, coverage = coverage_of(stats)
    floor = dict(thresholds.coverage_floor)
    checked = extracted >= max(1, thresholds.coverage_min_articles)
    below = sorted(f for f, share in floor.items() if checked and coverage.get(f, 0.0) < share)

    problems: list[str] = []
    if reason in INTERRUPTED_REASONS:
        status = "interrupted"
        problems.append("the run was interrupted (SIGINT/SIGTERM); the next run completes the work")
    elif reason not in OK_FINISH_REASONS:
        status = "failed"
        problems.append(f"the crawl stopped early: {reason}")
    elif pages_ok == 0:
        status = "nothing_fetched"
        problems.append(
            "no page could be downloaded (site down, blocked, or robots.txt disallows everything)"
        )
    elif error_rate > thresholds.max_error_rate:
        status = "too_many_errors"
        problems.append(
            f"{failures} errors for {requests} requests ({error_rate:.0%} > {thresholds.max_error_rate:.0%})"
        )
    elif below:
        status = "below_coverage_floor"
        problems += [
            f"{f} on {coverage.get(f, 0.0):.0%} of {extracted} articles, floor {floor[f]:.0%}" for f in below
        ]
    else:
        status = "ok"
    return {
        "manifest_version": MANIFEST_VERSION,
        "run_id": session.run_id,
        "site": session.options.site,
        "job": session.job,
        "status": status,
        "exit_code": STATUS_EXIT[status],
        # A complete crawl lets the next run stop paging at known articles.
        "complete": reason == "finished" and status in ("ok", "below_coverage_floor"),
        "start": session.started.isoformat(timespec="milliseconds"),
        "end": end.isoformat(timespec="milliseconds"),
        "duration_seconds": round((end - session.started).total_seconds(), 3),
        "finish_reason": reason,
        "output": str(session.output) if written else None,
        "output_range": {"start": session.output_offset, "lines": written} if written else None,
        "warc": stats.get("newscrawl/warc"),
        "state_dir": str(session.options.state_dir.resolve()),
        "options": {
            "since": session.options.since.isoformat() if session.options.since else None,
            "refresh": session.options.refresh,
            "resume": session.options.resume,
            "stop_paging_at_known": session.stop_at_known,
        },
        "pages": {
            "fetched": pages,
            "ok": pages_ok,
            "requests": requests,
            "skipped_known": _count(stats, "newscrawl/skipped/known"),
            "refetched_lastmod": _count(stats, "newscrawl/refetch/lastmod"),
            "skipped_pagination": _count(stats, "newscrawl/skipped/pagination"),
            "skipped_older_than_since": _count(stats, "newscrawl/skipped/older_than_since"),
            "robots_forbidden": _count(stats, "robotstxt/forbidden"),
            "non_articles": sum(_prefixed(stats, "newscrawl/not_article/").values()),
        },
        "articles": articles,
        "dropped": dict(sorted(_prefixed(stats, "newscrawl/dropped/").items())),
        "errors": errors,
        "error_rate": round(error_rate, 4),
        "coverage": {
            "articles": extracted,
            "fields": coverage,
            "floor": floor,
            "checked": checked,
            "below_floor": below,
        },
        "reconciled": [
            {"run_id": r.run_id, "lines": r.lines, "torn_bytes": r.torn_bytes} for r in session.reconciled
        ],
        "problems": problems,
        **(
            {"distributed": dict(sorted(_prefixed(stats, "newscrawl/distributed/").items()))}
            if any(k.startswith("newscrawl/distributed/") for k in stats)
            else {}
        ),
    }


# --- listing runs ------------------------------------------------------------------------------------

RUNS_COLUMNS = (
    "RUN",
    "JOB",
    "STATUS",
    "EXIT",
    "DURATION",
    "PAGES",
    "NEW",
    "CHANGED",
    "UNCHANGED",
    "SKIPPED",
    "ERRORS",
    "OUTPUT",
)


def run_table_row(run: RunRow, running: bool) -> tuple[str, ...]:
    """One line of ``newscrawl runs`` for a run row."""
    manifest = run.manifest or {}
    status = run.status if run.finished else ("running" if running else "killed (not yet reconciled)")
    articles = manifest.get("articles", {})
    pages = manifest.get("pages", {})
    duration = manifest.get("duration_seconds")
    return (
        run.run_id,
        run.job,
        status,
        "-" if run.exit_code is None else str(run.exit_code),
        "-" if duration is None else _duration(float(duration)),
        str(pages.get("fetched", "-")),
        str(articles.get("new", "-")),
        str(articles.get("changed", "-")),
        str(articles.get("unchanged", "-")),
        str(pages.get("skipped_known", "-")),
        str(sum(manifest.get("errors", {}).values())) if manifest else "-",
        manifest.get("output") or "-",
    )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...] = RUNS_COLUMNS) -> str:
    """Left-aligned columns separated by two spaces."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)
