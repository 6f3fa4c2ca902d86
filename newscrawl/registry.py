"""Find site profiles: by spider name or by a URL's domain.

Profiles live on the spider classes in ``newscrawl/spiders/<site>.py`` (one file per portal), so
looking one up imports the spider modules (and with them Scrapy). The extraction code itself only ever
receives a ``Site``.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from urllib.parse import urlsplit

from newscrawl.site import GENERIC, Site


class UnknownSiteError(KeyError):
    """No site profile has that name."""

    def __str__(self) -> str:
        known = ", ".join(sorted(all_sites())) or "none"
        return f"unknown site {self.args[0]!r} (known: {known}, or 'generic')"


@cache
def all_sites() -> dict[str, Site]:
    """Every site profile declared by a spider module, by name."""
    import newscrawl.spiders as package  # noqa: PLC0415 — deferred: pulls in Scrapy

    sites: dict[str, Site] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for obj in vars(module).values():
            site = getattr(obj, "site", None)
            if isinstance(obj, type) and isinstance(site, Site) and site.name != GENERIC.name:
                sites.setdefault(site.name, site)
    return sites


def get_site(name: str) -> Site:
    """The profile called ``name`` (``generic`` gives the generic profile)."""
    if name == GENERIC.name:
        return GENERIC
    try:
        return all_sites()[name]
    except KeyError:
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
