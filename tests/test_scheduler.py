"""The disk-queue scheduler (newscrawl.scheduler): pending requests on disk in a per-run folder.

Crawls of the demo portal, served from 127.0.0.1, by the real ``newscrawl crawl generic`` command; the
scheduler's stats come from Scrapy's stats dump in the log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from demo.build import build_portal
from demo.serve import serve
from newscrawl.scheduler import remove_stale_folders
from tests.crawls import crawl_command, read_lines, run_crawl


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Any:
    site = tmp_path_factory.mktemp("portal")
    build_portal(site)
    server, base_url = serve(site)
    yield base_url
    server.shutdown()
    server.server_close()


def crawl(base_url: str, cwd: Path, state: Path, *settings: str) -> tuple[dict[str, Any], list[dict]]:
    """Crawl the portal; (Scrapy's final stats, the JSONL records)."""
    out = cwd / "out.jsonl"
    extra = ["-o", str(out), "--no-warc"]
    for setting in ("LOG_LEVEL=INFO", *settings):
        extra += ["-s", setting]
    result = run_crawl(cwd, crawl_command(base_url, state, *extra))
    assert result.returncode == 0, result.stderr[-3000:]
    dump = re.search(r"Dumping Scrapy stats:\s*(\{.*?\})\n", result.stderr, re.DOTALL)
    assert dump, result.stderr[-3000:]
    # The dump is a Python dict repr (datetimes included): keep the numeric lines.
    stats = {k: int(v) for k, v in re.findall(r"'([^']+)': (\d+),?\n", dump.group(1) + "\n")}
    return stats, read_lines(out)


def test_pending_requests_go_to_disk_and_the_folder_goes_at_the_end(portal: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    stats, records = crawl(portal, tmp_path, state)
    assert len(records) == 60  # the demo portal's articles, as with the queue in memory
    assert stats["scheduler/enqueued"] > 100
    # Every request was serialisable: none fell back to the memory queue.
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"]
    assert "scheduler/enqueued/memory" not in stats
    assert "scheduler/unserializable" not in stats
    assert list((state / "queue").iterdir()) == []


def test_the_queue_stays_in_memory_when_turned_off(portal: str, tmp_path: Path) -> None:
    stats, records = crawl(portal, tmp_path, tmp_path / "state", "NEWSCRAWL_DISK_QUEUE=False")
    assert len(records) == 60
    assert stats["scheduler/enqueued/memory"] == stats["scheduler/enqueued"]
    assert "scheduler/enqueued/disk" not in stats
    assert not (tmp_path / "state" / "queue").exists()


def test_a_users_jobdir_wins(portal: str, tmp_path: Path) -> None:
    stats, _ = crawl(portal, tmp_path, tmp_path / "state", f"JOBDIR={tmp_path / 'job'}")
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/enqueued"]
    assert (tmp_path / "job" / "requests.queue").is_dir()  # Scrapy's folder, kept for resuming
    assert not (tmp_path / "state" / "queue").exists()


def test_an_unusable_state_folder_keeps_the_queue_in_memory(portal: str, tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "queue").write_text("not a folder", encoding="utf-8")
    stats, records = crawl(portal, tmp_path, state)
    assert len(records) == 60
    assert stats["scheduler/enqueued/memory"] == stats["scheduler/enqueued"]


def test_folders_of_dead_runs_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = tmp_path / f"{dead.stdout.strip()}-abc123"
    live = tmp_path / f"{os.getpid()}-def456"
    other = tmp_path / "notes"
    for folder in (stale, live, other):
        folder.mkdir()
        (folder / "q00000").write_bytes(b"x")
    assert remove_stale_folders(tmp_path) == [stale]
    assert not stale.exists()
    assert live.exists()
    assert other.exists()
