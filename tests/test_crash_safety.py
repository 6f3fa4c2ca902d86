"""kill -9 at any moment loses nothing and doubles nothing.

A real crawl of the changing portal (``newscrawl crawl generic`` in a subprocess) is SIGKILLed at a named
point (``NEWSCRAWL_TEST_HOLD``: the crawl blocks there and drops a marker file; see newscrawl.faults) or
at whatever moment it has reached after N written lines. Then the next ordinary run must finish the
work: every story exactly once across all output files, no torn line left, nothing written before the
crash fetched again, and a manifest for the killed run (``crashed``) written by the run that reconciled it.
"""

from __future__ import annotations

import json
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.runs import EXIT_INTERRUPTED, EXIT_OK, warc_path_for
from newscrawl.warc import index_warc
from tests.crawls import (
    Portal,
    all_records,
    crawl_command,
    manifests,
    output_files,
    path_of,
    read_lines,
    run_crawl,
    served_portal,
    start_crawl,
    wait_until,
)
from tests.portals.changing import story_path

STORIES = {story_path(n) for n in range(1, 12)}
SLOW = (
    "DOWNLOAD_DELAY=0.2",
    "AUTOTHROTTLE_ENABLED=False",
    "RETRY_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    with served_portal(tmp_path_factory.mktemp("portal") / "site") as served:
        yield served


def complete_lines(path: Path) -> int:
    """Lines of a JSONL file that end with a newline (a torn tail does not count)."""
    return path.read_bytes().count(b"\n") if path.exists() else 0


def written_before(cwd: Path) -> set[str]:
    """Story paths of the complete lines on disk now."""
    paths: set[str] = set()
    for path in output_files(cwd):
        raw = path.read_bytes()
        complete = raw[: raw.rfind(b"\n") + 1].decode("utf-8")
        paths |= {path_of(json.loads(line)) for line in complete.splitlines()}
    return paths


def articles_missing_from_warc(cwd: Path) -> set[str]:
    """Fetched URLs of the complete lines on disk whose response is not in the run's WARC file.

    The WARC records are written by a thread of their own; an article must still never reach the JSONL
    before its page reaches the WARC file, or ``reextract`` could not rebuild it after a kill."""
    missing: set[str] = set()
    for path in output_files(cwd):
        raw = path.read_bytes()
        urls = {json.loads(line)["url"] for line in raw[: raw.rfind(b"\n") + 1].decode("utf-8").splitlines()}
        warc = warc_path_for(path)
        archived = (
            {e.url for segment in index_warc(warc) for e in segment.exchanges} if warc.exists() else set()
        )
        missing |= urls - archived
    return missing


def kill_at(portal: Portal, cwd: Path, hold: str, fsync_every: int = 1) -> subprocess.Popen[str]:
    """Start a crawl that blocks at ``hold``, wait until it is there, SIGKILL it.

    ``fsync_every`` 1 makes every line its own group commit, so the points fall line by line."""
    marker = cwd / "hold.marker"
    marker.unlink(missing_ok=True)
    command = crawl_command(
        portal.base_url,
        cwd / "state",
        "-s",
        f"NEWSCRAWL_TEST_HOLD={hold}",
        "-s",
        f"NEWSCRAWL_TEST_HOLD_MARKER={marker}",
        "-s",
        f"NEWSCRAWL_FSYNC_EVERY={fsync_every}",
        "-s",
        "NEWSCRAWL_FSYNC_SECONDS=3600",
    )
    process = start_crawl(cwd, command)
    try:
        wait_until(marker.exists, process)
    finally:
        process.kill()
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    return process


def finish(portal: Portal, cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """An ordinary run after the crash; returns it and the paths it requested."""
    mark = len(portal.server.request_log)
    result = run_crawl(cwd, crawl_command(portal.base_url, cwd / "state"))
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result, portal.log_since(mark)


def assert_every_story_exactly_once(cwd: Path) -> None:
    counts = Counter(path_of(r) for r in all_records(cwd))  # all_records fails on a torn line
    assert counts == Counter(dict.fromkeys(STORIES, 1))


@pytest.mark.parametrize(
    ("hold", "lines_at_kill", "fsync_every"),
    [
        ("listing:1", None, 1),  # while the first listing page's links are being filtered
        ("mid_write:2", 1, 1),  # half of the second line is on disk
        ("after_write:3", 3, 1),  # the third line is fsynced, the seen-store does not know it yet
        ("after_record:4", 4, 1),  # the fourth line is in the store too
        # Group commit (4 lines an fsync): lines 5 and 6 are flushed but neither fsynced nor in the store …
        ("after_write:6", 6, 4),
        # … and the first group is recorded only once all four of its lines are on disk.
        ("after_record:1", 4, 4),
        ("before_manifest:1", 11, 1),  # the crawl is over, no manifest yet
        ("after_manifest:1", 11, 1),  # the manifest is written, the run not yet marked finished
    ],
)
def test_killed_at_a_point_then_the_next_run_finishes_the_work(
    portal: Portal, tmp_path: Path, hold: str, lines_at_kill: int | None, fsync_every: int
) -> None:
    kill_at(portal, tmp_path, hold, fsync_every)
    on_disk = written_before(tmp_path)
    if lines_at_kill is not None:
        assert len(on_disk) == lines_at_kill
    assert articles_missing_from_warc(tmp_path) == set()
    torn = [p for p in output_files(tmp_path) if p.read_bytes() and not p.read_bytes().endswith(b"\n")]
    assert bool(torn) == hold.startswith("mid_write")

    result, requested = finish(portal, tmp_path)

    assert_every_story_exactly_once(tmp_path)
    assert not on_disk & set(requested), "a story written before the crash was fetched again"
    killed, last = manifests(tmp_path)
    if hold.startswith("after_manifest"):
        assert (killed["status"], killed["exit_code"]) == ("ok", 0)  # its own manifest stands
    else:
        assert (killed["status"], killed["exit_code"]) == ("crashed", None)
        assert killed["articles"]["written"] == len(on_disk)
        assert killed["reconciled"]["by_run"] == last["run_id"]
        assert killed["reconciled"]["torn_bytes"] > 0 if torn else killed["reconciled"]["torn_bytes"] == 0
    assert (last["status"], last["exit_code"]) == ("ok", 0)
    assert [r["run_id"] for r in last["reconciled"]] == [killed["run_id"]]
    assert last["articles"]["new"] == 11 - len(on_disk)
    assert f"run ok ({Path('output/generic/runs') / (last['run_id'] + '.json')})" in result.stdout


def test_killed_while_reconciling_a_killed_run(portal: Portal, tmp_path: Path) -> None:
    kill_at(portal, tmp_path, "after_write:2")
    on_disk = written_before(tmp_path)
    kill_at(portal, tmp_path, "reconcile:1")  # the second run dies after recording one of the two lines
    _, requested = finish(portal, tmp_path)
    assert_every_story_exactly_once(tmp_path)
    assert not on_disk & set(requested)
    first, last = manifests(tmp_path)  # the run killed while reconciling never got as far as starting
    assert first["status"] == "crashed"
    assert first["articles"]["written"] == 2
    assert last["status"] == "ok"


def test_killed_at_a_random_moment_after_some_lines(portal: Portal, tmp_path: Path) -> None:
    """No hold: the kill lands wherever the crawl happens to be once five lines are on disk."""
    process = start_crawl(tmp_path, crawl_command(portal.base_url, tmp_path / "state", *_slow(), fast=False))
    try:
        wait_until(lambda: sum(complete_lines(p) for p in output_files(tmp_path)) >= 5, process)
    finally:
        process.kill()
        process.wait(timeout=60)
    on_disk = written_before(tmp_path)
    assert articles_missing_from_warc(tmp_path) == set()
    _, requested = finish(portal, tmp_path)
    assert_every_story_exactly_once(tmp_path)
    assert not on_disk & set(requested)


def test_killed_twice_in_a_row(portal: Portal, tmp_path: Path) -> None:
    kill_at(portal, tmp_path, "after_write:2")
    kill_at(portal, tmp_path, "mid_write:3")  # the second run writes three more, the third torn
    finish(portal, tmp_path)
    assert_every_story_exactly_once(tmp_path)
    statuses = [m["status"] for m in manifests(tmp_path)]
    assert statuses == ["crashed", "crashed", "ok"]


def test_sigint_stops_cleanly_with_exit_130_and_the_next_run_completes(
    portal: Portal, tmp_path: Path
) -> None:
    process = start_crawl(tmp_path, crawl_command(portal.base_url, tmp_path / "state", *_slow(), fast=False))
    wait_until(lambda: sum(complete_lines(p) for p in output_files(tmp_path)) >= 2, process)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=120) == EXIT_INTERRUPTED
    interrupted = manifests(tmp_path)[-1]
    assert (interrupted["status"], interrupted["exit_code"], interrupted["complete"]) == (
        "interrupted",
        130,
        False,
    )
    assert interrupted["finish_reason"] == "shutdown"
    finish(portal, tmp_path)
    assert_every_story_exactly_once(tmp_path)
    last = manifests(tmp_path)[-1]
    # The interrupted run did not finish its crawl: this one walked every listing page again.
    assert last["options"]["stop_paging_at_known"] is False
    assert last["articles"]["new"] == 11 - interrupted["articles"]["written"]


def test_a_torn_line_in_an_appended_output_file_is_repaired(portal: Portal, tmp_path: Path) -> None:
    """With a fixed ``-o`` file every run appends to, a torn tail is cut before the next line goes on."""
    out = tmp_path / "all.jsonl"
    command = [*crawl_command(portal.base_url, tmp_path / "state"), "-o", str(out)]
    marker = tmp_path / "hold.marker"
    process = start_crawl(
        tmp_path,
        [*command, "-s", "NEWSCRAWL_TEST_HOLD=mid_write:4", "-s", f"NEWSCRAWL_TEST_HOLD_MARKER={marker}"],
    )
    try:
        wait_until(marker.exists, process)
    finally:
        process.kill()
        process.wait(timeout=60)
    assert not out.read_bytes().endswith(b"\n")
    result = run_crawl(tmp_path, command)
    assert result.returncode == EXIT_OK, result.stderr[-3000:]
    records = read_lines(out)
    assert Counter(path_of(r) for r in records) == Counter(dict.fromkeys(STORIES, 1))
    runs = sorted((tmp_path / "runs").glob("*.json"))
    assert len(runs) == 2  # manifests go next to the JSONL


def _slow() -> list[str]:
    flags: list[str] = []
    for setting in SLOW:
        flags += ["-s", setting]
    return flags
