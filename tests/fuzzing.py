"""Hypothesis strategies for fuzzing the extractor: random HTML, and real pages mangled.

``random_pages()`` draws documents from a small HTML grammar biased toward what the extractor looks at
(article containers, 来源 / 记者 / 责编 lines, dates, JSON-LD, meta tags), with tags left unclosed or
closed twice, in several encodings, with true or false charset declarations. ``mangled_pages(paths)``
takes a saved page and applies a few edits: cuts, deletions, duplicated slices, inserted bytes or markup,
bit flips, a rewritten charset declaration, a transcoding. The real pages are read from
``../shared/corpus`` (``corpus_pages()``), never copied into the repository.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from bench.corpus import zh_files
from newscrawl.items import ARTICLE_FIELDS
from tests.conftest import CORPUS

FETCHED_AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
URLS = (
    "https://www.hnr.cn/news/202611/26/123456.html",
    "http://news.example.cn/2026-11/26/content_1.htm",
    "https://www.example.com/a/b?id=7",
)
_TAGS = (
    "div", "p", "span", "a", "h1", "h2", "title", "script", "style", "table", "tr", "td", "ul", "li",
    "article", "section", "time", "font", "b", "em", "iframe", "noscript", "head", "body", "html", "form",
    "select", "option", "textarea", "pre", "template", "svg", "math", "center", "marquee",
)  # fmt: skip
_VOID = ("br", "img", "meta", "link", "hr", "input", "base")
_ATTRS = ("class", "id", "name", "property", "content", "href", "src", "itemprop", "datetime", "charset")
_VALUES = (
    "content", "article", "title", "info", "date", "author", "source", "time", "main", "text", "TRS_Editor",
    "article:published_time", "og:title", "description", "keywords", "datePublished", "utf-8", "gbk", "big5",
    "/", "#", "javascript:void(0)", "http://", "//x", "../a.html",
)  # fmt: skip
_PHRASES = (
    "来源：", "来源:映象网", "记者 ", "通讯员 ", "责任编辑：", "责编:", "编辑", "审核：", "关键词：", "文章关键词:",
    "发布时间：", "2026-11-26 10:00:00", "2021年9月3日 16:39", "2026/11/26", "3小时前", "昨天 10:20", "刚刚",
    "©2012-2026", "Copyright", "（记者 康世保 见习记者 郭歌）", "分享到：", "上一篇", "下一页", "相关阅读",
    "&nbsp;", "&amp;", "&#x4e2d;", "&#0;", "&#xD800;", "&#99999999;", "&bogus;", "\u3000", "\u200b", "\ufeff",
    "　　", "\r\n", "\t", "<!--", "-->", "<![CDATA[x]]>", "]]>", "<?xml version='1.0'?>", "\x00", "\x0b",
)  # fmt: skip
_JSONLD_KEYS = (
    "@type", "@graph", "headline", "datePublished", "dateModified", "author", "name", "publisher",
    "articleBody", "keywords", "image", "url", "mainEntityOfPage", "description",
)  # fmt: skip
_CODECS = ("utf-8", "gbk", "gb18030", "big5", "latin-1", "utf-16", "shift_jis", "cp1252")
_SNIPPETS = (
    b"<", b">", b"</div>", b"<div>", b"<p>", b"</p></p>", b"<!--", b"-->", b"<script>", b"</script>",
    b"<title>", b"</html>", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"&#xD800;", b"&#99999999;",
    b"<meta charset=\"big5\">", b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
    b"<![CDATA[", b"<?xml version=\"1.0\"?>", b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", "来源：".encode("gbk"),
    "责任编辑：".encode(), b"\xe4\xb8", b"\r", b"<h1>", b"</h1>", b"<br/>" * 20,
)  # fmt: skip
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?[\w-]+", re.IGNORECASE)


_LISTS = ("authors", "editors", "keywords", "images")
_OPTIONAL_TEXT = (
    "canonical_url", "published", "published_raw", "modified", "source", "section", "summary", "language",
    "encoding",
)  # fmt: skip


def check_record(record: dict[str, Any] | None) -> None:
    """Every extracted field is there, with its documented type, and the record serialises to JSON
    (None — an input the caller chose to pass over — is fine)."""
    if record is None:
        return
    assert set(ARTICLE_FIELDS) <= set(record)
    for name in _LISTS:
        assert isinstance(record[name], list), name
        assert all(isinstance(v, str) for v in record[name]), name
    for name in _OPTIONAL_TEXT:
        assert record[name] is None or isinstance(record[name], str), name
    assert isinstance(record["title"], str | None)
    assert isinstance(record["body"], str)
    assert isinstance(record["field_sources"], dict)
    json.dumps(record, ensure_ascii=False)


def corpus_pages() -> list[Path]:
    """The Chinese pages of ../shared/corpus (``zh_index.jsonl``), or none when the corpus is absent."""
    if not (CORPUS / "zh_index.jsonl").is_file():
        return []
    return [path for path in (CORPUS / name for name in zh_files(CORPUS)) if path.is_file()]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_PHRASES),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
        st.text(
            "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府",
            max_size=40,
        ),
    )


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _text(), st.sampled_from(_VALUES)
    )
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(
                st.sampled_from(_JSONLD_KEYS),
                inner,
                max_size=5,
            ),
        ),
        max_leaves=12,
    )


@st.composite
def _attrs(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(_ATTRS))
        value = draw(st.one_of(st.sampled_from(_VALUES), _text()))
        quote = draw(st.sampled_from(('"', "'", "")))
        parts.append(f" {name}={quote}{value}{quote}")
    return "".join(parts)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(_TAGS))
        inner = "".join(draw(st.lists(children, max_size=5)))
        close = draw(st.sampled_from(("proper", "none", "twice", "wrong")))
        end = {"proper": f"</{tag}>", "none": "", "twice": f"</{tag}></{tag}>", "wrong": "</div></span>"}[
            close
        ]
        return f"<{tag}{draw(_attrs())}>{inner}{end}"

    return build()


@st.composite
def _leaf(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("text", "void", "jsonld", "meta")))
    if kind == "text":
        return draw(_text())
    if kind == "void":
        return f"<{draw(st.sampled_from(_VOID))}{draw(_attrs())}>"
    if kind == "jsonld":
        payload = json.dumps(draw(_json_values()), ensure_ascii=draw(st.booleans()))
        if draw(st.booleans()):
            payload = payload[: draw(st.integers(0, len(payload)))]  # broken JSON
        return f'<script type="application/ld+json">{payload}</script>'
    name = draw(st.sampled_from(("property", "name", "itemprop")))
    key = draw(st.sampled_from(_VALUES))
    return f'<meta {name}="{key}" content="{draw(_text())}">'


@st.composite
def random_pages(draw: st.DrawFn) -> bytes | str:
    """A random, often broken, HTML document: bytes in some encoding, or str."""
    tree = st.recursive(_leaf(), _element, max_leaves=30)
    body = "".join(draw(st.lists(tree, max_size=6)))
    declared = draw(st.sampled_from((None, *_CODECS, "gb2312", "x-unknown")))
    head = f'<meta charset="{declared}">' if declared else ""
    title = draw(_text())
    wrapped = draw(st.booleans())
    text = f"<html><head>{head}<title>{title}</title></head><body>{body}</body></html>" if wrapped else body
    if draw(st.booleans()):
        return text
    codec = draw(st.sampled_from(_CODECS))
    return text.encode(codec, errors="replace")


@st.composite
def _edit(draw: st.DrawFn, size: int) -> tuple[Any, ...]:
    kind = draw(st.sampled_from(("cut", "delete", "duplicate", "insert", "snippet", "flip", "charset")))
    at = draw(st.integers(0, max(0, size)))
    if kind in ("delete", "duplicate"):
        return kind, at, draw(st.integers(1, 4096))
    if kind == "insert":
        return kind, at, draw(st.binary(min_size=1, max_size=64))
    if kind == "snippet":
        return kind, at, draw(st.sampled_from(_SNIPPETS))
    if kind == "flip":
        return kind, at, draw(st.integers(0, 7))
    if kind == "charset":
        return kind, draw(st.sampled_from((*_CODECS, "gb2312", "euc-jp", "x-bogus", "")))
    return (kind, at)


def apply_edit(data: bytes, edit: tuple[Any, ...]) -> bytes:
    """Apply one edit drawn by ``mangled_pages`` (positions past the end are clamped)."""
    kind = edit[0]
    if kind == "charset":
        return _CHARSET.sub(b"charset=" + edit[1].encode(), data, count=2)
    at = min(edit[1], len(data))
    if kind == "cut":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[at + edit[2] :]
    if kind == "duplicate":
        return data[:at] + data[at : at + edit[2]] * 2 + data[at + edit[2] :]
    if kind in ("insert", "snippet"):
        return data[:at] + edit[2] + data[at:]
    if kind == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ (1 << edit[2])]) + data[at + 1 :]
    return data


@st.composite
def mangled_pages(draw: st.DrawFn, paths: list[Path]) -> tuple[str, bytes | str]:
    """A real page (its name, and its bytes after a few edits; sometimes transcoded or as str)."""
    path = draw(st.sampled_from(paths))
    data = path.read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        data = apply_edit(data, draw(_edit(len(data))))
    form = draw(st.sampled_from(("bytes", "bytes", "str", "transcoded")))
    if form == "str":
        return path.name, data.decode("utf-8", errors="replace")
    if form == "transcoded":
        codec = draw(st.sampled_from(_CODECS))
        return path.name, data.decode("utf-8", errors="replace").encode(codec, errors="replace")
    return path.name, data
