"""Find site profiles: by spider name or by a URL's domain.

Profiles live on the spider classes in ``newscrawl/spiders/<site>.py`` (one file per portal), so
looking one up imports the spider modules (and with them Scrapy). The extraction code itself only ever
receives a ``Site``.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Iterator
from functools import cache
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from newscrawl.errors import BadInputError
from newscrawl.site import GENERIC, Site

logger = logging.getLogger(__name__)


class UnknownSiteError(BadInputError, KeyError):
    """No site profile has that name."""

    def __str__(self) -> str:
        known = ", ".join(sorted(all_sites())) or "none"
        return f"unknown site {self.args[0]!r} (known: {known}, or 'generic')"


class BrokenSiteError(BadInputError, ValueError):
    """A site file that cannot be loaded (bad profile, syntax error, failing import)."""


@cache
def _load(package_name: str = "newscrawl.spiders") -> tuple[dict[str, Site], dict[str, str]]:
    package = importlib.import_module(package_name)  # deferred: spider modules pull in Scrapy
    sites: dict[str, Site] = {}
    broken: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        try:
            module = importlib.import_module(f"{package_name}.{info.name}")
        except Exception as exc:  # noqa: BLE001 — one broken site file must not take the others down
            broken[info.name] = f"{type(exc).__name__}: {exc}"
            logger.warning("Site file %s/%s.py is broken: %s", package_name, info.name, broken[info.name])
            continue
        for spider_class in spider_classes(module):
            if spider_class.site.name != GENERIC.name:
                sites.setdefault(spider_class.site.name, spider_class.site)
    return sites, broken


def spider_classes(module: ModuleType) -> Iterator[Any]:
    """The classes of a module that carry a site profile (``site = Site(...)``), in definition order."""
    for value in vars(module).values():
        if isinstance(value, type) and isinstance(getattr(value, "site", None), Site):
            yield value


def all_sites() -> dict[str, Site]:
    """Every site profile declared by a loadable spider module, by name."""
    return _load()[0]


def broken_sites() -> dict[str, str]:
    """Site files that failed to load: module name → one-line reason."""
    return _load()[1]


def get_site(name: str) -> Site:
    """The profile called ``name`` (``generic`` gives the generic profile)."""
    if name == GENERIC.name:
        return GENERIC
    try:
        return all_sites()[name]
    except KeyError:
        if name in broken_sites():
            raise BrokenSiteError(f"site file for {name!r} is broken: {broken_sites()[name]}") from None
        raise UnknownSiteError(name) from None


def site_for_url(url: str) -> Site:
    """The profile whose domains cover the URL's host, else the generic profile."""
    host = urlsplit(url).hostname or ""
    for site in all_sites().values():
        if site.owns_host(host):
            return site
    return GENERIC


def resolve_site(site: str | Site | None, url: str) -> Site:
    """Accept a profile, a profile name, or None (pick by the URL's domain)."""
    if isinstance(site, Site):
        return site
    if site:
        return get_site(site)
    return site_for_url(url)
