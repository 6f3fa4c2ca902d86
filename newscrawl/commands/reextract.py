"""``newscrawl reextract WARC... [-o OUT.jsonl] [--all]``: rebuild a crawl's JSONL from its WARC files
with the current extractor, without the network (see ``newscrawl.reextract``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_OK, UsageError


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
    from newscrawl.pipelines.jsonl import dumps  # noqa: PLC0415 — imports Scrapy
    from newscrawl.reextract import ReextractStats, reextract  # noqa: PLC0415
    from newscrawl.warc import WarcError  # noqa: PLC0415

    paths = [Path(name) for name in args.warcs]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"cannot read {path}: no such file")
    output = Path(args.output) if args.output else None
    if output is not None:
        if output.is_dir():
            raise UsageError(f"-o must be a file path, not a directory: {args.output}")
        if any(output.resolve() == p.resolve() for p in paths):
            raise UsageError(f"-o {args.output} would overwrite an input file")
    stats = ReextractStats()
    tmp = output.with_name(f".{output.name}.partial") if output is not None else None
    try:
        out = tmp.open("w", encoding="utf-8", newline="\n") if tmp is not None else sys.stdout
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    try:
        for record in reextract(paths, include_all=args.include_all, stats=stats):
            out.write(dumps(record) + "\n")
        if tmp is not None and output is not None:
            out.close()
            tmp.replace(output)  # a finished file or none: never half a dataset under the real name
        else:
            out.flush()
    except BaseException as exc:
        if tmp is not None:
            out.close()
            tmp.unlink(missing_ok=True)
        if isinstance(exc, WarcError):
            raise UsageError(str(exc)) from None
        raise
    print(stats.line(str(output) if output else "-"), file=sys.stderr)
    return EXIT_OK
