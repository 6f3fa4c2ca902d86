"""Structured metadata: JSON-LD article objects and <meta> / <link> tags."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

_ARTICLE_TYPES = re.compile(
    r"(?:News|Reportage|Analysis|Opinion|Review|Background)?Article|BlogPosting|"
    r"LiveBlogPosting|SocialMediaPosting|DiscussionForumPosting|Report|WebPage",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Metadata:
    """Article metadata from JSON-LD and meta tags (values as found, not cleaned)."""

    jsonld: dict[str, Any] = field(default_factory=dict)
    """The best article-typed JSON-LD object (flattened out of @graph)."""
    meta: dict[str, str] = field(default_factory=dict)
    """Lower-cased meta name/property → first non-empty content."""
    canonical: str | None = None
    title: str | None = None
    """Text of the <title> element."""
    base_href: str | None = None
    html_lang: str | None = None
    time_datetimes: list[str] = field(default_factory=list)
    """``datetime`` attributes of <time> elements, in document order."""

    def first(self, *names: str) -> str | None:
        """The first meta value among ``names`` (lower-case)."""
        for name in names:
            value = self.meta.get(name)
            if value:
                return value
        return None

    @property
    def is_article_typed(self) -> bool:
        """True when JSON-LD or og:type says this is an article."""
        t = self.jsonld.get("@type")
        types = t if isinstance(t, list) else [t]
        if any(
            (isinstance(x, str) and "article" in x.lower()) or x in ("BlogPosting", "Report") for x in types
        ):
            return True
        return (self.meta.get("og:type") or "").lower() in ("article", "news", "news.article")


_HTML_LANG = etree.XPath("/html/@lang | /html/@xml:lang")
# What XPath's normalize-space() collapses (not every Unicode space).
_XPATH_SPACE = re.compile(r"[ \t\r\n]+")


def read_metadata(root: etree._Element, scripts: list[str]) -> Metadata:
    """Collect JSON-LD, meta tags, canonical link, html lang and <time datetime> values."""
    md = Metadata()
    # One tag-filtered walk of the tree (in C) for every tag read here: each "//title"-style XPath or
    # separate iter() walked the whole tree again. Attributes are read one by one on the lxml elements:
    # parsel's .attrib copies all of them, and lxml refuses to return an attribute *name* holding a
    # control character (<meta \x01name=…>).
    title: etree._Element | None = None
    for el in root.iter("meta", "link", "title", "base", "time"):
        tag = el.tag
        if tag == "meta":
            key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
            value = el.get("content")
            if key and value and value.strip():
                md.meta.setdefault(key.strip().lower(), value.strip())
        elif tag == "link":
            href = el.get("href")
            if (
                md.canonical is None
                and href is not None
                and "canonical" in (el.get("rel") or "").lower().split()
            ):
                md.canonical = href.strip()
        elif tag == "title":
            if title is None:
                title = el
        elif tag == "base":
            if md.base_href is None:
                md.base_href = el.get("href")
        elif (value := el.get("datetime")) is not None and value.strip():
            md.time_datetimes.append(value.strip())
    if title is not None:
        md.title = _XPATH_SPACE.sub(" ", "".join(title.itertext())).strip(" \t\r\n").strip() or None
    langs = _HTML_LANG(root)
    lang = str(langs[0]) if langs else None
    md.html_lang = lang.strip() if lang else None
    md.jsonld = _best_jsonld(scripts)
    return md


def _best_jsonld(scripts: list[str]) -> dict[str, Any]:
    best: dict[str, Any] = {}
    best_rank = -1
    by_id: dict[str, dict[str, Any]] = {}
    for raw in scripts:
        data = _loads(raw)
        if data is None:
            continue
        for obj in _walk(data):
            if isinstance(obj.get("@id"), str) and len(obj) > 1:
                by_id.setdefault(obj["@id"], obj)
            t = obj.get("@type")
            types = [x for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]
            if not any(_ARTICLE_TYPES.fullmatch(x) for x in types):
                continue
            rank = 0 if types == ["WebPage"] else 1 + ("headline" in obj) + ("datePublished" in obj)
            if rank > best_rank:
                best, best_rank = obj, rank
    # Yoast and others name the author in a Person node of the @graph: {"author": {"@id": "…#person"}}.
    for key in ("author", "publisher"):
        value = best.get(key)
        if isinstance(value, dict | list):
            best = {**best, key: _resolve(value, by_id)}
    return best


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"}:
        return by_id.get(value["@id"], value)
    return value


def _loads(raw: str) -> Any:
    text = _CONTROL.sub(" ", raw.strip())
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        # CMS templates often leave a trailing comma or raw newlines inside strings.
        try:
            return json.loads(re.sub(r",\s*([}\]])", r"\1", text.replace("\n", " ")))
        except ValueError:
            return None


def _walk(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    out: list[dict[str, Any]] = []
    if isinstance(data, list):
        for item in data:
            out.extend(_walk(item, depth + 1))
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            out.extend(_walk(graph, depth + 1))
    return out


def jsonld_text(value: Any) -> str | None:
    """A JSON-LD value as text: strings as is, objects by their name, lists by their first entry."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return jsonld_text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return jsonld_text(value[0])
    return None


def jsonld_names(value: Any) -> list[str]:
    """Names from a JSON-LD author/editor value (string, object or list of either)."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = jsonld_text(item)
        if name:
            names.append(name)
    return names
