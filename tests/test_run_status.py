"""Exit codes of real crawls for schedulers (nothing fetched, too many errors, another run in progress)
and the politeness defaults a portal sees (robots.txt, User-Agent with the contact URL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.serve import free_port
from newscrawl.runs import EXIT_LOCKED, EXIT_NOTHING_FETCHED, EXIT_OK, EXIT_TOO_MANY_ERRORS
from tests.crawls import crawl_command, manifests, run_crawl, served_portal, start_crawl, wait_until
from tests.loopback import PageServer

HOME = """<html><head><meta charset="utf-8"><title>首页</title></head><body><ul>
<li><a href="/news/20261126/10001.html">一</a></li><li><a href="/news/20261126/10002.html">二</a></li>
<li><a href="/news/20261126/10003.html">三</a></li><li><a href="/news/20261126/10004.html">四</a></li>
<li><a href="/private/20261126/10005.html">五</a></li></ul></body></html>"""


@pytest.fixture
def broken() -> Iterator[PageServer]:
    """A home page whose article links all answer 500; robots.txt forbids /private/. Records requests."""
    pages = {
        "/robots.txt": (b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/": (HOME.encode(), "text/html; charset=utf-8"),
    }
    with PageServer(pages, by_path=True, default=(500, b"<html>oops</html>", "text/html")) as server:
        yield server


def test_nothing_fetched_exits_3(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, crawl_command(f"http://127.0.0.1:{free_port()}", tmp_path / "state"))
    assert result.returncode == EXIT_NOTHING_FETCHED, result.stderr[-3000:]
    m = manifests(tmp_path)[-1]
    assert (m["status"], m["exit_code"], m["pages"]["ok"]) == ("nothing_fetched", 3, 0)
    assert any(kind.startswith("download/") for kind in m["errors"])
    assert "newscrawl: error: run nothing fetched (exit 3)" in result.stderr


def test_too_many_errors_exits_4(tmp_path: Path, broken: PageServer) -> None:
    result = run_crawl(tmp_path, crawl_command(broken.base_url, tmp_path / "state"))
    assert result.returncode == EXIT_TOO_MANY_ERRORS, result.stderr[-3000:]
    m = manifests(tmp_path)[-1]
    assert (m["status"], m["exit_code"]) == ("too_many_errors", 4)
    assert m["errors"] == {"http/500": 4}
    assert m["error_rate"] > 0.5


def test_robots_txt_is_obeyed_and_the_user_agent_names_the_contact(
    tmp_path: Path, broken: PageServer
) -> None:
    command = crawl_command(
        broken.base_url, tmp_path / "state", "--contact", "https://example.org/crawler-contact"
    )
    run_crawl(tmp_path, command)
    paths = [p for p, _ in broken.requests]
    assert paths[0] == "/robots.txt"
    assert not any(p.startswith("/private/") for p in paths)
    assert manifests(tmp_path)[-1]["pages"]["robots_forbidden"] == 1
    agents = {ua for _, ua in broken.requests}
    assert agents == {"newscrawl/0.1.0 (+https://example.org/crawler-contact)"}


def test_a_user_agent_given_per_run_wins(tmp_path: Path, broken: PageServer) -> None:
    command = crawl_command(
        broken.base_url, tmp_path / "state", "--contact", "https://x.org/", "-s", "USER_AGENT=my-bot/1.0"
    )
    run_crawl(tmp_path, command)
    assert {ua for _, ua in broken.requests} == {"my-bot/1.0"}


def test_a_second_run_while_one_is_running_exits_75(tmp_path: Path) -> None:
    with served_portal(tmp_path / "portal") as portal:
        marker = tmp_path / "hold.marker"
        first = start_crawl(
            tmp_path,
            crawl_command(
                portal.base_url,
                tmp_path / "state",
                "-s",
                "NEWSCRAWL_TEST_HOLD=after_write:1",
                "-s",
                f"NEWSCRAWL_TEST_HOLD_MARKER={marker}",
            ),
        )
        try:
            wait_until(marker.exists, first)
            second = run_crawl(tmp_path, crawl_command(portal.base_url, tmp_path / "state"))
        finally:
            first.kill()
            first.wait(timeout=60)
        assert second.returncode == EXIT_LOCKED, second.stderr[-3000:]
        errors = [line for line in second.stderr.splitlines() if line.startswith("newscrawl: error:")]
        assert errors == ["newscrawl: error: run already running (exit 75); see the log above"]
        assert "another run holds" in second.stderr
        assert manifests(tmp_path) == []  # the refused run has none; the killed one is reconciled later
        third = run_crawl(tmp_path, crawl_command(portal.base_url, tmp_path / "state"))
    assert third.returncode == EXIT_OK, third.stderr[-3000:]
    assert [m["status"] for m in manifests(tmp_path)] == ["crashed", "ok"]
