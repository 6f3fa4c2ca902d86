"""The ``newscrawl`` command lines the demo runs; the tests build theirs with the same functions."""

from __future__ import annotations

import sys
from collections.abc import Iterable

NO_POLITENESS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8")
"""Settings for crawling our own loopback server: no need to be polite."""


def cli_command(*args: str) -> list[str]:
    """``python -m newscrawl.cli ARGS`` with this interpreter."""
    return [sys.executable, "-m", "newscrawl.cli", *args]


def generic_crawl_command(base_url: str, *extra: str, settings: Iterable[str] = NO_POLITENESS) -> list[str]:
    """``newscrawl crawl generic --start-url BASE_URL/ EXTRA``, then ``-s SETTING`` for each setting."""
    command = cli_command("crawl", "generic", "--start-url", f"{base_url}/", *extra)
    for setting in settings:
        command += ["-s", setting]
    return command
