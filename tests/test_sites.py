"""Site profiles: validation of the data, the registry, and broken site files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newscrawl import registry
from newscrawl.registry import get_site, site_for_url
from newscrawl.site import GENERIC, Site, SiteError


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Bad Name"}, "lower-case"),
        ({"name": "x", "timezone": "Asia/Nowhere"}, "unknown time zone"),
        ({"name": "x", "selectors": {"headline": "h1"}}, "unknown fields"),
        ({"name": "x", "article_patterns": ("(unclosed",)}, "bad regex"),
        ({"name": "x", "selectors": {"body": ("div.text", '(id("content")//p)[1]')}}, r"uses XPath id\(\)"),
        ({"name": "x", "selectors": {"title": ("h1", "div.title[")}}, r"'div.title\[' is not valid CSS"),
        ({"name": "x", "selectors": {"source": "//span[@class='src'"}}, r"is not valid XPath"),
    ],
)
def test_bad_profiles_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(SiteError, match=message):
        Site(**kwargs)  # type: ignore[arg-type]


def test_id_selectors_find_elements_and_xpath_id_is_refused() -> None:
    # The parser does not index ids (collect_ids=False): the forms of an id test that work are accepted.
    from newscrawl.extract import extract_article  # noqa: PLC0415

    html = "<html><body><h1>标题</h1><div id='c'><p>正文第一段，有内容。</p></div></body></html>"
    for selector in ("#c p", "//*[@id='c']//p", "//div[contains(@id, 'c')]/p"):
        site = Site(name="x", selectors={"summary": selector})
        assert (
            extract_article(html.encode(), "https://x.cn/1.html", site=site)["summary"]
            == "正文第一段，有内容。"
        )


def test_profile_helpers() -> None:
    site = Site(name="x", domains=("hnr.cn",), article_patterns=(r"/\d+\.html$",), selectors={"title": "h1"})
    assert site.owns_host("news.hnr.cn")
    assert site.owns_host("HNR.CN.")
    assert not site.owns_host("nothnr.cn")
    assert site.is_article_url("https://news.hnr.cn/1.html")
    assert site.selectors["title"] == ("h1",)


def test_registry_finds_hnr_by_name_and_domain() -> None:
    hnr = get_site("hnr")
    assert hnr.title == "映象网"
    assert hnr.timezone == "Asia/Shanghai"
    assert site_for_url("https://xc.hnr.cn/202109/03/1.html") is hnr
    assert site_for_url("http://127.0.0.1:8080/") is GENERIC
    assert get_site("generic") is GENERIC


def test_a_broken_site_file_is_reported_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "sitepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "good.py").write_text(
        "from newscrawl.site import Site\n\nclass GoodSpider:\n    site = Site(name='good', domains=('good.cn',))\n"
    )
    (package / "bad.py").write_text(
        "from newscrawl.site import Site\n\nclass BadSpider:\n    site = Site(name='bad', timezone='Nowhere/x')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        sites, broken = registry._load("sitepkg")
    finally:
        for name in [m for m in sys.modules if m.startswith("sitepkg")]:
            del sys.modules[name]
    assert list(sites) == ["good"]
    assert list(broken) == ["bad"]
    assert "unknown time zone" in broken["bad"]
