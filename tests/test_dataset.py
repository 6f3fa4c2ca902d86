"""End-to-end: researchers' datasets from real crawls.

The demo portal of ``make demo`` and a second portal that reposts one demo story
(tests/portals/repost.py) are built into a temp folder, served on 127.0.0.1 and crawled by the real
``newscrawl crawl generic`` command in subprocesses (output/generic/<run>.jsonl and .warc.gz under a
temp working folder). Then the real ``newscrawl export``, ``reextract`` and ``report`` commands run on
that output, also in subprocesses.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from demo.build import build_portal
from demo.serve import serving
from newscrawl.dataset.write import EXPORT_FIELDS, LIST_FIELDS
from newscrawl.items import RECORD_FIELDS
from newscrawl.warc import index_warc
from tests.crawls import crawl_command, newscrawl, output_files, read_lines, run_crawl, served_portal
from tests.portals.repost import build_repost_portal


def crawl(cwd: Path, base_url: str, state: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``newscrawl crawl generic`` of a loopback portal, fast settings (retries on), its own seen-store."""
    result = run_crawl(cwd, crawl_command(base_url, state, *extra, retry=True), timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@dataclass
class Crawled:
    """Two crawls' output in one working folder."""

    work: Path
    demo_jsonl: Path
    demo_warc: Path
    repost_jsonl: Path
    repost_warc: Path
    repost_host: str
    repost_title: str
    demo: list[dict[str, Any]]
    repost: list[dict[str, Any]]

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.demo + self.repost


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    tmp = tmp_path_factory.mktemp("dataset")
    work = tmp / "work"
    work.mkdir()
    build_portal(tmp / "demo-site")
    manifest = build_repost_portal(tmp / "repost-site")
    with serving(tmp / "demo-site") as (_, demo_url), serving(tmp / "repost-site") as (_, repost_url):
        crawl(work, demo_url, tmp / "state-demo")
        crawl(work, repost_url, tmp / "state-repost")
    runs = output_files(work)
    assert len(runs) == 2, runs
    demo_jsonl, repost_jsonl = runs
    return Crawled(
        work=work,
        demo_jsonl=demo_jsonl,
        demo_warc=demo_jsonl.with_name(demo_jsonl.stem + ".warc.gz"),
        repost_jsonl=repost_jsonl,
        repost_warc=repost_jsonl.with_name(repost_jsonl.stem + ".warc.gz"),
        repost_host=repost_url.removeprefix("http://"),
        repost_title=manifest["repost"]["title"],
        demo=read_lines(demo_jsonl),
        repost=read_lines(repost_jsonl),
    )


def export(crawled: Crawled, *args: str) -> subprocess.CompletedProcess[str]:
    result = newscrawl(crawled.work, "export", *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def export_jsonl(crawled: Crawled, *args: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in export(crawled, *args).stdout.splitlines()]


def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["url"]: r for r in records}


# --- the crawls ------------------------------------------------------------------------------------


def test_crawls_wrote_jsonl_and_warc(crawled: Crawled) -> None:
    assert len(crawled.demo) == 60
    assert len(crawled.repost) == 4
    assert crawled.demo_warc.is_file()
    assert crawled.repost_warc.is_file()
    manifest = json.loads(
        (crawled.demo_jsonl.parent / "runs" / f"{crawled.demo_jsonl.stem}.json").read_text()
    )
    assert manifest["warc"] == str(Path("output") / "generic" / crawled.demo_warc.name)


# --- export: formats round-trip -------------------------------------------------------------------------


def test_export_jsonl_round_trips(crawled: Crawled) -> None:
    rows = export_jsonl(crawled)
    assert len(rows) == len(crawled.records)
    assert list(rows[0]) == list(EXPORT_FIELDS)
    exported = by_url(rows)
    for record in crawled.records:
        row = exported[record["url"]]
        assert {k: row[k] for k in RECORD_FIELDS} == {k: record[k] for k in RECORD_FIELDS}


def test_export_csv_round_trips_with_bom(crawled: Crawled, tmp_path: Path) -> None:
    out = tmp_path / "dataset.csv"
    result = export(crawled, "-o", str(out), "--bom")
    assert f"exported {len(crawled.records)} articles" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == len(crawled.records)
    exported = by_url(rows)
    for record in crawled.records:
        row = exported[record["url"]]
        for name in RECORD_FIELDS:
            value = record[name]
            if name in LIST_FIELDS:
                assert row[name] == " | ".join(value)
                assert (row[name].split(" | ") if row[name] else []) == value
            elif name == "field_sources":
                assert json.loads(row[name]) == value
            elif value is None:
                assert row[name] == ""
            else:
                assert row[name] == str(value)


def test_export_parquet_round_trips_with_list_columns(crawled: Crawled, tmp_path: Path) -> None:
    out = tmp_path / "dataset.parquet"
    export(crawled, "-o", str(out))
    table = pq.read_table(out)
    assert table.num_rows == len(crawled.records)
    types = {name: table.schema.field(name).type for name in ("authors", "field_sources", "version", "title")}
    assert pa.types.is_list(types["authors"])
    assert pa.types.is_string(types["authors"].value_type)
    assert pa.types.is_map(types["field_sources"])
    assert pa.types.is_int32(types["version"])
    assert pa.types.is_string(types["title"])
    exported = by_url(table.to_pylist())
    for record in crawled.records:
        row = exported[record["url"]]
        for name in RECORD_FIELDS:
            value = row[name]
            if name == "field_sources":
                value = dict(value) if value is not None else None
            assert value == record[name], name


def test_export_fields_and_format_option(crawled: Crawled) -> None:
    out = export(crawled, "--format", "csv", "--fields", "title,url,cluster_id").stdout
    rows = list(csv.reader(out.splitlines()))
    assert rows[0] == ["title", "url", "cluster_id"]
    assert len(rows) == len(crawled.records) + 1


# --- export: filters ---------------------------------------------------------------------------------


def test_filter_site_by_portal_host(crawled: Crawled) -> None:
    rows = export_jsonl(crawled, "--site", crawled.repost_host)
    assert sorted(r["url"] for r in rows) == sorted(r["url"] for r in crawled.repost)


def test_filter_since_until_by_published_day(crawled: Crawled) -> None:
    rows = export_jsonl(crawled, "--since", "2026-11-01", "--until", "2026-11-10")
    expected = [
        r for r in crawled.records if r["published"] and "2026-11-01" <= r["published"][:10] <= "2026-11-10"
    ]
    assert 0 < len(rows) < len(crawled.records)
    assert sorted(r["url"] for r in rows) == sorted(r["url"] for r in expected)


def test_filter_keyword_contains_and_language(crawled: Crawled) -> None:
    keyword = next(k for r in crawled.demo for k in r["keywords"])
    rows = export_jsonl(crawled, "--keyword", keyword)
    assert rows
    assert sorted(r["url"] for r in rows) == sorted(
        r["url"] for r in crawled.records if keyword in r["keywords"]
    )
    rows = export_jsonl(crawled, "--contains", "柑橘")
    assert [r["title"] for r in rows] == ["川北山区柑橘迎来采摘季"]
    assert len(export_jsonl(crawled, "--lang", "zh")) == len(crawled.records)
    assert export_jsonl(crawled, "--lang", "en") == []
    both = export_jsonl(crawled, "--site", crawled.repost_host, "--contains", "柑橘", "--contains", "机器人")
    assert sorted(r["title"] for r in both) == ["川北中学生机器人大赛落幕", "川北山区柑橘迎来采摘季"]


# --- export: near-duplicates and versions ------------------------------------------------------------


def test_repost_shares_cluster_with_original_and_nothing_else(crawled: Crawled) -> None:
    rows = export_jsonl(crawled)
    demo_urls = {r["url"] for r in crawled.demo}
    copies = [r for r in rows if r["title"] == crawled.repost_title]
    assert len(copies) == 2
    assert sum(r["url"] in demo_urls for r in copies) == 1
    cluster = copies[0]["cluster_id"]
    assert copies[1]["cluster_id"] == cluster
    assert {r["cluster_size"] for r in copies} == {2}
    others = [r for r in rows if r["title"] != crawled.repost_title]
    assert all(r["cluster_id"] != cluster and r["cluster_size"] == 1 for r in others)
    assert len({r["cluster_id"] for r in others}) == len(others)
    # Stable ids: the same export gives the same clusters; the order of the inputs does not matter.
    again = export_jsonl(crawled, str(crawled.repost_jsonl), str(crawled.demo_jsonl))
    assert {r["url"]: r["cluster_id"] for r in again} == {r["url"]: r["cluster_id"] for r in rows}


def test_latest_version_kept_unless_all_versions(crawled: Crawled, tmp_path: Path) -> None:
    changed = dict(crawled.repost[1])
    changed.update(
        version=2, body=changed["body"] + "\n\n更正：比赛共有十三支队伍获得一等奖。", content_hash="x"
    )
    later = tmp_path / "later.jsonl"
    later.write_text(json.dumps(changed, ensure_ascii=False) + "\n", encoding="utf-8")
    rows = export_jsonl(crawled, str(crawled.repost_jsonl), str(later))
    assert len(rows) == 4
    assert next(r for r in rows if r["url"] == changed["url"])["version"] == 2
    rows = export_jsonl(crawled, str(crawled.repost_jsonl), str(later), "--all-versions")
    versions = [r for r in rows if r["url"] == changed["url"]]
    assert sorted(r["version"] for r in versions) == [1, 2]
    assert len({r["cluster_id"] for r in versions}) == 1  # versions of one article: one cluster


# --- reextract ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["demo", "repost"])
def test_reextract_gives_the_crawls_records(crawled: Crawled, tmp_path: Path, which: str) -> None:
    warc = crawled.demo_warc if which == "demo" else crawled.repost_warc
    expected = crawled.demo if which == "demo" else crawled.repost
    out = tmp_path / "again.jsonl"
    # No network: the portals' servers are gone by now.
    result = newscrawl(crawled.work, "reextract", str(warc), "-o", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_lines(out)
    assert records == expected  # every field, fetched_at (the WARC-Date) and version included, same order
    assert f"reextracted {len(expected)} articles" in result.stderr
    assert f"(the crawl wrote {len(expected)})" in result.stderr
    info = json.loads(index_warc(warc)[0].info["newscrawl-site"])
    assert info["name"] == "generic"
    assert info["start_urls"] == [f"http://{urlsplit(expected[0]['url']).netloc}/"]


def test_reextract_all_pages_finds_the_same_articles(crawled: Crawled) -> None:
    result = newscrawl(crawled.work, "reextract", str(crawled.demo_warc), "--all")
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["url"] for r in records) == sorted(r["url"] for r in crawled.demo)
    assert re.search(r"skipped .*duplicate 20", result.stderr)


def test_crawl_without_warc(tmp_path: Path) -> None:
    build_repost_portal(tmp_path / "site")
    with serving(tmp_path / "site") as (_, base_url):
        crawl(tmp_path, base_url, tmp_path / "state", "--no-warc")
    assert len(list((tmp_path / "output" / "generic").glob("*.jsonl"))) == 1
    assert list((tmp_path / "output" / "generic").glob("*.warc.gz")) == []


# --- report ------------------------------------------------------------------------------------------


def find_chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.fixture(scope="module")
def report(crawled: Crawled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = newscrawl(crawled.work, "report", "-o", str(out), "--title", "青川 dataset")
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_report_is_self_contained_and_has_its_card(crawled: Crawled, report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html)  # nothing fetched from anywhere
    assert "<script" not in html
    card = report.with_suffix(".md").read_text(encoding="utf-8")
    assert f"**Articles:** {len(crawled.records)}" in card
    assert "**Published:** 2026-10-01 to 2026-11-25" in card
    assert "| `published` | str or null | 100% |" in card
    assert "**Near-duplicates:** 63 clusters; 2 articles have a near-duplicate" in card
    assert crawled.demo_jsonl.stem in card  # the crawl runs it came from
    assert crawled.repost_host in card


def test_report_renders_in_chromium_with_charts(report: Path, tmp_path: Path) -> None:
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        report.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "青川 dataset" in dom
    charts = dict(re.findall(r'<svg data-chart="([\w-]+)".*?>(.*?)</svg>', dom, flags=re.DOTALL))
    assert set(charts) == {"per-day", "coverage", "sources", "authors", "keywords", "duplicates"}
    marks = {name: len(re.findall(r'<rect class="mark"', svg)) for name, svg in charts.items()}
    assert marks["coverage"] == 2 * 13  # two sites × the fields shown
    assert marks["duplicates"] == 2 * 2  # two sites × (with / without a near-duplicate)
    assert marks["per-day"] >= 30  # days with articles, one mark per site and day
    assert all(marks[name] >= 5 for name in ("sources", "authors", "keywords"))


def test_reextract_keeps_the_versions_of_a_later_run(tmp_path: Path) -> None:
    """Run 1 of the changing portal writes every story; run 3 writes the new ones and the edited one as
    version 2. Re-extracting run 3's WARC gives run 3's records, versions included; exporting both runs
    keeps the edited story's version 2 only."""
    work = tmp_path / "work"
    work.mkdir()
    with served_portal(tmp_path / "portal", stage=1) as portal:
        assert run_crawl(work, crawl_command(portal.base_url, work / "state")).returncode == 0
        portal.stage(3)
        assert run_crawl(work, crawl_command(portal.base_url, work / "state")).returncode == 0
    first, third = output_files(work)
    later = read_lines(third)
    assert sorted(r["version"] for r in later) == [1, 1, 2]
    out = tmp_path / "again.jsonl"
    result = newscrawl(work, "reextract", str(third.with_name(third.stem + ".warc.gz")), "-o", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert read_lines(out) == later
    rows = [json.loads(line) for line in newscrawl(work, "export").stdout.splitlines()]
    edited = next(r for r in later if r["version"] == 2)
    assert [r["version"] for r in rows if r["url"] == edited["url"]] == [2]
    assert len(rows) == len(read_lines(first)) + 2  # every story once; the removed one is still in run 1
