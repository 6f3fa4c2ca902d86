"""``newscrawl crawl SITE``: run one crawl in this process, print a one-line summary, exit with the run's
status (see ``newscrawl.runs``: 0 ok, 1 failed, 3 nothing fetched, 4 too many errors, 5 coverage below the
floor, 75 another run of the site is in progress, 130 interrupted)."""

from __future__ import annotations

import argparse
import sys
import zoneinfo
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.commands import EXIT_FAILED, EXIT_OK, UsageError, check_url, output_file, resolve_site_arg


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser("crawl", help="crawl a site (or any portal with 'generic') into JSONL")
    parser.add_argument("site", metavar="SITE", help="site name from 'newscrawl sites', or 'generic'")
    parser.add_argument("--start-url", action="append", default=[], help="start page (required for generic)")
    parser.add_argument("--since", help="skip articles published before this date (YYYY-MM-DD)")
    parser.add_argument("--max-articles", type=int, help="stop after writing N articles")
    parser.add_argument("-o", "--output", help="JSONL path (default output/<site>/<run>.jsonl)")
    parser.add_argument("--timezone", help="generic only: IANA zone of the portal's dates (default: guessed)")
    parser.add_argument("--language", help="generic only: language code of the portal (default: detected)")
    parser.add_argument(
        "--state-dir", help="folder of the seen-store (default: $NEWSCRAWL_STATE_DIR or ./state)"
    )
    parser.add_argument(
        "--refresh", action="store_true", help="fetch known articles again (only changed ones are written)"
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="walk every listing page again, as after a killed run (known articles are still skipped)",
    )
    parser.add_argument(
        "--contact", metavar="URL", help="contact URL for the User-Agent ($NEWSCRAWL_CONTACT)"
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting (repeatable)",
    )
    parser.add_argument(
        "--no-warc",
        action="store_true",
        help="do not save the raw responses to <output>.warc.gz (NEWSCRAWL_WARC=False)",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="distributed crawl: share frontier and seen-store with every worker using this Redis",
    )
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO (default), WARNING, ERROR")


def run(args: argparse.Namespace) -> int:
    """Check the arguments, crawl, print the summary line; return the exit code."""
    spider_args, settings = crawl_options(args)
    return run_crawl(args.site, spider_args, settings)


def crawl_options(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Spider arguments and setting overrides from the command line (UsageError on bad input)."""
    spider_args: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for url in args.start_url:
        check_url(url)
        if urlsplit(url).scheme == "file":
            raise UsageError(f"crawl needs an http(s) URL: {url!r}")
    if args.site == "generic":
        if not args.start_url:
            raise UsageError("crawl generic needs --start-url URL")
        spider_args["start_url"] = ",".join(args.start_url)
        if args.timezone:
            _check_timezone(args.timezone)
            spider_args["timezone"] = args.timezone
        if args.language:
            spider_args["language"] = args.language
    else:
        resolve_site_arg(args.site, "")
        if args.start_url or args.timezone or args.language:
            raise UsageError("--start-url, --timezone and --language are for 'crawl generic'")
    if args.since:
        try:
            settings["NEWSCRAWL_SINCE"] = date.fromisoformat(args.since).isoformat()
        except ValueError:
            raise UsageError(f"--since must be a date like 2026-11-01, not {args.since!r}") from None
    if args.max_articles is not None:
        if args.max_articles < 1:
            raise UsageError("--max-articles must be at least 1")
        settings["NEWSCRAWL_MAX_ARTICLES"] = args.max_articles
        settings["CLOSESPIDER_ITEMCOUNT"] = args.max_articles
    if args.state_dir:
        state = Path(args.state_dir)
        if state.exists() and not state.is_dir():
            raise UsageError(f"--state-dir must be a directory: {args.state_dir}")
        settings["NEWSCRAWL_STATE_DIR"] = str(state)
    if args.redis:
        from newscrawl.redis_store import check_redis  # noqa: PLC0415 — redis only for distributed crawls

        try:
            check_redis(args.redis)
        except ValueError as exc:
            raise UsageError(f"--redis: {exc}") from None
        settings["NEWSCRAWL_REDIS_URL"] = args.redis
    if args.refresh:
        settings["NEWSCRAWL_REFRESH"] = True
    if args.resume:
        settings["NEWSCRAWL_RESUME"] = True
    if args.no_warc:
        settings["NEWSCRAWL_WARC"] = False
    if args.contact:
        if urlsplit(args.contact).scheme not in ("http", "https", "mailto"):
            raise UsageError(f"--contact must be an http(s) or mailto: URL, not {args.contact!r}")
        settings["NEWSCRAWL_CONTACT"] = args.contact
    if args.output:
        out = output_file(args.output)
        settings["NEWSCRAWL_OUTPUT"] = str(out).replace("{", "{{").replace("}", "}}")
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"-s expects NAME=VALUE, not {pair!r}")
        settings[name.strip()] = value
    if args.log_level:
        settings["LOG_LEVEL"] = args.log_level.upper()
    return spider_args, settings


def _check_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}") from None


def run_crawl(site: str, spider_args: dict[str, Any], overrides: dict[str, Any]) -> int:
    """Crawl with the project settings plus ``overrides``; print the summary; return the exit code."""
    from scrapy.crawler import CrawlerProcess  # noqa: PLC0415 — Scrapy only when crawling
    from scrapy.utils.project import get_project_settings  # noqa: PLC0415

    settings = get_project_settings()
    if "newscrawl.spiders" not in (settings.getlist("SPIDER_MODULES") or []):
        settings.setmodule("newscrawl.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(site)
    process.crawl(crawler, **spider_args)
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    print(summary_line(stats))
    code = stats.get("newscrawl/exit_code")
    if code is None:  # the run extension is off: judge by how the crawl ended
        return (
            EXIT_OK
            if stats.get("finish_reason", "") in ("finished", "closespider_itemcount")
            else EXIT_FAILED
        )
    if code != EXIT_OK:
        status = stats.get("newscrawl/status", "failed")
        print(
            f"newscrawl: error: run {status.replace('_', ' ')} (exit {code}); see the log above",
            file=sys.stderr,
        )
    return int(code)


def summary_line(stats: dict[str, Any]) -> str:
    """One line: articles written (new / changed), pages, non-articles and known articles skipped,
    unchanged articles, drops by reason, field coverage, output path, run status and manifest."""
    written = int(stats.get("newscrawl/articles_written", 0))
    counted = int(stats.get("newscrawl/counted", 0))
    dropped = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}
    dropped_text = ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none"
    coverage = []
    for name in ("title", "published", "source", "authors", "editors", "keywords", "body"):
        share = int(stats.get(f"newscrawl/field/{name}", 0)) / counted if counted else None
        coverage.append(f"{name} {share:.0%}" if share is not None else f"{name} -")
    pages = int(stats.get("response_received_count", 0))
    other = sum(v for k, v in stats.items() if k.startswith("newscrawl/not_article/"))
    output = stats.get("newscrawl/output", "-")
    new = int(stats.get("newscrawl/articles/new", 0))
    changed = int(stats.get("newscrawl/articles/changed", 0))
    unchanged = int(stats.get("newscrawl/articles/unchanged", 0))
    known = int(stats.get("newscrawl/skipped/known", 0))
    status = stats.get("newscrawl/status")
    run = f"; run {status} ({stats.get('newscrawl/manifest', '-')})" if status else ""
    return (
        f"newscrawl: {written} articles ({new} new, {changed} changed) from {pages} pages "
        f"({other} non-article pages skipped, {known} known articles not fetched); {unchanged} unchanged; "
        f"dropped {sum(dropped.values())} ({dropped_text}); coverage {', '.join(coverage)}; output {output}{run}"
    )
