"""End-to-end: ``newscrawl crawl hnr`` through the real Scrapy engine, pages served from 127.0.0.1.

The crawl runs in a subprocess (the Twisted reactor starts once per process). Requests for hnr.cn URLs
are answered by a loopback server holding the golden fixtures and two listing pages written here.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from newscrawl.items import RECORD_FIELDS
from newscrawl.registry import get_site
from tests.conftest import ROOT, article_cases
from tests.crawls import newscrawl, read_lines, scrapy
from tests.loopback import PageServer, loopback_settings

CASES = {c.name: c for c in article_cases() if c.site == "hnr"}
SERVED = ("article_2021", "article_trs_gbk", "article_2023", "article_mobile")

LISTING_1 = """<html><head><meta charset="utf-8"><title>新闻热点_映象网</title></head><body>
<div class="nav"><a href="/xwrd/">新闻热点</a> <a href="https://www.hnr.cn/about/">关于我们</a>
<a href="http://www.henan.gov.cn/">河南省政府</a></div>
<ul class="list">
<li><a href="/202109/03/3630552.html">许昌市建安区:以组织振兴夯实乡村振兴基础</a> <span>2021-09-03</span></li>
<li><a href="/xwgqtj/202109/t20210903_3630552.html">许昌市建安区:以组织振兴夯实乡村振兴基础</a></li>
<li><a href="/djn/article/1/1433937625178103808">许昌市建安区:以组织振兴夯实乡村振兴基础</a></li>
<li><a href="https://m.hnr.cn/news/202109/03/3630552.html">手机版</a></li>
</ul>
<div class="page"><a href="/xwrd/">1</a> <a href="/xwrd/2.html">2</a> <a href="/xwrd/2.html">下一页</a></div>
</body></html>"""
LISTING_2 = """<html><head><meta charset="utf-8"><title>新闻热点_映象网</title></head><body>
<ul class="list">
<li><a href="/202109/03/3630552.html">许昌市建安区:以组织振兴夯实乡村振兴基础</a></li>
<li><a href="/202109/02/3629985.html">已删除的稿件</a></li>
</ul>
<div class="page"><a href="/xwrd/">1</a> <a href="/xwrd/2.html">2</a></div>
</body></html>"""


def pages() -> dict[str, tuple[bytes, str]]:
    served = {
        "https://news.hnr.cn/xwrd/": (LISTING_1.encode(), "text/html; charset=utf-8"),
        "https://news.hnr.cn/xwrd/2.html": (LISTING_2.encode(), "text/html; charset=utf-8"),
    }
    for name in SERVED:
        case = CASES[name]
        ctype = {k.lower(): v for k, v in case.response["headers"].items()}["content-type"]
        served[case.response["url"]] = (case.body, ctype)
    return served


def crawl_hnr(tmp: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """``newscrawl crawl hnr -o OUT`` in ``tmp`` (seen-store in tmp/state); returns it and the URLs served."""
    with PageServer(pages()) as server:
        result = newscrawl(
            tmp,
            "crawl",
            "hnr",
            "-o",
            str(out),
            *loopback_settings(server),
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "RETRY_ENABLED=False",
        )
        hits = list(server.hits)
    return result, hits


@pytest.fixture(scope="module")
def crawl(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path, list[str]]:
    tmp = tmp_path_factory.mktemp("hnr")
    out = tmp / "hnr.jsonl"
    result, hits = crawl_hnr(tmp, out)
    return result, out, hits


def test_crawl_succeeds(crawl: tuple[subprocess.CompletedProcess[str], Path, list[str]]) -> None:
    result, out, _ = crawl
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert out.is_file()


def test_every_article_once_with_its_fields(
    crawl: tuple[subprocess.CompletedProcess[str], Path, list[str]],
) -> None:
    _, out, _ = crawl
    records = read_lines(out)
    # The mobile page's canonical URL is the desktop article: one of the two is a duplicate.
    assert len(records) == 3
    canon = [r["canonical_url"] or r["url"] for r in records]
    assert len(set(canon)) == 3
    by_url = {r["url"]: r for r in records}
    assert CASES["article_trs_gbk"].response["url"] in by_url
    assert CASES["article_2023"].response["url"] in by_url
    for record in records:
        assert list(record) == list(RECORD_FIELDS)
        case = next(CASES[n] for n in SERVED if CASES[n].response["url"] == record["url"])
        for field in ("title", "published", "source", "authors", "editors", "keywords", "body", "encoding"):
            assert record[field] == case.expected[field], (record["url"], field)
        assert record["site"] == "hnr"


def test_output_is_utf8_text(crawl: tuple[subprocess.CompletedProcess[str], Path, list[str]]) -> None:
    _, out, _ = crawl
    raw = out.read_bytes()
    assert "许昌市建安区".encode() in raw
    assert b"\\u" not in raw


def test_only_site_pages_requested(crawl: tuple[subprocess.CompletedProcess[str], Path, list[str]]) -> None:
    _, _, hits = crawl
    assert hits, "nothing reached the loopback server"
    assert all("hnr.cn" in url for url in hits)
    assert not any(url.startswith("https://www.hnr.cn/about") for url in hits)
    assert "https://news.hnr.cn/xwrd/2.html" in hits


def test_summary_line(crawl: tuple[subprocess.CompletedProcess[str], Path, list[str]]) -> None:
    result, out, _ = crawl
    summary = [ln for ln in result.stdout.splitlines() if ln.startswith("newscrawl:")]
    assert len(summary) == 1
    assert "3 articles" in summary[0]
    assert "duplicate 1" in summary[0]
    assert str(out) in summary[0]


def test_a_second_run_fetches_no_known_article(
    crawl: tuple[subprocess.CompletedProcess[str], Path, list[str]],
) -> None:
    """Same state dir: every article (and the mobile page that duplicates one) is known, so no article
    page is requested, page 2 of the listing is not either, and nothing is appended to the output."""
    first, out, _ = crawl
    assert first.returncode == 0
    before = out.read_bytes()
    result, hits = crawl_hnr(out.parent, out)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = [u for u in hits if get_site("hnr").is_article_url(u)]
    assert articles == []
    assert "https://news.hnr.cn/xwrd/" in hits
    assert "https://news.hnr.cn/xwrd/2.html" not in hits
    assert out.read_bytes() == before
    runs = sorted((out.parent / "runs").glob("*.json"))
    assert len(runs) == 2
    manifest = json.loads(runs[-1].read_text(encoding="utf-8"))
    assert (manifest["status"], manifest["exit_code"], manifest["articles"]["written"]) == ("ok", 0, 0)
    assert manifest["pages"]["skipped_known"] == 4
    assert set(manifest["errors"]) == {"http/404"}  # the other channels


def test_scrapy_crawl_hnr_works_the_same(tmp_path: Path) -> None:
    """``scrapy crawl hnr`` from the repo root runs the same spider and pipelines."""
    out = tmp_path / "scrapy.jsonl"
    with PageServer(pages()) as server:
        result = scrapy(
            ROOT,
            "crawl",
            "hnr",
            *loopback_settings(server),
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            f"NEWSCRAWL_OUTPUT={out}",
            "-s",
            f"NEWSCRAWL_STATE_DIR={tmp_path / 'state'}",
            "-s",
            "LOG_LEVEL=WARNING",
        )
    assert result.returncode == 0, result.stderr[-3000:]
    records = read_lines(out)
    assert len(records) == 3
    assert {r["title"] for r in records} == {"许昌市建安区:以组织振兴夯实乡村振兴基础"}
