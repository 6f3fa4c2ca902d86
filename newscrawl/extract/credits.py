"""Visible-text patterns: 来源 / 记者 / 责编 / 关键词 lines and the bracketed credits in a lead."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newscrawl.extract.dates import find_date_tokens

# Label words by what they credit. Longer spellings must come first in the alternation.
_LABELS: dict[str, tuple[str, ...]] = {
    "source": tuple(
        "本文来源于 来源于 文章来源 信息来源 新闻来源 消息来源 内容来源 本文来源 稿件来源 来源 稿源 出处 转载自".split()
    ),
    "author": tuple(
        "本报特约记者 本报见习记者 本报实习记者 本报记者 本台记者 本网记者 新华社记者 特约通讯员 特约记者 见习记者 实习记者 首席记者 融媒体记者 全媒体记者 记者 通讯员 实习生 撰稿人 撰稿 撰文 执笔 作者 文/图 文／图 图文 文图 文".split()
    ),
    "editor": tuple(
        "值班编辑 网络编辑 实习编辑 本文编辑 选稿编辑 选稿 责任编辑 责任编缉 責任編輯 责编 編輯 编辑 审核 审校 审稿 校对 初审 复审 终审 二审 三审 编审 编校".split()
    ),
    "photo": tuple("摄影记者 摄影 图/ 图／ 图片来源 视频来源 数据来源 图片 摄".split()),
    "keyword": tuple("文章关键词 关键词 关键字 标签 Tags TAGS Tag TAG tags".split()),
    "time": tuple("发布时间 发表时间 更新时间 修改时间 时间 日期 发布于 发表于".split()),
    "other": tuple(
        "浏览次数 浏览量 阅读量 阅读数 点击数 点击量 点击 浏览 字号 分享到 分享 打印 评论 收藏 访问量 次数 作者简介 扫一扫 手机看".split()
    ),
}
# Labels that may stand without a colon: "记者 康世保", "责编 高御". Others need ":" / "：" / "/".
_BARE_OK = frozenset(
    (
        "本报特约记者 本报见习记者 本报实习记者 本报记者 本台记者 本网记者 新华社记者 特约通讯员 特约记者 见习记者 实习记者 首席记者 融媒体记者 全媒体记者 记者 通讯员 "
        "责任编辑 责编 摄影记者 编辑 审核 校对 本文来源于 来源于 作者 实习生"
    ).split()
)
# "文" and "图" are only labels when followed by "/" or a colon.
_SLASH_ONLY = frozenset({"文", "图文", "文图", "摄"})

_KIND = {label: kind for kind, labels in _LABELS.items() for label in labels}
_LABEL_ALT = "|".join(re.escape(lb) for lb in sorted(_KIND, key=len, reverse=True))
# A label must start a token: not glued to a preceding CJK character (avoids "总编辑部", "日报记者站").
_LABEL_RE = re.compile(rf"(?P<label>{_LABEL_ALT})\s*(?P<sep>[:：/／|｜丨]|\s+|(?=[\u4e00-\u9fff]))")
_STOP_RE = re.compile(r"\s{2,}|[|｜丨【】\[\]<>()（）。！？]|\s+[-—]{1,2}\s+")
_NAME_SPLIT = re.compile(r"[\s、，,;；/／|]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}[·•・][\u4e00-\u9fff]{1,8}")
_STAFF_CODE = re.compile(r"(?:[_＿\-][A-Za-z]{0,4}\d{2,}|\d{3,})$")
_ROLE_PREFIX = re.compile(
    r"^(?:本报|本台|本网|新华社|央视|中新社|人民网)?(?:特约|见习|实习|首席|融媒体|全媒体)?(?:记者|通讯员|摄影|编辑|实习生)"
)
_NAME_TAIL = re.compile(r"(?:报道|摄影|摄|采写|整理|编译|综述|综合|发自\S*|/图|图)$")
_NOT_NAMES = frozenset(
    (
        "未知 佚名 匿名 不详 无 暂无 admin Admin 管理员 小编 本站 本网 网友 编辑部 新闻中心 记者 通讯员 编辑 责编 作者 来源 原创 转载 综合 报道 null "
        "None 近日 日前 昨天 昨日 今天 今日 近期 目前 当天 上午 下午 晚上"
    ).split()
)
_ORG_WORDS = re.compile(
    r"(网|報|报|報社|报社|社|新闻|新聞|中心|客户端|电视台|電台|电台|广播|廣播|政府|委员会|办公室|编辑部|记者站|频道|公司|集团|"
    r"局|厅|部门|学院|大学|协会|财经|財經|县|市|省|区|镇|乡|村|州)$"
)
_NOT_SOURCES = frozenset({"未知", "不详", "无", "暂无", "null", "None", "-", "--", "admin"})
_EDGE_PUNCT = " \t:：,，.。;；、|｜/()（）[]【】<>\"'“”‘’-—_·"


@dataclass
class Credits:
    """What the credit patterns found in some text."""

    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)

    def merge(self, other: Credits) -> None:
        """Fill what is still empty from ``other``; lists are unioned in order."""
        if self.source is None:
            self.source = other.source
        for name in ("authors", "editors", "keywords"):
            mine: list[str] = getattr(self, name)
            for item in getattr(other, name):
                if item not in mine:
                    mine.append(item)


def parse_credits(text: str, *, strict_names: bool = False) -> Credits:
    """Read every ``label: value`` credit in one line of text.

    Each label's value runs until the next label, a wide gap, a bar or bracket, or a date. With
    ``strict_names`` (unlabelled context such as a lead) only 2–4 character Chinese names count.
    """
    found = Credits()
    matches = [m for m in _LABEL_RE.finditer(text) if _label_ok(m, text)]
    for i, m in enumerate(matches):
        kind = _KIND[m.group("label")]
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        raw = text[m.end() : stop]
        if kind in ("author", "editor"):
            if kind == "author" and _PHOTO_CREDIT.match(raw):
                continue  # "新华社记者 李梦馨 摄": the photographer
            # A role glued to the word before it ("交汇点记者 徐睿翔") only names real-looking people.
            sep = m.group("sep")
            # Unlabelled-looking text needs real-looking names: a role glued to the word before it
            # ("交汇点记者 徐睿翔") or to the name after it ("记者王五", but not "记者从市政府获悉").
            bare = not sep and m.end("label") == m.start("sep")
            strict = strict_names or bare or (_glued(m, text) and sep.strip() not in (":", "："))
            target = found.authors if kind == "author" else found.editors
            _extend(target, people(raw, strict=strict))
            continue
        value = _cut_value(raw)
        if not value:
            continue
        if kind == "source":
            if found.source is None:
                found.source = clean_source(value)
        elif kind == "keyword":
            _extend(found.keywords, split_keywords(value))
    return found


def _glued(m: re.Match[str], text: str) -> bool:
    prev = text[m.start() - 1] if m.start() else ""
    return bool(prev) and (prev.isalpha() or bool(_CJK.match(prev)))


def _label_ok(m: re.Match[str], text: str) -> bool:
    label, sep = m.group("label"), m.group("sep")
    has_colon = bool(sep) and sep.strip() != ""
    spaced = m.end("label") < m.start("sep") or sep.isspace()
    prev = text[m.start() - 1] if m.start() else ""
    glued = _glued(m, text)
    # Inside a word ("总编辑部", "日报记者站") unless a colon makes it a label ("…映象网作者："), a space
    # follows it ("交汇点记者 徐睿翔", "松花江网编辑 孙桂芳") or an outlet's name precedes a reporter
    # ("河南商报记者马俊峰"); glued roles then only accept real-looking names (see parse_credits).
    if (
        glued
        and sep.strip() not in (":", "：")
        and not spaced
        and not (prev in _OUTLET_END and _KIND[label] == "author")
    ):
        return False
    if label in _SLASH_ONLY or label in ("图/", "图／"):
        return label.endswith(("/", "／")) or has_colon
    if has_colon:
        return True
    if label not in _BARE_OK:
        return False
    # "记者王五" is a credit, but "编辑观察" / "编辑链接" are menu items: other roles need a space.
    return spaced or _KIND[label] == "author" or label.endswith("来源于")


_OUTLET_END = frozenset("网报社台刊站")
_PHOTO_CREDIT = re.compile(r"^[\s:：]*[\u4e00-\u9fff·]{2,6}(?:[\s、]+[\u4e00-\u9fff·]{2,6}){0,3}\s*摄")
_JOB_TITLE = re.compile(
    r".*(?:研究员|教授|主任|部长|院长|所长|博士|专家|主编|总编辑|讲师|理事长|会长|秘书长|书记|局长|处长|经理|董事长|总裁)"
)
_NOT_PERSON = re.compile(
    r"受访|供图|提供|来源|转载|整理|原创|版权|声明|阅读|点击|客户端|公众号|微信|微博|出品|推荐|频道|[“”\"「」《》!！]|"
    r"关注|订阅|粉丝|私信|主页|红包|充值|登录|注册|网友|用户|"
    r"\b(?:Team|Inc|Ltd|LLC|Co|Corp|Group|News|Staff|Editors?|Admin|Press|Media|Network|Online|UI|Desk)\b|"
    r"(?:研究员|教授|主任|部长|院长|所长|博士|专家|主编|总编辑|讲师|理事长|会长|秘书长|书记|局长|处长|经理|董事长|总裁)$"
)
_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’.-])+(?: [A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’.-])+){1,3}")
_URLISH = re.compile(r"[@_]|https?:|www\.|\.com|\.cn|[!！]")
# Common Chinese surnames (strict name checks: unlabelled brackets, metadata, roles glued to a word).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅"
    "童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
    "连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞"
    "敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花"
    "权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母"
    "裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸"
    "奉植衡富尧闭由晏郦酆岑蓟薄"
)
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 宇文 长孙 夏侯 轩辕 端木 独孤 南宫 西门 申屠 澹台 司徒 "
    "司空 呼延 万俟 闻人 赫连 钟离 宗政 濮阳 太史 仲孙 第五".split()
)
_STAFF_INITIALS = re.compile(r"[A-Z]{1,3}\d*")
_PADDED_NAME = re.compile(
    r"^([\u4e00-\u9fff])[ \t\u3000]{1,4}([\u4e00-\u9fff]{1,2})(?=[ \t\u3000]{2,}|[|｜]|$)"
)


def _cut_value(raw: str) -> str:
    value = raw.strip(" \t\u3000:：")
    # "赵  培": a two-character name padded to the width of three must not be cut at its inner gap.
    value = _PADDED_NAME.sub(r"\1\2", value)
    m = _STOP_RE.search(value)
    if m:
        value = value[: m.start()]
    for tok in find_date_tokens(value):
        value = value[: tok.start]
        break
    return value.strip(_EDGE_PUNCT)


def _extend(target: list[str], items: list[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def clean_source(value: str) -> str | None:
    """Normalise a 来源 value; None for placeholders such as 未知."""
    value = value.strip(_EDGE_PUNCT)
    # After a Chinese outlet name a space ends the value: what follows is an unlabelled reporter or a
    # second outlet ("中国新闻网 王帆", "央视新闻客户端 中国青年网"). Latin names keep their spaces.
    first, _, rest = value.partition(" ")
    if rest and _CJK.search(first):
        value = first
    if len(value) > 40:
        value = value[:40].rsplit(" ", 1)[0]
    if not value or value in _NOT_SOURCES or value.startswith("http"):
        return None
    return value


_PHOTO_BY = re.compile(r"[\u4e00-\u9fff·]{2,6}\s*[/／]\s*(?:图|图片|摄影|摄)(?![\u4e00-\u9fff])")
_PEOPLE_STOP = re.compile(r"[|｜丨【】\[\]<>()（）。！？：:；;]|\s+[-—]{1,2}\s+")
_CJK_PIECES = re.compile(r"[\s、，,/／]+")
_LATIN_PIECES = re.compile(r"\s*(?:[,，、;；/／|]|\s&\s|\s(?:and|und|et|y)\s)\s*", re.IGNORECASE)


def people(raw: str, *, strict: bool = False) -> list[str]:
    """Person names at the start of a credit value ("康世保 郭歌", "王五、赵六", "Jeremy Tsheng").

    The list ends at a bracket, a colon, a sentence end, a date, or the first piece that is not a
    name once some names were read ("彭冲 山东冠县报道" → 彭冲).
    """
    value = raw.strip(" \t\u3000:：/／")
    value = _PHOTO_BY.sub(" ", value)  # "韩雨桐/文 赵一鸣/图": the photographer is not an author
    m = _PEOPLE_STOP.search(value)
    if m:
        value = value[: m.start()]
    for tok in find_date_tokens(value):
        value = value[: tok.start]
        break
    return split_names(value, strict=strict)


def split_names(value: str, *, strict: bool = False) -> list[str]:
    """Split a credit value into person names: role words, titles, staff codes and placeholders dropped."""
    value = value.strip(_EDGE_PUNCT)
    if not value:
        return []
    if _CJK.search(value):
        pieces = [p for p in _CJK_PIECES.split(value) if p]
        pieces = _glue_padded(pieces)
        # "支全明 SF": a newsroom's initials code after Chinese names is not a person.
        pieces = [p for p in pieces if not _STAFF_INITIALS.fullmatch(p)]
    else:
        pieces = [p for p in _LATIN_PIECES.split(value) if p]
    names: list[str] = []
    for piece in pieces:
        name = _clean_name(piece)
        if name and _plausible_name(name, strict=strict):
            if name not in names:
                names.append(name)
        elif names and _CJK.search(piece) and len(piece) > 4:
            break  # prose or a place after the names
    return names


def _glue_padded(pieces: list[str]) -> list[str]:
    """ "方  敏" and "赵  培": names padded to three characters' width come apart; put them back."""
    out: list[str] = []
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if len(piece) == 1 and _CJK.match(piece) and 1 <= len(nxt) <= 2 and _CJK.fullmatch(nxt[0]):
            out.append(piece + nxt)
            i += 2
            continue
        out.append(piece)
        i += 1
    return out


# "By Bob Yirka", "von Christoph Schulz", "Por Rodrigo Mejías": the byline word before a name.
# "Di Maria" is a name, "di Mario Rossi" a byline: the short words only count in lower case.
_LATIN_BY = re.compile(
    r"^(?:(?i:(?:written|posted|published|reported)\s+by|by|von|por|par|door|durch|autor|author)|di|av|af)"
    r"\s*:?\s+"
)
_LATIN_NOT_NAMES = frozenset("by von por par door durch and und et author autor".split())


def _clean_name(piece: str) -> str:
    name = piece.strip(_EDGE_PUNCT)
    if not _CJK.search(name):
        name = _LATIN_BY.sub("", name)
    name = _ROLE_PREFIX.sub("", name)
    name = _STAFF_CODE.sub("", name)
    name = _NAME_TAIL.sub("", name) if len(name) > 2 else name
    name = name.strip(_EDGE_PUNCT)
    # "研究部部长、研究员徐占忱": a job title before the name.
    m = _JOB_TITLE.search(name)
    if m and _CJK_NAME.fullmatch(name[m.end() :]):
        name = name[m.end() :]
    return name


def _plausible_name(name: str, *, strict: bool) -> bool:
    if name in _NOT_NAMES or any(ch.isdigit() for ch in name) or _NOT_PERSON.search(name):
        return False
    if name.casefold() in _LATIN_NOT_NAMES:
        return False
    if _CJK.search(name):
        if _ORG_WORDS.search(name):
            return False
        if strict:
            return is_chinese_name(name)
        if len(_CJK.findall(name)) == len(name):
            return 2 <= len(name) <= 6
        return 2 <= len(name) <= 20
    if strict:
        return bool(_LATIN_NAME.fullmatch(name))
    return 2 <= len(name) <= 40 and any(ch.isalpha() for ch in name) and not _URLISH.search(name)


def is_chinese_name(name: str) -> bool:
    """2–4 Han characters starting with a common surname, or a minority name joined by ·."""
    if _CJK_NAME.fullmatch(name) and "·" not in name and "•" not in name and "・" not in name:
        return name[:2] in _COMPOUND_SURNAMES or name[0] in _SURNAMES
    return bool(_CJK_NAME.fullmatch(name))


_KW_SEPARATORS = re.compile(r"[,，、;；|｜]")


def split_keywords(value: str) -> list[str]:
    """Split a keyword line on , ， 、 ; | — or on spaces when it has none ("Taobao Network" stays whole)."""
    parts = _KW_SEPARATORS.split(value) if _KW_SEPARATORS.search(value) else value.split()
    out: list[str] = []
    for item in parts:
        item = item.strip(_EDGE_PUNCT)
        if item and len(item) <= 40 and item not in out:
            out.append(item)
    return out[:200]


# Leads: "映象网讯(记者 康世保 见习记者 郭歌)近年来", "新华社北京9月3日电（记者 王五、赵六）".
_LEAD_RE = re.compile(r"^.{0,40}?(?:讯|电|消息|报道)\s*[（(【\[]\s*(?P<inner>[^）)】\]]{2,80})[）)】\]]")
_LEAD_BARE_RE = re.compile(
    r"^.{0,20}?(?:讯|电)\s*(?P<inner>(?:本报|本台|本网)?(?:见习|实习|特约)?(?:记者|通讯员)[\s：:]*[\u4e00-\u9fff]{2,4}"
    r"(?:\s*、\s*[\u4e00-\u9fff]{2,4}|\s+(?:见习|实习|特约)?(?:记者|通讯员)[\s：:]*[\u4e00-\u9fff]{2,4})*)(?=\s|[，,。])"
)
_TRAILER_RE = re.compile(r"[（(【\[]\s*(?P<inner>[^（()）【】\[\]]{2,80})[）)】\]]\s*$")


def lead_credits(paragraph: str) -> Credits:
    """Credits in the opening bracket of a lead: "…讯(记者 康世保 见习记者 郭歌)", "…电（刘艺、杨吉）"."""
    m = _LEAD_RE.match(paragraph)
    if m:
        return _bracket_credits(m.group("inner"))
    m = _LEAD_BARE_RE.match(paragraph)
    if m:
        return parse_credits(m.group("inner"), strict_names=True)
    return Credits()


def trailer_credits(paragraph: str) -> Credits:
    """Credits in a closing bracket: "（记者 王五）", "(来源：新华社)", or bare names "（常书香 马丹阳）"."""
    m = _TRAILER_RE.search(paragraph)
    if not m:
        return Credits()
    return _bracket_credits(m.group("inner"))


def _bracket_credits(inner: str) -> Credits:
    # Inside brackets the value is bounded, so labelled names need not look Han-standard (格桑边觉).
    found = parse_credits(inner)
    if found.source or found.authors or found.editors or found.keywords:
        return found
    # No role word: the bracket counts only when all of it is real-looking names (the reporters).
    pieces = [p for p in _CJK_PIECES.split(inner.strip()) if p]
    if pieces and all(is_chinese_name(p) for p in _glue_padded(pieces)):
        found.authors = split_names(inner, strict=True)
    return found


_CREDIT_RESIDUE = re.compile(r"[\s/／、，,·•・|｜:：()（）\[\]【】]+|报道|摄影|摄|文|图")


def is_credit_line(text: str) -> bool:
    """A line that only credits people ("记者 郝文静", "本报记者 宋向阳 通讯员 王晶",
    "顶端新闻·河南商报记者 韩雨桐/文 赵一鸣/图"): role words, names and at most an outlet's name."""
    if len(text) > 60 or any(ch in text for ch in "。！？；，"):
        return False
    found = parse_credits(text)
    names = found.authors + found.editors
    if not names:
        return False
    rest = _LABEL_RE.sub("", text)
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, "")
    return len(_CREDIT_RESIDUE.sub("", rest)) <= 12
