"""Parse a page once and render its visible text as lines tied to the elements they came from."""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from newscrawl.extract.metadata import Metadata, read_metadata

# Never visible; removed before anything reads the text.
_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "math",
        "select",
        "textarea",
        "button",
        "object",
        "embed",
        "canvas",
        "map",
        "input",
        "video",
        "audio",
    }
)
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
        "br",
        "img",
    }
)
_WS = re.compile(r"[\s\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# The characters str.isspace() calls spaces among ASCII (bytes.strip() alone misses \x1c–\x1f).
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
_XML_DECL_UTF8 = re.compile(rb"^[ \t\n\r\x0b\x0c\x1c-\x1f]*<\?xml[^>]*\?>", re.IGNORECASE)


def class_pattern(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern over ``Page.names`` (lower-cased class and id): its letters are
    lower-cased and matched as they are, several times faster than ``re.IGNORECASE``."""
    return re.compile(
        re.sub(r"\\.|[A-Z]", lambda m: m.group().lower() if len(m.group()) == 1 else m.group(), pattern)
    )


def remembered(test: Callable[[str], bool]) -> Callable[[str], bool]:
    """``test`` of a ``Page.names`` string, keeping its answers: the same class names come back on many
    elements of a page and on every page of a site, and a lookup costs a third of a regex search or less.

    Kept in a plain dict of strings to booleans, emptied when full: the garbage collector does not track
    such a dict, where ``lru_cache``'s links are tracked objects it would walk on every collection.
    """
    memo: dict[str, bool] = {}

    def cached(names: str) -> bool:
        answer = memo.get(names)
        if answer is None:
            if len(memo) >= _REMEMBERED:
                memo.clear()
            answer = memo[names] = test(names)
        return answer

    cached.memo = memo  # type: ignore[attr-defined] — for the tests
    return cached


# Answers kept per test: a page has ~160 distinct class/id strings, a site's template a few hundred.
_REMEMBERED = 2048


def class_test(pattern: str) -> Callable[[str], bool]:
    """``class_pattern(pattern)`` as a yes/no test of a ``Page.names`` string, answers kept (``remembered``)."""
    search = class_pattern(pattern).search
    return remembered(lambda names: search(names) is not None)


def squash(text: str) -> str:
    """Collapse every run of whitespace (incl. full-width and zero-width spaces) into one space."""
    return _WS.sub(" ", text).strip()


@dataclass(slots=True)
class Line:
    """One visible line of the page: text between two block boundaries."""

    text: str
    owner: etree._Element
    """Nearest block element the line's text belongs to."""
    order: int
    """Pre-order index of ``owner`` in the document."""
    link_chars: int = 0
    chars: int = 0
    index: int = 0
    """Position in ``Page.lines``."""
    score: float | None = None
    """Prose score, computed on first use (``body.line_score``)."""
    punct: int = -1
    """Sentence punctuation marks (``body._PUNCT``), when the renderer counted them (the C one does)."""


@dataclass
class Page:
    """A parsed page: the cleaned tree, its text lines and (for site selectors) a parsel selector."""

    root: etree._Element
    lines: list[Line]
    order: Mapping[etree._Element, int]
    """Pre-order index of every element (a dict, or the C renderer's ``ElementIndex``)."""
    elements: Sequence[etree._Element]
    """Every element in pre-order (``elements[order[el]] is el``; a list, or the C renderer's
    ``ElementList``, which makes each element's proxy when asked for it)."""
    end: Mapping[etree._Element, int]
    """Largest pre-order index inside each element's subtree (a dict, or the C renderer's table)."""
    spans: Mapping[etree._Element, tuple[int, int]] = field(default_factory=dict)
    """Each element's slice of ``lines`` (first index, stop index)."""
    text: str | None = field(default=None, repr=False)
    """The HTML text the page was parsed from; None while only ``utf8`` has it (see ``html``)."""
    utf8: bytes | None = field(default=None, repr=False)
    """The page's own UTF-8 bytes, when they were parsed without a text made from them."""
    metadata: Metadata = field(default_factory=Metadata)
    """JSON-LD (read before scripts are dropped), meta tags, canonical link, <title>."""
    repairs: int = 0
    """Broken markup the parser had to repair (mismatched end tags, misplaced structure)."""
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Per-page memos of the extractor modules (the tree does not change once parsed)."""
    name_list: list[str] = field(default_factory=list, repr=False)
    """``names`` of each element, in ``elements`` order, when the renderer gave them (the C one does)."""
    _names: dict[etree._Element, str] = field(default_factory=dict, repr=False)
    _selector: Selector | None = field(default=None, repr=False)
    _nearest: dict[Callable[..., bool], dict] = field(default_factory=dict, repr=False)

    @property
    def html(self) -> str:
        """The HTML text the page was parsed from (its XML declaration cut), made from ``utf8`` when
        first asked for: most pages never need it."""
        if self.text is None:
            self.text = _text_of(self.utf8) if self.utf8 is not None else ""
        return self.text

    @property
    def selector(self) -> Selector:
        """A parsel selector over the tree, made when a site selector first asks (most pages: never)."""
        if self._selector is None:
            self._selector = Selector(root=self.root, type="html")
        return self._selector

    def inside(self, line: Line, el: etree._Element) -> bool:
        """True when ``line`` comes from ``el`` or one of its descendants."""
        start = self.order.get(el)
        return start is not None and start <= line.order <= self.end[el]

    def lines_in(self, el: etree._Element) -> list[Line]:
        """The lines that belong to ``el``'s subtree, in order."""
        first, stop = self.spans[el]
        return self.lines[first:stop]

    def first_line(self, el: etree._Element) -> int:
        """Index in ``lines`` of the first line at or after the start of ``el``."""
        return self.spans[el][0]

    def names(self, el: etree._Element) -> str:
        """``"<class> <id>"`` of an element, lower-cased: what the ``class_pattern`` patterns read."""
        if self.name_list:
            index = self.order.get(el)
            if index is not None:
                return self.name_list[index]
        names = self._names.get(el)
        if names is None:
            names = self._names[el] = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        return names

    def names_of(self, start: int, stop: int) -> list[str]:
        """``names`` of ``elements[start:stop]``."""
        if self.name_list:
            return self.name_list[start:stop]
        return [self.names(el) for el in self.elements[start:stop]]

    def nearest(
        self, test: Callable[[etree._Element, str], bool], el: etree._Element
    ) -> tuple[etree._Element | None, int]:
        """The nearest element from ``el`` up (``el`` itself first) for which ``test(element, names)``
        holds, and how many levels above ``el`` it is; ``(None, 0)`` when none does. Memoised per
        ``test``: the body search asks the same question of the same ancestors many times."""
        memo = self._nearest.get(test)
        if memo is None:
            memo = self._nearest[test] = {}
        known = memo.get(el)
        if known is not None:
            return known
        chain: list[etree._Element] = []
        node: etree._Element | None = el
        found: tuple[etree._Element | None, int] = (None, 0)
        order, name_list = self.order, self.name_list
        while node is not None:
            hit = memo.get(node)
            if hit is not None:
                found = hit
                break
            index = order.get(node) if name_list else None  # self.names, inlined: the walk's hot spot
            if test(node, name_list[index] if index is not None else self.names(node)):
                found = memo[node] = (node, 0)
                break
            chain.append(node)
            node = node.getparent()
        match, distance = found
        for steps, below in enumerate(reversed(chain), start=1):
            memo[below] = (match, distance + steps) if match is not None else (None, 0)
        return (match, distance + len(chain)) if match is not None else (None, 0)

    def any_up_to(
        self,
        test: Callable[[etree._Element, str], bool],
        el: etree._Element,
        top: etree._Element,
        *,
        upto: bool = False,
    ) -> bool:
        """Whether ``test`` holds for an element met walking up from ``el`` (itself first) until ``top``
        (``top`` excluded unless ``upto``), or to the root when ``top`` is not above ``el``."""
        match, _ = self.nearest(test, el)
        if match is None:
            return False
        start, stop = self.order.get(top), self.order.get(el)
        if start is None or stop is None or not start <= stop <= self.end[top]:
            return True  # top is not on the way up
        # ``match`` is on the way up from ``el``: it is below ``top`` when it comes later in the document.
        position = self.order[match]
        return position > start or (upto and position == start)


def parse(
    html: str | None,
    *,
    utf8: bytes | None = None,
    on_tree: Callable[[etree._Element], object] | None = None,
) -> Page:
    """Parse HTML text, drop invisible parts and render the visible lines.

    ``utf8``, when given, must be the bytes ``html`` was strictly decoded from as UTF-8 (a UTF-8 BOM
    allowed): the parser then reads them as they are instead of a fresh encoding of ``html``. With
    ``utf8`` (strict UTF-8, no BOM), ``html`` may be None: the text is then made only when needed.
    ``on_tree``, when given, is called with the whole parsed tree before anything is dropped from it
    (a crawler reads the page's links there instead of parsing the page a second time); it must not
    change the tree.
    """
    if html is not None:
        html = _XML_DECL.sub("", html, count=1)
    elif utf8 is None:
        raise TypeError("parse() needs the page's text or its UTF-8 bytes")
    root, repairs = _parse_tree(html, utf8)
    if on_tree is not None:
        on_tree(root)
    scripts = [s.text or "" for s in root.iter("script") if "ld+json" in (s.get("type") or "").lower()]
    _strip_never_visible(root)
    hidden: list[etree._Element] = []
    names: list[str] = []
    lines, order, elements, end, spans = _render(root, hidden, names)
    _remove(hidden)
    metadata = read_metadata(root, scripts)
    return Page(
        root=root,
        lines=lines,
        order=order,
        elements=elements,
        end=end,
        spans=spans,
        text=html,
        utf8=utf8 if html is None else None,
        metadata=metadata,
        repairs=repairs,
        name_list=names,
    )


# libxml2's reports of markup it had to repair; not its complaints about HTML5 tags or doctypes.
_REPAIRS = frozenset({etree.ErrorTypes.ERR_TAG_NAME_MISMATCH, etree.ErrorTypes.HTML_STRUCURE_ERROR})


def _text_of(utf8: bytes) -> str:
    """What ``parse`` makes of the text decoded from ``utf8``: its BOM and XML declaration cut."""
    return _XML_DECL.sub("", utf8.decode("utf-8-sig"), count=1)


def _parser_input(html: str | None, utf8: bytes | None = None) -> bytes:
    """The bytes libxml2 parses: ``html`` (its XML declaration already cut) without edge whitespace and
    NULs, in UTF-8.

    From ``utf8`` (the page's own bytes) when that gives the very same bytes, which saves encoding the
    whole page again (a sixth of the parse time).
    """
    if utf8 is not None:
        data = utf8[3:] if utf8.startswith(codecs.BOM_UTF8) else utf8
        data = _XML_DECL_UTF8.sub(b"", data, count=1).strip(_ASCII_SPACE)
        # str.strip() also strips non-ASCII spaces (U+3000, U+00A0 …): with a non-ASCII byte at an edge,
        # let the text path decide.
        if not data or (data[0] < 0x80 and data[-1] < 0x80):
            return data.replace(b"\x00", b"") or b"<html/>"
    if html is None:
        html = _text_of(utf8)  # type: ignore[arg-type] — parse() checks that one of the two is given
    return html.strip().replace("\x00", "").encode("utf-8") or b"<html/>"


def _parse_tree(html: str | None, utf8: bytes | None = None) -> tuple[etree._Element, int]:
    # What parsel does for Selector(text=…, type="html"), but with lxml's plain HTML parser: lxml.html's
    # parser looks up a Python element class for every element the extractor touches (a tenth of its
    # time), and nothing here uses lxml.html's element methods.
    data = _parser_input(html, utf8)
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True, collect_ids=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    repairs = sum(1 for error in parser.error_log if error.type in _REPAIRS)
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", parser=parser)
    return root, repairs


def _strip_never_visible(root: etree._Element) -> None:
    # Tags, comments and processing instructions go in one C-level pass (tails kept: they are visible
    # and belong to the parent). Elements hidden by their attributes are found by the renderer, which
    # visits every element anyway (an XPath over all attributes cost more than the render itself).
    etree.strip_elements(root, *_DROP_TAGS, etree.Comment, etree.ProcessingInstruction, with_tail=False)


def is_hidden(el: etree._Element) -> bool:
    """True when the element's attributes hide it (``hidden``, ``display:none``, a hiding class)."""
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style and _is_display_none(style):
        return True
    cls = el.get("class")
    return bool(cls and _HIDDEN_CLASSES.intersection(cls.split()))


def _remove(doomed: list[etree._Element]) -> None:
    """Take hidden elements out of the tree, keeping their tails (the text after them is visible)."""
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail
        if tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
        parent.remove(el)


# Utility classes that mean display:none in every CSS framework (not "hidden-xs": that is per screen size).
_HIDDEN_CLASSES = frozenset({"hidden", "d-none", "is-hidden", "display-none"})
# Inside <head> (which the renderer does not walk) hidden elements are looked for with XPath.
_HIDDEN_IN_HEAD = etree.XPath(
    ".//*[@hidden or contains(@style, 'none') or contains(@style, 'NONE')"
    " or contains(@class, 'hidden') or contains(@class, 'd-none') or contains(@class, 'display-none')]"
)


def _is_display_none(style: str | None) -> bool:
    if not style:
        return False
    s = style.replace(" ", "").lower()
    # visibility:hidden is left alone: WeChat and others hide the article text until a script shows it.
    return "display:none" in s


_BOXLESS = frozenset({"br", "img", "hr"})
# Whitespace that _WS collapses, for str.strip (C speed) where only "is there any text?" matters.
_WS_CHARS = " \t\n\r\f\v\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"


def _render_py(root: etree._Element, hidden: list, names: list) -> tuple[list[Line], dict, list, dict, dict]:
    # The renderer in Python, when newscrawl.extract._crender (the same in C) is not built. The hot loop
    # of the extractor (every element of every page): kept flat, with local names. Elements hidden by
    # their attributes are skipped (their tails are visible) and collected in ``hidden`` for removal, in
    # document order: the lines are those of the tree without them. ``names`` is left empty (Page.names
    # then computes them when asked).
    lines: list[Line] = []
    order: dict[etree._Element, int] = {}
    elements: list[etree._Element] = []
    end: dict[etree._Element, int] = {}
    spans: dict[etree._Element, tuple[int, int]] = {}
    buf: list[str] = []
    buf_links = 0
    buf_visible = False
    owners: list[etree._Element] = []
    link_depth = 0
    counter = 0
    first: dict[etree._Element, int] = {}
    block_tags, boxless, ws_sub, ws_chars, keep = BLOCK_TAGS, _BOXLESS, _WS.sub, _WS_CHARS, elements.append
    hides = is_hidden
    skipped: etree._Element | None = None

    def flush() -> None:
        text = ws_sub(" ", "".join(buf)).strip()
        if text:
            owner = owners[-1]
            chars = len(text) - text.count(" ")
            lines.append(Line(text, owner, order[owner], min(buf_links, chars), chars, len(lines)))
        buf.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            if counter and hides(el):  # never the root
                hidden.append(el)
                walker.skip_subtree()
                skipped = el
                continue
            order[el] = counter
            keep(el)
            counter += 1
            if tag == "head":
                # Kept in the tree for meta/link selectors, but never part of the visible text.
                hidden.extend(_HIDDEN_IN_HEAD(el))
                walker.skip_subtree()
                first[el] = len(lines)
                continue
            if tag in block_tags:
                if buf:
                    flush()
                buf_links, buf_visible = 0, False
                if tag not in boxless:
                    owners.append(el)
            elif not owners:
                owners.append(el)
            # An inline element shares the line being built (if any) with the text before it.
            first[el] = len(lines)
            if tag == "a":
                link_depth += 1
            text = el.text
        elif el is skipped:
            skipped = None
            text = el.tail
        else:
            end[el] = counter - 1
            if tag == "head":
                spans[el] = (first[el], len(lines))
                continue
            if tag == "a":
                link_depth -= 1
            if tag in block_tags:
                if buf:
                    flush()
                buf_links, buf_visible = 0, False
                if tag not in boxless and owners and owners[-1] is el:
                    owners.pop()
                spans[el] = (first[el], len(lines))
            else:
                spans[el] = (first[el], len(lines) + buf_visible)
            text = el.tail
        if text:
            buf.append(text)
            if text.strip(ws_chars):
                buf_visible = True
                if link_depth:
                    buf_links += len(ws_sub("", text))
    if buf:
        flush()
    return lines, order, elements, end, spans


def _render_c(
    root: etree._Element, hidden: list, names: list
) -> tuple[list[Line], Mapping, Sequence, Mapping, Mapping]:
    return _crender.render(
        root,
        hidden,
        names,
        line_class=Line,
        block_tags=BLOCK_TAGS,
        boxless=_BOXLESS,
        is_hidden=is_hidden,
        hidden_in_head=_HIDDEN_IN_HEAD,
    )


# What _crender.render takes and gives; the .pyx says the same (API_VERSION). A build left over from
# before a change of it is not used: it would fail on every page.
RENDERER_API = 2


def _usable(module: Any) -> Any:
    """``module`` (the compiled renderer) when it is built from the current source, else None (and why,
    once, in the log)."""
    if module is None:
        return None
    if getattr(module, "API_VERSION", 1) != RENDERER_API:
        logging.getLogger(__name__).warning(
            "newscrawl: the compiled line renderer is out of date (rebuild it: pip install -e .); "
            "using the pure-Python one"
        )
        return None
    return module


try:
    from newscrawl.extract import _crender  # built from _crender.pyx by `pip install` (needs a C compiler)
except ImportError:  # pragma: no cover — depends on the install
    _crender = None
_crender = _usable(_crender)

RENDERER = "c" if _crender is not None else "python"
"""Which renderer ``parse`` uses: the compiled one when it was built, else the pure-Python one."""
_render = _render_c if _crender is not None else _render_py
