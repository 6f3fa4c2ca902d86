"""End-to-end: the generic spider on portals it has never seen, served from 127.0.0.1.

The sample portal of ``make demo`` and a second portal with different markup (tests/portals/unseen.py)
are built into a temp folder, served by a loopback server, and crawled by the real ``newscrawl crawl
generic`` command in a subprocess. The output is compared with each portal's manifest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo.build import build_portal
from demo.check import Report, compare, read_jsonl
from demo.serve import serve
from tests.conftest import ROOT
from tests.portals.unseen import build_unseen_portal

FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]


def crawl_portal(
    build: Callable[[Path], dict[str, Any]], tmp: Path
) -> tuple[Report, str, list[dict[str, Any]]]:
    site_dir = tmp / "site"
    site_dir.mkdir()
    manifest = build(site_dir)
    out = tmp / "out.jsonl"
    server, base_url = serve(site_dir)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "newscrawl.cli",
                "crawl",
                "generic",
                "--start-url",
                f"{base_url}/",
                "-o",
                str(out),
                *FAST,
            ],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    records = read_jsonl(out)
    return compare(records, manifest), result.stdout, records


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, str, list[dict[str, Any]]]:
    return crawl_portal(build_portal, tmp_path_factory.mktemp("demo"))


def test_demo_finds_every_article(demo: tuple[Report, str, list[dict[str, Any]]]) -> None:
    report, _, _ = demo
    assert report.expected >= 50
    assert report.missing == []
    assert report.recall >= 0.95


def test_demo_writes_no_non_article_and_no_duplicate(demo: tuple[Report, str, list[dict[str, Any]]]) -> None:
    report, _, _ = demo
    assert report.non_articles == []
    assert report.duplicates == []
    assert report.bad_types == []


def test_demo_fields_match_the_manifest(demo: tuple[Report, str, list[dict[str, Any]]]) -> None:
    report, _, _ = demo
    assert report.wrong == {}


def test_demo_gbk_channel_decoded(demo: tuple[Report, str, list[dict[str, Any]]]) -> None:
    _, _, records = demo
    gbk = [r for r in records if r["encoding"] == "gb18030"]
    assert gbk
    assert all("\ufffd" not in r["body"] for r in records)


def test_demo_summary_line(demo: tuple[Report, str, list[dict[str, Any]]]) -> None:
    report, stdout, _ = demo
    line = next(ln for ln in stdout.splitlines() if ln.startswith("newscrawl:"))
    assert f"{report.found} articles" in line
    assert "coverage title 100%" in line


@pytest.fixture(scope="module")
def unseen(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, str, list[dict[str, Any]]]:
    return crawl_portal(build_unseen_portal, tmp_path_factory.mktemp("unseen"))


def test_unseen_portal_articles_and_fields(unseen: tuple[Report, str, list[dict[str, Any]]]) -> None:
    report, _, records = unseen
    assert report.missing == []
    assert report.non_articles == []
    assert report.duplicates == []
    assert report.bad_types == []
    assert report.wrong == {}
    assert all(r["site"] == "generic" and r["language"] == "zh" for r in records)
