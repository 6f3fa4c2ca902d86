"""``newscrawl crawl SITE``: run one crawl in this process and print a one-line summary."""

from __future__ import annotations

import argparse
import zoneinfo
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.commands import EXIT_FAILED, EXIT_OK, UsageError, check_url, resolve_site_arg


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
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting (repeatable)",
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
    if args.output:
        out = Path(args.output)
        if out.is_dir():
            raise UsageError(f"-o must be a file path, not a directory: {args.output}")
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
    reason = stats.get("finish_reason", "")
    if reason not in ("finished", "closespider_itemcount"):
        return EXIT_FAILED
    return EXIT_OK


def summary_line(stats: dict[str, Any]) -> str:
    """One line: articles written, pages, non-articles, drops by reason, field coverage, output path."""
    written = int(stats.get("newscrawl/articles_written", 0))
    counted = int(stats.get("newscrawl/counted", 0)) or 1
    dropped = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newscrawl/dropped/")}
    dropped_text = ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "none"
    coverage = []
    for name in ("title", "published", "source", "authors", "editors", "keywords", "body"):
        share = int(stats.get(f"newscrawl/field/{name}", 0)) / counted
        coverage.append(f"{name} {share:.0%}")
    pages = int(stats.get("response_received_count", 0))
    other = sum(v for k, v in stats.items() if k.startswith("newscrawl/not_article/"))
    output = stats.get("newscrawl/output", "-")
    return (
        f"newscrawl: {written} articles from {pages} pages ({other} non-article pages skipped); "
        f"dropped {sum(dropped.values())} ({dropped_text}); coverage {', '.join(coverage)}; output {output}"
    )
