"""Re-extraction: a crawl's WARC files → its article records again, with the current extractor and no
network (``newscrawl reextract``).

Each response goes through what the crawl did with it: the spider's decision (the generic spider
classifies every page by its content; a site spider takes what its article URLs gave), extraction with
the WARC record's date as ``fetched_at``, then the pipelines' pure steps — clean, dates, validation (with
the run's ``--since``), dedup within the run. ``version`` is the one the crawl wrote (from the WARC's
``metadata`` records).

By default the responses are those the crawl wrote articles from, in the order it wrote them, so the
output is the run's JSONL rebuilt. ``include_all`` also re-extracts every other page the spider sent to
article extraction (pages the old extractor took for non-articles, duplicates, unchanged articles of
``--refresh`` runs); those get version 1, as the WARC does not hold their history. WARC files written by
other tools have no such records: every HTML response of them is classified like the generic spider
does, with the site profile chosen by the URL's domain.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes
from w3lib.encoding import http_content_type_encoding

from newscrawl.extract import analyze, finalize, looks_like_article
from newscrawl.items import Article
from newscrawl.pipelines.dedup import dedup_key
from newscrawl.pipelines.validate import problems
from newscrawl.registry import resolve_site
from newscrawl.site import GENERIC, Site
from newscrawl.warc import Exchange, RawResponse, Segment, WarcError, index_warc, read_response

ARTICLE_CALLBACKS = frozenset({"parse_article", "parse_page"})
"""Spider methods that extract articles (``parse_listing``, feeds, sitemaps and robots.txt do not)."""


@dataclass
class ReextractStats:
    """What happened to the responses of the WARC files."""

    files: int = 0
    responses: int = 0
    written_by_crawl: int = 0
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    torn: int = 0

    def line(self, output: str) -> str:
        """The one-line summary."""
        skipped = ", ".join(f"{k} {v}" for k, v in sorted(self.skipped.items())) or "none"
        torn = f"; {self.torn} torn last record(s) ignored" if self.torn else ""
        return (
            f"newscrawl: reextracted {self.articles} articles from {self.responses} responses in "
            f"{self.files} WARC file(s) (the crawl wrote {self.written_by_crawl}); skipped {skipped}{torn}; "
            f"output {output}"
        )


def segment_site(segment: Segment, url: str) -> tuple[Site, bool]:
    """The site profile of a run (from its ``warcinfo``) and whether the generic spider crawled it."""
    raw = segment.info.get("newscrawl-site")
    if not raw:
        profile = resolve_site(None, url)
        return profile, profile.name == GENERIC.name
    data = json.loads(raw)
    name = data.get("name") or GENERIC.name
    if name != GENERIC.name:
        return resolve_site(name, url), False
    # The generic spider builds its profile from its arguments: rebuild the same one.
    return (
        Site(
            name=GENERIC.name,
            domains=tuple(data.get("domains") or ()),
            start_urls=tuple(data.get("start_urls") or ()),
            timezone=data.get("timezone"),
            languages=tuple(data.get("languages") or ()),
        ),
        True,
    )


def _fetched_at(raw: RawResponse) -> datetime:
    try:
        when = datetime.fromisoformat(raw.date)
    except ValueError:
        return datetime.now(UTC).replace(microsecond=0)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def extract_response(
    raw: RawResponse, site: Site, *, generic: bool, stats: ReextractStats
) -> dict[str, Any] | None:
    """The spider's part: an article item from a response, or None (counted in ``stats.skipped``)."""
    headers = Headers(raw.headers)
    if not issubclass(responsetypes.from_args(headers=headers, url=raw.url, body=raw.body), TextResponse):
        stats.skipped["not_html"] += 1
        return None
    if generic:
        head = raw.body[:512].lstrip()[:300].lower()
        if any(tag in head for tag in (b"<urlset", b"<sitemapindex", b"<rss", b"<feed", b"<rdf:rdf")):
            stats.skipped["feed_or_sitemap"] += 1
            return None
    content_type = (headers.get("Content-Type") or b"").decode("latin-1")
    try:
        item, signals = analyze(
            raw.body,
            raw.url,
            site=site,
            fetched_at=_fetched_at(raw),
            http_charset=http_content_type_encoding(content_type),
        )
    except Exception:  # noqa: BLE001 — as in the crawl: a page that cannot be read is counted
        stats.skipped["extract_error"] += 1
        return None
    ok, reason = looks_like_article(item, signals)
    if not ok and (generic or not site.is_article_url(raw.url)):
        stats.skipped[f"not_article/{reason}"] += 1
        return None
    return asdict(Article(**item))


def process_record(record: dict[str, Any], site: Site, since: date | None) -> str | None:
    """The pipelines' part (clean, dates, validation) in place; the drop reason, or None to keep it."""
    finalize(record, site)
    record.pop("_date_issue", None)
    return problems(record, since)


def _since(segment: Segment) -> date | None:
    value = segment.info.get("newscrawl-since")
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _selected(segment: Segment, include_all: bool) -> list[tuple[Exchange, int]]:
    """The responses to extract, with the version to give them, in output order."""
    by_id = {e.record_id: e for e in segment.exchanges}
    chosen: list[tuple[Exchange, int]] = []
    taken: set[str] = set()
    for record_id, version in segment.written:
        exchange = by_id.get(record_id)
        if exchange is not None and record_id not in taken:
            chosen.append((exchange, version))
            taken.add(record_id)
    from_newscrawl = "newscrawl-site" in segment.info
    if include_all or not from_newscrawl:
        for exchange in segment.exchanges:
            if exchange.record_id in taken or not 200 <= exchange.status < 300:
                continue
            if exchange.callback is not None and exchange.callback not in ARTICLE_CALLBACKS:
                continue
            chosen.append((exchange, 1))
    return chosen


def reextract(
    paths: list[Path], *, include_all: bool = False, stats: ReextractStats
) -> Iterator[dict[str, Any]]:
    """Article records rebuilt from WARC files, run by run (WarcError for a file that cannot be read)."""
    for path in paths:
        segments = index_warc(path)
        stats.files += 1
        stats.torn += sum(1 for s in segments if s.torn)
        with path.open("rb") as stream:
            for segment in segments:
                stats.written_by_crawl += len(segment.written)
                seen: set[str] = set()
                since = _since(segment)
                profiles: dict[str, tuple[Site, bool]] = {}
                for exchange, version in _selected(segment, include_all):
                    stats.responses += 1
                    try:
                        raw = read_response(stream, exchange.offset)
                    except WarcError:
                        stats.skipped["undecodable"] += 1
                        continue
                    # One profile per run; per host for WARC files without newscrawl's warcinfo.
                    host = "" if "newscrawl-site" in segment.info else urlsplit(raw.url).netloc
                    if host not in profiles:
                        profiles[host] = segment_site(segment, raw.url)
                    site, generic = profiles[host]
                    record = extract_response(raw, site, generic=generic, stats=stats)
                    if record is None:
                        continue
                    reason = process_record(record, site, since)
                    if reason:
                        stats.skipped[reason] += 1
                        continue
                    key = dedup_key(record.get("canonical_url") or record["url"])
                    if key in seen:
                        stats.skipped["duplicate"] += 1
                        continue
                    seen.add(key)
                    record["version"] = version
                    stats.articles += 1
                    yield record
