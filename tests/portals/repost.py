"""A second portal that reposts one story of the demo portal: 川北在线 (an invented regional site).

It has four articles: one is a copy of a demo story (``REPOSTED``, the first story of the demo's 本地
channel) under its own page template, with a 转自 line on top, the original headline and an editor line
below — what a syndicated copy looks like; the other three are its own stories, unrelated to anything on
the demo portal. Served by ``demo.serve`` (which rewrites ``ORIGIN``); the manifest names the paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from demo.content import STORIES, Story
from demo.sitekit import esc, write_manifest, write_text

ORIGIN = "http://www.chuanbei.example.org"
SITE = "川北在线"
REPOSTED: Story = next(s for s in STORIES if s.channel == "local")

OWN_STORIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "2026-11-20 08:40",
        "川北多地开展冬季森林防火巡查",
        (
            (
                "入冬以来，川北山区气候干燥，林区火险等级持续偏高。各地林业部门组织护林员开展拉网式巡查，"
                "重点检查进山路口、坟地和林农交错地带，劝导群众不在林区用火。"
            ),
            (
                "巡查中，护林员还为沿线村民发放防火宣传册，讲解野外用火的危害和报警方式。"
                "部分乡镇在主要路口设置了临时检查站，对进山车辆和人员逐一登记。"
            ),
            "林业部门提醒，冬春季节是森林火灾高发期，市民进山游玩时严禁携带火种，发现火情请立即拨打报警电话。",
        ),
    ),
    (
        "2026-11-22 15:10",
        "川北中学生机器人大赛落幕",
        (
            (
                "为期两天的川北地区中学生机器人大赛日前落幕，来自二十多所学校的一百余支队伍参加了搬运、"
                "巡线和创意设计三个项目的比拼，最终十二支队伍获得一等奖。"
            ),
            (
                "比赛现场，学生们调试程序、更换零件，赛场气氛紧张而热烈。一名参赛学生说，为了这次比赛，"
                "团队利用课余时间练习了三个多月，最大的收获是学会了分工合作。"
            ),
            "主办方表示，今后将把比赛与课堂教学结合起来，在更多学校开设编程和机器人兴趣课程。",
        ),
    ),
    (
        "2026-11-24 11:25",
        "川北山区柑橘迎来采摘季",
        (
            (
                "眼下正是川北山区柑橘成熟的季节，漫山遍野的果树上挂满了金黄的果实，果农们忙着采摘、分拣和装箱，"
                "一辆辆货车把新鲜柑橘运往各地市场。"
            ),
            (
                "当地农业部门介绍，今年全区柑橘种植面积达到两万亩，预计产量比去年增加一成。"
                "通过电商平台，不少果农的柑橘直接卖到了外省，价格也比往年略高。"
            ),
            "为帮助果农增收，当地还组织了柑橘采摘节，吸引城里游客进园采摘，带动了周边农家乐的生意。",
        ),
    ),
)


def _page(title: str, published: str, source: str, paragraphs: list[str], editor: str) -> str:
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}_{SITE}</title>\n</head>\n<body>\n"
        f'<div class="top"><a href="/">{SITE}</a> <a href="/news/">新闻</a></div>\n'
        f'<div class="main"><h1 class="headline">{esc(title)}</h1>\n'
        f'<div class="info">{published}　来源：{esc(source)}</div>\n'
        f'<div class="content">\n{body}\n</div>\n'
        f'<div class="editor">（责任编辑：{esc(editor)}）</div>\n</div>\n'
        f'<div class="foot">Copyright © 2026 {SITE} 版权所有</div>\n</body>\n</html>\n'
    )


def _story_paragraphs(story: Story) -> list[str]:
    return [block for block in story.body if isinstance(block, str)]


def build_repost_portal(root: Path) -> dict[str, Any]:
    """Write the portal into ``root``; returns its manifest (paths, the reposted story's headline)."""
    root.mkdir(parents=True, exist_ok=True)
    articles: list[tuple[str, str]] = []
    repost_path = "/news/2026/1125/501.html"
    paragraphs = [f"转自：青川新闻网　{REPOSTED.title}", *_story_paragraphs(REPOSTED)]
    write_text(root, repost_path, _page(REPOSTED.title, "2026-11-25 10:02", "青川新闻网", paragraphs, "吴丽"))
    articles.append((repost_path, REPOSTED.title))
    for n, (published, title, own) in enumerate(OWN_STORIES, start=502):
        path = f"/news/2026/{published[5:7]}{published[8:10]}/{n}.html"
        write_text(root, path, _page(title, published, SITE, list(own), "周敏"))
        articles.append((path, title))
    links = "\n".join(f'<li><a href="{path}">{esc(title)}</a></li>' for path, title in articles)
    home = (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8"><title>{SITE}</title></head>\n'
        f"<body><h1>{SITE}</h1><ul>\n{links}\n</ul></body></html>\n"
    )
    write_text(root, "/index.html", home)
    write_text(root, "/news/index.html", home)
    write_text(root, "/robots.txt", "User-agent: *\nAllow: /\n")
    manifest = {
        "articles": [{"path": p, "title": t} for p, t in articles],
        "repost": {"path": repost_path, "title": REPOSTED.title},
    }
    write_manifest(root, manifest, ORIGIN)
    return manifest
