"""Sub-commands of ``newscrawl``: one module each, with ``register(subparsers)`` and ``run(args)``.

Adding a command is a new module here plus its name in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
from typing import Any, NoReturn
from urllib.parse import urlsplit

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2  # the crawl's other exit codes: newscrawl.runs
COMMANDS = (
    "extract",
    "crawl",
    "sites",
    "runs",
    "schedule",
    "export",
    "reextract",
    "report",
    "new_site",
    "check_site",
)


class UsageError(Exception):
    """A user mistake: reported as one line, exit code 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse, with errors raised as UsageError (one line, exit code 2) instead of printed usage."""

    def error(self, message: str) -> NoReturn:
        """Raise instead of exiting."""
        raise UsageError(message)


def check_url(url: str) -> str:
    """The URL itself, or a UsageError when it is not an absolute http(s)/file URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "file") or not (parts.hostname or parts.scheme == "file"):
        raise UsageError(f"not a valid URL: {url!r}")
    return url


def resolve_site_arg(name: str | None, url: str) -> Any:
    """The site profile for a ``--site`` value (or by the URL's domain), as a UsageError when unknown."""
    from newscrawl.registry import BrokenSiteError, UnknownSiteError, resolve_site  # noqa: PLC0415 — imports Scrapy

    try:
        return resolve_site(name, url)
    except (UnknownSiteError, BrokenSiteError) as exc:
        raise UsageError(str(exc)) from None
