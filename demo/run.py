"""``make demo``: build the sample portal, serve it on 127.0.0.1, crawl it with the generic spider.

The crawl is the real command (``newscrawl crawl generic --start-url …``) in a child process; it prints
its own one-line summary. Then the output is checked against the portal's manifest (which the crawler
never sees) and a second line says how it did. Exit code 0 when ≥ 95 % of the portal's articles were
found, no non-article page was written, and nothing was written twice.

Each demo crawl gets a fresh, temporary seen-store (``--state-dir``), so every ``make demo`` shows the
full crawl instead of "nothing new since last time"; its run manifest still lands in output/demo/runs/.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from demo.build import build_portal
from demo.check import compare, read_jsonl
from demo.crawl import generic_crawl_command
from demo.serve import serving

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    """Run the demo; returns the exit code."""
    runs = ROOT / "output" / "demo" / "runs"
    before = set(runs.glob("*.json"))
    with (
        tempfile.TemporaryDirectory(prefix="newscrawl-demo-") as tmp,
        tempfile.TemporaryDirectory(prefix="newscrawl-demo-state-") as state,
    ):
        manifest = build_portal(Path(tmp))
        with serving(Path(tmp)) as (_, base_url):
            print(f"demo: sample portal with {len(manifest['articles'])} articles served at {base_url}/")
            # With the fast settings (NO_POLITENESS): our own loopback server, no need to be polite.
            command = generic_crawl_command(
                base_url,
                "-s",
                f"NEWSCRAWL_OUTPUT={ROOT / 'output' / 'demo' / '{run}.jsonl'}",
                "--state-dir",
                state,
                "--log-level",
                "WARNING",
            )
            result = subprocess.run(command, cwd=ROOT, check=False)
    new_runs = sorted(set(runs.glob("*.json")) - before)
    run = json.loads(new_runs[-1].read_text(encoding="utf-8")) if new_runs else {}
    if result.returncode != 0 or not run.get("output"):
        print(f"demo: the crawl failed (exit code {result.returncode})", file=sys.stderr)
        return 1
    report = compare(read_jsonl(Path(run["output"])), manifest)
    print(report.line())
    ok = report.recall >= 0.95 and not report.non_articles and not report.duplicates and not report.bad_types
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
