"""``newscrawl extract FILE... [--url URL] [--site NAME] [--fetched-at TIME]``: one JSON record per file."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_OK, UsageError, check_url, open_output, resolve_site_arg


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser("extract", help="extract article records from saved HTML files")
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--url", help="the page's URL (default: the file's file:// URL)")
    parser.add_argument("--site", help="site profile name (default: chosen by the URL's domain)")
    parser.add_argument(
        "--fetched-at", help="ISO time the page was downloaded (base for 3小时前); default now"
    )


def parse_time(value: str) -> datetime:
    """An aware datetime from ISO 8601 text (naive means UTC)."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"not an ISO 8601 time: {value!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def run(args: argparse.Namespace) -> int:
    """Print one JSON record per file."""
    from newscrawl.extract import extract_article  # noqa: PLC0415 — keeps `newscrawl --help` fast
    from newscrawl.items import ARTICLE_FIELDS, dumps  # noqa: PLC0415

    fetched_at = parse_time(args.fetched_at) if args.fetched_at else datetime.now(UTC)
    if args.url:
        check_url(args.url)
    with open_output(None) as out:
        for name in args.files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
            url = args.url or path.resolve().as_uri()
            site = resolve_site_arg(args.site, url)
            record = extract_article(data, url, site=site, fetched_at=fetched_at)
            out.write(dumps(record, ARTICLE_FIELDS) + "\n")
    return EXIT_OK
