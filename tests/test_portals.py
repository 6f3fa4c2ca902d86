"""Tests of the portal generators and the demo server (not of the crawler)."""

from __future__ import annotations

import filecmp
import html
import json
import re
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError

import pytest

from demo.build import build_portal
from demo.serve import serving
from demo.sitekit import file_for
from tests.portals.unseen import build_unseen_portal

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TEMPLATE_MARKERS = ('id="text_content"', 'class="TRS_Editor"', '<article class="post">', 'class="zhengwen"')
ISO_SECONDS = re.compile(r"2026-(10|11)-\d\dT\d\d:\d\d:\d\d\+08:00")
ISO_MINUTES = re.compile(r"2026-(10|11)-\d\dT\d\d:\d\d\+08:00")
ISO_DATE = re.compile(r"2026-(10|11)-\d\d")

# Loopback only: never let an environment proxy see these requests.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Portal:
    """A built portal being served."""

    name: str
    root: Path
    manifest: dict[str, Any]
    base: str

    @property
    def articles(self) -> list[dict[str, Any]]:
        return self.manifest["articles"]

    @property
    def article_paths(self) -> set[str]:
        return {a["path"] for a in self.articles}


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    url: str


def fetch(url: str, method: str = "GET") -> Response:
    """Fetch over loopback; HTTP errors come back as a Response too (and are closed)."""
    request = urllib.request.Request(url, method=method)
    try:
        with _OPENER.open(request, timeout=10) as resp:
            return Response(resp.status, resp.headers.get("Content-Type", ""), resp.read(), resp.url)
    except HTTPError as err:
        try:
            return Response(err.code, err.headers.get("Content-Type", ""), err.read(), url)
        finally:
            err.close()


def text_of(page: str) -> str:
    """Visible-ish text of a page: tags dropped, entities decoded, whitespace squeezed."""
    no_tags = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL))
    return re.sub(r"\s+", " ", html.unescape(no_tags))


def _serve_built(name: str, root: Path, manifest: dict[str, Any]) -> Iterator[Portal]:
    with serving(root) as (_, base):
        yield Portal(name, root, manifest, base)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    root = tmp_path_factory.mktemp("demo")
    yield from _serve_built("demo", root, build_portal(root))


@pytest.fixture(scope="session")
def unseen_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    root = tmp_path_factory.mktemp("unseen")
    yield from _serve_built("unseen", root, build_unseen_portal(root))


@pytest.fixture(params=["demo_site", "unseen_site"])
def portal(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue(request.param)


def page_text(portal: Portal, path: str, encoding: str = "utf-8") -> str:
    response = fetch(portal.base + path)
    assert response.status == 200, path
    return response.body.decode(encoding)


# ---------------------------------------------------------------- both portals


def test_every_manifest_path_exists_and_is_served(portal: Portal) -> None:
    paths = [
        *portal.article_paths,
        *(image for a in portal.articles for image in a["images"]),
        *portal.manifest["listings"],
        *portal.manifest["non_articles"],
        *(p for p in (portal.manifest["sitemap"], portal.manifest["feed"]) if p),
    ]
    assert len(paths) == len(set(paths)), "a path is listed twice"
    for path in paths:
        assert file_for(portal.root, path).is_file(), path
        assert fetch(portal.base + path).status == 200, path


def test_manifest_file_matches_returned_manifest(portal: Portal) -> None:
    saved = json.loads((portal.root / "manifest.json").read_text(encoding="utf-8"))
    assert saved == portal.manifest
    assert "\\u" not in (portal.root / "manifest.json").read_text(encoding="utf-8")


def test_article_facts_appear_on_their_pages(portal: Portal) -> None:
    for article in portal.articles:
        raw = page_text(portal, article["path"], "gbk" if article["encoding"] == "gbk" else "utf-8")
        text = text_of(raw)
        assert article["title"] in text
        assert article["body_first"] in raw, article["path"]
        assert article["body_last"] in raw, article["path"]
        assert article["published_raw"] in text
        assert article["section"] in text
        if article["source"]:
            assert article["source"] in text
        for name in [*article["authors"], *article["editors"], *article["keywords"]]:
            assert name in raw, (article["path"], name)


def test_manifest_values_are_well_formed(portal: Portal) -> None:
    titles = [a["title"] for a in portal.articles]
    assert len(titles) == len(set(titles)), "titles must be unique"
    for article in portal.articles:
        published = article["published"]
        fields = [n for p, n in ((ISO_SECONDS, 6), (ISO_MINUTES, 5), (ISO_DATE, 3)) if p.fullmatch(published)]
        assert fields, published
        assert "2026-10-01" <= published[:10] <= "2026-11-25"
        # The raw text shows exactly the fields the ISO value has (same precision, same numbers).
        raw_numbers = [int(d) for d in re.findall(r"\d+", article["published_raw"])]
        assert raw_numbers == [int(d) for d in re.findall(r"\d+", published)[: fields[0]]]
        assert 3 <= article["paragraphs"] <= 7
        assert 0 < len(article["body_first"]) <= 20
        assert 0 < len(article["body_last"]) <= 20
        assert len(article["authors"]) <= 3
        assert 1 <= len(article["editors"]) <= 3
        assert len(article["keywords"]) <= 4
        assert article["encoding"] in {"utf-8", "gbk"}
        assert all(image.startswith("/") for image in article["images"])


def test_html_is_sent_without_charset(portal: Portal) -> None:
    for path in [*portal.manifest["listings"][:2], next(iter(portal.article_paths))]:
        assert fetch(portal.base + path).content_type == "text/html"


def test_missing_and_hidden_files_are_404(portal: Portal) -> None:
    for path in ("/no-such-page.html", "/.origin", "/local/9999.html", "/%2e%2e/etc/passwd"):
        assert fetch(portal.base + path).status == 404, path


def test_non_article_pages_are_not_in_the_article_list(portal: Portal) -> None:
    others = set(portal.manifest["non_articles"]) | set(portal.manifest["listings"])
    assert not others & portal.article_paths
    assert portal.manifest["non_articles"]
    for path in portal.manifest["non_articles"]:
        assert fetch(portal.base + path).content_type == "text/html"


@pytest.mark.parametrize("builder", [build_portal, build_unseen_portal])
def test_builds_are_deterministic(tmp_path: Path, builder: Any) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert builder(first) == builder(second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert not mismatch
    assert not errors


# ---------------------------------------------------------------- demo portal


def test_demo_has_sixty_articles_in_four_channels(demo_site: Portal) -> None:
    sections = Counter(a["section"] for a in demo_site.articles)
    assert len(demo_site.articles) >= 60
    assert sections == {"本地": 15, "民生": 15, "文旅": 15, "县区": 15}
    shapes = {
        "本地": r"/local/2026/\d{4}/1\d{3}\.html",
        "民生": r"/minsheng/2026\d\d/\d\d/t2026\d{4}_2\d{3}\.html",
        "文旅": r"/wenlv/content_3\d{3}\.html",
        "县区": r"/county/4\d{3}\.htm",
    }
    for article in demo_site.articles:
        assert re.fullmatch(shapes[article["section"]], article["path"]), article["path"]


def test_demo_uses_at_least_three_templates(demo_site: Portal) -> None:
    used = Counter()
    for article in demo_site.articles:
        page = page_text(demo_site, article["path"], article["encoding"])
        markers = [m for m in TEMPLATE_MARKERS if m in page]
        assert len(markers) == 1, article["path"]
        used[markers[0]] += 1
    assert len(used) >= 3


def test_demo_varies_its_metadata(demo_site: Portal) -> None:
    articles = demo_site.articles
    precision = Counter(
        next(
            n
            for p, n in ((ISO_SECONDS, "s"), (ISO_MINUTES, "m"), (ISO_DATE, "d"))
            if p.fullmatch(a["published"])
        )
        for a in articles
    )
    assert precision["s"] > precision["m"] > precision["d"] > 0
    assert any("年" in a["published_raw"] for a in articles)
    assert 0 < sum(a["source"] is None for a in articles) < 10
    assert any(not a["authors"] for a in articles)
    assert any(len(a["authors"]) >= 2 for a in articles)
    assert any(len(a["editors"]) >= 2 for a in articles)
    assert any(not a["keywords"] for a in articles)
    assert sum(bool(a["images"]) for a in articles) >= 2
    assert max(a["published"][:10] for a in articles) <= "2026-11-25"


def test_gbk_channel_is_really_gbk(demo_site: Portal) -> None:
    gbk = [a for a in demo_site.articles if a["encoding"] == "gbk"]
    assert len(gbk) == 15
    beyond_gb2312 = 0
    for article in gbk:
        body = fetch(demo_site.base + article["path"]).body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        page = body.decode("gbk")
        assert 'charset=gb2312"' in page
        assert article["title"] in page
        try:
            body.decode("gb2312")
        except UnicodeDecodeError:
            beyond_gb2312 += 1
    assert beyond_gb2312 >= 1, "no GBK page uses a character outside GB2312"
    listing = fetch(demo_site.base + "/county/index_2.html").body
    assert "县区" in listing.decode("gbk")


def test_article_pages_carry_decoys_and_canonical(demo_site: Portal) -> None:
    for article in demo_site.articles:
        page = page_text(demo_site, article["path"], article["encoding"])
        text = text_of(page)
        assert f'<link rel="canonical" href="{demo_site.base}{article["path"]}"' in page
        assert "今天是2026年11月26日 星期四" in text
        assert f"首页 > {article['section']} > 正文" in text
        assert "分享到：" in text
        assert "微信" in text
        assert "微博" in text
        assert "Copyright © 2012-2026 青川新闻网 版权所有" in text
        assert re.search(r"<script[^>]*>[^<]*2026-11-26", page)
        related = text[text.index("相关新闻") :]
        assert len(re.findall(r"(?:2026-)?1[01]-\d\d", related)) >= 4


def test_channel_pagination(demo_site: Portal) -> None:
    for key, section in (("local", "本地"), ("minsheng", "民生"), ("wenlv", "文旅"), ("county", "县区")):
        encoding = "gbk" if key == "county" else "utf-8"
        expected = {a["path"] for a in demo_site.articles if a["section"] == section}
        seen: list[str] = []
        for page_no, name in enumerate(("index.html", "index_2.html", "index_3.html"), start=1):
            path = f"/{key}/{name}"
            assert path in demo_site.manifest["listings"]
            page = page_text(demo_site, path, encoding)
            items = re.search(r'<ul class="news-list">(.*?)</ul>', page, flags=re.DOTALL)
            assert items, path
            links = re.findall(r'<h3><a href="([^"]+)"', items[1])
            assert set(links) <= expected
            assert 1 <= len(links) <= 6
            seen += links
            bar = text_of(page[page.index('class="pages"') :])
            assert re.search(r"首页 上一页 1 2 3 下一页 尾页", bar), bar[:80]
            if page_no < 3:
                assert f'href="index_{page_no + 1}.html"' in page
        assert Counter(seen) == Counter(expected), key
        assert fetch(f"{demo_site.base}/{key}/index_4.html").status == 404


def test_directory_urls_serve_the_index(demo_site: Portal) -> None:
    for key in ("local", "minsheng", "wenlv", "county", "tags", "video", "special", "photo"):
        plain = fetch(f"{demo_site.base}/{key}/index.html")
        slash = fetch(f"{demo_site.base}/{key}/")
        bare = fetch(f"{demo_site.base}/{key}")
        assert plain.status == slash.status == bare.status == 200
        assert plain.body == slash.body == bare.body
        assert bare.url == f"{demo_site.base}/{key}/"
    assert fetch(demo_site.base + "/").body == fetch(demo_site.base + "/index.html").body


def test_content_types(demo_site: Portal) -> None:
    expected = {
        "/index.html": "text/html",
        "/county/4001.htm": "text/html",
        "/sitemap.xml": "application/xml",
        "/rss.xml": "application/rss+xml",
        "/robots.txt": "text/plain",
        "/photo/images/p01.png": "image/png",
    }
    for path, ctype in expected.items():
        assert fetch(demo_site.base + path).content_type == ctype, path


def test_head_request_has_no_body(demo_site: Portal) -> None:
    response = fetch(demo_site.base + "/index.html", method="HEAD")
    assert response.status == 200
    assert response.body == b""


def test_sitemap_lists_every_article(demo_site: Portal) -> None:
    tree = ET.fromstring(fetch(demo_site.base + "/sitemap.xml").body)
    urls = tree.findall(f"{SITEMAP_NS}url")
    with_lastmod = {}
    for url in urls:
        loc = url.findtext(f"{SITEMAP_NS}loc")
        assert loc.startswith(demo_site.base + "/"), loc
        lastmod = url.findtext(f"{SITEMAP_NS}lastmod")
        if lastmod:
            with_lastmod[loc.removeprefix(demo_site.base)] = lastmod
    assert set(with_lastmod) == demo_site.article_paths
    for article in demo_site.articles:
        assert with_lastmod[article["path"]] == article["published"]


def test_rss_feed_has_the_twenty_latest_with_tracking_links(demo_site: Portal) -> None:
    response = fetch(demo_site.base + "/rss.xml")
    channel = ET.fromstring(response.body).find("channel")
    items = channel.findall("item")
    assert len(items) == 20
    links = [item.findtext("link") for item in items]
    assert all(link.startswith(demo_site.base + "/") and link.endswith("?from=rss") for link in links)
    paths = [link.removeprefix(demo_site.base).removesuffix("?from=rss") for link in links]
    assert set(paths) <= demo_site.article_paths
    newest = sorted(demo_site.articles, key=lambda a: a["published"], reverse=True)
    assert {a["path"] for a in newest[:20]} == set(paths)
    tracked = fetch(demo_site.base + paths[0] + "?from=rss")
    assert tracked.status == 200
    assert tracked.body == fetch(demo_site.base + paths[0]).body


def test_robots_names_the_sitemap(demo_site: Portal) -> None:
    robots = fetch(demo_site.base + "/robots.txt").body.decode("ascii")
    assert "User-agent: *" in robots
    assert "Disallow: /" not in robots
    assert f"Sitemap: {demo_site.base}/sitemap.xml" in robots


def test_served_pages_point_at_the_server_not_the_build_origin(demo_site: Portal) -> None:
    on_disk = (demo_site.root / "index.html").read_text(encoding="utf-8")
    served = page_text(demo_site, "/index.html")
    assert "http://www.qingchuan.example" in (demo_site.root / "rss.xml").read_text(encoding="utf-8")
    assert "http://www.qingchuan.example" not in fetch(demo_site.base + "/rss.xml").body.decode("utf-8")
    for external in ("http://www.gov.example.cn/", "http://m.qingchuan.example/"):
        assert external in on_disk
        assert external in served


def test_demo_non_article_pages(demo_site: Portal) -> None:
    non_articles = set(demo_site.manifest["non_articles"])
    required = {
        "/about.html",
        "/contact.html",
        "/search.html",
        "/login.html",
        "/tags/index.html",
        "/video/index.html",
        "/special/index.html",
        "/photo/index.html",
    }
    assert required <= non_articles
    assert any(p.startswith("/tags/t") for p in non_articles)
    about = text_of(page_text(demo_site, "/about.html"))
    assert about.count("。") >= 3
    grid = re.search(r'<ul class="photo-grid">(.*?)</ul>', page_text(demo_site, "/photo/index.html"))
    assert grid
    assert grid[1].count("<img") >= 6
    assert "<p>" not in grid[1]
    sitemap = fetch(demo_site.base + "/sitemap.xml").body.decode("utf-8")
    for path in non_articles:
        assert f"{demo_site.base}{path}<" not in sitemap


def test_body_images_are_pngs_inside_their_articles(demo_site: Portal) -> None:
    for article in demo_site.articles:
        if not article["images"]:
            continue
        page = page_text(demo_site, article["path"], article["encoding"])
        for image in article["images"]:
            assert f'src="{image}"' in page
            assert fetch(demo_site.base + image).body.startswith(b"\x89PNG\r\n\x1a\n")


# ---------------------------------------------------------------- unseen portal


def test_unseen_portal_shape(unseen_site: Portal) -> None:
    assert len(unseen_site.articles) == 20
    assert Counter(a["section"] for a in unseen_site.articles) == {"政务动态": 10, "乡镇动态": 10}
    assert len(unseen_site.manifest["non_articles"]) == 4
    assert {a["encoding"] for a in unseen_site.articles} == {"utf-8"}
    for article in unseen_site.articles:
        page = page_text(unseen_site, article["path"])
        for demo_marker in (*TEMPLATE_MARKERS, 'rel="canonical"', "application/ld+json", "<h1"):
            assert demo_marker not in page, (article["path"], demo_marker)
        assert ('class="zw"' in page) != ('class="nr"' in page)


def test_unseen_query_pagination_has_no_page_numbers(unseen_site: Portal) -> None:
    listings = unseen_site.manifest["listings"]
    assert "/col/col1523/index.html?page=2" in listings
    first = fetch(unseen_site.base + "/col/col1523/index.html").body
    second = fetch(unseen_site.base + "/col/col1523/index.html?page=2").body
    assert first != second
    found: list[str] = []
    for path in listings[1:]:
        page = page_text(unseen_site, path)
        found += [h for h in re.findall(r'href="([^"]+)"', page) if h in unseen_site.article_paths]
        assert not re.search(r">\s*\d+\s*</a>", page), path
        if path not in ("/col/col1523/index.html?page=3", "/xzdt/list_3.shtml"):
            assert "下一页" in page
    assert Counter(found) == Counter(unseen_site.article_paths)
