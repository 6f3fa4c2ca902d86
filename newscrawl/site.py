"""Site profiles: the data that describes one portal (no Scrapy import here)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from lxml import etree
from parsel.csstranslator import css2xpath

EXTRACT_FIELDS = frozenset(
    {
        "title",
        "published",
        "modified",
        "source",
        "authors",
        "editors",
        "keywords",
        "section",
        "summary",
        "body",
    }
)
"""Fields a site profile may give selectors for."""

DEFAULT_COVERAGE_FLOOR: Mapping[str, float] = MappingProxyType({"title": 0.9, "published": 0.8, "body": 0.9})
"""Share of a run's extracted articles that must have each field; below it the run fails (exit 5)."""
COVERAGE_FLOOR_FIELDS = EXTRACT_FIELDS | {"images"}


_XPATH_ID = re.compile(r"(?<![\w.:-])id\s*\(")


class SiteError(ValueError):
    """A site profile is malformed (bad regex, unknown time zone, unknown field …)."""


def _check_selector(site: str, field_name: str, selector: str) -> None:
    """Refuse a selector that cannot work, when the profile loads: at extraction time it would only
    find nothing, page after page."""
    is_xpath = selector.startswith(("/", "("))
    if is_xpath and _XPATH_ID.search(selector):
        # The extractor's parser does not index ids (2 % of its time): id() would find nothing.
        raise SiteError(
            f"site {site}: {field_name} selector {selector!r} uses XPath id(); "
            "write //*[@id='…'] (or CSS #…) instead"
        )
    try:
        etree.XPath(selector if is_xpath else css2xpath(selector))
    except SyntaxError as exc:  # cssselect's and lxml's syntax errors both are SyntaxErrors
        kind = "XPath" if is_xpath else "CSS"
        raise SiteError(
            f"site {site}: {field_name} selector {selector!r} is not valid {kind}: {exc}"
        ) from exc


@dataclass(frozen=True, kw_only=True)
class Site:
    """Everything newscrawl knows about one portal.

    Only ``name`` and ``domains`` are required; the generic cascade finds every field without selectors.
    Selectors are CSS (or XPath when they start with ``/`` or ``(``), tried in order; one that finds
    nothing falls back to the generic cascade.
    """

    name: str
    """Spider name and key in output paths, e.g. ``hnr``."""
    title: str = ""
    """The portal's own name, e.g. 映象网 (stripped from headlines; never reported as 来源 unless labelled)."""
    domains: tuple[str, ...] = ()
    """Registrable domains; every subdomain belongs to the site too."""
    languages: tuple[str, ...] = ("zh",)
    """Languages of the portal's pages (first one is reported as ``language``); empty means detect."""
    timezone: str | None = "Asia/Shanghai"
    """IANA zone of the dates the portal shows; None means guess from the page (generic crawls)."""
    start_urls: tuple[str, ...] = ()
    """Channel / listing pages to start from."""
    sitemap_urls: tuple[str, ...] = ()
    feed_urls: tuple[str, ...] = ()
    article_patterns: tuple[str, ...] = ()
    """Regexes (searched in the absolute URL) that mark article pages."""
    listing_patterns: tuple[str, ...] = ()
    """Regexes for listing pages and their pagination (followed, never extracted)."""
    deny_patterns: tuple[str, ...] = ()
    """Regexes for URLs never to request (login, search, print views …)."""
    selectors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Optional per-field hints: field name → selectors tried in order."""
    aliases: tuple[str, ...] = ()
    """Other names of the portal (and its publisher) that are not a 来源 of their own."""
    coverage_floor: Mapping[str, float] | None = None
    """Layout-change alarm: field → minimum share of a run's articles that have it (``{"published": 0.5}``).
    None means ``DEFAULT_COVERAGE_FLOOR`` (title 90 %, published 80 %, body 90 %); ``{}`` turns it off."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """Scrapy settings for this portal only (politeness: ``DOWNLOAD_DELAY``, ``CONCURRENT_REQUESTS_PER_DOMAIN``
    …); a spider's ``custom_settings`` and ``-s NAME=VALUE`` on the command line win over them."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise SiteError(f"site name {self.name!r} must be lower-case letters, digits and _")
        try:
            if self.timezone is not None:
                zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise SiteError(f"site {self.name}: unknown time zone {self.timezone!r}") from exc
        unknown = set(self.selectors) - EXTRACT_FIELDS
        if unknown:
            raise SiteError(f"site {self.name}: selectors for unknown fields {sorted(unknown)}")
        sel = {k: (v,) if isinstance(v, str) else tuple(v) for k, v in self.selectors.items()}
        for field_name, chosen in sel.items():
            for selector in chosen:
                _check_selector(self.name, field_name, selector)
        object.__setattr__(self, "selectors", MappingProxyType(sel))
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        if self.coverage_floor is not None:
            floor = dict(self.coverage_floor)
            unknown = set(floor) - COVERAGE_FLOOR_FIELDS
            if unknown:
                raise SiteError(f"site {self.name}: coverage_floor for unknown fields {sorted(unknown)}")
            if not all(isinstance(v, int | float) and 0 <= v <= 1 for v in floor.values()):
                raise SiteError(f"site {self.name}: coverage_floor shares must be numbers from 0 to 1")
            object.__setattr__(self, "coverage_floor", MappingProxyType(floor))
        for attr in ("article_patterns", "listing_patterns", "deny_patterns"):
            for pattern in getattr(self, attr):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise SiteError(f"site {self.name}: bad regex in {attr}: {pattern!r} ({exc})") from exc

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo | None:
        """The site's time zone, or None when it must be guessed from the page."""
        return zoneinfo.ZoneInfo(self.timezone) if self.timezone else None

    @cached_property
    def _article_re(self) -> re.Pattern[str] | None:
        return _union(self.article_patterns)

    @cached_property
    def _listing_re(self) -> re.Pattern[str] | None:
        return _union(self.listing_patterns)

    @cached_property
    def _deny_re(self) -> re.Pattern[str] | None:
        return _union(self.deny_patterns)

    def owns_host(self, host: str) -> bool:
        """True when ``host`` (no port) is one of the site's domains or a subdomain of one."""
        host = host.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def is_article_url(self, url: str) -> bool:
        """True when the URL matches one of the article patterns."""
        return bool(self._article_re and self._article_re.search(url))

    def is_listing_url(self, url: str) -> bool:
        """True when the URL matches one of the listing/pagination patterns."""
        return bool(self._listing_re and self._listing_re.search(url))

    def is_denied_url(self, url: str) -> bool:
        """True when the URL matches a deny pattern."""
        return bool(self._deny_re and self._deny_re.search(url))

    @property
    def floor(self) -> Mapping[str, float]:
        """The coverage floor in force: the profile's own, else the default."""
        return DEFAULT_COVERAGE_FLOOR if self.coverage_floor is None else self.coverage_floor

    @property
    def names(self) -> tuple[str, ...]:
        """The portal's own names (title first, then aliases)."""
        return tuple(n for n in (self.title, *self.aliases) if n)


def _union(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


GENERIC = Site(name="generic", languages=(), timezone=None)
"""Profile used when no site matches: language and time zone come from the page."""
