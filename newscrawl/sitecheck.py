"""Run a site's saved-page fixtures: the article cases field by field, and the discovery cases.

Used by ``newscrawl check-site`` and the discovery tests. A site's fixtures live in
``tests/fixtures/sites/<site>/``:

- ``<case>/`` — an article page: ``response.html`` (raw bytes), ``response.json`` (``url``, ``status``,
  ``headers``, ``fetched_at``) and ``expected.json`` (the hand-checked record). ``expected.json`` may hold
  ``"_draft": true`` (written by ``newscrawl new-site``: not yet checked, always a failure) and
  ``"_known_problems": {field: why}`` (fields the extractor is known to get wrong: expected to differ).
- ``discovery/<case>/`` — a listing page (``response.html``), a sitemap or an RSS/Atom feed
  (``response.xml``) with ``expected.json``: the article URLs the spider must request, in order
  (``articles``), plus the listing pages (``listings``, listing pages only) or child sitemaps
  (``sitemaps``, sitemap indexes only) it must follow.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.site import Site

UNCHECKED_FIELDS = frozenset({"fetched_at", "content_hash", "field_sources", "extractor_version"})
"""Record fields a fixture cannot pin down: they depend on the run or derive from other fields."""
CHECKED_FIELDS = tuple(f for f in ARTICLE_FIELDS if f not in UNCHECKED_FIELDS)
"""Fields an ``expected.json`` holds, in record order."""
DISCOVERY_KINDS = ("listing", "sitemap", "feed")


@dataclass(frozen=True)
class FixtureCase:
    """One saved response and its expected outcome."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def body_path(self) -> Path:
        """``response.html`` or, for sitemaps and feeds, ``response.xml``."""
        html = self.path / "response.html"
        return html if html.exists() else self.path / "response.xml"

    @cached_property
    def body(self) -> bytes:
        return self.body_path.read_bytes()

    @cached_property
    def response(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "response.json").read_text(encoding="utf-8"))
        return data

    @cached_property
    def expected(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "expected.json").read_text(encoding="utf-8"))
        return data

    @property
    def url(self) -> str:
        return str(self.response["url"])

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.response.get("headers") or {})

    @property
    def fetched_at(self) -> datetime:
        return datetime.fromisoformat(self.response["fetched_at"])

    @property
    def http_charset(self) -> str | None:
        """The Content-Type header as saved: decode_html reads its charset parameter (quoted or not, with
        parameters after it), as the spider gives it the live header."""
        return {k.lower(): v for k, v in self.headers.items()}.get("content-type") or None

    @property
    def kind(self) -> str:
        """Discovery cases: ``listing``, ``sitemap`` or ``feed`` (from ``expected.json``, else the body)."""
        kind = self.expected.get("kind")
        if kind:
            return str(kind)
        head = self.body[:2048].lower()
        if b"<urlset" in head or b"<sitemapindex" in head:
            return "sitemap"
        if b"<rss" in head or b"<feed" in head:
            return "feed"
        return "listing"


def article_cases(site_dir: Path) -> list[FixtureCase]:
    """The article cases of one site folder (``discovery/`` excluded), sorted by name."""
    return [
        FixtureCase(p.parent)
        for p in sorted(site_dir.glob("*/expected.json"))
        if p.parent.name != "discovery"
    ]


def discovery_cases(site_dir: Path) -> list[FixtureCase]:
    """The discovery cases of one site folder, sorted by name."""
    return [FixtureCase(p.parent) for p in sorted(site_dir.glob("discovery/*/expected.json"))]


# --- article cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldResult:
    """One field of one case: ``ok``, ``FAIL``, ``known`` (a listed known problem that still differs),
    ``FIXED`` (a listed known problem that no longer differs: the listing is stale), or ``-`` (not pinned)."""

    field: str
    status: str
    expected: Any = None
    got: Any = None

    @property
    def failed(self) -> bool:
        return self.status in ("FAIL", "FIXED")


@dataclass(frozen=True)
class CaseResult:
    """A checked article case."""

    case: FixtureCase
    fields: list[FieldResult]
    without_selectors: list[str]
    """Fields that differ once the site's selectors are removed (the generic cascade must find them too)."""
    draft: bool

    @property
    def failed(self) -> bool:
        return self.draft or bool(self.without_selectors) or any(f.failed for f in self.fields)


def extract_case(case: FixtureCase, site: Site) -> dict[str, Any]:
    """The record the extractor gives for a saved page."""
    from newscrawl.extract import extract_article  # noqa: PLC0415 — keeps `newscrawl --help` fast

    return extract_article(
        case.body, case.url, site=site, fetched_at=case.fetched_at, http_charset=case.http_charset
    )


def check_article(case: FixtureCase, site: Site) -> CaseResult:
    """Compare every pinned field of a case with the extractor's output, with and without selectors."""
    expected = case.expected
    known = expected.get("_known_problems") or {}
    record = extract_case(case, site)
    results = []
    for name in CHECKED_FIELDS:
        if name not in expected:
            results.append(FieldResult(name, "-"))
            continue
        same = record[name] == expected[name]
        status = ("FIXED" if same else "known") if name in known else ("ok" if same else "FAIL")
        results.append(FieldResult(name, status, expected[name], record[name]))
    plain = extract_case(case, dataclasses.replace(site, selectors={})) if site.selectors else record
    without = [n for n in CHECKED_FIELDS if n in expected and n not in known and plain[n] != expected[n]]
    return CaseResult(case, results, without, draft=bool(expected.get("_draft")))


# --- discovery cases -------------------------------------------------------------------------------


def discover(spider: Any, case: FixtureCase) -> dict[str, list[str]]:
    """Feed a saved listing page, sitemap or feed to a ``PortalSpider``; the URLs it requests, by role
    (``articles`` in request order; ``listings`` or ``sitemaps``)."""
    from scrapy import Request  # noqa: PLC0415 — Scrapy only where spiders run
    from scrapy.http import HtmlResponse, XmlResponse  # noqa: PLC0415

    kind = case.kind
    if kind not in DISCOVERY_KINDS:
        raise ValueError(
            f"{case.path}: unknown discovery kind {kind!r} (one of {', '.join(DISCOVERY_KINDS)})"
        )
    response_class = HtmlResponse if kind == "listing" else XmlResponse
    response = response_class(url=case.url, body=case.body, headers=case.headers)
    if kind == "listing":
        output = spider.parse_listing(response)
    elif kind == "feed":
        output = spider.parse_feed(response)
    else:
        output = spider._parse_sitemap(response)
    requests = [r for r in output if isinstance(r, Request)]
    found: dict[str, list[str]] = {"articles": [], "listings": [], "sitemaps": []}
    for request in requests:
        role = _role(spider, request)
        found[role].append(request.url)
    return found


def _role(spider: Any, request: Any) -> str:
    callback = request.callback
    if callback == spider.parse_article:
        return "articles"
    if callback == spider.parse_listing:
        return "listings"
    if callback == spider._parse_sitemap:
        return "sitemaps"
    raise ValueError(f"unexpected request {request.url} (callback {callback!r})")


def check_discovery(spider: Any, case: FixtureCase) -> list[str]:
    """Differences between what the spider requests and ``expected.json`` (empty when they agree)."""
    found = discover(spider, case)
    expected = case.expected
    problems = []
    if found["articles"] != expected.get("articles", []):
        missing = [u for u in expected.get("articles", []) if u not in found["articles"]]
        extra = [u for u in found["articles"] if u not in expected.get("articles", [])]
        problems.append(
            f"articles differ (missing {missing}, unexpected {extra})"
            if missing or extra
            else "articles in a different order"
        )
    for role in ("listings", "sitemaps"):
        got = sorted(set(found[role]) - {case.url})
        want = sorted(expected.get(role, []))
        if got != want:
            problems.append(
                f"{role} differ (missing {sorted(set(want) - set(got))}, unexpected "
                f"{sorted(set(got) - set(want))})"
            )
    return problems


def iter_failures(results: list[CaseResult]) -> Iterator[str]:
    """One line per failure, for the report under the table."""
    for result in results:
        name = result.case.name
        if result.draft:
            yield f'{name}: expected.json is a DRAFT: check every field, then delete "_draft" and "_note"'
        for f in result.fields:
            if f.status == "FAIL":
                yield f"{name}: {f.field}: expected {_short(f.expected)}, got {_short(f.got)}"
            elif f.status == "FIXED":
                yield f"{name}: {f.field}: listed in _known_problems but now correct: remove it from the list"
        if result.without_selectors:
            yield f"{name}: without the site's selectors these differ: {', '.join(result.without_selectors)}"


def _short(value: Any, limit: int = 80) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
