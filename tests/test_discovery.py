"""Discovery fixtures: a saved listing page must yield exactly the expected article and listing requests.

Cases live in tests/fixtures/sites/<site>/discovery/<case>/ (response.html, response.json, expected.json
with "articles" and "listings"); no per-site code.
"""

from __future__ import annotations

import importlib

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newscrawl.registry import all_sites
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


def test_there_are_cases() -> None:
    assert CASES
    assert {c.site for c in CASES} <= set(all_sites())


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_listing_discovery(case: Case) -> None:
    spider = spider_for(case.site)
    response = HtmlResponse(url=case.response["url"], body=case.body, headers=case.response.get("headers"))
    requests = [r for r in spider.parse_listing(response) if isinstance(r, Request)]
    articles = [r.url for r in requests if r.callback == spider.parse_article]
    listings = [r.url for r in requests if r.callback == spider.parse_listing]
    expected = case.expected
    assert articles == expected["articles"]
    assert sorted(set(listings) - {case.response["url"]}) == sorted(expected["listings"])
    # Article requests outrank listing requests, so articles are fetched as soon as they are found.
    assert all(r.priority > 0 for r in requests if r.callback == spider.parse_article)
