"""``newscrawl report [PATH...] -o report.html [filters]``: a self-contained HTML page of charts about the
dataset, and its dataset card (Markdown, same name with ``.md``) next to it."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Any

from newscrawl.commands import EXIT_OK, UsageError, open_output, output_file
from newscrawl.dataset.options import add_input_arguments, filters_from_args


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser(
        "report", help="an HTML report (charts) and a dataset card (Markdown) of the crawled articles"
    )
    add_input_arguments(parser)
    parser.add_argument("-o", "--output", required=True, help="the HTML file; the card goes next to it (.md)")
    parser.add_argument("--title", default="newscrawl dataset", help="title of the report and the card")


def run(args: argparse.Namespace) -> int:
    """Count the dataset, write the report and the card; print where they are."""
    from newscrawl.dataset.card import render_card  # noqa: PLC0415 — numpy, datasketch: only when reporting
    from newscrawl.dataset.export import find_clusters  # noqa: PLC0415
    from newscrawl.dataset.read import Dataset, input_files  # noqa: PLC0415
    from newscrawl.dataset.report import render_html  # noqa: PLC0415
    from newscrawl.dataset.summary import run_manifests, summarize  # noqa: PLC0415

    output = output_file(args.output)
    if output.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"-o must name an .html file, not {args.output!r}")
    if not output.parent.is_dir():
        raise UsageError(f"cannot write {args.output}: no folder {output.parent}")
    card = output.with_suffix(".md")
    filters = filters_from_args(args)
    dataset = Dataset(input_files(args.paths), filters=filters, all_versions=args.all_versions)
    summary = summarize(dataset, find_clusters(dataset))
    stats = dataset.stats
    read = {
        "files": stats.files,
        "lines": stats.lines,
        "older_versions": stats.older_versions,
        "filtered": stats.filtered,
    }
    command = "newscrawl " + shlex.join(sys.argv[1:]) if sys.argv[1:2] == ["report"] else "newscrawl report"
    with open_output(output) as out:
        out.write(render_html(summary, read=read, title=args.title, card_name=card.name))
    with open_output(card) as out:
        out.write(
            render_card(
                summary,
                title=args.title,
                read=read,
                files=dataset.files,
                manifests=run_manifests(dataset.files),
                filters=filters,
                all_versions=args.all_versions,
                command=command,
                report_name=output.name,
            )
        )
    print(
        f"newscrawl: report of {summary.articles} articles from {len(summary.by_portal)} sites: {output} "
        f"(dataset card {card})",
        file=sys.stderr,
    )
    return EXIT_OK
