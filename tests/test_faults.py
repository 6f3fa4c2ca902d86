"""The fault suite: a real crawl (``newscrawl crawl generic`` in a subprocess) of a loopback portal that
misbehaves in one way per scenario (tests/portals/faults.py). For each: the crawl ends by itself, every
good article is written exactly once, and the fault is counted in the run manifest's ``errors``."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newscrawl.extract import extract_article
from newscrawl.runs import EXIT_OK
from tests.crawls import all_records, crawl_command, manifests, run_crawl, url_path
from tests.portals.faults import MAXSIZE, SCENARIOS, Served, control_page, serve_scenario, title_of

SETTINGS = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "RETRY_ENABLED=True",
    "RETRY_TIMES=2",
    "DOWNLOAD_TIMEOUT=2",
    f"DOWNLOAD_MAXSIZE={MAXSIZE}",
    f"DOWNLOAD_WARNSIZE={MAXSIZE // 2}",
)


@dataclass
class Outcome:
    """What one fault crawl left behind."""

    result: subprocess.CompletedProcess[str]
    written: Counter[str]
    records: list[dict[str, Any]]
    manifest: dict[str, Any]
    served: Served

    @property
    def errors(self) -> dict[str, int]:
        return self.manifest["errors"]

    def stat(self, name: str) -> Any:
        """A value from the crawl's final stats dump (in its log)."""
        for line in self.result.stderr.splitlines():
            if line.strip().startswith(f"'{name}':"):
                return json.loads(line.split(":", 1)[1].strip().rstrip(",").replace("'", '"'))
        return None


def crawl_scenario(name: str, cwd: Path) -> Outcome:
    """Serve a scenario, crawl it to its end, read what the crawl wrote."""
    scenario = SCENARIOS[name]
    with serve_scenario(name) as served:
        extra: list[str] = []
        for setting in (*SETTINGS, *scenario.settings):
            extra += ["-s", setting]
        result = run_crawl(
            cwd, crawl_command(served.base_url, cwd / "state", *extra, fast=False), timeout=240
        )
    records = all_records(cwd)
    written = Counter(url_path(r["url"]) for r in records)
    return Outcome(result, written, records, manifests(cwd)[-1], served)


def _offsite_host_available() -> bool:
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_crawl_ends_with_every_good_article_once_and_the_fault_counted(name: str, tmp_path: Path) -> None:
    if name == "redirect_offsite" and not _offsite_host_available():
        pytest.skip("127.0.0.2 cannot be bound here")
    outcome = crawl_scenario(name, tmp_path)
    assert outcome.result.returncode == EXIT_OK, outcome.result.stderr[-4000:]
    assert_only_download_errors_logged(outcome.result.stderr)
    assert set(outcome.written) == SCENARIOS[name].expected
    assert max(outcome.written.values()) == 1, "an article was written twice"
    assert outcome.manifest["status"] == "ok"
    CHECKS[name](outcome)


# Scrapy logs a request that failed for good with its traceback; these are the download failures.
DOWNLOAD_EXCEPTIONS = frozenset(
    {
        "scrapy.exceptions.DownloadTimeoutError",
        "scrapy.exceptions.DownloadFailedError",
        "scrapy.exceptions.DownloadCancelledError",
        "scrapy.exceptions.ResponseDataLossError",
        "twisted.internet.defer.CancelledError",
    }
)
_EXCEPTION_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception))(?::|$)", re.MULTILINE)


def assert_only_download_errors_logged(stderr: str) -> None:
    """No traceback but those of download failures (no crash in a middleware, spider or pipeline)."""
    raised = set(_EXCEPTION_LINE.findall(stderr))
    assert raised <= DOWNLOAD_EXCEPTIONS, (
        f"unexpected exceptions {raised - DOWNLOAD_EXCEPTIONS}:\n{stderr[-4000:]}"
    )
    for sign in ("Unhandled error", "Error processing", "Error caught on signal handler", "Spider error"):
        assert sign not in stderr, stderr[-4000:]


def _has(outcome: Outcome, *kinds: str) -> None:
    for kind in kinds:
        assert outcome.errors.get(kind, 0) >= 1, f"{kind} not counted: {outcome.errors}"


def check_http_5xx(outcome: Outcome) -> None:
    _has(outcome, "http/500", "http/502", "http/503")
    assert outcome.served.server.hits["/news/2003.html"] == 2  # the retry got the article


def check_http_429(outcome: Outcome) -> None:
    _has(outcome, "http/429")
    assert outcome.stat("newscrawl/retry_after/honoured") == 1
    assert outcome.stat("newscrawl/retry_after/seconds") == 1.0
    assert "retrying in 1s (Retry-After)" in outcome.result.stderr


def check_reset(outcome: Outcome) -> None:
    _has(outcome, "download/DownloadFailedError")
    assert outcome.served.server.hits["/news/2005.html"] == 3  # tried, then retried twice


def check_timeout(outcome: Outcome) -> None:
    _has(outcome, "download/DownloadTimeoutError")


def check_slow_drip(outcome: Outcome) -> None:
    _has(outcome, "download/DownloadTimeoutError")


def check_truncated(outcome: Outcome) -> None:
    _has(outcome, "download/ResponseDataLossError")


def check_content_length(outcome: Outcome) -> None:
    _has(outcome, "download/ResponseDataLossError")


def check_redirect_loop(outcome: Outcome) -> None:
    _has(outcome, "redirect/loop", "redirect/too_many")
    hops = sum(n for path, n in outcome.served.server.hits.items() if path.startswith("/hop/"))
    assert hops <= 6  # REDIRECT_MAX_TIMES (5) hops, then dropped


def check_redirect_offsite(outcome: Outcome) -> None:
    _has(outcome, "redirect/offsite")
    assert outcome.served.offsite is not None
    assert sum(outcome.served.offsite.hits.values()) == 0, "the off-site redirect was followed"


def check_trap_calendar(outcome: Outcome) -> None:
    _has(outcome, "trap/depth_limit")
    days = [p for p in outcome.served.server.hits if p.startswith("/cal/")]
    assert len(days) <= 2 * 8 + 1  # DEPTH_LIMIT 8 in each direction


def check_trap_pagination(outcome: Outcome) -> None:
    _has(outcome, "trap/pagination")
    pages = [p for p in outcome.served.server.hits if p.startswith("/list/")]
    assert len(pages) == 15


def check_maxsize(outcome: Outcome) -> None:
    assert outcome.errors.get("download/too_large", 0) >= 2, outcome.errors


def check_gzip_bomb(outcome: Outcome) -> None:
    _has(outcome, "download/too_large")


def check_xml_bomb(outcome: Outcome) -> None:
    _has(outcome, "xml/entities")
    assert outcome.served.server.hits["/sitemap.xml"] == 1


def check_charset(outcome: Outcome) -> None:
    assert outcome.errors.get("charset/mismatch") == 2, outcome.errors
    titles = {r["url"].rsplit("/", 1)[1]: r["title"] for r in outcome.records}
    assert titles["2017.html"] == title_of(2017)
    assert titles["2018.html"] == title_of(2018)


def check_malformed(outcome: Outcome) -> None:
    assert outcome.errors.get("page/malformed_html") == 1, outcome.errors  # only the broken page
    record = next(r for r in outcome.records if r["url"].endswith("/2019.html"))
    assert record["title"] == title_of(2019)
    assert record["published"].startswith("2026-11-02T09:30")
    assert len(record["body"].split("\n\n")) == 5


def check_control_characters(outcome: Outcome) -> None:
    try:
        extract_article(control_page(), "http://127.0.0.1/news/2022.html")
        refused = False
    except ValueError:
        refused = True
    # Counted (and extracted again without them) exactly when the extractor refuses the page as it is.
    assert outcome.errors.get("page/control_characters", 0) == int(refused), outcome.errors
    record = next(r for r in outcome.records if r["url"].endswith("/2022.html"))
    assert record["title"] == title_of(2022)


def check_binary(outcome: Outcome) -> None:
    assert outcome.errors.get("page/binary") == 2, outcome.errors


CHECKS = {name[len("check_") :]: check for name, check in globals().items() if name.startswith("check_")}


def test_every_scenario_has_a_check() -> None:
    assert set(CHECKS) == set(SCENARIOS)
