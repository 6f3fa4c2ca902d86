"""The extraction cascade on small hand-written pages: date decoys, credits, body edges, structured data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from newscrawl.extract import extract_article
from newscrawl.site import GENERIC, Site
from tests.conftest import SHARED, article_cases

FETCHED = datetime(2021, 9, 5, 2, 0, tzinfo=UTC)
SITE = Site(name="demo", title="示例网", domains=("example.cn",))
URL = "https://news.example.cn/content/12345.html"
PARAS = (
    "示例网讯（记者 张三 通讯员 李四）近日，示例市举办了一场关于乡村振兴的座谈会，来自各县区的代表参加了会议。",
    "会议指出，要持续推进基层党建工作，抓实系统衔接，扛稳政治责任，确保各项措施落到实处，推动工作提质增效。",
    "与会代表表示，将认真贯彻会议精神，结合本地实际，制定具体措施，为全面推进乡村振兴贡献力量。",
)


def page(
    *, header: str = "", info: str = "", after: str = "", head: str = "", body: str | None = None
) -> str:
    paras = body if body is not None else "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<html><head><meta charset="utf-8"><title>示例市召开乡村振兴座谈会_示例网</title>{head}
<script>var pubdate = "2021-09-04 10:00:00"; var now = new Date("2021-08-01");</script></head><body>
<div class="top">{header}<a href="/">首页</a> <a href="/news/">新闻</a></div>
<h1>示例市召开乡村振兴座谈会</h1>
<div class="info">{info}</div>
<div class="content">{paras}</div>
{after}
<div class="footer">Copyright © 2012-2021 example.cn 版权所有</div>
</body></html>"""


def extract(html: str, url: str = URL, site: Site = SITE) -> dict[str, Any]:
    return extract_article(html.encode(), url, site=site, fetched_at=FETCHED)


RELATED = '<div class="related"><h3>相关新闻</h3><ul><li><a href="/a/1.html">另一篇报道</a> 2021-09-02 08:00</li></ul></div>'


@pytest.mark.parametrize(
    ("kwargs", "published", "raw"),
    [
        ({"info": "2021-09-03 16:39:39 来源：示例网"}, "2021-09-03T16:39:39+08:00", "2021-09-03 16:39:39"),
        ({"info": "发布时间：2021年09月03日 16:39"}, "2021-09-03T16:39+08:00", "2021年09月03日 16:39"),
        ({"info": "2021-09-03"}, "2021-09-03", "2021-09-03"),
        # Decoys only: today's date in the header, a date in a script, a copyright year, related stories.
        ({"header": "今天是2021年9月5日 星期日 "}, None, None),
        ({"after": RELATED}, None, None),
        ({"info": "2031-09-03 16:39:39"}, None, None),
        # The header decoy must not beat the real date after the headline.
        (
            {"header": "2021年9月5日 星期日 ", "info": "2021-09-03 16:39"},
            "2021-09-03T16:39+08:00",
            "2021-09-03 16:39",
        ),
        ({"info": "3小时前 来源：示例网"}, "2021-09-05T07:00+08:00", "3小时前"),
        ({"info": "昨天 10:20"}, "2021-09-04T10:20+08:00", "昨天 10:20"),
        ({"info": "09-03 16:39"}, "2021-09-03T16:39+08:00", "09-03 16:39"),
        # Metadata when nothing is displayed, moved into the site's zone.
        (
            {"head": '<meta property="article:published_time" content="2021-09-03T08:39:39Z">'},
            "2021-09-03T16:39:39+08:00",
            "2021-09-03T08:39:39Z",
        ),
    ],
)
def test_published(kwargs: dict[str, str], published: str | None, raw: str | None) -> None:
    record = extract(page(**kwargs))
    assert record["published"] == published
    assert record["published_raw"] == raw


def test_date_from_url_is_the_last_resort() -> None:
    record = extract(page(), url="https://news.example.cn/2021/0903/12345.html")
    assert record["published"] == "2021-09-03"
    assert record["field_sources"]["published"] == "url"


def test_modified_is_kept_apart() -> None:
    record = extract(page(info="发布时间：2021-09-03 16:39 更新时间：2021-09-04 09:00"))
    assert record["published"] == "2021-09-03T16:39+08:00"
    assert record["modified"] == "2021-09-04T09:00+08:00"


def test_credits_from_info_line_lead_and_tail() -> None:
    record = extract(
        page(
            info="2021-09-03 16:39 来源：示例日报 作者：王五",
            after='<div class="tail">【责任编辑：赵六】 审核：钱七</div>',
        )
    )
    assert record["source"] == "示例日报"
    assert record["authors"] == ["王五", "张三", "李四"]
    assert record["editors"] == ["赵六", "钱七"]


def test_no_credits_means_empty_not_guessed() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAS[1:])
    record = extract(page(info="2021-09-03", body=body))
    assert record["source"] is None
    assert record["authors"] == []
    assert record["editors"] == []
    assert record["keywords"] == []


def test_body_excludes_trailers_captions_and_related() -> None:
    body = (
        '<p class="share">分享到：微信 微博</p>'
        + "".join(f"<p>{p}</p>" for p in PARAS)
        + '<p><img src="/img/1.jpg"></p><p class="pic-note">记者 张三 摄</p>'
        + "<p>（示例网新闻热线：0371-12345678，投稿邮箱：news@example.cn）</p>"
        + "<p>责任编辑：赵六</p>"
    )
    record = extract(page(info="2021-09-03", body=body, after=RELATED))
    assert record["body"] == "\n\n".join(PARAS)
    assert record["images"] == ["https://news.example.cn/img/1.jpg"]
    assert record["editors"] == ["赵六"]


def test_jsonld_fills_what_the_page_does_not_show() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "示例市召开乡村振兴座谈会",
        "datePublished": "2021-09-03T16:39:00+08:00",
        "author": {"@type": "Person", "name": "王五"},
        "keywords": ["乡村振兴", "座谈会"],
        "articleSection": "本地",
    }
    head = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
    record = extract(page(head=head, body="".join(f"<p>{p}</p>" for p in PARAS[1:])))
    assert record["published"] == "2021-09-03T16:39:00+08:00"
    assert record["field_sources"]["published"] == "jsonld"
    assert record["keywords"] == ["乡村振兴", "座谈会"]
    assert record["section"] == "本地"
    assert record["authors"] == ["王五"]  # used because the page credits nobody visibly


def test_generic_profile_guesses_zone_and_language() -> None:
    record = extract(page(info="2021-09-03 16:39"), site=GENERIC)
    assert record["site"] == "generic"
    assert record["language"] == "zh"
    assert record["published"] == "2021-09-03T16:39+08:00"
    assert record["title"] == "示例市召开乡村振兴座谈会"


def test_garbage_never_raises() -> None:
    for html in (
        b"",
        b"\x00\xff\xfe garbage",
        b"<html><body></body></html>",
        "<p>只有一行</p>".encode("gbk"),
        b"<?xml version='1.0' encoding='gb2312'?><html><body><h1>t</h1></body></html>",
    ):
        record = extract_article(html, URL, site=SITE, fetched_at=FETCHED)
        assert isinstance(record["body"], str)
        assert isinstance(record["authors"], list)


SEED = SHARED / "seed" / "expected.json"


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is not present")
@pytest.mark.parametrize("case", [c for c in article_cases() if c.site == "hnr"], ids=lambda c: c.id)
def test_seed_expectations(case: Any) -> None:
    """../shared/seed/expected.json holds for every rendering of the seed article (where it shows the field)."""
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    record = extract_article(case.body, case.response["url"], fetched_at=case.fetched_at)
    shown = case.expected
    for field in ("site", "title", "source", "authors", "editors"):
        assert record[field] == seed[field], field
    for field in ("published", "published_raw", "section", "keywords"):
        # A template may show less (minutes only, no breadcrumb, no keyword line); its fixture says so.
        assert record[field] == (seed[field] if shown[field] == seed[field] else shown[field]), field
    body = record["body"]
    assert body.startswith(seed["body_starts_with"])
    assert body.endswith(seed["body_ends_with"])
    assert len(body.split("\n\n")) == seed["body_paragraphs"]
    for text in seed["not_in_body"]:
        assert text not in body
