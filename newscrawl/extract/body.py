"""Find the article's main text block and turn it into clean paragraphs."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from lxml import etree

from newscrawl.extract.credits import is_credit_line
from newscrawl.extract.dates import find_date_tokens
from newscrawl.extract.dom import BLOCK_TAGS, Line, Page, class_test

_PARA_TAGS = frozenset(
    {"p", "li", "pre", "blockquote", "h2", "h3", "h4", "h5", "h6", "dd", "figcaption", "td"}
)
_POSITIVE = class_test(
    r"article|content|text|detail|body|editor|main|post|entry|story|news_?con|zw|TRS|txt|neirong|wenzhang|"
    r"artical|cont|show|read|zhengwen|rich"
)
_NEGATIVE = class_test(
    r"comment|footer|foot\b|sidebar|side\b|aside|related|relate|recommend|share|nav|menu|hot|rank|banner|"
    r"copyright|header|breadcrumb|crumb|xgxw|tuijian|pinglun|friend|links?\b|ad\b|ads\b|advert|popular|"
    r"more|tags?\b|keyword|login|toolbar|widget|slide|list|dialog|modal|qrcode|tool"
)
_CAPTION = class_test(
    r"caption|(?:pic|img|image|photo|tu)[-_]?(?:txt|text|info|desc|title|note|name|memo|intro|explain|zhu)|tuzhu|"
    r"picnote|imgnote"
)
# A short line ending in a photo credit ("记者 赵一鸣 摄") is a caption, not prose.
_PHOTO_CREDIT = re.compile(
    r"(?:摄|摄影|供图|图源\S*|图片来源\S*)[)）]?$|\((?:Image|Photo|Picture|Credit|Source)s?:[^)]{0,60}\)$",
    re.IGNORECASE,
)
# Sentence punctuation: a line of real prose has some; menus and link lists do not.
_PUNCT = re.compile(r"[，。！？；、：“”]|[,.;!?](?=\s|$)")
# Headings of a related-stories box.
_RELATED_WORDS = (
    r"相关(?:阅读|新闻|文章|链接|报道|推荐|稿件)|推荐阅读|延伸阅读|热点推荐|热门推荐|猜你喜欢|更多(?:新闻|精彩|资讯)|"
    r"Related|More stories|Most popular|You (?:may|might) (?:also )?like|Recommended for you|Read next|"
    r"Você (?:também )?(?:pode|vai) gostar|Mais lidas|Mehr zum Thema|Ähnliche Artikel|Articoli correlati|"
    r"Te puede interesar|Noticias relacionadas|Sur le même sujet"
)
_RELATED_HEAD = re.compile(rf"^\s*[【\[]?\s*(?:{_RELATED_WORDS})", re.IGNORECASE)
# Lines at which an article body ends (the first one met closes the body).
_END_MARK = re.compile(
    rf"^\s*[【\[]?\s*(?:{_RELATED_WORDS}|"
    r"上一篇|下一篇|上一条|下一条|分享到|分享至|扫一扫|打印本页|关闭窗口|返回顶部|【?纠错】?|网友评论|我要评论|"
    r"版权声明|免责声明|特别声明|声明：|关注公众号|分享让更多人看到|返回\S{1,8}[，,]\s*查看更多|"
    r"[（(【\[]?\s*(?:责任编辑|责编|責任編輯)\s*[:：]|Read more|Share this)",
    re.IGNORECASE,
)
# Reader comments and cookie-consent dialogs: never the article, whatever their prose.
_NOT_ARTICLE_BOX = class_test(
    r"(?:^|[\s_-])(?:comments?|commentlist|disqus\w*|pinglun|cookies?|consent|onetrust\w*|ot-pc|gdpr)"
    r"(?:$|[\s_-])"
)
# Class names of a related-stories box: whatever follows its heading is other stories.
_RELATED_CLASS = class_test(r"related|recommend|tuijian|xgxw|also-?like|more-?stories")
_BOILER_LINE = re.compile(
    r"^\s*(?:[【\[]?\s*(?:字号|字体)\s*[:：]?\s*[大中小]|分享到|打印|关闭|收藏|扫一扫|返回(?:首页|列表|顶部)|点击(?:查看|进入)|"
    r"当前位置|您的位置|所在位置|首页\s*[>＞»>]|视频加载中|正在加载|图片来源|【?纠错】?$|"
    r"广告$|正在为您切换|播放速度|设置成功|本文首发于|\d{1,2}:\d{2}\s*/\s*\d{1,2}(?::\d{2})?|Play Video|播报$|编辑$)",
    re.IGNORECASE,
)


# Blocks inside an article container that are never its text: ad slots, players, wiki banners, boxes.
_NOISE_CLASS = class_test(
    r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|gg|player|video-?js|ambox|hatnote|navbox|noprint|infobox|"
    r"mw-editsection|reflist|catlinks|printfooter|toc|share\w*|bdshare\w*|statement|disclaimer|declare|"
    r"qrcode|ewm|copyright|tips|summary|abstract|digest|zhaiyao|daodu|brief|intro)(?:$|\s|[_-](?![0-9]))"
)


@dataclass
class BodyResult:
    """The chosen content element and its cleaned paragraphs."""

    node: etree._Element | None
    paragraphs: list[str]
    lines: list[Line]
    """The lines kept as paragraphs (same order)."""
    link_lines: int
    """How many mostly-link lines the chosen block had (many → a listing, not an article)."""
    head: list[Line] = field(default_factory=list)
    """Date / 来源 / 作者 lines found at the top of the block (not body text)."""
    tail: list[Line] = field(default_factory=list)
    """关键词 / 责编 lines found at the bottom of the block (not body text)."""


def line_score(line: Line) -> float:
    """How much a line looks like article prose."""
    if line.score is not None:
        return line.score  # asked many times per line (body search, widening, trimming)
    if line.chars < 8 or line.link_chars * 2 > line.chars:
        score = 0.0
    else:
        punct = line.punct if line.punct >= 0 else len(_PUNCT.findall(line.text))
        score = 0.0 if punct == 0 and line.chars < 25 else 1.0 + punct + min(line.chars / 40.0, 4.0)
    line.score = score
    return score


def find_body_node(page: Page, after: int | None = None) -> etree._Element | None:
    """The element holding the article text, by paragraph scores propagated to ancestors.

    ``after`` is the document position of the headline, when known.
    """
    scores: dict[etree._Element, float] = {}
    scored = [(line, s) for line in page.lines if (s := line_score(line))]
    per_owner: dict[etree._Element, int] = {}
    for line, _ in scored:
        per_owner[line.owner] = per_owner.get(line.owner, 0) + 1
    for line, s in scored:
        owner = line.owner
        tag = owner.tag if isinstance(owner.tag, str) else ""
        base = owner
        # A block whose paragraphs are split by <br> holds the text itself; a lone paragraph block
        # (<p>, or a <div> with one line) gives its score to the container around it.
        if tag in _PARA_TAGS or (per_owner[owner] < 2 and not _has_block_child(owner)):
            parent = owner.getparent()
            base = parent if parent is not None else owner
        weight = 1.0
        node: etree._Element | None = base
        for _ in range(3):
            if node is None:
                break
            scores[node] = scores.get(node, 0.0) + s * weight
            weight /= 2
            node = node.getparent()
    # Blocks of prose sharing one class name: a list of teasers (or of comments), not one article.
    twins = Counter(
        c
        for el, raw in scores.items()
        if raw >= 8 and (c := el.get("class")) and _span(page, el) >= 2 and not _in_comments(page, el)
    )
    # A block scores at most 1.5 × its raw score (no links, a positive class). Blocks are weighed in
    # order of that bound, and only while it reaches 0.3 × the best score so far: a block below that is
    # never looked at below (nor can it be the best), so weighing it would be wasted.
    bounds: list[tuple[float, int, etree._Element, float]] = []
    for position, (node, raw) in enumerate(scores.items()):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag not in ("html", "a", "span", "em", "strong", "b", "font"):
            bounds.append((raw * _MAX_WEIGHT, position, node, raw))
    bounds.sort(key=lambda entry: entry[0], reverse=True)
    weighed: list[tuple[float, int, etree._Element]] = []
    top = 0.0
    for bound, position, node, raw in bounds:
        if bound < 0.3 * top:
            break
        weight = _class_weight(page, node) * (0.3 if _opens_related(page, node) else 1.0)
        if _in_comments(page, node):
            weight *= 0.2
        if twins.get(node.get("class") or "", 0) >= 3:
            weight *= 0.3
        score = raw * (1.0 - _link_density(page, node)) * weight
        weighed.append((score, position, node))
        top = max(top, score)
    if not weighed:
        return None
    weighed.sort(key=lambda entry: (-entry[0], entry[1]))  # ties: document order of first scoring
    ranked = [(score, node) for score, _, node in weighed]
    best_score, best = ranked[0]
    if after is None:
        return best

    # With the headline known, the article's text is a good block starting right under it (within a
    # screenful of lines): a longer block elsewhere is a recommended story, a comment thread or a dialog.
    lines = page.lines
    head = next((ln.index for ln in lines if ln.order == after), None)
    if head is None:
        head = next((ln.index for ln in lines if ln.order > after), len(lines))

    def first_prose(node: etree._Element) -> int | None:
        first, stop = page.spans[node]
        # A block that holds the headline itself starts its text under it.
        for k in range(max(first, head + 1), stop):
            ln = lines[k]
            if line_score(ln) and not is_caption(page, ln):
                return k
        return None

    def near(k: int | None) -> bool:
        return k is not None and head < k <= head + 40

    if near(first_prose(best)):
        return best
    options = []
    for score, node in ranked[1:]:
        if score < 0.3 * best_score:
            break
        if _related(page, node, best):
            continue  # a part or a wrapper of the best block: not another story
        k = first_prose(node)
        if not near(k):
            continue
        # A short story right under its headline still beats a long one elsewhere on the page.
        prose = sum(
            ln.chars for ln in page.lines_in(node) if line_score(ln) >= 3 and not is_caption(page, ln)
        )
        if score >= 0.3 * best_score and prose >= 100:
            options.append((k, -score, id(node), node))
    if not options:
        return best
    options.sort(key=lambda o: o[:3])
    first = options[0]
    # A wrapper and the block inside it both start under the headline: the better-scoring one wins.
    nested = [o for o in options if o is first or _related(page, o[3], first[3])]
    return min(nested, key=lambda o: o[1])[3]


def _prose(lines: list[Line]) -> tuple[int, int]:
    """(characters of real paragraphs, link characters) of some lines; short lines (contacts, labels,
    metadata rows) do not count as paragraphs."""
    prose = links = 0
    for ln in lines:
        links += ln.link_chars
        if ln.chars >= 40 and line_score(ln) >= 3:
            prose += ln.chars
    return prose, links


_NOTICE = re.compile(r"^[【\[]?\s*(?:反侵权公告|侵权举报|版权声明|免责声明|特别声明|法律声明)|版权所有")


def _widen(page: Page, node: etree._Element) -> etree._Element:
    """Climb to an ancestor when it adds much more prose and few links: text split across sibling blocks
    (paragraph groups between ad slots, "read more" halves) belongs to one article. Wrappers that add
    nothing are passed through."""
    prose, links = _prose_in(page, node)
    current = node
    last = page.spans[node][1] - 1
    for _ in range(6):
        parent = current.getparent()
        if parent is None or not isinstance(parent.tag, str) or parent.tag.lower() in ("body", "html"):
            break
        lines = page.lines_in(parent)
        p_prose, p_links = _prose_in(page, parent)
        added_prose, added_links = p_prose - prose, p_links - links
        limit = 0.3 * max(added_prose, 1) + 20
        if added_links > limit:
            break
        added = [ln for ln in lines if not page.inside(ln, node)]
        if any(_NOTICE.search(ln.text) for ln in added if ln.index > last):
            break  # a copyright notice / disclaimer box under a short text is not more of the text
        if _negative_over(page, added, parent, last, limit):
            break
        if added_prose >= 0.25 * prose:
            node, prose, links = parent, p_prose, p_links
            last = page.spans[node][1] - 1
        current = parent
    return node


def _negative_over(page: Page, added: list[Line], parent: etree._Element, last: int, limit: float) -> bool:
    """Whether more than ``limit`` characters of the ``added`` lines are in negative-classed boxes below
    ``parent`` or come past a related-stories heading under the text (line ``last``)."""
    if sum(ln.chars for ln in added) <= limit:
        return False  # not even all of them would be
    negative = 0
    related = False
    for ln in added:
        # Past a "You may also like" heading under the text, everything is other stories.
        related = related or (ln.index > last and _related_heading(page, ln, parent))
        if related or page.any_up_to(_negative, ln.owner, parent):
            negative += ln.chars
            if negative > limit:
                return True
    return False


def _related_heading(page: Page, line: Line, top: etree._Element, *, upto: bool = False) -> bool:
    """A short line that opens a related-stories box (by its words or its element's class), looking at
    the elements from the line's owner up to ``top`` (``top`` itself too when ``upto``)."""
    if line.chars > 60:
        return False
    if _RELATED_HEAD.match(line.text):
        return True
    return page.any_up_to(_related_box, line.owner, top, upto=upto)


def _opened_box(page: Page, line: Line, node: etree._Element) -> etree._Element:
    """The largest element inside ``node`` that starts with ``line`` (a box and its heading)."""
    box = line.owner
    while True:
        parent = box.getparent()
        if parent is None or parent is node or page.spans[parent][0] != line.index:
            return box
        box = parent


def _opens_related(page: Page, node: etree._Element) -> bool:
    """The block starts with a "You may also like" / 相关阅读 heading: a list of other stories."""
    first, stop = page.spans[node]
    return first < stop and _related_heading(page, page.lines[first], node, upto=True)


def _in_comments(page: Page, node: etree._Element) -> bool:
    """Inside a reader-comment thread (li.comment, #comments, .comment-body …) or a cookie dialog: the
    element or one of its 11 nearest ancestors."""
    match, levels = page.nearest(_comment_box, node)
    return match is not None and levels < 12


# Tests of an element's class and id for Page.nearest / Page.any_up_to (module-level: they key its memo).
def _comment_box(el: etree._Element, names: str) -> bool:
    return _NOT_ARTICLE_BOX(names)


def _negative(el: etree._Element, names: str) -> bool:
    return _NEGATIVE(names)


def _noise(el: etree._Element, names: str) -> bool:
    return _NOISE_CLASS(names)


def _related_box(el: etree._Element, names: str) -> bool:
    return _RELATED_CLASS(names)


def _caption_box(el: etree._Element, names: str) -> bool:
    return (isinstance(el.tag, str) and el.tag.lower() == "figcaption") or _CAPTION(names)


def _span(page: Page, el: etree._Element) -> int:
    first, stop = page.spans[el]
    return stop - first


def _related(page: Page, a: etree._Element, b: etree._Element) -> bool:
    """True when one element contains the other (both of the page's elements)."""
    start_a, start_b = page.order[a], page.order[b]
    return start_a <= start_b <= page.end[a] or start_b <= start_a <= page.end[b]


def _has_block_child(el: etree._Element) -> bool:
    return any(
        isinstance(c.tag, str) and c.tag.lower() in BLOCK_TAGS and c.tag.lower() not in ("br", "img")
        for c in el
    )


def _sums(page: Page) -> tuple[list[int], list[int], list[int]]:
    """Running totals over ``page.lines`` of characters, link characters and ``_prose`` characters, so a
    block's totals are two subtractions (blocks are asked about once per ancestor level)."""
    sums = page.cache.get(_sums)
    if sums is None:
        lines = page.lines
        chars = list(accumulate((ln.chars for ln in lines), initial=0))
        links = list(accumulate((ln.link_chars for ln in lines), initial=0))
        prose = list(
            accumulate((ln.chars if ln.chars >= 40 and line_score(ln) >= 3 else 0 for ln in lines), initial=0)
        )
        sums = page.cache[_sums] = (chars, links, prose)
    return sums


def _prose_in(page: Page, el: etree._Element) -> tuple[int, int]:
    """``_prose(page.lines_in(el))``, from the running totals."""
    first, stop = page.spans[el]
    _, links, prose = _sums(page)
    return prose[stop] - prose[first], links[stop] - links[first]


def _link_density(page: Page, node: etree._Element) -> float:
    first, stop = page.spans[node]
    chars, links, _ = _sums(page)
    total = chars[stop] - chars[first]
    return (links[stop] - links[first]) / total if total else 1.0


_MAX_WEIGHT = 1.5  # the largest _class_weight; the other factors of a block's score are at most 1


def _class_weight(page: Page, node: etree._Element) -> float:
    names = page.names(node)
    if not names.strip():
        return 1.0
    weight = 1.0
    if _POSITIVE(names):
        weight *= 1.5
    if _NEGATIVE(names):
        weight *= 0.3
    return weight


def is_caption(page: Page, line: Line) -> bool:
    """True for an image caption line (figcaption, a caption-classed block, a photo credit)."""
    if line.chars <= 80 and "。" not in line.text[-3:] and _PHOTO_CREDIT.search(line.text):
        return True
    match, levels = page.nearest(_caption_box, line.owner)
    return match is not None and levels < 3


_LEAD_MARK = re.compile(r"^.{0,30}?(?:讯|电|消息)(?:\s|[（(【\[]|$)")


def drop_title_lines(body: BodyResult, title: str | None) -> None:
    """Remove the headline where the body block repeats it (whole, or broken over several lines)."""
    norm_title = _norm(title or "")
    if not norm_title:
        return
    keep = list(body.lines)
    # A kicker (引题) set just above the repeated headline at the top of the text goes with it.
    for k, ln in enumerate(keep[:4]):
        if _repeats(ln, norm_title):
            if all(x.chars <= 30 and not _SENTENCE_PUNCT.search(x.text) for x in keep[:k]):
                del keep[: k + 1]
            break
    keep = [ln for ln in keep if not _repeats(ln, norm_title)]
    # "吉林省人民政府关于禁止在" / "吉林省嫩江干流补充治理工程建设" / …: the headline set on several lines.
    seen = ""
    while keep and len(_norm(keep[0].text)) >= 2 and norm_title.startswith(seen + _norm(keep[0].text)):
        seen += _norm(keep.pop(0).text)
    if len(keep) != len(body.lines):
        body.head = [ln for ln in body.head if not _repeats(ln, norm_title)]
        # With the headline gone, the date / 来源 line under it may now open the block.
        while keep and is_meta_line(keep[0]):
            body.head.append(keep.pop(0))
        body.lines = keep
        body.paragraphs = [ln.text for ln in keep]


def extract_body(page: Page, title: str | None = None, after: int | None = None) -> BodyResult:
    """Pick the body block and return its paragraphs, with header/footer noise trimmed."""
    node = find_body_node(page, after)
    if node is None:
        return BodyResult(None, [], [], 0)
    node = _widen(page, node)
    lines = page.lines_in(node)
    kept: list[Line] = []
    norm_title = _norm(title or "")
    # A line is noise when an element between its owner and the block (the block excluded) is: with no
    # such element anywhere inside the block, no line inside it can be.
    start, stop = page.order[node], page.end[node]
    noise_inside = any(map(_NOISE_CLASS, page.names_of(start + 1, stop + 1)))
    for i, line in enumerate(lines):
        text = line.text
        if _END_MARK.match(text) and kept:
            done, _ = _prose(kept)
            if done == 0 and (line.link_chars * 2 > line.chars or all(is_meta_line(k) for k in kept)):
                continue  # above the first paragraph ("Share this" under a dateline): a button bar
            # A "Related articles" box inside the text is skipped; at the end of the text it ends it. The
            # teasers inside the box the heading opens are not text that follows it.
            stop = page.spans[_opened_box(page, line, node)][1]
            rest, _ = _prose([ln for ln in lines[i + 1 :] if ln.index >= stop])
            if rest < max(300, 0.5 * done):
                break
            continue
        if not line.chars or (line.link_chars * 2 > line.chars and line_score(line) == 0.0):
            continue
        if _BOILER_LINE.match(text) or is_caption(page, line):
            continue
        if (noise_inside or not start <= line.order <= stop) and page.any_up_to(_noise, line.owner, node):
            continue
        if norm_title and _repeats(line, norm_title):
            continue
        kept.append(line)
    _drop_display_heads(kept)
    head: list[Line] = []
    tail: list[Line] = []
    while kept and is_meta_line(kept[0]):
        head.append(kept.pop(0))
    while kept and is_meta_line(kept[-1]):
        tail.insert(0, kept.pop())
    # Link lines between the first and the last paragraph: many means a listing, not an article.
    span = page.lines[kept[0].index : kept[-1].index + 1] if kept else lines
    link_lines = sum(1 for ln in span if ln.chars and ln.link_chars * 2 > ln.chars)
    return BodyResult(node, [ln.text for ln in kept], kept, link_lines, head, tail)


_META_LABEL = re.compile(
    r"(?:来源|稿源|作者|记者|编辑|责编|发布|时间|日期|点击|浏览|阅读|字号|关键词|关键字|标签|审核|校对|通讯员)\s*[:：]"
)


def is_meta_line(line: Line) -> bool:
    """A short date / credit line ("时间：… 来源：… 点击：次", "责编：…"), not a sentence of the article."""
    text = line.text.rstrip()
    if line.chars > 120 or text.endswith(("。", "！", "？", "”")):
        return False
    return bool(
        _META_LABEL.search(text) or (line.chars <= 40 and find_date_tokens(text)) or is_credit_line(text)
    )


def _drop_display_heads(kept: list[Line]) -> None:
    """Drop display lines set above a dateline lead (引题 / 主题 / 副题 / "李强蔡奇出席")."""
    for k, line in enumerate(kept[:6]):
        if _LEAD_MARK.match(line.text):
            if k and all(ln.chars <= 40 and not _SENTENCE_PUNCT.search(ln.text) for ln in kept[:k]):
                del kept[:k]
            return


_HAN = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_PUNCT = re.compile(r"[，。！？；,.!?;]")


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _repeats(line: Line, norm_title: str) -> bool:
    """The line is the headline (``norm_title`` is the headline without whitespace)."""
    # A line's text has no whitespace but single spaces (``chars`` leaves them out): only a line as long
    # as the headline can be it, and the length test spares the regex on every other line.
    return line.chars == len(norm_title) and _norm(line.text) == norm_title
