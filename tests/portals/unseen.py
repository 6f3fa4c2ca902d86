"""A second, smaller portal the crawler was never tuned on: 东坪县人民政府网 (an invented county).

Markup is deliberately unlike the demo portal: a government CMS with ``div.xl_con``/``div.zw`` pages
and a table-based 乡镇动态 channel, Chinese date-only stamps, 信息来源/撰稿/审核 labels, ``?page=N``
pagination with only 上一页/下一页 links, no canonical links, no sitemap and no feed. UTF-8 throughout.
Served by ``demo.serve`` like the demo portal; the manifest has the same format.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo.sitekit import esc, iso_from_raw, write_manifest, write_text

ORIGIN = "http://www.dongping.gov.example"
SITE = "东坪县人民政府"
TODAY = "2026年11月26日 星期四"
PER_PAGE = 4


@dataclass(frozen=True)
class _Doc:
    channel: str
    published: str
    source: str
    credits: tuple[tuple[str, str], ...]
    editor: str
    reviewer: str | None
    keywords: tuple[str, ...]
    title: str
    body: tuple[str, ...]

    @property
    def authors(self) -> list[str]:
        """Writers' names (记者, 通讯员, 撰稿), photographers excluded."""
        return [name for role, name in self.credits if role != "摄影"]

    def credit_text(self, roles: tuple[str, ...]) -> str:
        """'记者 甲 乙 通讯员 丙' for the given roles, each role named once."""
        parts: list[str] = []
        for role in roles:
            names = [n for r, n in self.credits if r == role]
            if names:
                parts += [role, *names]
        return " ".join(parts)


CREDIT_ROLES = ("记者", "通讯员", "撰稿", "摄影")


def _doc(
    channel: str,
    published: str,
    source: str,
    authors: str,
    editors: str,
    keywords: str,
    title: str,
    *body: str,
) -> _Doc:
    """authors: "记者 甲 通讯员 乙" or "撰稿 甲 摄影 乙"; editors: "甲" or "甲 审核 乙"."""
    credits = []
    role = ""
    for token in authors.split():
        if token in CREDIT_ROLES:
            role = token
        else:
            credits.append((role, token))
    editor, _, reviewer = editors.partition(" 审核 ")
    return _Doc(
        channel=channel,
        published=published,
        source=source,
        credits=tuple(credits),
        editor=editor,
        reviewer=reviewer or None,
        keywords=tuple(k for k in keywords.split(",") if k),
        title=title,
        body=body,
    )


CHANNELS = {"zwdt": "政务动态", "xzdt": "乡镇动态"}

# fmt: off
# Hand-wrapped: one line of metadata per story reads like a table.
DOCS: tuple[_Doc, ...] = (
    _doc(
        "zwdt", "2026年10月08日", "县政府办公室", "撰稿 徐丽萍", "梁伟 审核 高建军", "",
        "县政府召开第十二次常务会议",
        "10月8日，县长陈建国主持召开县政府第十二次常务会议，研究部署秋冬季重点工作。",
        "会议听取了前三季度全县经济运行情况汇报。前三季度，全县地区生产总值同比增长5.8%，"
        "规模以上工业增加值增长7.1%，主要指标好于预期。",
        "会议强调，要紧盯全年目标任务，抓好重点项目投资、消费扩容和稳岗就业，确保经济持续向好。",
        "会议还研究了县城第二水厂建设、冬季保供等事项。",
    ),
    _doc(
        "zwdt", "2026年10月13日", "县应急管理局", "撰稿 罗小军", "梁伟", "",
        "东坪县部署秋冬季安全生产工作",
        "10月12日，全县秋冬季安全生产工作会议召开，对道路交通、森林防火、危险化学品和燃气等重点领域"
        "安全工作作出部署。",
        "会议要求，各乡镇、各部门要压实安全生产责任，在11月底前完成一轮全覆盖隐患排查，"
        "对排查出的问题建立台账、限期整改。",
        "会议通报了今年以来全县安全生产形势，并对6家整改不力的企业进行了约谈。",
    ),
    _doc(
        "zwdt", "2026年10月17日", "县融媒体中心", "撰稿 徐丽萍 摄影 何志勇", "梁伟 审核 高建军", "",
        "县领导督导重点项目建设",
        "10月16日，县委副书记、县长陈建国带队到县城第二水厂、东坪工业园标准厂房和河口大桥等项目现场，"
        "督导重点项目建设进度。",
        "在县城第二水厂项目现场，陈建国详细了解工程进度和资金到位情况，要求施工单位在保证质量的前提下"
        "倒排工期，确保明年汛期前通水。",
        "截至9月底，全县38个重点项目累计完成投资21.6亿元，占年度计划的81%。",
    ),
    _doc(
        "zwdt", "2026年10月21日", "县发展和改革局", "撰稿 张婷婷", "周敏", "",
        "东坪县出台支持民营经济发展十条措施",
        "近日，东坪县印发《关于进一步支持民营经济发展的十条措施》，从融资、用地、人才和政务服务等方面"
        "为民营企业纾困解难。",
        "根据措施，县财政设立2000万元应急转贷资金，帮助中小企业按期续贷；对新入驻工业园区的企业，"
        "前三年厂房租金给予最高50%的补助。",
        "措施还明确，涉企审批事项全部纳入县政务服务中心集中办理，企业开办时间压缩到1个工作日以内。",
        "县发展和改革局相关负责人表示，将建立政策兑现台账，确保各项措施落地见效。",
    ),
    _doc(
        "zwdt", "2026年10月26日", "县农业农村局", "撰稿 罗小军", "周敏 审核 高建军", "",
        "县政府与省农科院签订科技合作协议",
        "10月25日，东坪县人民政府与省农业科学院签订科技合作协议，双方将在优质水稻、柑橘和特色养殖等领域"
        "开展合作。",
        "根据协议，省农科院将在东坪设立科技服务站，每年选派专家驻县指导，帮助培育新品种、推广新技术。",
        "东坪县将提供试验示范基地和配套资金，共同建设2个千亩级科技示范园区。",
    ),
    _doc(
        "zwdt", "2026年10月30日", "县发展和改革局", "撰稿 张婷婷", "梁伟", "",
        "全县“十五五”规划编制工作推进会召开",
        "10月29日，东坪县召开“十五五”规划编制工作推进会，听取规划纲要初稿编制情况汇报。",
        "会议指出，规划编制要立足县情实际，突出农业强县、工业兴县和生态立县，谋划一批打基础、"
        "利长远的重大项目。",
        "会议要求，各部门要加强与上级规划的衔接，广泛听取基层干部群众意见，确保规划科学可行。",
        "据悉，规划纲要将于明年初提请县人民代表大会审议。",
    ),
    _doc(
        "zwdt", "2026年11月04日", "县政务服务中心", "撰稿 吴海燕", "周敏", "",
        "东坪县“一件事一次办”事项扩大到40项",
        "今年以来，东坪县持续推进“一件事一次办”改革，可集成办理的事项由年初的18项扩大到40项。",
        "群众办理新生儿出生、退休、开办餐饮店等事项，只需在综合窗口提交一次材料，后台各部门并联审批，"
        "平均办理时间缩短60%以上。",
        "县政务服务中心还开通了帮办代办服务，为老年人、残疾人等群体提供全程帮办。",
    ),
    _doc(
        "zwdt", "2026年11月09日", "县自然资源局", "撰稿 罗小军", "梁伟 审核 高建军", "",
        "县政府召开耕地保护工作会议",
        "11月7日，县政府召开耕地保护工作会议，通报全县耕地保护目标责任落实情况，部署下一阶段工作。",
        "会议指出，今年以来全县共整改违法占用耕地问题46宗，恢复耕地320亩，耕地保有量和永久基本农田"
        "保护面积均完成上级下达的任务。",
        "会议要求，各乡镇要落实田长制，加强日常巡查，对新增违法占用耕地行为做到早发现、早制止、早处置。",
    ),
    _doc(
        "zwdt", "2026年11月13日", "县文化旅游局", "撰稿 吴海燕", "周敏", "",
        "东坪县获评省级全域旅游示范区",
        "近日，省文化和旅游厅公布新一批省级全域旅游示范区名单，东坪县榜上有名。",
        "近年来，东坪县依托龙王山、桃坪古寨和河口湿地等资源，推进旅游与农业、文化融合发展，"
        "建成A级景区7个、乡村旅游重点村12个。",
        "今年前三季度，全县接待游客326万人次，同比增长14.2%。",
        "县文化旅游局表示，将以此为契机，完善旅游服务设施，提升游客体验。",
    ),
    _doc(
        "zwdt", "2026年11月18日", "县政府办公室", "撰稿 徐丽萍", "梁伟 审核 高建军", "",
        "县政府召开民生实事推进会",
        "11月17日，县政府召开年度民生实事推进会，逐项听取十件民生实事进展情况汇报。",
        "截至目前，城区新增停车位、农村饮水提质和乡镇卫生院改造等7件实事已完成年度任务，"
        "其余3件正在加紧推进。",
        "会议要求，各牵头单位要对照时间节点，加快推进剩余项目，确保年底前全部完成，让群众尽早受益。",
    ),
    _doc(
        "xzdt", "2026/10/09 10:20", "东坪日报", "记者 黄丽 通讯员 秦勇", "邱丹", "稻田养鱼,河口镇",
        "河口镇稻田养鱼喜获丰收",
        "金秋时节，河口镇的稻田里一片繁忙。村民们放水捉鱼，一条条肥美的稻花鱼在网兜里活蹦乱跳。",
        "今年，河口镇推广稻田养鱼面积1800亩，亩均产鱼60公斤左右，加上稻谷收入，亩均增收1200元以上。",
        "镇农业服务中心负责人介绍，稻田养鱼减少了农药化肥的使用，稻米品质提高，每斤售价比普通大米"
        "高出1元多。",
    ),
    _doc(
        "xzdt", "2026/10/14 16:45", "东坪日报", "记者 黄丽", "邱丹", "山羊养殖",
        "石门乡山羊养殖成为群众增收新门路",
        "在石门乡青龙村的山羊养殖场，500多只山羊正在圈舍里吃草料。养殖场负责人杨大海说，今年已经出栏"
        "300多只，每只纯利润在400元左右。",
        "石门乡山高坡陡，草场资源丰富，适合发展山羊养殖。乡里采取“大户带小户”的方式，目前全乡山羊存栏"
        "达到1.2万只。",
        "为解决防疫难题，乡畜牧站每季度组织兽医上门为养殖户免费防疫。",
    ),
    _doc(
        "xzdt", "2026/10/19 09:10", "马家镇人民政府", "通讯员 田小龙", "邱丹 审核 高建军", "",
        "马家镇村级便民服务中心实现全覆盖",
        "随着柏树村便民服务中心投入使用，马家镇14个村全部建成了标准化的村级便民服务中心。",
        "群众在家门口就可以办理社保缴费、医保报销、农业补贴申领等30多项事务，不用再跑到镇上。",
        "柏树村村民王秀英说，以前办个事要坐车到镇上，一来一回就是大半天，现在走几步路就办好了。",
    ),
    _doc(
        "xzdt", "2026/10/23 14:05", "东坪日报", "记者 唐振华 通讯员 秦勇", "邱丹", "柑橘,采摘节",
        "龙王镇首届柑橘采摘节开幕",
        "10月22日，龙王镇首届柑橘采摘节在石板村开幕，吸引了县内外2000多名游客前来采摘。",
        "龙王镇柑橘种植面积达到2.3万亩，主要品种有沃柑、脐橙和血橙。采摘节期间，游客可以进园自采，"
        "也可以直接购买装箱的果子。",
        "果农刘永贵家的橘园里，游客络绎不绝。他说，采摘节第一天就卖了3000多斤，比批发给收购商"
        "每斤多卖五六毛钱。",
        "采摘节将持续到12月底。",
    ),
    _doc(
        "xzdt", "2026/10/27 11:30", "东坪日报", "记者 唐振华", "邱丹", "饮水工程",
        "桃坪乡农村饮水提质工程完工",
        "近日，桃坪乡农村饮水提质工程全面完工，全乡8个村4600多名群众喝上了稳定达标的自来水。",
        "工程新建蓄水池6座，铺设供水管网42公里，并在水厂安装了净化消毒设备。",
        "家住桃坪乡岩门村的李奶奶打开水龙头，清亮的自来水哗哗流出。她说，过去一到旱季就要挑水吃，"
        "现在再也不用发愁了。",
    ),
    _doc(
        "xzdt", "2026/11/02 08:55", "东坪日报", "记者 黄丽 通讯员 秦勇", "邱丹 审核 高建军", "农民夜校",
        "河口镇农民夜校开课 种养技术送到家门口",
        "11月1日晚，河口镇新华村的村委会会议室里坐满了村民，农民夜校冬季第一堂课在这里开讲。",
        "县农技中心的技术员用通俗易懂的语言，讲解了柑橘冬季修剪和病虫害防治要点，还现场解答了"
        "村民提出的问题。",
        "今年，河口镇在全镇11个村开办农民夜校，开设种植、养殖、电商等课程，已累计培训村民2000多人次。",
    ),
    _doc(
        "xzdt", "2026/11/06 15:20", "马家镇人民政府", "通讯员 田小龙", "邱丹", "红薯粉条",
        "马家镇红薯粉条进入加工旺季",
        "入冬以后，马家镇的红薯粉条作坊进入加工旺季。在柏树村的一家作坊里，村民们正在打浆、漏粉、晾晒，"
        "院子里挂满了一排排晶莹的粉条。",
        "马家镇种植红薯有上百年历史，手工粉条口感筋道，深受消费者欢迎。今年全镇有粉条加工户130多户，"
        "预计产量达到800吨。",
        "镇里注册了“马家粉条”商标，统一包装销售，产品还通过网店卖到了省外。",
    ),
    _doc(
        "xzdt", "2026/11/10 10:40", "东坪日报", "记者 唐振华", "邱丹", "光伏,村集体经济",
        "石门乡村级光伏电站年收益超百万元",
        "在石门乡向阳村的山坡上，一排排光伏板在阳光下熠熠生辉。这座村级光伏电站装机容量800千瓦，"
        "今年以来已发电80多万千瓦时。",
        "据介绍，全乡5个村级光伏电站今年预计总收益可达120万元，收益主要用于村里公益岗位工资、"
        "困难群众救助和小型公益设施建设。",
        "向阳村党支部书记说，光伏电站让村集体经济有了稳定收入，村里的路灯、垃圾清运都有了保障。",
    ),
    _doc(
        "xzdt", "2026/11/15 17:05", "东坪日报", "记者 黄丽", "邱丹 审核 高建军", "",
        "龙王镇敬老院老人穿上新冬衣",
        "11月14日，龙王镇为镇敬老院的42名老人送去了新棉衣、棉鞋和电热毯，帮助老人温暖过冬。",
        "镇民政办工作人员还逐一检查了敬老院的取暖设备和电路，叮嘱工作人员做好防火防滑工作。",
        "敬老院今年新添了洗衣房和康复室，还开辟了一块菜地，老人们平时可以种种菜、活动活动筋骨。",
    ),
    _doc(
        "xzdt", "2026/11/20 09:35", "桃坪乡人民政府", "通讯员 向红梅", "邱丹", "移风易俗",
        "桃坪乡红白理事会推动移风易俗",
        "“酒席不超过15桌，礼金不超过200元。”桃坪乡各村的村规民约里，新增了这样的条款。",
        "今年以来，桃坪乡8个村全部成立了红白理事会，由村里德高望重的老人担任理事，帮助村民操办婚丧事宜，"
        "劝导大家简办节俭。",
        "据统计，今年全乡办理红白喜事180多起，平均每户节约开支约1.5万元。",
        "乡党委负责人说，将把移风易俗纳入文明家庭评选内容，让文明新风吹进千家万户。",
    ),
)

# fmt: on


@dataclass(frozen=True)
class _Placed:
    doc: _Doc
    id: int
    path: str
    iso: str
    body: tuple[str, ...]


def _place() -> list[_Placed]:
    placed = []
    for n, doc in enumerate(DOCS):
        doc_id = 6001 + n
        iso = iso_from_raw(doc.published)
        y, m, d = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
        if doc.channel == "zwdt":
            path = f"/art/{y}/{m}/{d}/art_1523_{doc_id}.html"
            body = doc.body
        else:
            path = f"/xzdt/content/{doc_id}.shtml"
            dateline = "本报讯" if doc.source == "东坪日报" else "东坪融媒讯"
            lead = doc.credit_text(("记者", "通讯员"))
            body = (f"{dateline}（{lead}）{doc.body[0]}", *doc.body[1:])
        placed.append(_Placed(doc, doc_id, path, iso, body))
    return placed


def _chrome(title: str, crumb: str, main: str, head: str = "") -> str:
    nav = "".join(
        f'<li><a href="{href}">{name}</a></li>'
        for name, href in (
            ("首页", "/index.html"),
            ("政务动态", "/col/col1523/index.html"),
            ("乡镇动态", "/xzdt/list.shtml"),
            ("走进东坪", "/zjdp/dpgk.html"),
            ("领导信息", "/zfxxgk/ldxx.html"),
            ("县长信箱", "/hdjl/xjxx.html"),
        )
    )
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="SiteName" content="{SITE}">\n{head}</head>\n<body>\n'
        f'<div class="gov-top"><span class="rq">{TODAY}</span> '
        '<a href="http://www.province.gov.example/" target="_blank">省政府门户网站</a> '
        '<a href="javascript:;">无障碍浏览</a></div>\n'
        f'<div class="gov-head"><span class="logo">{SITE}</span></div>\n'
        f'<ul class="gov-nav">{nav}</ul>\n'
        f'<div class="dqwz">当前位置：{crumb}</div>\n{main}\n'
        '<div class="gov-foot"><p>主办：东坪县人民政府办公室 承办：东坪县融媒体中心</p>'
        '<p><a href="/lxwm.html">联系我们</a> | 网站标识码：0000000000 | 示例ICP备00000000号</p></div>\n'
        "</body>\n</html>\n"
    )


def _crumb(channel: str) -> str:
    href = "/col/col1523/index.html" if channel == "zwdt" else "/xzdt/list.shtml"
    return f'<a href="/index.html">首页</a> &gt; <a href="#">新闻中心</a> &gt; <a href="{href}">{CHANNELS[channel]}</a>'


def _render_zwdt(item: _Placed, prev: _Placed | None, nxt: _Placed | None) -> str:
    doc = item.doc
    credits = "　".join(
        f"{role}：{' '.join(n for r, n in doc.credits if r == role)}"
        for role in ("撰稿", "摄影")
        if any(r == role for r, _ in doc.credits)
    )
    editors = f"责任编辑：{doc.editor}" + (f"　审核：{doc.reviewer}" if doc.reviewer else "")
    paragraphs = "\n".join(f'<p style="text-indent:2em;">{esc(p)}</p>' for p in item.body)
    neighbours = (f"<p>上一篇：{_a(prev)}</p>" if prev else "<p>上一篇：没有了</p>") + (
        f"<p>下一篇：{_a(nxt)}</p>" if nxt else "<p>下一篇：没有了</p>"
    )
    main = (
        '<div class="xl_con">\n'
        f'<div class="xl_title">{esc(doc.title)}</div>\n'
        f'<div class="xl_info"><span>发布日期：{doc.published}</span> <span>信息来源：{esc(doc.source)}</span> '
        '<span>浏览次数：<b id="views">1024</b></span> '
        '<span>【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> '
        '<a href="javascript:;">小</a>】</span></div>\n'
        f'<div class="zw" id="zoom">\n{paragraphs}\n</div>\n'
        f'<div class="xl_author">{credits}</div>\n<div class="xl_editor">{editors}</div>\n'
        '<div class="xl_tool"><a href="javascript:window.print();">【打印本页】</a> '
        '<a href="javascript:window.close();">【关闭窗口】</a></div>\n'
        f'<div class="xl_page">{neighbours}</div>\n</div>'
    )
    head = '<meta name="ColumnName" content="政务动态">\n'
    return _chrome(f"{doc.title}_{SITE}", _crumb("zwdt"), main, head)


def _render_xzdt(item: _Placed, prev: _Placed | None, nxt: _Placed | None) -> str:
    doc = item.doc
    head = f'<meta name="PubDate" content="{item.iso[:16].replace("T", " ")}">\n'
    if doc.keywords:
        head += f'<meta name="keywords" content="{esc(",".join(doc.keywords))}">\n'
    editors = f"（责任编辑：{doc.editor}" + (f"　审核：{doc.reviewer}" if doc.reviewer else "") + "）"
    paragraphs = "\n".join(f"<p>　　{esc(p)}</p>" for p in item.body)
    more = " ".join(_a(x) for x in (prev, nxt) if x)
    main = (
        '<table class="main" width="1000" border="0" align="center" cellpadding="0" cellspacing="0">\n'
        f'<tr><td class="bt" align="center" height="60">{esc(doc.title)}</td></tr>\n'
        f'<tr><td class="sj" align="center">发布时间：{doc.published}　　来源：{esc(doc.source)}</td></tr>\n'
        f'<tr><td class="nr">\n{paragraphs}\n</td></tr>\n'
        f'<tr><td class="zb" align="right">{editors}</td></tr>\n'
        f'<tr><td class="more">相关阅读：{more}</td></tr>\n</table>'
    )
    return _chrome(f"{doc.title}-乡镇动态-{SITE}", _crumb("xzdt"), main, head)


def _a(item: _Placed) -> str:
    return f'<a href="{item.path}">{esc(item.doc.title)}</a>'


def _write_listings(root: Path, placed: list[_Placed]) -> list[str]:
    paths = []
    for channel, name in CHANNELS.items():
        items = sorted((p for p in placed if p.doc.channel == channel), key=lambda p: p.id, reverse=True)
        pages = (len(items) + PER_PAGE - 1) // PER_PAGE
        for page in range(1, pages + 1):
            chunk = items[(page - 1) * PER_PAGE : page * PER_PAGE]
            if channel == "zwdt":
                base = "/col/col1523/index.html"
                path = base if page == 1 else f"{base}?page={page}"
                rows = "\n".join(
                    f'<li><a href="{p.path}" title="{esc(p.doc.title)}">{esc(p.doc.title)}</a>'
                    f'<span class="bt_time">{p.iso[:10]}</span></li>'
                    for p in chunk
                )
                links = []
                if page > 1:
                    links.append(f'<a href="{base}?page={page - 1}">上一页</a>')
                if page < pages:
                    links.append(f'<a href="{base}?page={page + 1}">下一页</a>')
                pager = f'<div class="page">共{len(items)}条 {" ".join(links)}</div>'
                listing = f'<div class="lm_list"><ul>\n{rows}\n</ul>\n{pager}</div>'
            else:
                path = "/xzdt/list.shtml" if page == 1 else f"/xzdt/list_{page}.shtml"
                rows = "\n".join(
                    f'<tr><td>·<a href="{p.path}">{esc(p.doc.title)}</a></td>'
                    f'<td align="right">{p.doc.published[:10]}</td></tr>'
                    for p in chunk
                )
                pager = f'<a href="/xzdt/list_{page + 1}.shtml">下一页</a>' if page < pages else ""
                listing = f'<table width="100%">\n{rows}\n</table>\n<div class="fy">{pager}</div>'
            crumb = f'<a href="/index.html">首页</a> &gt; <a href="#">新闻中心</a> &gt; {name}'
            write_text(root, path, _chrome(f"{name}_{SITE}", crumb, listing))
            paths.append(path)
    return paths


def _write_home(root: Path, placed: list[_Placed]) -> str:
    blocks = []
    for channel, name in CHANNELS.items():
        latest = sorted((p for p in placed if p.doc.channel == channel), key=lambda p: p.id)[-5:][::-1]
        rows = "".join(f"<li>{_a(p)}<span>{p.iso[5:10]}</span></li>" for p in latest)
        blocks.append(f'<div class="sy_box"><h3>{name}</h3><ul>{rows}</ul></div>')
    notices = (
        ("关于2026年冬季征兵工作的通告", "2026-11-21"),
        ("东坪县2026年第四季度公开招聘社区工作者公告", "2026-11-12"),
        ("关于城区部分路段停水的通知", "2026-11-25"),
    )
    notice_rows = "".join(f"<li><span>{t}</span><em>{d}</em></li>" for t, d in notices)
    main = (
        '<div class="sy_con">\n'
        + "\n".join(blocks)
        + f'\n<div class="sy_box"><h3>通知公告</h3><ul>{notice_rows}</ul></div>\n'
        '<div class="sy_links">友情链接：<a href="http://www.gov.example.cn/">中国政府网</a> '
        '<a href="http://www.province.gov.example/">省政府门户网站</a></div>\n</div>'
    )
    write_text(root, "/index.html", _chrome(SITE, '<a href="/index.html">首页</a>', main))
    return "/index.html"


def _write_other_pages(root: Path) -> list[str]:
    about = (
        '<div class="article-like"><h2>东坪概况</h2>\n'
        "<p>东坪县位于省境东部，东西宽约48公里，南北长约62公里，总面积2260平方公里，辖9个镇、4个乡，"
        "户籍人口约41万人。</p>\n"
        "<p>全县地势西高东低，属亚热带湿润季风气候，年平均气温16.8摄氏度，境内河流纵横，河口湿地是省级"
        "湿地公园。</p>\n"
        "<p>东坪是传统农业县，水稻、柑橘和生猪是主导产业，近年来工业园区建设和乡村旅游发展较快。</p>\n"
        "<p>（资料更新时间：2026年3月）</p>\n</div>"
    )
    leaders = (
        ("陈建国", "县委副书记、县长", "主持县政府全面工作。"),
        ("刘志远", "县委常委、常务副县长", "负责县政府常务工作，分管发展改革、财政、审计等方面工作。"),
        ("赵红霞", "副县长", "负责教育、卫生健康、民政等方面工作。"),
        ("孙国平", "副县长", "负责农业农村、水利、林业等方面工作。"),
    )
    rows = "".join(f"<tr><td>{n}</td><td>{esc(r)}</td><td>{esc(w)}</td></tr>" for n, r, w in leaders)
    leadership = (
        '<div class="ld_list"><h2>县政府领导</h2>\n'
        f'<table border="1" cellspacing="0" cellpadding="6"><tr><th>姓名</th><th>职务</th><th>分工</th></tr>'
        f"{rows}</table>\n</div>"
    )
    form = (
        '<div class="xjxx"><h2>县长信箱</h2>\n'
        "<p>请如实填写以下信息，我们将在5个工作日内答复。涉及个人隐私的内容不予公开。</p>\n"
        '<form action="/hdjl/xjxx.html" method="post">\n'
        '<p>姓名：<input type="text" name="name"></p>\n<p>联系电话：<input type="text" name="phone"></p>\n'
        '<p>信件类型：<select name="type"><option>咨询</option><option>建议</option><option>投诉</option>'
        "</select></p>\n"
        '<p>标题：<input type="text" name="title"></p>\n<p>内容：<textarea name="content" rows="8"></textarea></p>\n'
        '<p><button type="submit">提交</button> <button type="reset">重置</button></p>\n</form>\n</div>'
    )
    contact = (
        '<div class="lxwm"><h2>联系我们</h2>\n'
        "<p>主办单位：东坪县人民政府办公室</p>\n<p>通讯地址：东坪县城关镇府前街1号</p>\n"
        "<p>联系电话：0000-6123456（工作日 9:00-17:00）</p>\n"
        "<p>电子邮箱：dpxzf@dongping.gov.example</p>\n"
        "<p>本网站所刊登的信息，均为东坪县人民政府及其部门发布的公开信息，转载请注明出处。</p>\n</div>"
    )
    pages = {
        "/zjdp/dpgk.html": ("东坪概况", about),
        "/zfxxgk/ldxx.html": ("领导信息", leadership),
        "/hdjl/xjxx.html": ("县长信箱", form),
        "/lxwm.html": ("联系我们", contact),
    }
    for path, (title, main) in pages.items():
        crumb = f'<a href="/index.html">首页</a> &gt; {title}'
        write_text(root, path, _chrome(f"{title}_{SITE}", crumb, main))
    return list(pages)


def build_unseen_portal(root: Path) -> dict[str, Any]:
    """Write the 东坪县人民政府网 test portal into ``root``; returns the manifest (also saved as JSON)."""
    root.mkdir(parents=True, exist_ok=True)
    placed = _place()
    articles = []
    for channel, section in CHANNELS.items():
        own = [p for p in placed if p.doc.channel == channel]
        for i, item in enumerate(own):
            prev = own[i - 1] if i > 0 else None
            nxt = own[i + 1] if i + 1 < len(own) else None
            render = _render_zwdt if channel == "zwdt" else _render_xzdt
            write_text(root, item.path, render(item, prev, nxt))
            doc = item.doc
            articles.append(
                {
                    "path": item.path,
                    "title": doc.title,
                    "published": item.iso,
                    "published_raw": doc.published,
                    "source": doc.source,
                    "authors": doc.authors,
                    "editors": [doc.editor, *([doc.reviewer] if doc.reviewer else [])],
                    "keywords": list(doc.keywords),
                    "section": section,
                    "body_first": item.body[0][:20],
                    "body_last": item.body[-1][-20:],
                    "paragraphs": len(item.body),
                    "images": [],
                    "encoding": "utf-8",
                }
            )
    manifest: dict[str, Any] = {
        "articles": articles,
        "non_articles": _write_other_pages(root),
        "listings": [_write_home(root, placed), *_write_listings(root, placed)],
        "sitemap": None,
        "feed": None,
    }
    write_manifest(root, manifest, ORIGIN)
    return manifest
