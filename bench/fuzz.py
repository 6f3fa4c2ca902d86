"""Fuzz the extractor harder than ``make test`` does, with fresh randomness each run.

usage: python -m bench.fuzz [--random 5000] [--mangled 2000] [--bytes 2000]

Draws random broken HTML, mangled real pages from ../shared/corpus (skipped when absent) and arbitrary
bytes (tests/fuzzing.py has the strategies), runs ``extract_article`` on each and checks the record like
tests/test_fuzz_extract.py does. Instead of stopping at the first failure it counts every exception by
type and place, and prints the smallest input seen for each.
"""

from __future__ import annotations

import argparse
import traceback
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import extract_article
from tests.fuzzing import FETCHED_AT, URLS, check_record, corpus_pages, mangled_pages, random_pages


class Tally:
    """Inputs run, and failures by signature with the shortest example of each."""

    def __init__(self) -> None:
        self.inputs = 0
        self.failures: Counter[str] = Counter()
        self.examples: dict[str, Any] = {}

    def run(self, page: bytes | str, url: str, charset: str | None = None) -> None:
        """Extract one input; remember how it failed, if it did."""
        self.inputs += 1
        try:
            check_record(extract_article(page, url, fetched_at=FETCHED_AT, http_charset=charset))
        except Exception as exc:  # noqa: BLE001 — a fuzzer counts every exception, whatever its type
            frames = traceback.extract_tb(exc.__traceback__)
            where = next(
                (
                    f"{f.filename.rsplit('newscrawl/', 1)[-1]}:{f.lineno}"
                    for f in reversed(frames)
                    if "newscrawl" in f.filename
                ),
                "?",
            )
            signature = f"{type(exc).__name__} in {where}: {str(exc)[:90]}"
            self.failures[signature] += 1
            if signature not in self.examples or len(page) < len(self.examples[signature]):
                self.examples[signature] = page


def main(argv: list[str] | None = None) -> int:
    """Run the three fuzzers; exit 1 when anything raised."""
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz", description=__doc__)
    parser.add_argument("--random", type=int, default=5000, help="random HTML documents")
    parser.add_argument("--mangled", type=int, default=2000, help="mangled corpus pages")
    parser.add_argument("--bytes", type=int, default=2000, help="arbitrary byte strings")
    args = parser.parse_args(argv)
    tally = Tally()

    pages = corpus_pages()
    fuzz = settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
    urls = st.sampled_from(URLS)

    @settings(fuzz, max_examples=max(1, args.random))
    @given(page=random_pages(), url=urls)
    def random_html(page: bytes | str, url: str) -> None:
        tally.run(page, url)

    @settings(fuzz, max_examples=max(1, args.mangled))
    @given(page=mangled_pages(pages), url=urls)
    def mangled(page: tuple[str, bytes | str], url: str) -> None:
        tally.run(page[1], url)

    @settings(fuzz, max_examples=max(1, args.bytes))
    @given(
        data=st.binary(max_size=4096),
        url=urls,
        charset=st.sampled_from((None, "utf-8", "gbk", "big5", "bogus")),
    )
    def raw_bytes(data: bytes, url: str, charset: str | None) -> None:
        tally.run(data, url, charset)

    if args.random:
        random_html()
    if args.mangled and pages:
        mangled()
    elif args.mangled:
        print("bench.fuzz: ../shared/corpus is not present: no mangled pages")
    if args.bytes:
        raw_bytes()
    print(f"bench.fuzz: {tally.inputs} inputs, {sum(tally.failures.values())} raised")
    for signature, n in tally.failures.most_common():
        print(f"  {n:6d}  {signature}\n          e.g. {tally.examples[signature]!r:.240}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
