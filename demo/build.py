"""Generate the 青川新闻网 demo portal: a static site with four article templates, decoys and a manifest.

The site is written for the origin :data:`ORIGIN`; ``demo.serve`` rewrites that origin to the address it
listens on, so canonical links, the sitemap and the feed point back at the local server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from demo.content import CHANNELS, STORIES, Channel, Credit, Figure, Items, Story
from demo.sitekit import (
    esc,
    iso_from_raw,
    iso_to_datetime,
    png,
    write_bytes,
    write_manifest,
    write_text,
)

SITE_NAME = "青川新闻网"
ORIGIN = "http://www.qingchuan.example"
TODAY = "今天是2026年11月26日 星期四"
# Decoy timestamps: the day the site was "built", later than every article.
BUILD_STAMP = "2026-11-26 06:30:12"
BUILD_RFC822 = "Thu, 26 Nov 2026 06:30:12 +0800"
PER_PAGE = 6
RSS_ITEMS = 20
HOTLINE = "（青川新闻网新闻热线：0839-1234567，投稿邮箱：news@qingchuan.example）"
LEAD_ROLES = ("记者", "见习记者", "通讯员")
DATELINES = {"新华社": "新华社青川{m}月{d}日电", "青川日报": "青川日报讯", "青川晚报": "青川晚报讯"}
DEFAULT_DATELINE = {"county": "本网讯"}
EXTERNAL_LINKS = (
    ("青川市人民政府", "http://www.gov.example.cn/"),
    ("川北在线", "http://www.chuanbei.example.org/"),
)
MOBILE_SITE = "http://m.qingchuan.example/"
PALETTE = (
    (52, 101, 164),
    (78, 154, 6),
    (196, 160, 0),
    (204, 0, 0),
    (117, 80, 123),
    (206, 92, 0),
    (46, 52, 54),
    (0, 128, 128),
)
SITE_KEYWORDS = "青川,青川新闻网,青川市,本地新闻,民生,文旅,县区"
INLINE_CSS = (
    "body{font:14px/1.8 sans-serif;margin:0}a{color:#1d3f72;text-decoration:none}"
    ".wrap{width:1000px;margin:0 auto}.nav a{margin:0 8px}.side{float:right;width:280px}"
)

Block = str | Figure | Items


@dataclass(frozen=True)
class Article:
    """A story placed on the site: id, URL path and body with the lead folded in."""

    story: Story
    channel: Channel
    id: int
    path: str
    iso: str
    body: tuple[Block, ...]
    images: tuple[str, ...]

    @property
    def title(self) -> str:
        """The headline."""
        return self.story.title

    @property
    def date(self) -> str:
        """Publication day as YYYY-MM-DD."""
        return self.iso[:10]

    @property
    def stamp(self) -> str:
        """Publication time as shown in lists: YYYY-MM-DD HH:MM (date only when that is all we know)."""
        return self.iso[:16].replace("T", " ")

    @property
    def paragraphs(self) -> list[str]:
        """Body text blocks in order: paragraphs and list items (image captions excluded)."""
        out: list[str] = []
        for block in self.body:
            if isinstance(block, str):
                out.append(block)
            elif isinstance(block, Items):
                out.extend(block.items)
        return out

    @property
    def writers(self) -> list[str]:
        """Names of the people credited as writing it."""
        return [c.name for c in self.story.authors]

    @property
    def byline_authors(self) -> list[Credit]:
        """Authors credited in a byline (作者/文) rather than in the lead."""
        return [c for c in self.story.authors if c.role not in LEAD_ROLES]

    @property
    def listing_summary(self) -> str:
        """The summary shown in lists: the story's own, else the start of the first paragraph."""
        if self.story.summary:
            return self.story.summary
        first = next(b for b in self.story.body if isinstance(b, str))
        return first[:46] + "……"


@dataclass(frozen=True)
class _Site:
    articles: tuple[Article, ...]
    by_channel: dict[str, tuple[Article, ...]]
    newest: tuple[Article, ...]
    tags: dict[str, str]


# ---------------------------------------------------------------- placing stories on the site


def _article_path(channel: str, article_id: int, iso: str) -> str:
    y, m, d = iso[:4], iso[5:7], iso[8:10]
    if channel == "local":
        return f"/local/{y}/{m}{d}/{article_id}.html"
    if channel == "minsheng":
        return f"/minsheng/{y}{m}/{d}/t{y}{m}{d}_{article_id}.html"
    if channel == "wenlv":
        return f"/wenlv/content_{article_id}.html"
    return f"/county/{article_id}.htm"


def _image_path(channel: str, article_id: int, iso: str, n: int) -> str:
    if channel == "wenlv":
        return f"/wenlv/uploads/{iso[:4]}/{iso[5:7]}/{article_id}_{n}.png"
    return f"/{channel}/images/{iso[:4]}{iso[5:7]}/{article_id}_{n}.png"


def _lead(story: Story, iso: str) -> str:
    """The dateline and reporter credits that open the first paragraph, e.g. 本网讯（记者 张三）."""
    credited = [c for c in story.authors if c.role in LEAD_ROLES]
    if not credited:
        return ""
    template = DATELINES.get(story.source or "", DEFAULT_DATELINE.get(story.channel, "青川新闻网讯"))
    dateline = template.format(m=int(iso[5:7]), d=int(iso[8:10]))
    return f"{dateline}（{_credit_text(credited)}）"


def _credit_text(credits: Iterable[Credit]) -> str:
    """'记者 甲 乙 通讯员 丙': each role once, followed by its names."""
    parts: list[str] = []
    role = None
    for credit in credits:
        if credit.role != role:
            parts.append(credit.role)
            role = credit.role
        parts.append(credit.name)
    return " ".join(parts)


def _check(story: Story, paragraphs: list[str]) -> None:
    """Reject content that breaks the portal's promises (counts, dates, credits)."""
    problems = []
    if not 3 <= len(paragraphs) <= 7:
        problems.append(f"{len(paragraphs)} paragraphs")
    if len(story.authors) > 3:
        problems.append("more than 3 authors")
    if not 1 <= sum(1 for e in story.editors if not e.role) <= 2:
        problems.append("needs 1-2 editors")
    if len(story.keywords) > 4:
        problems.append("more than 4 keywords")
    if not isinstance(story.body[0], str) or not isinstance(story.body[-1], str):
        problems.append("body must start and end with a paragraph")
    iso = iso_from_raw(story.published)
    if not "2026-10-01" <= iso[:10] <= "2026-11-25":
        problems.append(f"date {iso} outside Oct-Nov 2026")
    byline_roles = {c.role for c in story.authors if c.role not in LEAD_ROLES}
    if len(byline_roles) > 1 or (byline_roles and len(byline_roles) < len({c.role for c in story.authors})):
        problems.append("mixes lead and byline credits")
    if problems:
        raise ValueError(f"{story.title}: " + ", ".join(problems))


def _place(stories: Iterable[Story]) -> _Site:
    articles: list[Article] = []
    for channel in CHANNELS:
        own = [s for s in stories if s.channel == channel.key]
        isos = [iso_from_raw(s.published) for s in own]
        if [iso_to_datetime(i) for i in isos] != sorted(iso_to_datetime(i) for i in isos):
            raise ValueError(f"channel {channel.key}: stories are not oldest first")
        for offset, (story, iso) in enumerate(zip(own, isos, strict=True)):
            article_id = channel.first_id + offset
            lead = _lead(story, iso)
            body = list(story.body)
            if lead:
                body[0] = lead + str(body[0])
            figures = sum(1 for b in story.body if isinstance(b, Figure))
            images = tuple(_image_path(channel.key, article_id, iso, n) for n in range(1, figures + 1))
            article = Article(
                story=story,
                channel=channel,
                id=article_id,
                path=_article_path(channel.key, article_id, iso),
                iso=iso,
                body=tuple(body),
                images=images,
            )
            _check(story, article.paragraphs)
            articles.append(article)
    titles = [a.title for a in articles]
    if len(set(titles)) != len(titles):
        raise ValueError("titles must be unique")
    by_channel = {c.key: tuple(a for a in articles if a.channel.key == c.key) for c in CHANNELS}
    newest = tuple(sorted(articles, key=lambda a: (iso_to_datetime(a.iso), a.id), reverse=True))
    # Only the 文旅 template links its keywords to tag pages, so only those tags get pages.
    tags: dict[str, str] = {}
    for article in by_channel["wenlv"]:
        for keyword in article.story.keywords:
            tags.setdefault(keyword, f"/tags/t{len(tags) + 1:03d}.html")
    return _Site(tuple(articles), by_channel, newest, tags)


# ---------------------------------------------------------------- shared page parts


def _url(path: str) -> str:
    return ORIGIN + path


def _link(article: Article, extra: str = "") -> str:
    return f'<a href="{article.path}"{extra}>{esc(article.title)}</a>'


def _decoy_script(channel: str) -> str:
    return (
        '<script type="text/javascript">'
        f'var _qc = {{site: "qingchuan", channel: "{channel}", build: "{BUILD_STAMP}"}};'
        "</script>"
    )


def _nav_items() -> list[tuple[str, str]]:
    return [
        ("首页", "/"),
        *((c.name, f"/{c.key}/") for c in CHANNELS),
        ("图片", "/photo/"),
        ("视频", "/video/"),
        ("专题", "/special/"),
        ("关于我们", "/about.html"),
        ("联系我们", "/contact.html"),
        ("搜索", "/search.html"),
        ("登录", "/login.html"),
    ]


def _header() -> str:
    nav = " ".join(f'<a href="{href}">{name}</a>' for name, href in _nav_items())
    return (
        '<div class="topbar wrap">'
        f'<span class="today">{TODAY}</span> <span class="weather">青川 晴 8℃~17℃</span> '
        f'<a href="/login.html">登录</a> | <a href="{MOBILE_SITE}">手机版</a></div>\n'
        '<div class="header wrap"><a class="logo" href="/">青川新闻网</a>'
        '<form class="search" action="/search.html" method="get">'
        '<input type="text" name="q" placeholder="请输入关键词"><button type="submit">搜索</button>'
        "</form></div>\n"
        f'<div class="nav wrap">{nav}</div>\n'
    )


def _footer() -> str:
    friends = " ".join(f'<a href="{href}" target="_blank">{name}</a>' for name, href in EXTERNAL_LINKS)
    return (
        '<div class="footer wrap">\n'
        '<p><a href="/about.html">关于我们</a> | <a href="/contact.html">联系我们</a> | '
        '<a href="/sitemap.xml">网站地图</a> | <a href="/rss.xml">RSS订阅</a></p>\n'
        f"<p>友情链接：{friends}</p>\n"
        "<p>Copyright &copy; 2012-2026 青川新闻网 版权所有</p>\n"
        "<p>地址：青川市临溪区人民路88号 违法和不良信息举报电话：0839-1234000</p>\n"
        "</div>\n"
    )


def _crumb(channel: Channel) -> str:
    return f'<a href="/">首页</a> &gt; <a href="/{channel.key}/">{channel.name}</a> &gt; 正文'


def _share() -> str:
    return (
        '<div class="share">分享到：<a href="javascript:;" class="wx">微信</a> '
        '<a href="javascript:;" class="wb">微博</a></div>'
    )


def _related(article: Article, site: _Site) -> list[Article]:
    """Four other stories of the same channel (the next ones, wrapping around)."""
    own = site.by_channel[article.channel.key]
    index = own.index(article)
    return [own[(index + k) % len(own)] for k in range(1, 5)]


def _hot(article: Article | None, site: _Site) -> str:
    """A side box of dated links to stories from across the site."""
    picks = [a for a in site.newest[1::7] if a is not article][:5]
    items = "".join(f"<li>{_link(a)}<span>{a.stamp}</span></li>" for a in picks)
    return f'<div class="hot"><h3>热点排行</h3><ul>{items}</ul></div>'


def _editor_text(story: Story, label: str, sep: str = " ") -> str:
    main = " ".join(c.name for c in story.editors if not c.role)
    rest = [f"{c.role}：{c.name}" for c in story.editors if c.role]
    return sep.join([f"{label}：{main}", *rest])


def _page(title: str, body: str, *, charset: str = "utf-8", head: str = "") -> str:
    """A plain HTML5 page with the site chrome (for listings and the non-article pages)."""
    meta = (
        f'<meta charset="{charset}">'
        if charset == "utf-8"
        else f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n'
        f"{meta}\n<title>{esc(title)}</title>\n"
        f'<meta name="keywords" content="{SITE_KEYWORDS}">\n'
        f"<style>{INLINE_CSS}</style>\n{head}</head>\n<body>\n"
        f"{_header()}{body}\n{_footer()}{_decoy_script('page')}\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------- article templates


def _render_local(article: Article, site: _Site) -> str:
    """本地: an old CMS with div.article, p.info and div#text_content plus a hotline trailer."""
    story = article.story
    info = story.published
    if story.source:
        info += f" 来源：{story.source}"
    if article.byline_authors:
        info += " 作者：" + " ".join(c.name for c in article.byline_authors)
    body: list[str] = []
    images = iter(article.images)
    for block in article.body:
        if isinstance(block, Figure):
            body.append(f'<p style="text-align: center;"><img src="{next(images)}" alt="" /></p>')
            body.append(f'<p style="text-align: center;" class="pic-note">{esc(block.caption)}</p>')
        elif isinstance(block, str):
            body.append(f"<p>{esc(block)}</p>")
    body.append(f'<p class="hotline">{HOTLINE}</p>')
    keywords = f"文章关键词：{','.join(story.keywords)} " if story.keywords else ""
    related = "".join(
        f"<li>{_link(a)} <span>{a.story.published}</span></li>" for a in _related(article, site)
    )
    description = f'<meta name="description" content="{esc(story.summary)}" />\n' if story.summary else ""
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
        f"<title>{esc(story.title)}-青川新闻网</title>\n{description}"
        f'<link rel="canonical" href="{_url(article.path)}" />\n'
        f"<style>{INLINE_CSS}</style>\n{_decoy_script('local')}\n</head>\n<body>\n"
        f"{_header()}"
        f'<div class="position wrap">当前位置：{_crumb(article.channel)}</div>\n'
        '<div class="wrap">\n<div class="main">\n<div class="article">\n'
        f"<h1>{esc(story.title)}</h1>\n"
        f'<p class="info">{esc(info)}</p>\n{_share()}\n'
        '<div id="text_content">\n' + "\n".join(body) + "\n</div>\n"
        f'<div class="keywords">{esc(keywords)}{_editor_text(story, "责编")}</div>\n'
        "</div>\n"
        f'<div class="related"><h3>相关新闻</h3><ul>{related}</ul></div>\n'
        f'</div>\n<div class="side">{_hot(article, site)}</div>\n</div>\n'
        f"{_footer()}</body>\n</html>\n"
    )


def _trs_body(article: Article) -> str:
    """TRS-style body; two thirds of the stories join paragraphs with <br> instead of <p>."""
    style = article.id % 3
    indent = "\u3000\u3000"
    blocks: list[str] = []
    for block in article.body:
        if isinstance(block, Items):
            blocks.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, str):
            blocks.append(indent + esc(block))
    if style == 0:
        return "\n".join(
            b if b.startswith("<ul>") else f'<p style="text-indent: 2em;">{b}</p>' for b in blocks
        )
    if style == 1:
        # Pairs of paragraphs share one <p>, split by a single <br/>, as TRS pastes often look.
        out: list[str] = []
        pending: list[str] = []
        for b in blocks:
            if b.startswith("<ul>"):
                if pending:
                    out.append("<p>" + "<br/>".join(pending) + "</p>")
                    pending = []
                out.append(b)
                continue
            pending.append(b)
            if len(pending) == 2:
                out.append("<p>" + "<br/>".join(pending) + "</p>")
                pending = []
        if pending:
            out.append("<p>" + "<br/>".join(pending) + "</p>")
        return "\n".join(out)
    return "<br><br>\n".join(blocks) + "<br>\n<p>&nbsp;</p>"


def _render_minsheng(article: Article, site: _Site) -> str:
    """民生: a TRS-like page with h2.title, div.time, div.TRS_Editor and a JSON-LD NewsArticle."""
    story = article.story
    meta_bits = [story.published]
    if story.source:
        meta_bits.append(f"稿源：{story.source}")
    if article.byline_authors:
        meta_bits.append("作者：" + " ".join(c.name for c in article.byline_authors))
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": article.iso,
        "articleSection": article.channel.name,
        "mainEntityOfPage": _url(article.path),
        "publisher": {"@type": "Organization", "name": SITE_NAME},
    }
    if story.authors:
        ld["author"] = [{"@type": "Person", "name": n} for n in article.writers]
    if story.keywords:
        ld["keywords"] = ",".join(story.keywords)
    if story.summary:
        ld["description"] = story.summary
    head = ""
    if story.keywords:
        head += f'<meta name="keywords" content="{esc(",".join(story.keywords))}">\n'
    if story.summary:
        head += f'<meta name="description" content="{esc(story.summary)}">\n'
    related = "".join(f"<li>{_link(a)} <span>({a.date[5:]})</span></li>" for a in _related(article, site))
    ld_text = json.dumps(ld, ensure_ascii=False, indent=1)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(story.title)}_民生_青川新闻网</title>\n{head}"
        f'<link rel="canonical" href="{_url(article.path)}">\n'
        f'<script type="application/ld+json">\n{ld_text}\n</script>\n'
        f"<style>{INLINE_CSS}</style>\n</head>\n<body>\n{_header()}"
        f'<div class="crumbs wrap">{_crumb(article.channel)}</div>\n'
        '<div class="container wrap">\n<div class="content-left">\n'
        f'<h2 class="title">{esc(story.title)}</h2>\n'
        f'<div class="time">{esc(" | ".join(meta_bits))}</div>\n{_share()}\n'
        f'<div class="TRS_Editor">\n{_trs_body(article)}\n</div>\n'
        f'<p class="bianji">【{_editor_text(story, "责任编辑")}】</p>\n'
        f'<div class="xgxw"><h4>相关新闻</h4><ul>{related}</ul></div>\n'
        f'</div>\n<div class="content-right">{_hot(article, site)}</div>\n</div>\n'
        f"{_footer()}{_decoy_script('minsheng')}\n</body>\n</html>\n"
    )


def _render_wenlv(article: Article, site: _Site) -> str:
    """文旅: semantic HTML5 with <article>, <time datetime>, Open Graph meta, figures and tag links."""
    story = article.story
    iso_full = article.iso  # this channel always shows seconds
    byline = ""
    writers = article.byline_authors
    if writers and writers[0].role == "文":
        byline = "文/" + " ".join(c.name for c in writers)
        if story.photographers:
            byline += " 图/" + " ".join(story.photographers)
    elif writers:
        byline = "作者：" + " ".join(c.name for c in writers)
    meta_line = f'<time datetime="{iso_full}">{story.published}</time>'
    if story.source:
        meta_line += f' <span class="source">来源：{esc(story.source)}</span>'
    if byline:
        meta_line += f' <span class="byline">{esc(byline)}</span>'
    content: list[str] = []
    images = iter(article.images)
    for block in article.body:
        if isinstance(block, Figure):
            content.append(
                f'<figure><img src="{next(images)}" alt="{esc(block.caption)}" width="240" height="160">'
                f"<figcaption>{esc(block.caption)}</figcaption></figure>"
            )
        elif isinstance(block, str):
            content.append(f"<p>{esc(block)}</p>")
    head = [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{esc(story.title)}">',
        f'<meta property="og:url" content="{_url(article.path)}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
        f'<meta property="article:published_time" content="{iso_full}">',
        f'<meta property="article:section" content="{article.channel.name}">',
        *(f'<meta property="article:tag" content="{esc(k)}">' for k in story.keywords),
    ]
    if story.summary:
        head.append(f'<meta name="description" content="{esc(story.summary)}">')
    if article.images:
        head.append(f'<meta property="og:image" content="{_url(article.images[0])}">')
    tags = ""
    if story.keywords:
        links = " ".join(f'<a href="{site.tags[k]}" rel="tag">{esc(k)}</a>' for k in story.keywords)
        tags = f'<div class="tags">标签：{links}</div>\n'
    related = "".join(
        f'<li>{_link(a)} <time datetime="{a.iso}">{a.story.published}</time></li>'
        for a in _related(article, site)
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="UTF-8">\n'
        f"<title>{esc(story.title)} | 青川新闻网</title>\n" + "\n".join(head) + "\n"
        f'<link rel="canonical" href="{_url(article.path)}">\n'
        f"<style>{INLINE_CSS}</style>\n</head>\n<body>\n"
        f'<header class="site-header">\n{_header()}</header>\n'
        f'<nav class="breadcrumb wrap" aria-label="breadcrumb">{_crumb(article.channel)}</nav>\n'
        '<main class="layout wrap">\n<article class="post">\n<header class="post-header">\n'
        f'<h1 class="post-title">{esc(story.title)}</h1>\n'
        f'<div class="post-meta">{meta_line}</div>\n</header>\n'
        '<div class="post-content">\n' + "\n".join(content) + "\n</div>\n"
        f'<footer class="post-footer">\n{tags}'
        f'<p class="editor">{_editor_text(story, "责任编辑")}</p>\n{_share()}\n</footer>\n'
        "</article>\n"
        f'<aside class="sidebar">{_hot(article, site)}</aside>\n</main>\n'
        f'<section class="related wrap"><h2>相关新闻</h2><ul>{related}</ul></section>\n'
        f'<footer class="site-footer">\n{_footer()}</footer>\n{_decoy_script("wenlv")}\n'
        "</body>\n</html>\n"
    )


def _legacy_header() -> str:
    nav = " | ".join(f'<a href="{href}">{name}</a>' for name, href in _nav_items())
    return (
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="top">\n'
        f'<tr><td height="28" class="today">{TODAY}</td>'
        f'<td align="right"><a href="/login.html">登录</a> | <a href="{MOBILE_SITE}">手机版</a></td></tr>\n'
        '<tr><td colspan="2" height="60"><a href="/"><b>青川新闻网</b></a></td></tr>\n'
        f'<tr><td colspan="2" class="nav" bgcolor="#1d3f72">{nav}</td></tr>\n</table>\n'
    )


def _legacy_footer() -> str:
    friends = " ".join(f'<a href="{href}" target="_blank">{name}</a>' for name, href in EXTERNAL_LINKS)
    return (
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">\n'
        f'<tr><td align="center">友情链接：{friends}</td></tr>\n'
        '<tr><td align="center">Copyright &copy; 2012-2026 青川新闻网 版权所有</td></tr>\n'
        '<tr><td align="center">地址：青川市临溪区人民路88号</td></tr>\n</table>\n'
    )


def _render_county(article: Article, site: _Site) -> str:
    """县区: a GBK-encoded table layout declaring gb2312, with 发布时间/来源 and 编辑 at the end."""
    story = article.story
    info = [f"发布时间：{story.published}"]
    if story.source:
        info.append(f"来源：{story.source}")
    if article.byline_authors:
        info.append("作者：" + " ".join(c.name for c in article.byline_authors))
    info.append('点击数：<span id="hits">0</span>')
    keywords = f'<meta name="Keywords" content="{esc(",".join(story.keywords))}">\n' if story.keywords else ""
    paragraphs = "\n".join(f"<p>{esc(b)}</p>" for b in article.body if isinstance(b, str))
    related = "".join(
        f'<tr><td>·{_link(a)}</td><td width="90">[{a.date}]</td></tr>' for a in _related(article, site)
    )
    return (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
        f"<title>{esc(story.title)}--青川新闻网县区频道</title>\n{keywords}"
        f'<link rel="canonical" href="{_url(article.path)}">\n'
        '<script language="javascript">var hits_time = "' + BUILD_STAMP + '";</script>\n'
        "</head>\n<body>\n"
        f"{_legacy_header()}"
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">\n'
        f'<tr><td class="weizhi" height="30">您现在的位置：{_crumb(article.channel)}</td></tr>\n</table>\n'
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">\n<tr>\n'
        '<td width="680" valign="top">\n'
        '<table width="100%" border="0" cellpadding="4" cellspacing="0">\n'
        f'<tr><td align="center" class="biaoti"><font size="5"><b>{esc(story.title)}</b></font></td></tr>\n'
        f'<tr><td align="center" class="xinxi">{"&nbsp;&nbsp;".join(info)}</td></tr>\n'
        f'<tr><td class="zhengwen" id="zoom">\n{paragraphs}\n</td></tr>\n'
        f'<tr><td align="right">{_editor_text(story, "编辑", "&nbsp;&nbsp;")}</td></tr>\n'
        f"<tr><td>{_share()}</td></tr>\n</table>\n"
        '<table width="100%" border="0" cellpadding="2" cellspacing="0" class="xgxw">\n'
        f'<tr><td colspan="2"><b>相关新闻</b></td></tr>\n{related}\n</table>\n'
        f'</td>\n<td width="20"></td>\n<td width="280" valign="top">{_hot(article, site)}</td>\n</tr>\n'
        f"</table>\n{_legacy_footer()}</body>\n</html>\n"
    )


RENDERERS: dict[str, Callable[[Article, _Site], str]] = {
    "local": _render_local,
    "minsheng": _render_minsheng,
    "wenlv": _render_wenlv,
    "county": _render_county,
}


# ---------------------------------------------------------------- listings and other pages


def _listing_path(channel: Channel, page: int) -> str:
    return f"/{channel.key}/index.html" if page == 1 else f"/{channel.key}/index_{page}.html"


def _pager(channel: Channel, page: int, pages: int) -> str:
    def name(n: int) -> str:
        return _listing_path(channel, n).rsplit("/", 1)[1]

    def link(n: int, text: str, enabled: bool) -> str:
        return f'<a href="{name(n)}">{text}</a>' if enabled else f'<span class="disabled">{text}</span>'

    numbers = " ".join(
        f'<span class="current">{n}</span>' if n == page else f'<a href="{name(n)}">{n}</a>'
        for n in range(1, pages + 1)
    )
    return (
        '<div class="pages">'
        f"{link(1, '首页', page > 1)} {link(page - 1, '上一页', page > 1)} {numbers} "
        f"{link(page + 1, '下一页', page < pages)} {link(pages, '尾页', page < pages)}"
        "</div>"
    )


def _write_listings(root: Path, site: _Site) -> list[str]:
    paths: list[str] = []
    for channel in CHANNELS:
        newest_first = [a for a in site.newest if a.channel.key == channel.key]
        pages = (len(newest_first) + PER_PAGE - 1) // PER_PAGE
        charset = "gb2312" if channel.encoding == "gbk" else "utf-8"
        for page in range(1, pages + 1):
            chunk = newest_first[(page - 1) * PER_PAGE : page * PER_PAGE]
            items = "\n".join(
                f'<li><h3><a href="{a.path}" target="_blank">{esc(a.title)}</a></h3>'
                f'<p class="summary">{esc(a.listing_summary)}</p><span class="date">{a.date}</span></li>'
                for a in chunk
            )
            body = (
                f'<div class="position wrap"><a href="/">首页</a> &gt; {channel.name}</div>\n'
                f'<div class="wrap"><div class="list"><h2>{channel.name}</h2>\n<ul class="news-list">\n'
                f"{items}\n</ul>\n{_pager(channel, page, pages)}\n</div>"
                f'<div class="side">{_hot(None, site)}</div></div>'
            )
            path = _listing_path(channel, page)
            title = f"{channel.name}_青川新闻网" + (f"_第{page}页" if page > 1 else "")
            write_text(root, path, _page(title, body, charset=charset), channel.encoding)
            paths.append(path)
    return paths


def _write_home(root: Path, site: _Site) -> str:
    headlines = "\n".join(f"<li>{_link(a)} <span>{a.stamp}</span></li>" for a in site.newest[:10])
    blocks = []
    for channel in CHANNELS:
        latest = [a for a in site.newest if a.channel.key == channel.key][:5]
        items = "".join(f"<li>{_link(a)}<span>{a.date[5:]}</span></li>" for a in latest)
        blocks.append(
            f'<div class="block"><h2><a href="/{channel.key}/">{channel.name}</a>'
            f'<a class="more" href="/{channel.key}/">更多&gt;&gt;</a></h2><ul>{items}</ul></div>'
        )
    hot = [site.newest[i] for i in (3, 11, 17, 24, 30, 41)]
    hot_items = "".join(f"<li>{_link(a)} <em>{a.date}</em></li>" for a in hot)
    body = (
        '<div class="wrap">\n'
        f'<div class="headlines"><h2>要闻</h2><ul>\n{headlines}\n</ul></div>\n'
        f'<div class="hotbox"><h2>热点</h2><ul>{hot_items}</ul></div>\n'
        + "\n".join(blocks)
        + '\n<div class="promo"><a href="/special/">专题：2026青川秋冬文旅季</a> | '
        '<a href="/video/">视频</a> | <a href="/photo/">图片</a> | <a href="/tags/">标签</a></div>\n'
        "</div>"
    )
    write_text(root, "/index.html", _page("青川新闻网 - 青川市重点新闻网站", body))
    return "/index.html"


def _write_tags(root: Path, site: _Site) -> list[str]:
    paths = []
    index_items = []
    for keyword, path in site.tags.items():
        tagged = [a for a in site.newest if keyword in a.story.keywords]
        index_items.append(f'<a href="{path}">{esc(keyword)}</a>({len(tagged)})')
        items = "".join(f"<li>{_link(a)} <span>{a.date}</span></li>" for a in tagged)
        body = (
            f'<div class="wrap"><div class="position"><a href="/">首页</a> &gt; <a href="/tags/">标签</a> '
            f"&gt; {esc(keyword)}</div><h1>标签：{esc(keyword)}</h1><ul>{items}</ul></div>"
        )
        write_text(root, path, _page(f"{keyword}_标签_青川新闻网", body))
        paths.append(path)
    body = (
        '<div class="wrap"><h1>标签</h1><p>按标签浏览本站新闻。</p>'
        f'<div class="tag-cloud">{" ".join(index_items)}</div></div>'
    )
    write_text(root, "/tags/index.html", _page("标签_青川新闻网", body))
    return ["/tags/index.html", *paths]


def _write_media(root: Path, site: _Site) -> list[str]:
    """The 视频 and 图片 channels: thumbnails and captions only, nothing to extract."""
    videos = []
    for n, article in enumerate(site.newest[2:8], start=1):
        thumb = f"/video/thumbs/v{n:02d}.png"
        write_bytes(root, thumb, png(120, 80, PALETTE[n % len(PALETTE)]))
        videos.append(
            f'<li><a href="javascript:;"><img src="{thumb}" alt="" width="120" height="80"></a>'
            f'<p>【视频】{esc(article.title)}</p><span class="len">0{n}:{10 + n * 7}</span> '
            f"<span>{article.date}</span></li>"
        )
    body = f'<div class="wrap"><h1>视频</h1><ul class="video-list">{"".join(videos)}</ul></div>'
    write_text(root, "/video/index.html", _page("视频_青川新闻网", body))

    captions = (
        "晨雾中的翠屏湖",
        "云岭山红叶",
        "青川古镇老街",
        "望江公园菊展",
        "滨江路夜景",
        "茶农采摘秋茶",
        "永济桥",
        "青川高铁站",
    )
    photos = []
    for n, caption in enumerate(captions, start=1):
        image = f"/photo/images/p{n:02d}.png"
        write_bytes(root, image, png(160, 100, PALETTE[(n + 3) % len(PALETTE)]))
        photos.append(
            f'<li><a href="{image}" target="_blank"><img src="{image}" alt="{caption}" width="160"></a>'
            f"<span>{caption}</span></li>"
        )
    body = f'<div class="wrap"><h1>图片</h1><ul class="photo-grid">{"".join(photos)}</ul></div>'
    write_text(root, "/photo/index.html", _page("图片_青川新闻网", body))
    return ["/video/index.html", "/photo/index.html"]


def _write_special(root: Path, site: _Site) -> str:
    wenlv = site.by_channel["wenlv"]
    links = "".join(f"<li>{_link(a)} <span>{a.date}</span></li>" for a in reversed(wenlv))
    more = "".join(f"<li>{_link(a)}</li>" for a in site.by_channel["local"][::4])
    body = (
        '<div class="wrap special">\n<div class="banner"><h1>2026青川秋冬文旅季</h1>\n'
        "<p>从十月的古镇灯会到十一月的菊展和乡村音乐节，青川的秋冬同样精彩。本专题集中呈现"
        "全市各地的节庆活动、精品线路和文旅惠民措施，带您走进山水青川，感受古镇烟火与乡村新貌。"
        "专题自2026年10月1日起持续更新，欢迎广大网友投稿分享您镜头里的青川。</p></div>\n"
        f'<div class="section"><h2>活动动态</h2><ul>{links}</ul></div>\n'
        f'<div class="section"><h2>相关报道</h2><ul>{more}</ul></div>\n'
        '<div class="section"><h2>精品线路</h2><ul><li><a href="/wenlv/">古镇人文一日游</a></li>'
        '<li><a href="/wenlv/">云岭山红叶徒步两日游</a></li><li><a href="/wenlv/">翠屏湖休闲度假游</a></li>'
        "</ul></div>\n</div>"
    )
    write_text(root, "/special/index.html", _page("2026青川秋冬文旅季_专题_青川新闻网", body))
    return "/special/index.html"


def _write_static_pages(root: Path, site: _Site) -> list[str]:
    about = (
        '<div class="wrap about"><h1>关于我们</h1>\n'
        "<p>青川新闻网是青川市委宣传部主管、青川日报社主办的综合性新闻网站，于2012年10月18日正式上线，"
        "是青川市重点新闻网站。</p>\n"
        "<p>网站设有本地、民生、文旅、县区等频道，及时发布青川市及各区县的新闻资讯，"
        "同时提供图片、视频和专题报道，日均访问量超过十万人次。</p>\n"
        "<p>我们坚持真实、准确、及时的原则，欢迎社会各界提供新闻线索，对我们的工作提出意见和建议。</p>\n"
        "</div>"
    )
    contact = (
        '<div class="wrap contact"><h1>联系我们</h1>\n'
        "<p>地址：青川市临溪区人民路88号青川日报社新闻大厦12楼</p>\n"
        "<p>新闻热线：0839-1234567（24小时） 广告合作：0839-1234568</p>\n"
        "<p>投稿邮箱：news@qingchuan.example 工作时间：周一至周五 8:30-12:00，14:30-18:00</p>\n"
        "<p>来稿请注明作者姓名和联系方式，稿件一经采用，将按规定支付稿酬。</p>\n</div>"
    )
    hot_tags = " ".join(f'<a href="{p}">{esc(k)}</a>' for k, p in list(site.tags.items())[:8])
    search = (
        '<div class="wrap search-page"><h1>站内搜索</h1>\n'
        '<form action="/search.html" method="get"><input type="text" name="q" value="">'
        '<select name="channel"><option value="">全部频道</option>'
        + "".join(f'<option value="{c.key}">{c.name}</option>' for c in CHANNELS)
        + '</select><button type="submit">搜索</button></form>\n'
        f"<p>请输入关键词进行搜索。</p>\n<p>热门搜索：{hot_tags}</p>\n</div>"
    )
    login = (
        '<div class="wrap login"><h1>用户登录</h1>\n'
        '<form action="/login.html" method="post"><p>用户名：<input type="text" name="username"></p>'
        '<p>密码：<input type="password" name="password"></p><p><button type="submit">登录</button> '
        '<a href="/login.html">忘记密码？</a></p></form>\n<p>还没有账号？请联系网站管理员开通。</p>\n</div>'
    )
    pages = {
        "/about.html": ("关于我们_青川新闻网", about),
        "/contact.html": ("联系我们_青川新闻网", contact),
        "/search.html": ("搜索_青川新闻网", search),
        "/login.html": ("登录_青川新闻网", login),
    }
    for path, (title, body) in pages.items():
        write_text(root, path, _page(title, body))
    return list(pages)


def _write_feeds(root: Path, site: _Site) -> None:
    urls = [f"<url><loc>{_url('/')}</loc><changefreq>hourly</changefreq></url>"]
    urls += [f"<url><loc>{_url(f'/{c.key}/')}</loc><changefreq>daily</changefreq></url>" for c in CHANNELS]
    urls += [f"<url><loc>{_url(a.path)}</loc><lastmod>{a.iso}</lastmod></url>" for a in site.articles]
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(urls) + "\n</urlset>\n"
    )
    write_text(root, "/sitemap.xml", sitemap)

    items = []
    for a in site.newest[:RSS_ITEMS]:
        items.append(
            "<item>"
            f"<title>{esc(a.title)}</title>"
            f"<link>{_url(a.path)}?from=rss</link>"
            f"<description>{esc(a.listing_summary)}</description>"
            f"<category>{a.channel.name}</category>"
            f"<pubDate>{format_datetime(iso_to_datetime(a.iso))}</pubDate>"
            f'<guid isPermaLink="false">qingchuan-{a.id}</guid>'
            "</item>"
        )
    rss = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{SITE_NAME}</title>\n<link>{_url('/')}</link>\n"
        "<description>青川新闻网最新新闻</description>\n<language>zh-cn</language>\n"
        f"<lastBuildDate>{BUILD_RFC822}</lastBuildDate>\n"
        f'<atom:link href="{_url("/rss.xml")}" rel="self" type="application/rss+xml"/>\n'
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )
    write_text(root, "/rss.xml", rss)
    write_text(root, "/robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {_url('/sitemap.xml')}\n")


def _manifest_entry(article: Article) -> dict[str, Any]:
    story = article.story
    paragraphs = article.paragraphs
    return {
        "path": article.path,
        "title": story.title,
        "published": article.iso,
        "published_raw": story.published,
        "source": story.source,
        "authors": article.writers,
        "editors": [c.name for c in story.editors],
        "keywords": list(story.keywords),
        "section": article.channel.name,
        "body_first": paragraphs[0][:20],
        "body_last": paragraphs[-1][-20:],
        "paragraphs": len(paragraphs),
        "images": list(article.images),
        "encoding": article.channel.encoding,
    }


def build_portal(root: Path) -> dict[str, Any]:
    """Write the whole 青川新闻网 demo site into ``root`` and return its manifest (also saved as JSON)."""
    root.mkdir(parents=True, exist_ok=True)
    site = _place(STORIES)
    for article in site.articles:
        html_text = RENDERERS[article.channel.key](article, site)
        write_text(root, article.path, html_text, article.channel.encoding)
        for n, image in enumerate(article.images):
            write_bytes(root, image, png(240, 160, PALETTE[(article.id + n) % len(PALETTE)]))
    listings = [_write_home(root, site), *_write_listings(root, site)]
    non_articles = [
        *_write_static_pages(root, site),
        *_write_tags(root, site),
        *_write_media(root, site),
        _write_special(root, site),
    ]
    _write_feeds(root, site)
    manifest: dict[str, Any] = {
        "articles": [_manifest_entry(a) for a in site.articles],
        "non_articles": non_articles,
        "listings": listings,
        "sitemap": "/sitemap.xml",
        "feed": "/rss.xml",
    }
    write_manifest(root, manifest, ORIGIN)
    return manifest


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "demo/portal")
    result = build_portal(target)
    print(f"built {len(result['articles'])} articles into {target}")
