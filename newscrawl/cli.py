"""The ``newscrawl`` command: extract saved pages, crawl a site, list sites.

    newscrawl extract page.html [--url URL] [--site NAME]
    newscrawl crawl hnr [--since 2026-11-01] [--max-articles 100] [-o out.jsonl]
    newscrawl crawl generic --start-url https://www.example.cn/
    newscrawl sites

Bad input (unknown site, unreadable file, bad URL, bad option) gets one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A user mistake: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (sub-commands extract, crawl, sites)."""
    parser = _Parser(prog="newscrawl", description="Crawl local news portals into clean JSONL.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    ex = sub.add_parser("extract", help="extract article records from saved HTML files")
    ex.add_argument("files", nargs="+", metavar="FILE")
    ex.add_argument("--url", help="the page's URL (default: the file's file:// URL)")
    ex.add_argument("--site", help="site profile name (default: chosen by the URL's domain)")
    ex.add_argument("--fetched-at", help="ISO time the page was downloaded (base for 3小时前); default now")

    cr = sub.add_parser("crawl", help="crawl a site (or any portal with 'generic') into JSONL")
    cr.add_argument("site", metavar="SITE", help="site name from 'newscrawl sites', or 'generic'")
    cr.add_argument("--start-url", action="append", default=[], help="start page (required for generic)")
    cr.add_argument("--since", help="skip articles published before this date (YYYY-MM-DD)")
    cr.add_argument("--max-articles", type=int, help="stop after writing N articles")
    cr.add_argument("-o", "--output", help="JSONL path (default output/<site>/<run>.jsonl)")
    cr.add_argument("--timezone", help="generic only: IANA zone of the portal's dates (default: guessed)")
    cr.add_argument("--language", help="generic only: language code of the portal (default: detected)")
    cr.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting (repeatable)",
    )
    cr.add_argument("--log-level", default=None, help="DEBUG, INFO (default), WARNING, ERROR")

    sub.add_parser("sites", help="list the site profiles")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` command."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "crawl":
            return cmd_crawl(args)
        return cmd_sites()
    except UsageError as exc:
        print(f"newscrawl: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("newscrawl: interrupted", file=sys.stderr)
        return 130


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or not (parts.hostname or parts.scheme == "file"):
        raise UsageError(f"not a valid URL: {url!r}")
    return url


def _site(name: str | None, url: str) -> Any:
    from newscrawl.registry import BrokenSiteError, UnknownSiteError, resolve_site  # noqa: PLC0415

    try:
        return resolve_site(name, url)
    except (UnknownSiteError, BrokenSiteError) as exc:
        raise UsageError(str(exc)) from None


def cmd_extract(args: argparse.Namespace) -> int:
    """Print one JSON record per file."""
    from newscrawl.extract import extract_article  # noqa: PLC0415

    fetched_at = _parse_time(args.fetched_at) if args.fetched_at else datetime.now(UTC)
    if args.url:
        _check_url(args.url)
    out = sys.stdout
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
        url = args.url or path.resolve().as_uri()
        site = _site(args.site, url)
        record = extract_article(data, url, site=site, fetched_at=fetched_at)
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return EXIT_OK


def _parse_time(value: str) -> datetime:
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"not an ISO 8601 time: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cmd_sites() -> int:
    """List site profiles: name, portal, domains, start pages."""
    from newscrawl.registry import all_sites, broken_sites  # noqa: PLC0415

    for name, reason in sorted(broken_sites().items()):
        print(f"newscrawl: error: site file {name}.py is broken: {reason}", file=sys.stderr)
    for name, site in sorted(all_sites().items()):
        starts = ", ".join(site.start_urls[:2]) + (" …" if len(site.start_urls) > 2 else "")
        print(
            f"{name:12s} {site.title or '-':10s} {','.join(site.domains):24s} {site.timezone or '-':16s} {starts}"
        )
    print(f"{'generic':12s} {'(any)':10s} {'start URL domain':24s} {'(guessed)':16s} --start-url URL")
    return EXIT_USAGE if broken_sites() else EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    """Run one crawl in this process and print a one-line summary."""
    spider_args: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for url in args.start_url:
        _check_url(url)
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
        _site(args.site, "")
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
    return run_crawl(args.site, spider_args, settings)


def _check_timezone(name: str) -> None:
    import zoneinfo  # noqa: PLC0415

    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}") from None


def run_crawl(site: str, spider_args: dict[str, Any], overrides: dict[str, Any]) -> int:
    """Crawl with the project settings plus ``overrides``; print the summary; return the exit code."""
    from scrapy.crawler import CrawlerProcess  # noqa: PLC0415
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
    """One line: articles written, dropped by reason, field coverage, output path."""
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


if __name__ == "__main__":
    sys.exit(main())
