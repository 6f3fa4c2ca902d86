"""``newscrawl export [PATH...] [-o OUT] [--format jsonl|csv|parquet] [filters] [--fields a,b,c]``: a
dataset from the crawl output — latest version of each article, filtered, near-duplicates clustered."""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path
from typing import IO, Any

from newscrawl.commands import EXIT_OK, UsageError
from newscrawl.dataset.options import add_input_arguments


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser(
        "export",
        help="export the crawled articles as JSONL, CSV or Parquet (filtered, latest versions, clustered)",
    )
    add_input_arguments(parser)
    parser.add_argument("-o", "--output", help="output file (default: standard output; Parquet needs a file)")
    parser.add_argument(
        "-f", "--format", choices=("jsonl", "csv", "parquet"), help="default: from the -o suffix, else jsonl"
    )
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
    from newscrawl.dataset.write import EXPORT_FIELDS  # noqa: PLC0415

    if value is None:
        return EXPORT_FIELDS
    fields = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    unknown = [f for f in fields if f not in EXPORT_FIELDS]
    if not fields or unknown:
        raise UsageError(
            f"--fields: unknown field(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(EXPORT_FIELDS)}"
        )
    return fields


def _stdout(newline: str) -> IO[str]:
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # replaced by a text-only stream (tests)
        return sys.stdout
    return io.TextIOWrapper(buffer, encoding="utf-8", newline=newline, write_through=True)


def run(args: argparse.Namespace) -> int:
    """Export; print a one-line summary on stderr."""
    from newscrawl.dataset import DatasetError  # noqa: PLC0415 — numpy, datasketch: only when exporting
    from newscrawl.dataset.export import export  # noqa: PLC0415
    from newscrawl.dataset.neardup import THRESHOLD  # noqa: PLC0415
    from newscrawl.dataset.options import filters_from_args  # noqa: PLC0415
    from newscrawl.dataset.read import Dataset, input_files  # noqa: PLC0415
    from newscrawl.dataset.write import CsvWriter, JsonlWriter, ParquetWriter  # noqa: PLC0415

    fmt = _format(args)
    fields = _fields(args.fields)
    output = Path(args.output) if args.output else None
    if fmt == "parquet" and output is None:
        raise UsageError("Parquet output needs a file: -o PATH")
    if output is not None and output.is_dir():
        raise UsageError(f"-o must be a file path, not a directory: {args.output}")
    if args.bom and fmt != "csv":
        raise UsageError("--bom is for CSV output")
    threshold = THRESHOLD if args.dup_threshold is None else args.dup_threshold
    if not 0 < threshold <= 1:
        raise UsageError("--dup-threshold must be more than 0 and at most 1")
    try:
        filters = filters_from_args(args)
        dataset = Dataset(
            input_files(args.paths, exclude=[output] if output is not None else []),
            filters=filters,
            all_versions=args.all_versions,
        )
    except DatasetError as exc:
        raise UsageError(str(exc)) from None

    tmp = output.with_name(f".{output.name}.partial") if output is not None else None
    stream: IO[str] | None = None
    try:
        if fmt == "parquet":
            assert tmp is not None
            metadata = {"newscrawl.export": " ".join(sys.argv[1:]) or "export"}
            writer: Any = ParquetWriter(tmp, fields, metadata=metadata)
        else:
            newline = "" if fmt == "csv" else "\n"
            stream = tmp.open("w", encoding="utf-8", newline=newline) if tmp is not None else _stdout(newline)
            writer = (
                CsvWriter(stream, fields, separator=args.list_separator, bom=args.bom)
                if fmt == "csv"
                else JsonlWriter(stream, fields)
            )
        result = export(dataset, writer, fields, threshold)
        if stream is not None and tmp is not None:
            stream.close()
        elif stream is not None and stream is not sys.stdout:
            stream.detach()  # leave standard output open
        if tmp is not None and output is not None:
            tmp.replace(output)  # the finished file or nothing: never half a dataset under the real name
    except BrokenPipeError:  # `newscrawl export | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        _discard(stream, tmp)
        raise UsageError(f"cannot write {args.output or 'the output'}: {exc.strerror or exc}") from None
    except DatasetError as exc:
        _discard(stream, tmp)
        raise UsageError(str(exc)) from None
    except BaseException:
        _discard(stream, tmp)
        raise
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


def _discard(stream: IO[str] | None, tmp: Path | None) -> None:
    if tmp is None:
        return
    if stream is not None:
        stream.close()
    tmp.unlink(missing_ok=True)
