"""Helpers for crawl tests against the changing portal: a served portal, crawls in subprocesses, and
readers for what a crawl left behind (JSONL lines, manifests)."""

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

from demo.serve import PortalServer, serve
from tests.conftest import ROOT
from tests.portals.changing import build_changing_portal

FAST = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "RETRY_ENABLED=False",
)


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
    server, base_url = serve(root)
    portal = Portal(root=root, server=server, base_url=base_url, base=base, manifest=manifest)
    try:
        yield portal
    finally:
        server.shutdown()
        server.server_close()


def crawl_command(portal_url: str, state_dir: Path, *extra: str, fast: bool = True) -> list[str]:
    """The ``newscrawl crawl generic`` command line for a portal, with its own state dir."""
    command = [
        sys.executable,
        "-m",
        "newscrawl.cli",
        "crawl",
        "generic",
        "--start-url",
        f"{portal_url}/",
        "--state-dir",
        str(state_dir),
        *extra,
    ]
    for setting in FAST if fast else ():
        command += ["-s", setting]
    return command


def env() -> dict[str, str]:
    """The environment of a crawl subprocess (this checkout first on the path)."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def run_crawl(cwd: Path, command: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a crawl to its end."""
    return subprocess.run(
        command, cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout, check=False
    )


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


def path_of(record: dict[str, Any]) -> str:
    """The URL path of a record's canonical URL."""
    url = record.get("canonical_url") or record["url"]
    return "/" + url.split("/", 3)[3]
