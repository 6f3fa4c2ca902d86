"""End-to-end: the generic spider on portals it has never seen, served from 127.0.0.1.

The sample portal of ``make demo`` and a second portal with different markup (tests/portals/unseen.py)
are built into a temp folder, served by a loopback server, and crawled by the real ``newscrawl crawl
generic`` command in a subprocess. The output is compared with each portal's manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from demo.build import build_portal
from demo.check import Report, compare
from demo.serve import serving
from tests.crawls import crawl_command, read_lines, run_crawl
from tests.portals.unseen import build_unseen_portal


def crawl_portal(
    build: Callable[[Path], dict[str, Any]], tmp: Path
) -> tuple[Report, str, list[dict[str, Any]]]:
    """Build a portal in ``tmp``, crawl it (retries on, default state dir), compare with its manifest."""
    site_dir = tmp / "site"
    site_dir.mkdir()
    manifest = build(site_dir)
    out = tmp / "out.jsonl"
    with serving(site_dir) as (_, base_url):
        result = run_crawl(tmp, crawl_command(base_url, None, "-o", str(out), retry=True), timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    records = read_lines(out)
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
