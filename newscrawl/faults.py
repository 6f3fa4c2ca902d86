"""Test-only hold points, so crash tests can SIGKILL a real crawl at a precise moment.

``-s NEWSCRAWL_TEST_HOLD=after_write:3 -s NEWSCRAWL_TEST_HOLD_MARKER=/tmp/x`` makes the crawl, the third
time it reaches the ``after_write`` point, create the marker file and then block forever (the whole
process: the reactor thread sleeps), so a test can wait for the marker and kill it there. Off by default;
when off, ``reached`` returns at once.

Points: ``listing`` (a listing page's links are being filtered), ``mid_write`` (half a JSONL line is on
disk), ``after_write`` (a line is written and fsynced, the store does not know it yet), ``after_record``
(the store knows it), ``before_manifest`` (the crawl is over, no manifest yet), ``after_manifest`` (the
manifest is written, the run is not yet marked finished), ``reconcile`` (a killed run's line was just
recorded while reconciling).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

HOLD_SETTING = "NEWSCRAWL_TEST_HOLD"
MARKER_SETTING = "NEWSCRAWL_TEST_HOLD_MARKER"
POINTS = frozenset(
    {"listing", "mid_write", "after_write", "after_record", "before_manifest", "after_manifest", "reconcile"}
)


class Holds:
    """The hold configured for this process (or none)."""

    def __init__(self, spec: str | None = None, marker: str | None = None) -> None:
        point, _, count = (spec or "").partition(":")
        if point and point not in POINTS:
            raise ValueError(f"{HOLD_SETTING}: unknown point {point!r} (known: {', '.join(sorted(POINTS))})")
        self.point = point or None
        self.at = int(count or 1)
        self.marker = Path(marker) if marker else None
        self.seen = 0

    @classmethod
    def from_settings(cls, settings: Any) -> Holds:
        """From the crawl's settings."""
        return cls(settings.get(HOLD_SETTING), settings.get(MARKER_SETTING))

    def active(self, point: str) -> bool:
        """True when ``point`` is the configured one (lets callers prepare, e.g. split a write)."""
        return self.point == point

    def reached(self, point: str) -> None:
        """Count a pass through ``point``; block forever on the configured pass."""
        if self.point != point:
            return
        self.seen += 1
        if self.seen != self.at:
            return
        if self.marker is not None:
            self.marker.parent.mkdir(parents=True, exist_ok=True)
            self.marker.write_text(f"{point}:{self.at}\n", encoding="utf-8")
        while True:  # pragma: no cover — ended by the test's SIGKILL
            time.sleep(3600)
