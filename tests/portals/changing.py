"""A small portal whose content changes between crawls: 清河县融媒体中心 (an invented county news site).

Built into a folder and served by ``demo.serve`` (which rewrites ``ORIGIN`` to its own address), one
stage at a time, into the same folder behind the same server:

- stage 1: eleven stories (1–11), newest first on a paginated listing (``/news/list.html``,
  ``list_2.html``, ``list_3.html``; four per page, only 上一页/下一页 links, so paging is one page at a
  time), a dated list item per story, a home page with the three latest, and sitemaps found through
  robots.txt: a sitemap index → an article sitemap with ``lastmod`` and a Google News sitemap;
- stage 2: the same content (a crawl finds nothing new);
- stage 3: stories 12 and 13 are new, story ``EDITED`` got a correction paragraph (and a new sitemap
  ``lastmod``; it sits on the last listing page, so only the sitemap can tell), story ``REMOVED`` is
  gone (404, out of the listing and the sitemaps).

``layout="changed"`` renders the article pages as after a redesign that lost the date line (the page
still declares itself an article): a crawl of it must trip the coverage floor. Story *n* is published
``14 - n`` days before ``base``. The returned manifest names every story's path, by stage.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from demo.sitekit import esc, write_manifest, write_text

ORIGIN = "http://www.qinghe.example"
SITE = "清河县融媒体中心"
PER_PAGE = 4
EDITED = 2
REMOVED = 6
NEW = (12, 13)
BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Story:
    """One story: its number, headline, reporter and paragraphs."""

    number: int
    title: str
    reporter: str
    paragraphs: tuple[str, ...]


STORIES: tuple[Story, ...] = (
    Story(
        1,
        "清河县启动冬季供暖设施检修",
        "王建华",
        (
            "11月初，清河县热力公司组织技术人员对城区供热管网和换热站开展全面检修，为冬季供暖做好准备。",
            "此次检修共排查管网四十二公里，更换老旧阀门一百余个，确保居民按时用上暖气。",
            "热力公司负责人表示，供暖期间将实行二十四小时值班，群众反映的问题将在两小时内响应。",
        ),
    ),
    Story(
        2,
        "清河县举办农民丰收节农产品展销会",
        "李秀英",
        (
            "连日来，清河县农民丰收节农产品展销会在县城文化广场举行，吸引了大批市民前来选购。",
            "展销会设置特色农产品、非遗手工艺品和电商直播三个展区，全县十二个乡镇的八十余家合作社参展。",
            "据统计，展销会开幕首日现场交易额达一百二十万元，线上订单超过三千单。",
        ),
    ),
    Story(
        3,
        "清河县第二中学新教学楼投入使用",
        "张国强",
        (
            "本学期开学，清河县第二中学新建的教学楼正式投入使用，两千余名学生搬进了宽敞明亮的新教室。",
            "新教学楼共五层，设有普通教室四十八间、实验室六间和图书阅览室一间，总投资三千二百万元。",
            "学校负责人介绍，新教学楼的启用有效缓解了城区学位紧张的问题。",
        ),
    ),
    Story(
        4,
        "清河县开展秋季森林防火专项检查",
        "赵丽娟",
        (
            "进入秋季以来，清河县应急管理局联合林业部门对全县重点林区开展森林防火专项检查。",
            "检查组深入各乡镇林场，重点查看防火物资储备、瞭望塔值守和护林员巡山情况。",
            "针对检查发现的问题，检查组现场下达整改通知，要求在十日内整改到位。",
        ),
    ),
    Story(
        5,
        "清河县城乡公交线路再添三条",
        "孙志明",
        (
            "日前，清河县新开通三条城乡公交线路，覆盖沿线十八个行政村，方便群众出行。",
            "新线路全部采用新能源公交车，票价统一为二元，实行刷卡和扫码乘车。",
            "至此，全县城乡公交线路达到二十一条，行政村公交通达率达到百分之百。",
        ),
    ),
    Story(
        6,
        "清河县召开优化营商环境推进会",
        "周海燕",
        (
            "清河县日前召开优化营商环境工作推进会，总结前三季度工作，部署下一阶段重点任务。",
            "会议通报了全县营商环境评价结果，政务服务事项网上可办率已达到百分之九十五。",
            "会议要求，各部门要持续压减审批时限，推动更多事项实现一件事一次办。",
        ),
    ),
    Story(
        7,
        "清河县图书馆开设周末亲子阅读课堂",
        "吴晓燕",
        (
            "清河县图书馆近日推出周末亲子阅读课堂，每周六上午邀请专业老师带领家长和孩子共读绘本。",
            "课堂以故事讲述、互动游戏和手工制作等形式开展，每期限报三十个家庭。",
            "图书馆工作人员表示，将根据读者反馈不断丰富课程内容，培养孩子的阅读兴趣。",
        ),
    ),
    Story(
        8,
        "清河县完成高标准农田建设三万亩",
        "郑永刚",
        (
            "今年以来，清河县扎实推进高标准农田建设，全年三万亩建设任务已全部完成。",
            "项目区新修机耕道路六十公里，新建灌溉渠道八十公里，配套建设机井二百余眼。",
            "项目建成后，预计每亩粮食产量可提高一百斤左右，带动农民增收。",
        ),
    ),
    Story(
        9,
        "清河县人民医院新增胸痛救治中心",
        "冯淑芬",
        (
            "清河县人民医院胸痛救治中心日前正式挂牌运行，为急性胸痛患者开通了救治绿色通道。",
            "中心配备专业救治团队和先进设备，实现院前急救与院内救治无缝衔接。",
            "医院负责人介绍，胸痛中心运行后，患者从入院到开通血管的时间将大幅缩短。",
        ),
    ),
    Story(
        10,
        "清河县开展冬季安全生产大检查",
        "陈立新",
        (
            "为防范冬季安全生产事故，清河县从本月起开展为期一个月的安全生产大检查。",
            "检查重点涵盖燃气使用、道路交通、建筑施工和人员密集场所等领域。",
            "县安委会办公室将对检查情况进行通报，对问题整改不力的单位严肃问责。",
        ),
    ),
    Story(
        11,
        "清河县老年大学秋季班开学",
        "褚桂兰",
        (
            "清河县老年大学秋季班近日开学，今年共开设书法、绘画、声乐、太极拳等十六个专业。",
            "本学期报名学员达到一千二百余人，创历年新高，部分热门课程一座难求。",
            "县老年大学负责人表示，将继续扩大办学规模，满足老年人多样化的学习需求。",
        ),
    ),
    Story(
        12,
        "清河县冬季环卫保洁工作全面启动",
        "卫东方",
        (
            "随着气温下降，清河县城市管理局全面启动冬季环卫保洁工作，确保城区道路干净整洁。",
            "环卫部门调整作业时间，增加主次干道机械化清扫频次，并储备融雪物资二百吨。",
            "城市管理局提醒市民，降雪期间请及时清扫门前积雪，共同维护城市环境。",
        ),
    ),
    Story(
        13,
        "清河县举办首届乡村篮球联赛",
        "蒋红梅",
        (
            "清河县首届乡村篮球联赛日前在县体育馆开幕，来自全县各乡镇的十六支代表队参加比赛。",
            "本次联赛采取分组循环和淘汰赛相结合的方式进行，比赛将持续两周。",
            "赛事组织者表示，举办乡村篮球联赛旨在丰富农村群众文化体育生活。",
        ),
    ),
)
CORRECTION = "更正：本文第二段中的参展合作社数量应为九十余家，特此更正。"


def published_at(number: int, base: datetime) -> datetime:
    """When story ``number`` was published (Beijing time, to the minute)."""
    return (base - timedelta(days=14 - number)).astimezone(BEIJING).replace(second=0, microsecond=0)


def story_path(number: int) -> str:
    """The URL path of a story: ``/news/10009.html`` (no date in it, so only the page can date it)."""
    return f"/news/{10000 + number}.html"


def numbers_at(stage: int) -> list[int]:
    """The stories online at a stage, newest first."""
    if stage in (1, 2):
        return list(range(11, 0, -1))
    return [n for n in range(13, 0, -1) if n != REMOVED]


def _chrome(title: str, main: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title>{head}</head><body>\n"
        f'<div class="top"><a href="{ORIGIN}/">首页</a> <a href="{ORIGIN}/news/list.html">本地新闻</a> '
        f'<a href="{ORIGIN}/about.html">关于我们</a></div>\n{main}\n'
        f'<div class="footer">{SITE} 版权所有 联系电话：0310-1234567</div>\n</body></html>\n'
    )


def _article(story: Story, base: datetime, *, edited: datetime | None, layout: str) -> str:
    published = published_at(story.number, base)
    paragraphs = [*story.paragraphs, CORRECTION] if edited else list(story.paragraphs)
    body = "".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    path = story_path(story.number)
    head = f'<link rel="canonical" href="{ORIGIN}{path}">'
    if layout == "changed":
        # After a "redesign": no date line any more; og:type still says article.
        head += '<meta property="og:type" content="article">'
        info = f'<div class="byline">{SITE} 记者 {esc(story.reporter)}</div>'
    else:
        info = f'<div class="info">{published:%Y-%m-%d %H:%M} 来源：{SITE} 记者 {esc(story.reporter)}</div>'
    main = (
        f'<div class="article"><h1>{esc(story.title)}</h1>\n{info}\n<div class="content">{body}</div>\n'
        f'<div class="editor">责任编辑：许文</div></div>'
    )
    return _chrome(f"{story.title}_{SITE}", main, head)


def _listing(numbers: list[int], page: int, pages: int, base: datetime) -> str:
    items = "\n".join(
        f'<li><a href="{ORIGIN}{story_path(n)}">{esc(STORIES[n - 1].title)}</a>'
        f'<span class="date">{published_at(n, base):%Y-%m-%d}</span></li>'
        for n in numbers
    )
    pager = []
    if page > 1:
        pager.append(f'<a href="{ORIGIN}{_listing_path(page - 1)}">上一页</a>')
    if page < pages:
        pager.append(f'<a href="{ORIGIN}{_listing_path(page + 1)}">下一页</a>')
    main = f'<ul class="list">\n{items}\n</ul>\n<div class="pager">{" ".join(pager)}</div>'
    return _chrome(f"本地新闻_{SITE}", main)


def _listing_path(page: int) -> str:
    return "/news/list.html" if page == 1 else f"/news/list_{page}.html"


def build_changing_portal(
    root: Path, stage: int, base: datetime, *, edited_at: datetime | None = None, layout: str = "normal"
) -> dict[str, Any]:
    """Write the portal as it is at ``stage`` into ``root`` (emptied first); returns its manifest.

    ``edited_at`` is the edit time of story ``EDITED`` at stage 3 (its sitemap ``lastmod``); it must be
    later than the crawl that saw the story before.
    """
    if stage not in (1, 2, 3):
        raise ValueError(f"no stage {stage}")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    numbers = numbers_at(stage)
    edited = edited_at if stage == 3 else None
    if stage == 3 and edited is None:
        raise ValueError("stage 3 needs edited_at")
    for n in numbers:
        story = STORIES[n - 1]
        html = _article(story, base, edited=edited if n == EDITED else None, layout=layout)
        write_text(root, story_path(n), html)
    pages = [numbers[i : i + PER_PAGE] for i in range(0, len(numbers), PER_PAGE)]
    for page, chunk in enumerate(pages, 1):
        write_text(root, _listing_path(page), _listing(chunk, page, len(pages), base))
    latest = "".join(
        f'<li><a href="{ORIGIN}{story_path(n)}">{esc(STORIES[n - 1].title)}</a></li>' for n in numbers[:3]
    )
    write_text(root, "/index.html", _chrome(SITE, f'<h2>最新</h2><ul class="latest">{latest}</ul>'))
    write_text(root, "/about.html", _chrome(f"关于我们_{SITE}", f"<p>{SITE}是清河县的新闻门户网站。</p>"))

    def lastmod(n: int) -> str:
        when = edited if (edited is not None and n == EDITED) else published_at(n, base)
        return when.isoformat(timespec="seconds")

    urls = "\n".join(
        f"<url><loc>{ORIGIN}{story_path(n)}</loc><lastmod>{lastmod(n)}</lastmod></url>" for n in numbers
    )
    write_text(
        root,
        "/sitemap-articles.xml",
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n',
    )
    news = "\n".join(
        f"<url><loc>{ORIGIN}{story_path(n)}</loc><news:news><news:publication><news:name>{SITE}</news:name>"
        f"<news:language>zh</news:language></news:publication><news:publication_date>"
        f"{published_at(n, base).isoformat(timespec='seconds')}</news:publication_date>"
        f"<news:title>{esc(STORIES[n - 1].title)}</news:title></news:news></url>"
        for n in numbers[:3]
    )
    write_text(
        root,
        "/sitemap-news.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n{news}\n</urlset>\n',
    )
    newest = max(lastmod(n) for n in numbers)
    write_text(
        root,
        "/sitemap_index.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<sitemap><loc>{ORIGIN}/sitemap-articles.xml</loc><lastmod>{newest}</lastmod></sitemap>\n"
        f"<sitemap><loc>{ORIGIN}/sitemap-news.xml</loc><lastmod>{newest}</lastmod></sitemap>\n</sitemapindex>\n",
    )
    write_text(root, "/robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {ORIGIN}/sitemap_index.xml\n")
    manifest = {
        "site": SITE,
        "stage": stage,
        "layout": layout,
        "articles": {n: story_path(n) for n in numbers},
        "listings": [_listing_path(p) for p in range(1, len(pages) + 1)],
        "edited": story_path(EDITED),
        "removed": story_path(REMOVED),
        "new": [story_path(n) for n in NEW],
    }
    write_manifest(
        root, {**manifest, "articles": {str(k): v for k, v in manifest["articles"].items()}}, ORIGIN
    )
    return manifest
