"""Datasets for researchers: read a crawl's JSONL files, keep the latest version of each article, filter,
find near-duplicates, and write JSONL / CSV / Parquet or an HTML report (``newscrawl export``,
``newscrawl report``).

Everything streams: the files are read line by line, more than once, and what is held in memory per
article is a few fixed-size numbers (never its text), so a dataset larger than memory exports fine.
"""

from __future__ import annotations

from newscrawl.errors import BadInputError


class DatasetError(BadInputError):
    """Bad input: an unreadable file, a line that is not an article record, a bad option value."""
