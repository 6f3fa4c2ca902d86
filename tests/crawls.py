"""Helpers for crawl tests: the changing portal served, the ``newscrawl`` CLI and crawls in subprocesses,
and readers for what a crawl left behind (JSONL lines, manifests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from demo.crawl import NO_POLITENESS, cli_command, generic_crawl_command
from demo.serve import PortalServer, serving
from tests.conftest import ROOT
from tests.portals.changing import build_changing_portal

FAST = (*NO_POLITENESS, "RETRY_ENABLED=False")
"""The settings of a test crawl of a loopback portal: no politeness, no retries."""


@dataclass
class Portal:
    """The changing portal behind one loopback server (same address for every stage)."""

    root: Path
    server: PortalServer
    base_url: str
    base: datetime
    manifest: dict[str, Any] = field(default_factory=dict)

    def stage(self, number: int, **kwargs: Any) -> dict[str, Any]:
        """Rebuild the portal as it is at ``number``; returns its manifest."""
        if number == 3:
            kwargs.setdefault("edited_at", datetime.now(UTC) + timedelta(seconds=1))
        self.manifest = build_changing_portal(self.root, number, self.base, **kwargs)
        return self.manifest

    def log_since(self, mark: int) -> list[str]:
        """Request paths the server saw after ``mark`` (a length of the log)."""
        return list(self.server.request_log[mark:])


@contextmanager
def served_portal(root: Path, stage: int = 1, **kwargs: Any) -> Iterator[Portal]:
    """The changing portal at ``stage``, served on 127.0.0.1 for the duration of the block."""
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    manifest = build_changing_portal(root, stage, base, **kwargs)
    with serving(root) as (server, base_url):
        yield Portal(root=root, server=server, base_url=base_url, base=base, manifest=manifest)


def crawl_command(
    portal_url: str, state_dir: Path | None, *extra: str, fast: bool = True, retry: bool = False
) -> list[str]:
    """The ``newscrawl crawl generic`` command line for a portal.

    With its own ``--state-dir`` (none when ``state_dir`` is None), then ``extra``, then the
    :data:`FAST` settings (none when ``fast`` is false; Scrapy's retries left on when ``retry``).
    """
    state = ["--state-dir", str(state_dir)] if state_dir is not None else []
    settings = (NO_POLITENESS if retry else FAST) if fast else ()
    return generic_crawl_command(portal_url, *state, *extra, settings=settings)


def env() -> dict[str, str]:
    """The environment of a crawl subprocess (this checkout first on the path)."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def run_crawl(cwd: Path, command: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a command (a crawl, usually) in ``cwd`` to its end, this checkout first on the path."""
    return subprocess.run(
        command, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout, check=False
    )


def newscrawl(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``newscrawl ARGS`` (the real CLI, in a subprocess) in ``cwd`` to its end."""
    return run_crawl(cwd, cli_command(*args), timeout)


def scrapy(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``scrapy ARGS`` (``python -m scrapy``, in a subprocess) in ``cwd`` to its end."""
    return run_crawl(cwd, [sys.executable, "-m", "scrapy", *args], timeout)


def start_crawl(cwd: Path, command: list[str]) -> subprocess.Popen[str]:
    """Start a crawl in the background (its output goes to files in ``cwd``)."""
    # The child keeps its own copies of the descriptors; the parent's are closed at once.
    with (
        (cwd / "crawl.out").open("a", encoding="utf-8") as out,
        (cwd / "crawl.err").open("a", encoding="utf-8") as err,
    ):
        return subprocess.Popen(command, cwd=cwd, env=env(), stdout=out, stderr=err, text=True)


def wait_until(predicate: Any, process: subprocess.Popen[str] | None = None, timeout: float = 120) -> None:
    """Poll until ``predicate()`` holds; fail if the process ends first or it takes unreasonably long."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the crawl ended (exit {process.returncode}) before the awaited moment")
        if time.monotonic() > deadline:
            raise AssertionError("the awaited moment never came")
        time.sleep(0.05)


def output_files(cwd: Path) -> list[Path]:
    """The JSONL files a generic crawl wrote under ``cwd``, oldest first."""
    return sorted((cwd / "output" / "generic").glob("*.jsonl"))


def read_lines(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSONL file, parsed (a torn line fails the test)."""
    raw = path.read_bytes()
    assert not raw or raw.endswith(b"\n"), f"{path} ends with a torn line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def all_records(cwd: Path) -> list[dict[str, Any]]:
    """The records of every output file of a crawl folder."""
    return [r for path in output_files(cwd) for r in read_lines(path)]


def manifests(cwd: Path) -> list[dict[str, Any]]:
    """Every run manifest under ``cwd``, by run id."""
    files = sorted((cwd / "output" / "generic" / "runs").glob("*.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def url_path(url: str) -> str:
    """The path (and query) of an absolute URL."""
    return "/" + url.split("/", 3)[3]


def path_of(record: dict[str, Any]) -> str:
    """The URL path of a record's canonical URL."""
    return url_path(record.get("canonical_url") or record["url"])
