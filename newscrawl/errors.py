"""The base of every error caused by bad input (no import besides the standard library)."""

from __future__ import annotations


class BadInputError(Exception):
    """Bad input: an unknown site, an unreadable file, a bad option value. ``newscrawl`` reports it as
    one line (``newscrawl: error: ...``) with exit code 2, never a traceback."""
