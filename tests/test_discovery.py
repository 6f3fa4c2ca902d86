"""Discovery fixtures: a saved listing page, sitemap or RSS/Atom feed must yield exactly the expected requests.

Cases live in tests/fixtures/sites/<site>/discovery/<case>/: response.html (a listing page) or response.xml
(a sitemap, sitemap index or feed), response.json, and expected.json with "articles" (the article URLs
requested, in order) plus "listings" (listing pages followed) or "sitemaps" (child sitemaps of an index).
The kind comes from expected.json ("kind") or from the body. No per-site code.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.registry import all_sites
from newscrawl.sitecheck import FixtureCase, check_discovery, discover
from newscrawl.spiders.base import PortalSpider
from tests.conftest import Case, discovery_cases

CASES = discovery_cases()


def spider_for(site: str) -> PortalSpider:
    module = importlib.import_module(f"newscrawl.spiders.{site}")
    cls = next(
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, PortalSpider) and getattr(v, "name", None) == site
    )
    crawler = get_crawler(cls)
    return cls.from_crawler(crawler)


def test_there_are_cases_of_every_kind() -> None:
    assert {c.site for c in CASES} <= set(all_sites())
    assert {FixtureCase(c.path).kind for c in CASES} == {"listing", "sitemap", "feed"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_discovery(case: Case) -> None:
    spider = spider_for(case.site)
    fixture = FixtureCase(case.path)
    found = discover(spider, fixture)
    expected = case.expected
    assert found["articles"] == expected["articles"]
    assert sorted(set(found["listings"]) - {case.response["url"]}) == sorted(expected.get("listings", []))
    assert sorted(found["sitemaps"]) == sorted(expected.get("sitemaps", []))
    assert check_discovery(spider, fixture) == []


@pytest.mark.parametrize(
    "case", [c for c in CASES if FixtureCase(c.path).kind == "listing"], ids=lambda c: c.id
)
def test_articles_outrank_listings(case: Case) -> None:
    """Article requests outrank listing requests, so articles are fetched as soon as they are found."""
    spider = spider_for(case.site)
    response = HtmlResponse(url=case.response["url"], body=case.body, headers=case.response.get("headers"))
    requests = list(spider.parse_listing(response))
    assert all(r.priority > 0 for r in requests if r.callback == spider.parse_article)
    assert all(r.priority == 0 for r in requests if r.callback == spider.parse_listing)


@pytest.mark.parametrize("kind", ["listing", "sitemap", "feed"])
def test_a_wrong_expectation_is_reported(kind: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if FixtureCase(c.path).kind == kind)
    copy = tmp_path / case.name
    shutil.copytree(case.path, copy)
    expected = json.loads((copy / "expected.json").read_text(encoding="utf-8"))
    dropped = expected["articles"].pop()
    (copy / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    problems = check_discovery(spider_for(case.site), FixtureCase(copy))
    assert len(problems) == 1
    assert dropped in problems[0]
