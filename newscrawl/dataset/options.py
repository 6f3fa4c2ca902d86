"""Command-line options shared by ``newscrawl export`` and ``newscrawl report``: inputs and filters."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from newscrawl.dataset import DatasetError
from newscrawl.dataset.read import Filters


def add_input_arguments(parser: Any) -> None:
    """PATHS, the filters and ``--all-versions``."""
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="JSONL files, or folders searched for *.jsonl (default: output/)",
    )
    group = parser.add_argument_group("filters (repeat an option for alternatives; options combine)")
    group.add_argument(
        "--site", action="append", default=[], help="site name, or portal host (subdomains included)"
    )
    group.add_argument("--since", help="published on or after this day (YYYY-MM-DD)")
    group.add_argument("--until", help="published on or before this day (YYYY-MM-DD)")
    group.add_argument("--keyword", action="append", default=[], help="has this item in keywords (any case)")
    group.add_argument(
        "--contains", action="append", default=[], metavar="TEXT", help="title, summary or body contains TEXT"
    )
    group.add_argument(
        "--lang", action="append", default=[], metavar="CODE", help="language code (zh matches zh-CN)"
    )
    parser.add_argument(
        "--all-versions",
        action="store_true",
        help="keep every version of an article (default: only its latest)",
    )


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DatasetError(f"{option} must be a date like 2026-11-01, not {value!r}") from None


def filters_from_args(args: argparse.Namespace) -> Filters:
    """The filters asked for (DatasetError on a bad value)."""
    since, until = _day("--since", args.since), _day("--until", args.until)
    if since and until and since > until:
        raise DatasetError(f"--since {since} is after --until {until}")
    for option, values in (("--site", args.site), ("--keyword", args.keyword), ("--contains", args.contains)):
        if any(not v.strip() for v in values):
            raise DatasetError(f"{option} needs a non-empty value")
    return Filters(
        sites=tuple(v.strip() for v in args.site),
        since=since,
        until=until,
        keywords=tuple(v.strip() for v in args.keyword),
        contains=tuple(args.contains),
        languages=tuple(v.strip() for v in args.lang if v.strip()),
    )
