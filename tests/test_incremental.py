"""Scheduled runs end to end: the changing portal crawled again and again with one seen-store.

Run 1 writes every story; run 2 (nothing changed) writes nothing and fetches no story; run 3 (two new
stories, one edited, one removed) writes exactly the new and the edited one, the edited one as version 2;
run 4 (``--refresh``) fetches every story again and writes nothing. Each crawl is the real ``newscrawl
crawl generic`` in a subprocess; what it fetched is read from the loopback server's request log.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawl.runs import EXIT_BELOW_FLOOR, EXIT_OK
from tests.crawls import (
    Portal,
    all_records,
    crawl_command,
    manifests,
    newscrawl,
    output_files,
    path_of,
    read_lines,
    run_crawl,
    served_portal,
)
from tests.portals.changing import EDITED, NEW, REMOVED, published_at, story_path


@dataclass
class Run:
    """One crawl of the scenario: its process, what it wrote and what it fetched."""

    result: subprocess.CompletedProcess[str]
    manifest: dict[str, Any]
    records: list[dict[str, Any]]
    requested: list[str]

    @property
    def articles_requested(self) -> set[str]:
        return {p for p in self.requested if re.fullmatch(r"/news/1\d{4}\.html", p)}


@dataclass
class Scenario:
    portal: Portal
    cwd: Path
    runs: list[Run]


def _crawl(portal: Portal, cwd: Path, *extra: str) -> Run:
    mark = len(portal.server.request_log)
    before = set(output_files(cwd))
    known_manifests = len(manifests(cwd))
    result = run_crawl(cwd, crawl_command(portal.base_url, cwd / "state", *extra))
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    new_files = [p for p in output_files(cwd) if p not in before]
    records = [r for p in new_files for r in read_lines(p)]
    runs = manifests(cwd)
    assert len(runs) == known_manifests + 1, "every run writes exactly one manifest"
    return Run(result, runs[-1], records, portal.log_since(mark))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    tmp = tmp_path_factory.mktemp("incremental")
    cwd = tmp / "work"
    cwd.mkdir()
    with served_portal(tmp / "portal", stage=1) as portal:
        runs = [_crawl(portal, cwd)]
        portal.stage(2)
        runs.append(_crawl(portal, cwd))
        portal.stage(3)
        runs.append(_crawl(portal, cwd))
        runs.append(_crawl(portal, cwd, "--refresh"))
        yield Scenario(portal, cwd, runs)


def _paths(numbers: list[int] | range) -> set[str]:
    return {story_path(n) for n in numbers}


def test_run1_writes_every_story(scenario: Scenario) -> None:
    run = scenario.runs[0]
    assert run.result.returncode == EXIT_OK, run.result.stderr[-3000:]
    assert sorted(path_of(r) for r in run.records) == sorted(_paths(range(1, 12)))
    assert all(r["version"] == 1 for r in run.records)
    m = run.manifest
    assert (m["status"], m["exit_code"], m["complete"]) == ("ok", 0, True)
    assert m["articles"] == {"new": 11, "changed": 0, "unchanged": 0, "written": 11}
    assert m["output"] == f"output/generic/{m['run_id']}.jsonl"
    assert (scenario.cwd / m["output"]).is_file()
    assert m["options"]["stop_paging_at_known"] is False  # first run: nothing to stop at
    assert m["coverage"]["articles"] == 11
    assert m["coverage"]["fields"]["title"] == 1.0
    assert m["coverage"]["below_floor"] == []
    assert m["errors"] == {}
    assert f"run ok ({Path('output/generic/runs') / (m['run_id'] + '.json')})" in run.result.stdout


def test_run2_fetches_no_known_story_and_writes_nothing(scenario: Scenario) -> None:
    run = scenario.runs[1]
    assert run.result.returncode == EXIT_OK, run.result.stderr[-3000:]
    assert run.records == []
    assert run.articles_requested == set(), "a known story was fetched again"
    m = run.manifest
    assert (m["status"], m["exit_code"]) == ("ok", 0)
    assert m["articles"] == {"new": 0, "changed": 0, "unchanged": 0, "written": 0}
    assert m["output"] is None
    assert m["pages"]["skipped_known"] == 11
    assert m["options"]["stop_paging_at_known"] is True


def test_run2_stops_paging_at_a_page_of_known_stories(scenario: Scenario) -> None:
    run = scenario.runs[1]
    assert "/news/list.html" in run.requested
    assert "/news/list_2.html" not in run.requested
    assert run.manifest["pages"]["skipped_pagination"] >= 1


def test_run3_writes_exactly_the_new_and_the_edited_story(scenario: Scenario) -> None:
    run = scenario.runs[2]
    assert run.result.returncode == EXIT_OK, run.result.stderr[-3000:]
    written = {path_of(r): r for r in run.records}
    assert set(written) == _paths([*NEW, EDITED])
    assert len(run.records) == 3
    edited = written[story_path(EDITED)]
    assert edited["version"] == 2
    assert edited["body"].endswith("特此更正。")
    assert all(written[story_path(n)]["version"] == 1 for n in NEW)
    m = run.manifest
    assert m["articles"] == {"new": 2, "changed": 1, "unchanged": 0, "written": 3}
    assert m["pages"]["refetched_lastmod"] == 1
    assert (m["status"], m["exit_code"]) == ("ok", 0)


def test_run3_fetches_only_new_and_edited_stories(scenario: Scenario) -> None:
    run = scenario.runs[2]
    assert run.articles_requested == _paths([*NEW, EDITED])
    assert story_path(REMOVED) not in run.requested
    # The edited story is on the last listing page: only its sitemap lastmod could have found it.
    assert "/news/list_2.html" in run.requested
    assert "/news/list_3.html" not in run.requested


def test_refresh_fetches_every_story_and_writes_no_unchanged_one(scenario: Scenario) -> None:
    run = scenario.runs[3]
    assert run.result.returncode == EXIT_OK, run.result.stderr[-3000:]
    online = [n for n in range(1, 14) if n != REMOVED]
    assert run.articles_requested == _paths(online)
    assert run.records == []
    assert run.manifest["articles"] == {"new": 0, "changed": 0, "unchanged": 12, "written": 0}
    assert run.manifest["options"]["refresh"] is True


def test_every_story_once_per_version_across_runs(scenario: Scenario) -> None:
    records = [r for run in scenario.runs for r in run.records]
    keys = [(path_of(r), r["version"]) for r in records]
    assert len(keys) == len(set(keys)) == 14  # 11 + 2 new + 1 edit


def test_runs_command_lists_the_runs_newest_first(scenario: Scenario) -> None:
    result = newscrawl(scenario.cwd, "runs", "generic", "--state-dir", "state", timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["RUN", "JOB", "STATUS", "EXIT"]
    ids = [m["run_id"] for m in manifests(scenario.cwd)]
    assert [line.split()[0] for line in lines[1:]] == ids[::-1]
    third = next(line for line in lines if line.startswith(scenario.runs[2].manifest["run_id"]))
    assert third.split()[2:4] == ["ok", "0"]
    assert third.split()[6:9] == ["2", "1", "0"]  # new, changed, unchanged
    as_json = newscrawl(scenario.cwd, "runs", "--state-dir", "state", "--json", "--limit", "1", timeout=120)
    assert json.loads(as_json.stdout) == scenario.runs[3].manifest


def test_since_stops_paging_at_old_stories(tmp_path: Path) -> None:
    """With --since, listing pages whose stories are all older end the paging; old stories are skipped."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    with served_portal(tmp_path / "portal") as portal:
        since = published_at(9, portal.base).date()
        mark = len(portal.server.request_log)
        result = run_crawl(cwd, crawl_command(portal.base_url, cwd / "state", "--since", since.isoformat()))
        requested = portal.log_since(mark)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    records = all_records(cwd)
    assert sorted(path_of(r) for r in records) == sorted(_paths([9, 10, 11]))
    assert "/news/list_2.html" in requested  # page 1 still had stories on or after --since
    assert "/news/list_3.html" not in requested  # page 2 had none
    assert not {story_path(n) for n in (1, 2, 3, 4, 5, 6, 7)} & set(requested)
    m = manifests(cwd)[-1]
    assert m["pages"]["skipped_older_than_since"] >= 4
    assert m["options"]["since"] == since.isoformat()
    assert (
        date.fromisoformat(m["options"]["since"]) - timedelta(days=1) == published_at(8, portal.base).date()
    )


def test_a_layout_change_trips_the_coverage_floor(tmp_path: Path) -> None:
    """Article pages that lost their date line: the articles are still written, the run exits 5."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    with served_portal(tmp_path / "portal", layout="changed") as portal:
        result = run_crawl(cwd, crawl_command(portal.base_url, cwd / "state"))
    assert result.returncode == EXIT_BELOW_FLOOR, result.stderr[-3000:]
    m = manifests(cwd)[-1]
    assert (m["status"], m["exit_code"]) == ("below_coverage_floor", EXIT_BELOW_FLOOR)
    assert m["coverage"]["below_floor"] == ["published"]
    assert m["coverage"]["fields"].get("published", 0.0) == 0.0
    assert m["articles"]["written"] == 11
    assert len(read_lines(output_files(cwd)[0])) == 11
    assert "published on 0% of 11 articles, floor 80%" in " ".join(m["problems"])
    assert "newscrawl: error: run below coverage floor (exit 5)" in result.stderr


def test_a_run_level_floor_override(tmp_path: Path) -> None:
    """-s NEWSCRAWL_COVERAGE_FLOOR raises (or adds) a floor for one run."""
    cwd = tmp_path / "work"
    cwd.mkdir()
    with served_portal(tmp_path / "portal") as portal:
        result = run_crawl(
            cwd,
            crawl_command(portal.base_url, cwd / "state", "-s", 'NEWSCRAWL_COVERAGE_FLOOR={"keywords": 0.5}'),
        )
    assert result.returncode == EXIT_BELOW_FLOOR
    assert manifests(cwd)[-1]["coverage"]["below_floor"] == ["keywords"]
