"""The extraction cascade on small hand-written pages: date decoys, credits, body edges, structured data."""

from __future__ import annotations

import gc
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from newscrawl.extract import analyze, collector_paused, extract_article
from newscrawl.extract.article import site_key
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


@pytest.mark.parametrize(
    ("data", "http_charset"),
    [
        (page(info="2021-09-03 16:39").encode("utf-8"), None),
        (b"\xef\xbb\xbf" + page(info="2021-09-03 16:39").encode("utf-8"), None),
        # A broken sequence in a UTF-8 page: decoded with U+FFFD, so the parser must get the text.
        (
            page(body=f"<p>{PARAS[0]}座BROKEN会</p><p>{PARAS[1]}</p>")
            .encode()
            .replace(b"BROKEN", b"\xe5\xba"),
            None,
        ),
        (page(info="2021-09-03 16:39").encode("gb18030"), None),
        # ASCII bytes that a header calls UTF-16 are decoded as UTF-16, not read as they are.
        (b"<html><body><h1>Headline here</h1><p>Some text, some more text.</p></body></html> ", "utf-16"),
        (b"<html><body><h1>Headline here</h1><p>Some text, some more text.</p></body></html>", None),
    ],
)
def test_bytes_give_the_record_of_their_decoded_text(data: bytes, http_charset: str | None) -> None:
    # analyze() lets libxml2 read UTF-8 bytes as they are; the record must be the one of the text.
    from newscrawl.extract.encoding import decode_html  # noqa: PLC0415

    text, encoding = decode_html(data, http_charset=http_charset)
    from_bytes, _ = analyze(data, URL, site=SITE, fetched_at=FETCHED, http_charset=http_charset)
    from_text, _ = analyze(text, URL, site=SITE, fetched_at=FETCHED)
    assert from_bytes["encoding"] == encoding
    assert {**from_bytes, "encoding": None} == {**from_text, "encoding": None}


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


# --- body block choice on pages in other layouts (generic profile) ----------------------------------

EN_URL = "https://news.example.com/2021/09/03/council-meeting.html"
EN_PARAS = (
    "The city council met on Friday to discuss the new budget, which includes funds for parks, roads and schools.",
    "Members argued for hours about the size of the road fund, and several residents spoke during the session.",
    "The final vote is expected next month, after a second public hearing scheduled for the first week of October.",
)


def en_page(*, head: str = "", before: str = "", body: str | None = None, after: str = "") -> str:
    paras = body if body is not None else "".join(f"<p>{p}</p>" for p in EN_PARAS)
    return f"""<html><head><meta charset="utf-8"><title>Council debates budget | Example News</title>{head}</head>
<body><div class="masthead"><h1 class="logo">Example News</h1></div>
<div class="story"><h2 class="headline">Council debates budget</h2>{before}
<div class="story-text">{paras}</div>{after}</div>
<div class="footer">Copyright 2021 Example News. All rights reserved.</div></body></html>"""


def en_extract(html: str) -> dict[str, Any]:
    return extract_article(html.encode(), EN_URL, site=GENERIC, fetched_at=FETCHED)


def test_headline_is_not_the_site_name_cut_off_the_title() -> None:
    # "Council debates budget | Example News": the h1 logo shows only the site part of <title>.
    record = en_extract(en_page())
    assert record["title"] == "Council debates budget"
    assert record["body"] == "\n\n".join(EN_PARAS)


def test_share_button_above_the_text_does_not_end_it() -> None:
    bar = '<div class="date">September 3, 2021</div><div class="wa"><a href="whatsapp://send">Share this on WhatsApp</a></div>'
    record = en_extract(en_page(body=bar + "".join(f"<p>{p}</p>" for p in EN_PARAS)))
    assert record["body"] == "\n\n".join(EN_PARAS)


LONG_TEASERS = "".join(
    f'<article class="teaser"><p>{"Another story about something else entirely, with more words in it. " * 4}{i}</p></article>'
    for i in range(6)
)


def test_related_box_opened_by_a_heading_is_not_the_text() -> None:
    related = f'<div class="more"><h3 class="relatedpoststitle">You may also like...</h3>{LONG_TEASERS}</div>'
    record = en_extract(en_page(after=related))
    assert record["body"] == "\n\n".join(EN_PARAS)


def test_comment_thread_longer_than_the_text_is_not_the_text() -> None:
    comments = "".join(
        f'<li class="comment"><div class="comment-body"><p>{"I disagree with the council on this, and here is why. " * 5}</p>'
        f"<p>{'The road fund should go to the schools instead, as everyone knows. ' * 4}</p></div></li>"
        for _ in range(4)
    )
    record = en_extract(
        en_page(body=f"<p>{EN_PARAS[0]}</p>", after=f'<ol class="commentlist">{comments}</ol>')
    )
    assert record["body"] == EN_PARAS[0]


def test_cookie_dialog_and_hidden_boxes_are_not_text() -> None:
    cookie = "".join(
        f"<p>{'We and our partners use cookies to personalise content, measure ads and improve services. ' * 4}</p>"
        for _ in range(5)
    )
    hidden = f'<div class="hidden">{"".join(f"<p>Support our journalism today, please. {p}</p>" for p in EN_PARAS)}</div>'
    html = en_page(after=hidden).replace(
        "</body>", f'<div id="onetrust-pc"><div id="ot-pc-desc">{cookie}</div></div></body>'
    )
    record = en_extract(html)
    assert record["body"] == "\n\n".join(EN_PARAS)


def test_text_after_a_nested_headline_belongs_to_its_block() -> None:
    # The text is tail text of the block that also holds the headline (a <p>) and the date line: its
    # line comes after theirs although its block starts before them.
    text = " ".join(EN_PARAS)
    html = f"""<html><head><title>Council debates budget</title></head><body>
<ul class="menu"><li><a href="/">Home</a></li></ul>
<div class="col"><p class="titulo">Council debates budget</p><div>03/09/2021 - Posted by: <a href="/u/1">Ann Lee</a></div>{text}
<div class="share"><a href="#">Facebook</a> <a href="#">Twitter</a></div><div class="well"><a href="/">Back</a></div></div>
<div class="row"><div class="addr">Example City Hall - Main Street, 100 - Phone: (555) 2106-8000 - Open from 8 to 18, Monday to Friday, except on public holidays.</div></div>
</body></html>"""
    record = en_extract(html)
    assert record["body"] == text


def test_table_rows_with_numbered_player_classes_are_text() -> None:
    rows = "".join(
        f'<tr class="oddrow player-2020-{i}"><td>{i}</td><td>Driver Number {i}</td><td>{5000 - i}</td></tr>'
        for i in range(1, 4)
    )
    body = (
        "".join(f"<p>{p}</p>" for p in EN_PARAS) + f'<table class="tablehead"><tbody>{rows}</tbody></table>'
    )
    record = en_extract(en_page(body=body))
    assert "Driver Number 2" in record["body"]


# --- dates and people on pages in other layouts ------------------------------------------------------


def test_relative_shown_date_yields_to_metadata() -> None:
    # "1 minute ago" was relative to when the page was saved; the <time datetime> is exact.
    before = (
        '<div class="meta">Start date <time datetime="2020-03-18T12:22:42-0400">1 minute ago</time></div>'
    )
    record = en_extract(en_page(before=before))
    assert record["published"] == "2020-03-18T12:22:42-04:00"


def test_date_in_a_heading_is_weaker_than_a_date_line() -> None:
    html = f"""<html><head><title>Site banner</title></head><body><h1>Site banner of a horse blog</h1>
<h3>Winners of the weekend races (2020/7/11-12, eighteen horses)</h3><div class="info">2020-07-12 | Sales news</div>
<div class="text">{"".join(f"<p>{p}</p>" for p in EN_PARAS)}</div></body></html>"""
    record = en_extract(html)
    assert record["published"].startswith("2020-07-12")


def test_byline_element_and_its_link_give_one_name() -> None:
    before = '<div class="byline-metadata"><span class="blog-author">By <a href="/author/john-walk">John Walk</a> -</span></div>'
    record = en_extract(en_page(before=before))
    assert record["authors"] == ["John Walk"]


def test_jsonld_author_given_by_graph_reference() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "headline": "Council debates budget", "author": {"@id": "#/person/1"}},
            {"@type": "Person", "@id": "#/person/1", "name": "Celia Parbey"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    record = en_extract(en_page(head=head))
    assert record["authors"] == ["Celia Parbey"]


def test_account_names_and_outlets_are_not_authors() -> None:
    # A WeChat-style account nickname, a fact-box nickname row and a meta author naming the site.
    before = (
        '<div class="meta_list"><span class="rich_media_meta_nickname"><a href="javascript:void(0);">掌上绥德</a></span></div>'
        '<table class="infobox"><tr><th>昵称</th><td class="nickname">能力者、国儿</td></tr></table>'
    )
    head = '<meta name="author" content="网易">'
    html = page(info="2021-09-03", head=head, body="".join(f"<p>{p}</p>" for p in PARAS[1:]))
    html = html.replace("示例网</title>", "网易订阅</title>").replace(
        '<div class="info">', before + '<div class="info">'
    )
    record = extract(html)
    assert record["authors"] == []


def test_badly_broken_markup_is_flagged_and_still_extracted() -> None:
    sentences = [f"第{i}段。市政府召开会议，研究部署今冬明春重点工作，要求压实责任。" for i in range(5)]
    head = "<html><head><title>示例标题_示例网</title></head><body>"
    tidy = (
        f"{head}<div class='article'><h1>示例标题</h1><div class='info'>2026-11-02 09:30 来源：示例日报</div>"
        f"<div class='content'>{''.join(f'<p>{t}</p>' for t in sentences)}</div></div></body></html>"
    )
    # Stray end tags, bad nesting and unclosed paragraphs, as the worst real pages have them.
    broken = (
        f"{head}</td></tr></table><div class='article'><h1>示例标题</h2><font><b>"
        "<div class='info'>2026-11-02 09:30 来源：示例日报</span>"
        f"<div class='content'>{''.join(f'<p>{t}' for t in sentences)}</div></div></div></div></i>"
    )
    when = datetime(2026, 11, 26, tzinfo=UTC)
    for page, malformed in ((tidy, False), (broken, True)):
        record, signals = analyze(page, "http://example.cn/a/1.html", site=GENERIC, fetched_at=when)
        assert signals.malformed is malformed
        assert record["title"] == "示例标题"
        assert record["source"] == "示例日报"
        assert len(record["body"].split("\n\n")) == 5


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("news.hnr.cn", "hnr.cn"),
        ("www.hnr.cn.", "hnr.cn"),
        ("a.people.com.cn", "people.com.cn"),
        ("www.foo.sh.cn", "foo.sh.cn"),  # provincial second level: not one site for all of Shanghai
        ("news.bar.sh.cn", "bar.sh.cn"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("WWW.Example.COM", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "[::1]"),
        ("localhost", "localhost"),
    ],
)
def test_site_key_is_the_registrable_domain(host: str, key: str) -> None:
    assert site_key(host) == key


def test_a_back_to_portal_line_ends_the_text() -> None:
    """ "返回搜狐，查看更多" and the like, on any portal: the text ends there, and what follows is not kept."""
    paragraph = "本报讯 市政府昨日召开会议，研究部署今冬明春重点工作，要求各地各部门压实责任、细化措施，确保各项工作落到实处。"
    html = f"""<html><head><title>市政府部署今冬明春重点工作</title></head><body>
    <h1>市政府部署今冬明春重点工作</h1><p>2026-11-20 09:00 来源：示例日报</p>
    <div class="article"><p>{paragraph}</p><p>{paragraph}</p><p>返回网易首页，查看更多</p>
    <p>{paragraph.replace("本报讯", "另一则")}</p></div></body></html>"""
    record = extract_article(html, "https://news.example.com/a/1.html", site="generic", fetched_at=FETCHED)
    assert record["body"] == f"{paragraph}\n\n{paragraph}"


def test_extraction_puts_the_garbage_collector_back_as_it_was() -> None:
    html = "<html><body><h1>标题</h1><p>正文。</p></body></html>"
    was = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            extract_article(html, "http://a.cn/1.html", fetched_at=datetime(2026, 11, 26, tzinfo=UTC))
            assert gc.isenabled() is state
    finally:
        (gc.enable if was else gc.disable)()


def test_collector_paused_counts_overlapping_blocks_and_survives_errors() -> None:
    assert gc.isenabled()
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # blocks of two threads need not end in the order they began
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    seen: list[bool] = []

    def fail() -> None:
        with collector_paused():
            seen.append(gc.isenabled())
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        fail()
    assert seen == [False]
    assert gc.isenabled()


def test_on_tree_sees_the_whole_page_before_the_extractor_changes_it() -> None:
    html = """<html><head><title>标题</title><script>var x = 1;</script></head><body>
    <div style="display:none"><a href="/hidden.html">隐藏</a></div><!-- 注释 -->
    <h1>标题</h1><p>正文第一段，内容足够长，才像一篇文章的正文。这里还有更多的文字。</p></body></html>"""
    seen: list[tuple[list[str], list[str], int]] = []

    def look(root: Any) -> None:
        seen.append(
            (
                root.xpath("//a/@href"),
                [s.text for s in root.iter("script")],
                len(root.xpath("//comment()")),
            )
        )

    record, _ = analyze(html.encode(), URL, site=SITE, fetched_at=FETCHED, on_tree=look)
    # Called once, with what the extractor later drops (hidden box, script, comment) still in place.
    assert seen == [(["/hidden.html"], ["var x = 1;"], 1)]
    plain, _ = analyze(html.encode(), URL, site=SITE, fetched_at=FETCHED)
    assert record == plain
    assert "隐藏" not in record["body"]
