"""Date parsing speed: newscrawl's fast path against dateparser on the same strings.

usage: python -m bench.date_speed [--n N]

The strings are the common shapes of Chinese portal dates (and an ISO one). Both parsers run in this
process over the same list; dateparser gets the settings newscrawl would give it (languages, past).
Target: the fast path ≥ 100,000 dates/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SAMPLES = (
    "2021-09-03 16:39:39",
    "2021-09-03 16:39",
    "2021年09月03日 16:39",
    "2021年9月3日",
    "2021/9/3 8:05",
    "2021.09.03",
    "2021-09-03T16:39:39+08:00",
    "发布时间：2021-09-03 16:39:39",
)
TARGET = 100_000


def main(argv: list[str] | None = None) -> int:
    """Print dates/s of both parsers and their ratio."""
    parser = argparse.ArgumentParser(prog="python -m bench.date_speed", description=__doc__)
    parser.add_argument("--n", type=int, default=200_000, help="fast-path parses to time")
    args = parser.parse_args(argv)

    from newscrawl.extract.dates import parse_date  # noqa: PLC0415

    tz = ZoneInfo("Asia/Shanghai")
    fetched = datetime(2026, 11, 26, tzinfo=UTC)
    strings = [SAMPLES[i % len(SAMPLES)] for i in range(args.n)]
    for s in SAMPLES:  # same answers, checked before timing
        assert parse_date(s, tz=tz, fetched_at=fetched) is not None, s

    start = time.perf_counter()
    for s in strings:
        parse_date(s, tz=tz, fetched_at=fetched)
    fast = args.n / (time.perf_counter() - start)

    import dateparser  # noqa: PLC0415

    settings = {"PREFER_DATES_FROM": "past", "TIMEZONE": "Asia/Shanghai", "RETURN_AS_TIMEZONE_AWARE": True}
    slow_n = max(len(SAMPLES) * 50, args.n // 500)
    dateparser.parse(SAMPLES[0], languages=["zh"], settings=settings)  # warm up its caches
    start = time.perf_counter()
    for s in strings[:slow_n]:
        dateparser.parse(s, languages=["zh"], settings=settings)
    slow = slow_n / (time.perf_counter() - start)

    print(f"bench.date_speed: {len(SAMPLES)} date shapes")
    print(
        f"  newscrawl fast path {fast:12,.0f} dates/s ({args.n:,} parses)  target ≥ {TARGET:,} "
        f"{'✓' if fast >= TARGET else '✗'}"
    )
    print(f"  dateparser          {slow:12,.0f} dates/s ({slow_n:,} parses)")
    print(f"  ratio               {fast / slow:12,.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
