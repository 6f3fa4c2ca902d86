"""Pure extraction: page bytes or text → article record. No Scrapy in this package.

``extract_article`` is the public entry point; spiders call ``analyze`` (same work, plus the signals
that tell an article page from a listing) and leave cleaning and date checks to the pipelines, which
run the very same functions (``finalize``).
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from lxml import etree

from newscrawl.extract.article import extract_fields
from newscrawl.extract.clean import clean_record
from newscrawl.extract.dom import parse
from newscrawl.extract.encoding import decode_html, plain_utf8
from newscrawl.extract.normalize import normalise_dates
from newscrawl.items import ARTICLE_FIELDS, EXTRACTOR_VERSION
from newscrawl.site import Site

# Real pages often have an end tag or two out of place (28 of 300 corpus pages, mostly one or two);
# five or more repairs is markup broken enough to count (README, "Faults").
MALFORMED_REPAIRS = 5

__all__ = [
    "MALFORMED_REPAIRS",
    "PageSignals",
    "analyze",
    "collector_paused",
    "extract_article",
    "finalize",
    "looks_like_article",
]


@dataclass(frozen=True, slots=True)
class PageSignals:
    """What the extractor saw beyond the record: used to tell articles from other pages."""

    link_lines: int
    """Mostly-link lines inside the chosen body block."""
    article_typed: bool
    """JSON-LD or og:type declares an article."""
    malformed: bool = False
    """The markup was badly broken (``MALFORMED_REPAIRS`` or more repairs by the parser)."""


def analyze(
    html: bytes | str,
    url: str,
    *,
    site: Site,
    fetched_at: datetime,
    http_charset: str | None = None,
    on_tree: Callable[[etree._Element], object] | None = None,
) -> tuple[dict[str, Any], PageSignals]:
    """Extract the raw record (not yet cleaned) and the page signals.

    ``on_tree`` is called with the parsed page before the extractor changes it (see ``dom.parse``).
    """
    utf8 = None
    text: str | None
    if isinstance(html, bytes) and plain_utf8(html, http_charset=http_charset):
        # The parser reads these bytes as they are; the text is made only if something asks for it.
        text, encoding, utf8 = None, "utf-8", html
    elif isinstance(html, bytes):
        text, encoding = decode_html(html, http_charset=http_charset)
        # Strictly decoded UTF-8 (no U+FFFD put in for broken bytes), or ASCII read as ASCII (not as a
        # header's UTF-16): the parser can read the page's own bytes.
        if (encoding == "utf-8" and "\ufffd" not in text) or (len(text) == len(html) and html.isascii()):
            utf8 = html
    else:
        text, encoding = html, None
    with collector_paused():
        page = parse(text, utf8=utf8, on_tree=on_tree)
        fields = extract_fields(page, url, site, fetched_at)
        repairs = page.repairs
        del page  # freed here, by reference counting, while the collector still sleeps
    signals = PageSignals(
        link_lines=fields.pop("_link_lines"),
        article_typed=fields.pop("_article_typed"),
        malformed=repairs >= MALFORMED_REPAIRS,
    )
    record: dict[str, Any] = dict.fromkeys(ARTICLE_FIELDS)
    record.update(fields)
    record.update(
        url=url,
        site=site.name,
        fetched_at=fetched_at.astimezone(UTC).isoformat(timespec="seconds"),
        encoding=encoding,
        extractor_version=EXTRACTOR_VERSION,
    )
    for key in ("authors", "editors", "keywords", "images"):
        record[key] = record.get(key) or []
    record["field_sources"] = record.get("field_sources") or {}
    return record, signals


_paused = 0
_paused_lock = threading.Lock()
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block, then put it back as it was.

    Why: a page makes tens of thousands of short-lived objects (element proxies, lines, lists), all freed
    by reference counting when the page is done; the collector's allocation-driven passes over them took
    ~5 % of extraction time and free nothing. Nested and concurrent blocks (threads) are counted: the
    collector comes back when the last one ends, and only if it was on when the first one began.
    """
    global _paused, _was_enabled  # one process-wide collector
    with _paused_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


def finalize(record: dict[str, Any], site: Site) -> dict[str, Any]:
    """Clean text fields, cut trailers, and check/normalise dates (what the pipelines do)."""
    clean_record(record)
    normalise_dates(record, site)
    return record


def extract_article(
    html: bytes | str,
    url: str,
    *,
    site: str | Site | None = None,
    fetched_at: datetime | None = None,
    http_charset: str | None = None,
) -> dict[str, Any]:
    """Extract one article record from a saved page.

    Bytes are decoded with the page's declared or detected charset; ``site=None`` picks the site
    profile by the URL's domain (else the generic profile); ``fetched_at`` (default: now) is the base
    for relative dates such as 3小时前.
    """
    from newscrawl.registry import resolve_site  # noqa: PLC0415 — site modules import Scrapy

    profile = resolve_site(site, url)
    when = fetched_at or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    record, _ = analyze(html, url, site=profile, fetched_at=when, http_charset=http_charset)
    return finalize(record, profile)


MIN_BODY_CHARS = 80
MIN_PROSE_CHARS = 60
_SENTENCE = re.compile(r"[。！？；]|[,，].*[,，]|[.!?](?:\s|$)")


def looks_like_article(record: dict[str, Any], signals: PageSignals) -> tuple[bool, str]:
    """Decide whether an extracted page is an article; returns (verdict, reason when not)."""
    body = record.get("body") or ""
    if not record.get("title"):
        return False, "no_title"
    if len(body.replace("\n", "").replace(" ", "")) < MIN_BODY_CHARS:
        return False, "short_body"
    paragraphs = body.split("\n\n")
    if signals.link_lines > max(4, len(paragraphs)):
        return False, "link_list"
    # Forms, contact pages and lists have labels and short lines, but no sentences.
    prose = sum(len(p) for p in paragraphs if _SENTENCE.search(p))
    if prose < MIN_PROSE_CHARS:
        return False, "no_prose"
    # A date only htmldate's page-wide search found proves nothing about the page being an article.
    dated = record.get("published") and record.get("field_sources", {}).get("published") != "htmldate"
    if not dated and not signals.article_typed:
        return False, "no_date"
    return True, ""
