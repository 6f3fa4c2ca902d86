"""Progress: the terminal status line (unit and on a real pseudo-terminal) and the periodic log line."""

from __future__ import annotations

import io
import logging
import os
import pty
import subprocess
import threading
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.extensions.progress import RunLogStats, StatusLine, status_text
from newscrawl.spiders.hnr import HnrSpider
from tests.crawls import crawl_command, env, served_portal

STATS = {
    "response_received_count": 42,
    "newscrawl/articles_written": 7,
    "newscrawl/articles/new": 6,
    "newscrawl/articles/changed": 1,
    "newscrawl/articles/unchanged": 2,
    "newscrawl/skipped/known": 30,
    "downloader/response_status_count/500": 3,
}


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_status_text() -> None:
    assert status_text(STATS, 10.5) == (
        "pages 42 · articles 7 (6 new, 1 changed, 2 unchanged) · 30 known skipped · errors 3 · "
        "4.0 pages/s · 0:00:10"
    )
    assert status_text({}, 0).startswith("pages 0 · articles 0 (0 new")
    assert status_text({}, 3725).endswith("1:02:05")


@pytest.mark.parametrize(
    ("tty", "setting", "enabled"),
    [
        (True, None, True),
        (False, None, False),
        (True, False, False),
        (False, True, True),
        (True, "auto", True),
    ],
)
def test_status_line_is_on_for_terminals(tty: bool, setting: object, enabled: bool) -> None:
    crawler = get_crawler(HnrSpider, settings_dict={"NEWSCRAWL_PROGRESS": setting})
    if enabled:
        assert isinstance(StatusLine.from_crawler(crawler, stream=FakeTerminal(tty)), StatusLine)
    else:
        with pytest.raises(NotConfigured):
            StatusLine.from_crawler(crawler, stream=FakeTerminal(tty))


def test_status_line_draws_over_itself_and_log_records_clear_it() -> None:
    crawler = get_crawler(HnrSpider)
    for key, value in STATS.items():
        crawler.stats.set_value(key, value)
    terminal = FakeTerminal(True)
    line = StatusLine.from_crawler(crawler, stream=terminal)
    line.draw()
    line.draw()
    assert terminal.getvalue().count("\r\x1b[K") == 2
    assert terminal.getvalue().endswith("· errors 3 · " + terminal.getvalue().rsplit("errors 3 · ", 1)[1])
    handler = logging.StreamHandler(io.StringIO())
    handler.addFilter(line._filter)
    logging.getLogger("test.progress").addHandler(handler)
    try:
        logging.getLogger("test.progress").warning("something")
    finally:
        logging.getLogger("test.progress").removeHandler(handler)
    assert terminal.getvalue().endswith("\r\x1b[K")  # wiped before the record went out
    line.clear()  # nothing shown any more: writes nothing
    assert terminal.getvalue().count("\r\x1b[K") == 3


def test_periodic_log_line_has_the_run_counts(caplog: pytest.LogCaptureFixture) -> None:
    crawler = get_crawler(HnrSpider)
    for key, value in STATS.items():
        crawler.stats.set_value(key, value)
    ext = RunLogStats(crawler.stats, 60.0)
    ext.pagesprev, ext.itemsprev = 0, 0
    spider = crawler._create_spider()
    with caplog.at_level(logging.INFO):
        ext.log(spider)
    messages = [r.getMessage() for r in caplog.records]
    assert any(m.startswith("Crawled 42 pages") for m in messages)
    assert "Articles: 6 new, 1 changed, 2 unchanged, 30 known skipped; errors 3" in messages


def test_a_crawl_on_a_terminal_shows_the_status_line(tmp_path: Path) -> None:
    with served_portal(tmp_path / "portal") as portal:
        command = crawl_command(
            portal.base_url,
            tmp_path / "state",
            "-s",
            "NEWSCRAWL_PROGRESS_INTERVAL=0.05",
            "--log-level",
            "WARNING",
        )
        master, slave = pty.openpty()
        chunks: list[bytes] = []

        def read() -> None:
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                chunks.append(data)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            result = subprocess.run(
                command,
                cwd=tmp_path,
                env=env(),
                stdout=subprocess.PIPE,
                stderr=slave,
                text=True,
                timeout=300,
                check=False,
            )
        finally:
            os.close(slave)
            reader.join(timeout=30)
            os.close(master)
    assert result.returncode == 0
    shown = b"".join(chunks).decode("utf-8", "replace")
    parts = shown.split("\r\x1b[K")
    assert parts[0] == ""  # nothing printed but the status line
    assert len(parts) >= 3
    assert all(part.startswith("pages ") and " known skipped · errors 0 · " in part for part in parts[1:-1])
    assert parts[-1] == ""  # the line is wiped when the crawl ends
