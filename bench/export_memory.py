"""Memory of ``newscrawl export`` as the dataset grows: it streams, so peak RSS must not follow the size.

usage: python -m bench.export_memory [--sizes 20000,80000] [--formats jsonl,csv,parquet] [--keep DIR]

Writes synthetic crawl output (Chinese bodies of about 3,000 characters built from a fixed pool of
sentences; every 50th article a repost of another, every 20th a second version), then runs the real
``newscrawl export`` on it in a subprocess per format and size and prints the input size, the peak RSS of
the export process and the time. Nothing is asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
)


def sentences(rng: random.Random, count: int = 3000) -> list[str]:
    """A pool of pseudo-Chinese sentences (fixed by the seed)."""
    return ["".join(rng.choices(COMMON, k=rng.randint(18, 60))) + "。" for _ in range(count)]


def write_dataset(path: Path, articles: int, seed: int = 1) -> int:
    """Synthetic crawl output; returns its size in bytes."""
    rng = random.Random(seed)
    pool = sentences(rng)
    bodies: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        for n in range(articles):
            if n % 50 == 49 and bodies:
                body = "转自：新华网\n\n" + rng.choice(bodies[-200:]) + "\n\n（责任编辑：张三）"
            else:
                body = "\n\n".join("".join(rng.choices(pool, k=12)) for _ in range(5))
            bodies.append(body)
            record = {
                "url": f"http://www.portal{n % 7}.example/news/{n}.html",
                "canonical_url": None,
                "site": "generic",
                "title": body[:20],
                "published": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T09:00+08:00",
                "keywords": [pool[n % len(pool)][:2]],
                "authors": ["记者"],
                "language": "zh",
                "body": body,
                "fetched_at": "2026-11-26T00:00:00+00:00",
                "field_sources": {"title": "meta"},
                "version": 1,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            if n % 20 == 19:
                record.update(version=2, body=body + "\n\n更正。")
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def measure(data: Path, fmt: str, out_dir: Path) -> tuple[float, float, str]:
    """Peak RSS (MB) and seconds of one export, and its summary line."""
    out = out_dir / f"export.{fmt}"
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would report this (parent) process.
    script = (
        "import sys; from newscrawl.cli import main; code = main(sys.argv[1:]); "
        "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]; "
        "print('peak', hwm, file=sys.stderr); sys.exit(code)"
    )
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script, "export", str(data), "-o", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    seconds = time.monotonic() - start
    if result.returncode != 0:
        raise SystemExit(f"export failed: {result.stderr[-2000:]}")
    lines = result.stderr.splitlines()
    peak_kb = int(next(line for line in lines if line.startswith("peak")).split()[1])
    summary = next((line for line in lines if line.startswith("newscrawl:")), "")
    out.unlink()
    return peak_kb / 1024, seconds, summary


def main(argv: list[str] | None = None) -> int:
    """Run the measurements."""
    parser = argparse.ArgumentParser(prog="python -m bench.export_memory", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="20000,80000", help="numbers of articles, comma-separated")
    parser.add_argument("--formats", default="jsonl,csv,parquet")
    parser.add_argument("--keep", type=Path, help="folder for the synthetic data (default: a temp folder)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    formats = args.formats.split(",")
    with tempfile.TemporaryDirectory(prefix="newscrawl-bench-export-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"bench.export_memory: sizes {sizes}; formats {formats}")
        for size in sizes:
            data = folder / f"synthetic-{size}.jsonl"
            megabytes = write_dataset(data, size) / 2**20
            for fmt in formats:
                peak, seconds, summary = measure(data, fmt, folder)
                print(
                    f"{size:>8} articles  {megabytes:8.1f} MB input  {fmt:<8} peak RSS {peak:7.1f} MB  "
                    f"{seconds:7.1f} s  | {summary}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
