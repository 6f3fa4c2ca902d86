"""``newscrawl reextract WARC... [-o OUT.jsonl] [--all]``: rebuild a crawl's JSONL from its WARC files
with the current extractor, without the network (see ``newscrawl.reextract``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_OK, UsageError, open_output, output_file


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser(
        "reextract", help="extract the articles of a crawl's WARC files again (no network)"
    )
    parser.add_argument("warcs", nargs="+", metavar="WARC", help="WARC files (.warc.gz or .warc)")
    parser.add_argument("-o", "--output", help="JSONL path (default: standard output)")
    parser.add_argument(
        "--all",
        action="store_true",
        dest="include_all",
        help="also every page the crawl did not write (non-articles then, duplicates, unchanged)",
    )


def run(args: argparse.Namespace) -> int:
    """Write one JSON line per re-extracted article; print a summary line on stderr."""
    from newscrawl.items import dumps  # noqa: PLC0415
    from newscrawl.reextract import ReextractStats, reextract  # noqa: PLC0415 — imports Scrapy

    paths = [Path(name) for name in args.warcs]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"cannot read {path}: no such file")
    output = output_file(args.output) if args.output else None
    if output is not None and any(output.resolve() == p.resolve() for p in paths):
        raise UsageError(f"-o {args.output} would overwrite an input file")
    stats = ReextractStats()
    with open_output(output) as out:
        for record in reextract(paths, include_all=args.include_all, stats=stats):
            out.write(dumps(record) + "\n")
    print(stats.line(str(output) if output else "-"), file=sys.stderr)
    return EXIT_OK
