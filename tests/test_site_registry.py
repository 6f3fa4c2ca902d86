"""Checks over every site file in newscrawl/spiders/: names agree, profiles are valid and cover their
fixtures, each module imports on its own, and a site file stays a small piece of data.

No per-site code: a new site file and its fixture folder are picked up here as they are.
"""

from __future__ import annotations

import ast
import statistics
import subprocess
import sys
import zoneinfo
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from dateparser.data.languages_info import language_order

from newscrawl.registry import all_sites, broken_sites
from newscrawl.scaffold import class_name
from newscrawl.site import Site
from newscrawl.sitecheck import article_cases, discovery_cases
from newscrawl.spiders.base import PortalSpider
from tests.conftest import ROOT, SITES

SPIDERS = ROOT / "newscrawl" / "spiders"
NOT_SITES = {"__init__", "base", "generic"}
SITE_FILES = sorted(p for p in SPIDERS.glob("*.py") if p.stem not in NOT_SITES)
NAMES = [p.stem for p in SITE_FILES]
MEDIAN_LINES = 40
MAX_LINES = 80
# Class attributes a site file must not set: URLs and domains live in the profile, politeness in its settings.
BANNED_ATTRIBUTES = {"download_delay", "allowed_domains", "start_urls", "sitemap_urls"}


@cache
def spider_class(name: str) -> type[PortalSpider]:
    module = __import__(f"newscrawl.spiders.{name}", fromlist=["_"])
    classes = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, PortalSpider) and v.__module__ == module.__name__
    ]
    assert len(classes) == 1, f"{name}.py must declare exactly one spider, not {classes}"
    return classes[0]


def fixture_urls(name: str) -> list[str]:
    """Every URL a site's fixtures hold: pages, listing/sitemap/feed responses and discovered articles."""
    site_dir = SITES / name
    urls = [case.url for case in article_cases(site_dir)]
    for case in discovery_cases(site_dir):
        urls.append(case.url)
        urls += case.expected.get("articles", []) + case.expected.get("listings", [])
    return urls


def test_every_site_file_is_registered() -> None:
    assert not broken_sites()
    assert sorted(all_sites()) == NAMES
    assert len(NAMES) >= 11


def test_every_fixture_folder_belongs_to_a_site() -> None:
    assert sorted(p.name for p in SITES.iterdir() if p.is_dir()) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_names_agree(name: str) -> None:
    cls = spider_class(name)
    assert cls.__name__ == class_name(name)
    assert cls.name == cls.site.name == name
    assert (SITES / name).is_dir()
    assert all_sites()[name] is cls.site


@pytest.mark.parametrize("name", NAMES)
def test_at_least_two_article_cases(name: str) -> None:
    cases = article_cases(SITES / name)
    assert len(cases) >= 2, f"{name} has {len(cases)} article case(s)"


@pytest.mark.parametrize("name", NAMES)
def test_profile_is_valid(name: str) -> None:
    site: Site = spider_class(name).site
    assert site.timezone is not None
    assert zoneinfo.ZoneInfo(site.timezone)
    assert site.languages
    assert all(lang in language_order for lang in site.languages), site.languages
    assert site.title
    assert site.domains
    assert site.start_urls
    assert site.article_patterns


@pytest.mark.parametrize("name", NAMES)
def test_domains_cover_the_fixtures_and_start_urls(name: str) -> None:
    cls = spider_class(name)
    site = cls.site
    spider = cls()
    assert spider.allowed_domains == list(site.domains)
    for url in [*fixture_urls(name), *site.start_urls, *site.sitemap_urls, *site.feed_urls]:
        host = urlsplit(url).hostname or ""
        assert site.owns_host(host), f"{url} is outside {site.domains}"
        assert any(host == d or host.endswith("." + d) for d in spider.allowed_domains)


@pytest.mark.parametrize("name", NAMES)
def test_patterns_fit_the_fixtures(name: str) -> None:
    site = spider_class(name).site
    for case in article_cases(SITES / name):
        url = case.url.split("?", 1)[0]  # shared links carry tracking queries (?from=groupmessage)
        assert site.is_article_url(url), f"{url} does not match {site.article_patterns}"
        assert not site.is_denied_url(url)
        assert not site.is_listing_url(url)
    for url in site.start_urls:
        assert not site.is_article_url(url), f"start URL {url} looks like an article"


@pytest.mark.parametrize("name", NAMES)
def test_imports_alone(name: str) -> None:
    """Each site module imports in a fresh interpreter (no hidden dependency on import order)."""
    code = f"import newscrawl.spiders.{name} as m; print(m.{class_name(name)}.site.name)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == name


@pytest.mark.parametrize("path", SITE_FILES, ids=lambda p: p.stem)
def test_site_file_is_data(path: Path) -> None:
    """One spider class of data: no methods, no imports from other site files, no banned attributes."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newscrawl.spiders."):
            assert node.module == "newscrawl.spiders.base", f"{path.name} imports {node.module}"
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert len(classes) == 1
    methods = [n.name for n in classes[0].body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    assert not methods, f"{path.name}: code in a site file needs a reason; move it to the base or a platform"
    assigned = {
        t.id
        for n in classes[0].body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }
    assert not assigned & BANNED_ATTRIBUTES


def line_counts() -> dict[str, int]:
    return {p.stem: len(p.read_text(encoding="utf-8").splitlines()) for p in SITE_FILES}


def test_site_files_are_small() -> None:
    counts = line_counts()
    median = statistics.median(counts.values())
    assert median <= MEDIAN_LINES, f"median site file is {median} lines: {counts}"
    assert max(counts.values()) <= MAX_LINES, counts
