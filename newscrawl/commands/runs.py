"""``newscrawl runs [SITE] [--state-dir DIR] [--limit N] [--json]``: the latest runs, newest first."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_OK, UsageError


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser("runs", help="list recent runs (status, exit code, counts, output)")
    parser.add_argument("site", nargs="?", metavar="SITE", help="only this site's runs")
    parser.add_argument(
        "--state-dir", help="folder of the seen-store (default: $NEWSCRAWL_STATE_DIR or ./state)"
    )
    parser.add_argument("--limit", type=int, default=20, help="how many runs (default 20)")
    parser.add_argument("--json", action="store_true", help="one manifest per line instead of a table")


def run(args: argparse.Namespace) -> int:
    """Print the runs table (or the manifests as JSON lines)."""
    from newscrawl.runs import format_table, run_table_row  # noqa: PLC0415 — keeps `newscrawl --help` fast
    from newscrawl.state import JobLock, SeenStore  # noqa: PLC0415

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    state_dir = Path(args.state_dir or os.environ.get("NEWSCRAWL_STATE_DIR") or "state")
    if state_dir.exists() and not state_dir.is_dir():
        raise UsageError(f"--state-dir must be a directory: {state_dir}")
    store = SeenStore.open_existing(state_dir)
    if store is None:
        print(f"newscrawl: no runs recorded in {state_dir}/", file=sys.stderr)
        return EXIT_OK
    try:
        runs = store.recent_runs(args.site, args.limit)
    finally:
        store.close()
    if args.json:
        for r in runs:
            print(
                json.dumps(
                    r.manifest or {"run_id": r.run_id, "job": r.job, "status": r.status}, ensure_ascii=False
                )
            )
        return EXIT_OK
    if not runs:
        print(f"newscrawl: no runs{f' of {args.site}' if args.site else ''} in {state_dir}/", file=sys.stderr)
        return EXIT_OK
    rows = [
        run_table_row(r, running=r.finished is None and JobLock(state_dir, r.job).is_held_elsewhere())
        for r in runs
    ]
    print(format_table(rows))
    return EXIT_OK
