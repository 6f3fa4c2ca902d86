"""``newscrawl sites``: the site profiles (and any site file that fails to load)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from typing import Any

from newscrawl.commands import EXIT_OK, EXIT_USAGE


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    sub.add_parser("sites", help="list the site profiles")


def run(args: argparse.Namespace) -> int:
    """List site profiles: name, portal, domains, zone, start pages; broken site files on stderr."""
    from newscrawl.registry import all_sites, broken_sites  # noqa: PLC0415 — imports Scrapy

    for name, reason in sorted(broken_sites().items()):
        print(f"newscrawl: error: site file {name}.py is broken: {reason}", file=sys.stderr)
    for name, site in sorted(all_sites().items()):
        starts = ", ".join(site.start_urls[:2]) + (" …" if len(site.start_urls) > 2 else "")
        domains = ",".join(site.domains)
        print(f"{name:12s} {_pad(site.title or '-', 22)} {domains:24s} {site.timezone or '-':16s} {starts}")
    print(f"{'generic':12s} {_pad('(any)', 22)} {'start URL domain':24s} {'(guessed)':16s} --start-url URL")
    return EXIT_USAGE if broken_sites() else EXIT_OK


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 0)
