"""``newscrawl export [PATH...] [-o OUT] [--format jsonl|csv|parquet] [filters] [--fields a,b,c]``: a
dataset from the crawl output — latest version of each article, filtered, near-duplicates clustered."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_OK, UsageError, open_output, output_file
from newscrawl.dataset.options import add_input_arguments, filters_from_args
from newscrawl.dataset.write import EXPORT_FIELDS, FORMATS


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser(
        "export",
        help="export the crawled articles as JSONL, CSV or Parquet (filtered, latest versions, clustered)",
    )
    add_input_arguments(parser)
    parser.add_argument("-o", "--output", help="output file (default: standard output; Parquet needs a file)")
    parser.add_argument("-f", "--format", choices=FORMATS, help="default: from the -o suffix, else jsonl")
    parser.add_argument("--fields", help="comma-separated fields to write, in that order (default: all)")
    parser.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 BOM (for Excel)")
    parser.add_argument(
        "--list-separator", default=" | ", metavar="SEP", help="CSV: joins list items (default ' | ')"
    )
    parser.add_argument(
        "--dup-threshold",
        type=float,
        default=None,
        metavar="J",
        help="near-duplicates: bodies whose estimated Jaccard similarity is at least J (default 0.45)",
    )


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower() if args.output else ""
    return {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}.get(suffix, "jsonl")


def _fields(value: str | None) -> tuple[str, ...]:
    if value is None:
        return EXPORT_FIELDS
    fields = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if not fields or unknown:
        raise UsageError(
            f"--fields: unknown field(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(EXPORT_FIELDS)}"
        )
    return fields


def run(args: argparse.Namespace) -> int:
    """Export; print a one-line summary on stderr."""
    from newscrawl.dataset.export import export  # noqa: PLC0415 — numpy, datasketch: only when exporting
    from newscrawl.dataset.neardup import THRESHOLD  # noqa: PLC0415
    from newscrawl.dataset.read import Dataset, input_files  # noqa: PLC0415
    from newscrawl.dataset.write import CsvWriter, JsonlWriter, ParquetWriter  # noqa: PLC0415

    fmt = _format(args)
    fields = _fields(args.fields)
    output = output_file(args.output) if args.output else None
    if fmt == "parquet" and output is None:
        raise UsageError("Parquet output needs a file: -o PATH")
    if args.bom and fmt != "csv":
        raise UsageError("--bom is for CSV output")
    threshold = THRESHOLD if args.dup_threshold is None else args.dup_threshold
    if not 0 < threshold <= 1:
        raise UsageError("--dup-threshold must be more than 0 and at most 1")
    dataset = Dataset(
        input_files(args.paths, exclude=[output] if output is not None else []),
        filters=filters_from_args(args),
        all_versions=args.all_versions,
    )
    with open_output(output, binary=fmt == "parquet", newline="" if fmt == "csv" else "\n") as stream:
        if fmt == "parquet":
            metadata = {"newscrawl.export": " ".join(sys.argv[1:]) or "export"}
            writer: Any = ParquetWriter(stream, fields, metadata=metadata)
        elif fmt == "csv":
            writer = CsvWriter(stream, fields, separator=args.list_separator, bom=args.bom)
        else:
            writer = JsonlWriter(stream, fields)
        result = export(dataset, writer, fields, threshold)
    stats = dataset.stats
    clusters = (
        f" in {result.clusters} near-duplicate clusters ({result.duplicates} copies)"
        if result.clusters is not None
        else ""
    )
    torn = f", {stats.torn} torn lines skipped" if stats.torn else ""
    print(
        f"newscrawl: exported {result.records} articles{clusters} as {fmt} to {output or '-'} "
        f"(from {stats.lines} lines in {stats.files} files: {stats.older_versions} older versions and "
        f"{stats.filtered} filtered out{torn})",
        file=sys.stderr,
    )
    return EXIT_OK
