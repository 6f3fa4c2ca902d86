"""The line renderer (``newscrawl.extract.dom``): what it keeps and hides, and that the compiled renderer
(``_crender``, built by ``pip install`` when a C compiler is present) gives exactly what the pure-Python
one gives, on written edge cases, on every committed fixture page and on the corpus."""

from __future__ import annotations

import copy
import gc
import logging
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from newscrawl.extract import body, dom
from newscrawl.extract.encoding import decode_html
from tests.conftest import CORPUS, FIXTURES, needs_corpus
from tests.fuzzing import random_pages

needs_c = pytest.mark.skipif(
    dom.RENDERER != "c", reason="the C renderer is not built (no Cython or C compiler at install time)"
)

EDGE_CASES = {
    "hidden_variants": """<html><head><title>t</title><style hidden>x</style></head><body>
        <p>one<span style="display:none">HIDDEN1</span>two</p>
        <p>three<span style="Display : None;">HIDDEN2</span>four</p>
        <div class="box hidden">HIDDEN3</div><div class="hidden-xs">shown on big screens</div>
        <div class="d-none">HIDDEN4</div><div class="is-hidden">HIDDEN5</div><p hidden>HIDDEN6</p>
        <div class="display-none">HIDDEN7</div><div style="visibility:hidden">kept (WeChat)</div>
        <div class="隐藏 hidden">HIDDEN8</div><div class="x\u00a0hidden">HIDDEN9</div>
        <div style="DISPLAY:NONE">HIDDEN10</div><div style="display:block">block</div>
        <div style="font-family:'宋体';display:none">HIDDEN11</div>
        <div style="display:none"><p>HIDDEN12<a href="/x">in a link</a></p></div>after</body></html>""",
    "links_and_blocks": """<html><body><div id="nav"><a href="/">首页</a> &gt; <a href="/n">新闻</a></div>
        <p>正文第一段<a href="/a">链接\u3000文字</a>后文<br>换行后<img src="x.png">图后</p>
        <ul><li><a href="/1">一</a></li><li>二 <b>粗<i>斜</i></b> 尾</li></ul>
        <table><tr><td>甲</td><td>乙<a href="/t">丙</a></td></tr></table>
        <p>\u200b\u3000\u00a0 </p><p>零宽\u200b空格</p><hr>末尾</body></html>""",
    "text_outside_blocks": "<html><body>loose text <span>inline</span> more<div>block</div>tail</body></html>",
    "no_body": "<p>just a paragraph</p>",
    "punctuation": "<p>他说：“好。”然后, 走了. End! 真的？是；对、吗 a.b,c 3.5 end.</p><p>Why?</p>",
    "head_tail_and_root": "<html><head><meta name=a content=b></head>between<body><p>x</p></body></html>",
}


def _render(fn: object, html: str) -> tuple[object, ...]:
    root, _ = dom._parse_tree(html)
    dom._strip_never_visible(root)
    hidden: list = []
    names: list = []
    lines, order, elements, end, spans = fn(root, hidden, names)  # type: ignore[operator]
    dom._remove(hidden)
    if fn is dom._render_c:  # the C renderer also gives each element's Page.names and lines' punctuation
        assert names == [f"{el.get('class') or ''} {el.get('id') or ''}".lower() for el in elements]
        assert [ln.punct for ln in lines] == [len(body._PUNCT.findall(ln.text)) for ln in lines]
    return (
        [(ln.text, ln.order, order[ln.owner], ln.link_chars, ln.chars, ln.index) for ln in lines],
        [(el.tag, order[el], end[el], spans[el]) for el in elements],
        [el.tag for el in hidden],
        etree.tostring(root, encoding="unicode"),
    )


def _texts(html: str) -> list[str]:
    return [ln.text for ln in dom.parse(html).lines]


def test_hidden_elements_are_left_out_and_their_tails_kept() -> None:
    texts = _texts(EDGE_CASES["hidden_variants"])
    joined = "\n".join(texts)
    assert "HIDDEN" not in joined
    assert texts[:2] == ["onetwo", "threefour"]
    assert "shown on big screens" in texts
    assert "kept (WeChat)" in texts
    assert "block" in texts
    assert texts[-1] == "after"


def test_hidden_elements_are_removed_from_the_tree() -> None:
    page = dom.parse(EDGE_CASES["hidden_variants"])
    html = etree.tostring(page.root, encoding="unicode")
    assert "HIDDEN" not in html
    assert page.selector.css("style").getall() == []  # hidden in <head> too


def test_lines_links_and_ownership() -> None:
    page = dom.parse(EDGE_CASES["links_and_blocks"])
    by_text = {ln.text: ln for ln in page.lines}
    assert [ln.text for ln in page.lines] == [
        "首页 > 新闻",
        "正文第一段链接 文字后文",
        "换行后",
        "图后",
        "一",
        "二 粗斜 尾",
        "甲",
        "乙丙",
        "零宽 空格",
        "末尾",
    ]
    assert by_text["首页 > 新闻"].link_chars == 4
    assert by_text["正文第一段链接 文字后文"].link_chars == 4  # the ideographic space is not counted
    assert by_text["正文第一段链接 文字后文"].owner.tag == "p"
    assert by_text["换行后"].owner.tag == "p"  # <br> and <img> end a line but own none
    assert by_text["乙丙"].owner.tag == "td"
    p = by_text["换行后"].owner
    assert [ln.text for ln in page.lines_in(p)] == ["正文第一段链接 文字后文", "换行后", "图后"]


@needs_c
@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_c_renderer_matches_python_on_edge_cases(name: str) -> None:
    html = EDGE_CASES[name]
    assert _render(dom._render_c, html) == _render(dom._render_py, html)


@needs_c
def test_c_renderer_matches_python_on_deep_nesting() -> None:
    html = "<html><body>" + "<div><span>x</span>" * 3000 + "end" + "</div>" * 3000 + "</body></html>"
    result = _render(dom._render_c, html)
    assert result == _render(dom._render_py, html)
    assert len(result[0]) >= 1


def _fixture_pages() -> list[Path]:
    return sorted(FIXTURES.rglob("*.html"))


@needs_c
def test_c_renderer_matches_python_on_every_fixture_page() -> None:
    pages = _fixture_pages()
    assert len(pages) > 40
    for path in pages:
        html = decode_html(path.read_bytes())[0]
        assert _render(dom._render_c, html) == _render(dom._render_py, html), path


@needs_c
@needs_corpus
def test_c_renderer_matches_python_on_the_corpus() -> None:
    pages = sorted(CORPUS.rglob("*.html"))
    assert len(pages) > 900
    for path in pages:
        html = decode_html(path.read_bytes())[0]
        assert _render(dom._render_c, html) == _render(dom._render_py, html), path


@needs_c
@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(random_pages())
def test_c_renderer_matches_python_on_random_broken_html(page: bytes | str) -> None:
    html = decode_html(page)[0] if isinstance(page, bytes) else page
    assert _render(dom._render_c, html) == _render(dom._render_py, html)


def _classed(el: etree._Element, names: str) -> bool:
    return "box" in names or "content" in names


def _naive_up_to(el: etree._Element, top: etree._Element, upto: bool) -> bool:
    node: etree._Element | None = el
    while node is not None and (node is not top or upto):
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if "box" in names or "content" in names:
            return True
        if node is top:
            break
        node = node.getparent()
    return False


def _naive_nearest(el: etree._Element) -> tuple[etree._Element | None, int]:
    node: etree._Element | None = el
    levels = 0
    while node is not None:
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if "box" in names or "content" in names:
            return node, levels
        node, levels = node.getparent(), levels + 1
    return None, 0


NESTED = """<html><body><div class="box"><div id="a"><p>one</p><div class="inner box"><p>two</p>
    <span><b>three</b></span></div></div></div><div id="plain"><p>four</p><div id="box2"><p>five</p></div>
    </div></body></html>"""


def test_nearest_and_any_up_to_agree_with_walking_up() -> None:
    page = dom.parse(NESTED)
    for el in page.elements:
        assert page.nearest(_classed, el) == _naive_nearest(el), el.tag
        for top in page.elements:
            for upto in (False, True):
                assert page.any_up_to(_classed, el, top, upto=upto) == _naive_up_to(el, top, upto)
    three = next(ln for ln in page.lines if ln.text == "three").owner
    match, levels = page.nearest(_classed, three)
    assert (match.get("class"), levels) == ("inner box", 0)  # <span> is inline: the line's owner is the div


def test_any_up_to_agrees_with_walking_up_on_every_fixture_page() -> None:
    checked = 0
    for path in _fixture_pages():
        page = dom.parse(decode_html(path.read_bytes())[0])
        tops = page.elements[:: max(1, len(page.elements) // 15)]
        for line in page.lines:
            assert page.nearest(_classed, line.owner) == _naive_nearest(line.owner), path
            for top in tops:
                for upto in (False, True):
                    result = page.any_up_to(_classed, line.owner, top, upto=upto)
                    assert result == _naive_up_to(line.owner, top, upto), path
                    checked += result
    assert checked > 1000  # the test names match on real pages: this is not a test of nothing


def test_class_patterns_read_lower_cased_names_and_keep_escapes() -> None:
    pattern = dom.class_pattern(r"TRS|foot\b|(?:^|[\s_-])Ad(?:$|\s)|\w+Box\S")
    assert pattern.pattern == r"trs|foot\b|(?:^|[\s_-])ad(?:$|\s)|\w+box\S"
    page = dom.parse(
        '<html><body><div class="TRS_Editor" id="Main"><p>x</p></div><div class="FOOT">y</div></body></html>'
    )
    trs, foot = page.root.iter("div")
    assert page.names(trs) == "trs_editor main"
    assert pattern.search(page.names(trs))
    assert pattern.search(page.names(foot))
    assert not pattern.search("footer ads")


@needs_c
def test_c_whitespace_is_the_python_whitespace_for_every_code_point() -> None:
    from newscrawl.extract import _crender  # noqa: PLC0415 — only built with a C compiler

    collapsed = dom._WS
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates never reach the renderer (libxml2 gives UTF-8)
        char = chr(code)
        expected = len(char.encode("utf-8")) if collapsed.fullmatch(char) else 0
        assert _crender.ws_length(char) == expected, hex(code)


def test_an_out_of_date_compiled_renderer_is_not_used(caplog: pytest.LogCaptureFixture) -> None:
    # A build from before the render() signature changed (no API_VERSION) would fail on every page.
    stale = types.SimpleNamespace(render=lambda *args, **kwargs: None)
    with caplog.at_level(logging.WARNING, logger="newscrawl.extract.dom"):
        assert dom._usable(stale) is None
    assert "out of date" in caplog.text
    current = types.SimpleNamespace(API_VERSION=dom.RENDERER_API)
    assert dom._usable(current) is current
    assert dom._usable(None) is None


@needs_c
def test_the_built_renderer_is_the_current_one() -> None:
    from newscrawl.extract import _crender  # noqa: PLC0415 — only built with a C compiler

    assert _crender.API_VERSION == dom.RENDERER_API


def test_end_and_spans_answer_like_dicts() -> None:
    page = dom.parse("<html><head><title>t</title></head><body><div><p>one</p><p>two</p></div></body></html>")
    div = page.root.find(".//div")
    first_p = div[0]
    outside = etree.Element("p")
    assert page.spans[div] == (0, 2)
    assert page.spans[first_p] == (0, 1)
    assert page.end[div] == page.order[div[1]]
    assert div in page.spans
    assert outside not in page.spans
    assert page.spans.get(outside) is None
    assert page.end.get(outside, -1) == -1
    assert page.end.get(div) == page.end[div]
    with pytest.raises(KeyError):
        page.spans[outside]


def test_order_and_elements_answer_like_a_dict_and_a_list() -> None:
    # The C renderer's ElementIndex / ElementList (or the Python renderer's dict / list).
    page = dom.parse("<html><head><title>t</title></head><body><div><p>one</p><p>two</p></div></body></html>")
    div = page.root.find(".//div")
    tags = ["html", "head", "body", "div", "p", "p"]  # what is inside <head> is not numbered
    assert [el.tag for el in page.elements] == tags
    assert len(page.elements) == len(page.order) == len(tags)
    assert [page.order[el] for el in page.elements] == list(range(len(tags)))
    assert page.elements[page.order[div]] is div
    assert page.elements[-1] is div[1]
    assert [el.tag for el in page.elements[1:3]] == tags[1:3]
    assert [el.tag for el in page.elements[::2]] == tags[::2]
    assert [el.tag for el in page.order] == tags
    with pytest.raises(IndexError):
        page.elements[len(tags)]
    # Not the page's elements: a new one, a copy (into its own document), anything else.
    for other in (etree.Element("p"), copy.deepcopy(div), copy.deepcopy(div)[0], None, "div", 3):
        assert other not in page.order
        assert page.order.get(other) is None
        assert page.order.get(other, -1) == -1
        with pytest.raises(KeyError):
            page.order[other]


PARSER_INPUTS = [
    "<html><body><p>正文</p></body></html>",
    "  \n<?xml version='1.0' encoding='utf-8'?>\n<html><body>x</body></html>\n\n",
    "<?XML version=1.0?><?xml again?><p>two declarations: only the first goes</p>",
    "\x1c\x1f <p>ASCII separators count as spaces for str.strip</p>\x1e",
    "\u3000\u00a0<p>non-ASCII spaces at the edges</p>\u3000",
    "\u3000<?xml version='1.0'?><p>a declaration after a full-width space</p>",
    "\x85<p>NEL</p>\x85",
    "<p>NUL\x00 inside</p>\x00",
    "\x00 <p>a NUL before a space at the start</p>",
    "",
    " \t\n ",
    "\x00",
    "<p>末尾的中文</p>末",
]


@pytest.mark.parametrize("text", PARSER_INPUTS)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_parser_reads_the_page_bytes_exactly_as_it_would_read_the_encoded_text(text: str, bom: bytes) -> None:
    # analyze() hands over a page's own bytes when they are strictly UTF-8: libxml2 must see the very
    # bytes the text path would give it (parse() cuts the first XML declaration from the text first).
    html = dom._XML_DECL.sub("", text, count=1)
    assert dom._parser_input(html, bom + text.encode("utf-8")) == dom._parser_input(html)


@pytest.mark.parametrize("text", PARSER_INPUTS)
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_parser_without_the_text_reads_the_same_bytes(text: str, bom: bytes) -> None:
    # analyze() passes no text at all for plain UTF-8 pages: where the bytes cannot be used as they are
    # (a non-ASCII space at an edge), the text is made from them, as decode_html would have made it.
    html = dom._XML_DECL.sub("", text, count=1)
    assert dom._parser_input(None, bom + text.encode("utf-8")) == dom._parser_input(html)


@pytest.mark.parametrize("text", PARSER_INPUTS)
def test_page_made_from_bytes_alone_is_the_page_made_from_its_text(text: str) -> None:
    data = text.encode("utf-8")
    from_text, from_bytes = dom.parse(text, utf8=data), dom.parse(None, utf8=data)
    assert from_bytes.text is None  # nothing asked for the text yet
    assert [(ln.text, ln.order) for ln in from_bytes.lines] == [(ln.text, ln.order) for ln in from_text.lines]
    assert from_bytes.html == from_text.html == dom._XML_DECL.sub("", text, count=1)
    assert from_bytes.text == from_text.html  # made once, kept


def test_parse_needs_text_or_bytes() -> None:
    with pytest.raises(TypeError, match="text or its UTF-8 bytes"):
        dom.parse(None)


def test_class_test_answers_like_its_pattern_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dom, "_REMEMBERED", 8)
    test = dom.class_test(r"Title|head(?:line)?\b")
    pattern = dom.class_pattern(r"Title|head(?:line)?\b")
    names = [f"{c} {i}" for i in range(12) for c in ("news-title", "header", "head", "body", " ")] + [" "]
    for _ in range(2):  # the second time from memory, where it was kept
        assert [test(n) for n in names] == [pattern.search(n) is not None for n in names]
    assert 0 < len(test.memo) <= 8  # emptied when full, never past the bound
    # Strings to booleans only: a dict the garbage collector does not track (nor walk).
    assert not gc.is_tracked(test.memo)


def test_remembered_asks_once_per_string() -> None:
    asked: list[str] = []

    @dom.remembered
    def crumb(names: str) -> bool:
        asked.append(names)
        return "crumb" in names

    assert [crumb(n) for n in ("crumb ", "nav ", "crumb ", "nav ")] == [True, False, True, False]
    assert asked == ["crumb ", "nav "]
