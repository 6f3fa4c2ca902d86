"""The article record: the output contract of newscrawl (one JSONL line per article)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

# Bumped whenever extraction rules change output; stored on every record so datasets can be rebuilt.
EXTRACTOR_VERSION = "0.2.0"


@dataclass(kw_only=True)
class Article:
    """One news article as newscrawl writes it.

    Field names and meanings are fixed by the design contract (DESIGN.md); extra fields at the end are
    documented additions. Any item adapter (``itemadapter.ItemAdapter``) can read and write it.
    """

    url: str
    """Final URL of the article response (after redirects)."""
    canonical_url: str | None = None
    """``rel=canonical`` / ``og:url`` when it points to the same site, else null."""
    site: str
    """Spider / site profile name, e.g. ``hnr``; ``generic`` for the generic spider."""
    title: str = ""
    """The headline as displayed, without a `` - 网站名`` suffix."""
    published: str | None = None
    """Publication time, ISO 8601 with the site's UTC offset (``2021-09-03T16:39:39+08:00``).

    Precision as shown: date-only pages give ``2021-09-03``, minute precision ``2021-09-03T16:39+08:00``.
    The offset is omitted only when the time zone is unknown (generic crawl of a non-Chinese page with no
    zone on the page and no ``--timezone``)."""
    published_raw: str | None = None
    """The exact text the publication date was read from."""
    modified: str | None = None
    """Update time in the same format as ``published``, when the page states one."""
    source: str | None = None
    """The 来源 / 稿源 value: the outlet the article comes from (not the site's own name unless labelled so)."""
    authors: list[str] = field(default_factory=list)
    """People credited as writing it (记者, 见习记者, 通讯员, 作者, 文, bylines): names only."""
    editors: list[str] = field(default_factory=list)
    """责任编辑, 责编, 编辑, 值班编辑, 审核, 校对: names only."""
    keywords: list[str] = field(default_factory=list)
    """The visible 关键词 / 标签 line, else article-specific meta keywords, split into items."""
    section: str | None = None
    """Channel or breadcrumb leaf, e.g. ``精品原创``."""
    summary: str | None = None
    """Description or lead, when the page has one."""
    body: str = ""
    """Article text only, paragraphs joined by a blank line (``\\n\\n``)."""
    images: list[str] = field(default_factory=list)
    """Absolute URLs of images inside the body."""
    language: str | None = None
    """Language code, e.g. ``zh`` or ``en``."""
    fetched_at: str
    """UTC time of download (``2021-09-03T09:00:00+00:00``); the base for relative dates."""
    content_hash: str = ""
    """SHA-1 of the normalised body (whitespace and punctuation width folded), for dedup across runs."""

    # Additions beyond the contract.
    field_sources: dict[str, str] = field(default_factory=dict)
    """Which cascade step gave each field: ``selector``, ``jsonld``, ``meta``, ``text``, ``heuristic``, ``url``."""
    encoding: str | None = None
    """Codec the page bytes were decoded with (after checking the declared charset against the bytes)."""
    extractor_version: str = EXTRACTOR_VERSION
    """Version of the extraction rules that produced the record."""
    version: int = 1
    """1 for the first record of an article (by canonical URL); each later record whose body changed
    (different ``content_hash``) gets the next number. Set from the crawl's seen-store, not from the page."""


CRAWL_FIELDS: tuple[str, ...] = ("version",)
"""Fields set by the crawl's history (the seen-store), not by extraction from a page."""

ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article) if f.name not in CRAWL_FIELDS)
"""Fields extracted from one page, in output order (what ``extract_article`` returns)."""

RECORD_FIELDS: tuple[str, ...] = ARTICLE_FIELDS + CRAWL_FIELDS
"""Every field of an output record (one JSONL line), in output order."""


def dumps(record: Mapping[str, Any], fields: tuple[str, ...] = RECORD_FIELDS) -> str:
    """One JSONL line of a record: ``fields`` in order (null when missing), UTF-8 text rather than
    ``\\u`` escapes, no spaces, no trailing newline."""
    return json.dumps({k: record.get(k) for k in fields}, ensure_ascii=False, separators=(",", ":"))
