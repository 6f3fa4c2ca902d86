"""Guess a site profile from one saved article page and write it as a site file (``newscrawl new-site``).

Everything here is a first guess for a developer to check: the portal's name from the page's <title>,
the registrable domain, an article URL pattern generalised from the article's own URL, listing patterns
from the listing URLs given.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from newscrawl.extract.article import site_key

_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜·•]|--?|—+|–|\s-\s)\s*|\s+")
_HEX = re.compile(r"[0-9a-f]{8,}")
_TOKEN = re.compile(r"\d+|[A-Za-z]+|.", re.DOTALL)
_SPECIAL = re.compile(r"([.^$*+?()\[\]{}|\\])")


def _esc(text: str) -> str:
    """``re.escape`` for URLs, minus the escapes regexes do not need (``-``, ``&``, ``=``, ``/``)."""
    return _SPECIAL.sub(r"\\\1", text)


@dataclass(frozen=True)
class Draft:
    """What ``new-site`` writes into a site file."""

    name: str
    title: str
    domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    article_patterns: tuple[str, ...]
    listing_patterns: tuple[str, ...]
    example_url: str
    start_urls_guessed: bool


def class_name(name: str) -> str:
    """``he_xinhua`` → ``HeXinhuaSpider``."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_") if part) + "Spider"


def guess_portal_name(page_title: str | None, headline: str | None) -> str:
    """The portal's name: the last part of what the <title> adds to the headline (``… - 要闻 - 云南日报网``)."""
    if not page_title:
        return ""
    if headline and headline in page_title:
        parts = [p for p in _TITLE_SEPARATORS.split(page_title.replace(headline, " ").strip()) if p]
    else:
        parts = [p for p in _TITLE_SEPARATORS.split(page_title.strip()) if p]
        parts = parts if len(parts) > 1 else []
    return parts[-1] if parts and len(parts[-1]) <= 20 else ""


def generalise_path(url: str) -> str:
    """A regex for URLs shaped like this one: digits, hex ids and channel names become classes."""
    parts = urlsplit(url)
    segments = parts.path.split("/")[1:] or [""]
    out = []
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if not last and segment.isalpha() and len(segment) > 2:
            out.append(r"[\w-]+")  # a channel name: other channels hold articles too
        else:
            out.append(_generalise(segment, letters_literal=last or len(segment) <= 2))
    pattern = "/".join(out)
    if parts.query:
        pattern += r"\?" + _generalise(parts.query, letters_literal=True)
    return pattern + "$"


def _generalise(text: str, *, letters_literal: bool) -> str:
    out = []
    pos = 0
    for hexrun in _HEX.finditer(text):
        if re.search(r"\d", hexrun.group()) and re.search(r"[a-f]", hexrun.group()):
            out.append(_generalise_plain(text[pos : hexrun.start()], letters_literal))
            out.append(f"[0-9a-f]{{{len(hexrun.group())}}}")
            pos = hexrun.end()
    out.append(_generalise_plain(text[pos:], letters_literal))
    return "".join(out)


def _generalise_plain(text: str, letters_literal: bool) -> str:
    out = []
    for token in _TOKEN.findall(text):
        if token.isdigit():
            dated = len(token) in (6, 8) and _looks_dated(token)
            out.append(rf"\d{{{len(token)}}}" if len(token) in (2, 4) or dated else r"\d+")
        elif token.isalpha() and token.isascii() and not letters_literal and len(token) > 2:
            out.append("[a-z]+")
        else:
            out.append(_esc(token))
    return "".join(out)


def _looks_dated(digits: str) -> bool:
    """``202109`` or ``20210903``: a year from 1995 to 2039 and a real month (and day)."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8] or "1")
    return 1995 <= year <= 2039 and 1 <= month <= 12 and 1 <= day <= 31


def listing_pattern(url: str) -> str:
    """A regex for a listing page and its numbered pages (``/xinwen/``, ``/xinwen/index_2.htm``)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    head = _esc(f"//{parts.hostname or ''}")
    folder, _, last = path.rpartition("/")
    if "." in last or not last:
        return head + _esc(folder + "/") + r"(?:index(?:_\d+)?\.s?html?)?$"
    return head + _esc(path) + r"(?:_\d+|/(?:index(?:_\d+)?\.s?html?)?)?$"


def draft_profile(
    name: str, url: str, listings: list[str], page_title: str | None, headline: str | None
) -> Draft:
    """The profile ``new-site`` writes for an article URL, its listing pages and what the page shows."""
    host = (urlsplit(url).hostname or "").lower()
    domain = site_key(host)
    domains = [domain]
    for listing in listings:
        key = site_key(urlsplit(listing).hostname or "")
        if key not in domains:
            domains.append(key)
    starts = tuple(listings) or (f"{urlsplit(url).scheme}://{host}/",)
    return Draft(
        name=name,
        title=guess_portal_name(page_title, headline),
        domains=tuple(domains),
        start_urls=starts,
        article_patterns=(_esc(domain) + "/" + generalise_path(url),),
        listing_patterns=tuple(dict.fromkeys(listing_pattern(u) for u in listings)),
        example_url=url,
        start_urls_guessed=not listings,
    )


def _str(value: str) -> str:
    """A double-quoted Python literal (raw when the text has backslashes and no quotes)."""
    if "\\" in value and '"' not in value and not value.endswith("\\"):
        return f'r"{value}"'
    return json.dumps(value, ensure_ascii=False)


def _tuple(values: tuple[str, ...], indent: str) -> str:
    if len(values) == 1:
        return f"({_str(values[0])},)"
    inner = "".join(f"{indent}    {_str(v)},\n" for v in values)
    return f"(\n{inner}{indent})"


def render_site_file(draft: Draft) -> str:
    """The site file: data only, in the house layout (ruff-formatted)."""
    pad = " " * 8
    title = draft.title or draft.domains[0]
    lines = [
        f'"""{title} ({draft.domains[0]}): scaffolded by `newscrawl new-site`; check every guess below."""',
        "",
        "from __future__ import annotations",
        "",
        "from newscrawl.site import Site",
        "from newscrawl.spiders.base import PortalSpider",
        "",
        "",
        f"class {class_name(draft.name)}(PortalSpider):",
        '    """Listing pages → article pages."""',
        "",
        f"    name = {_str(draft.name)}",
        "    site = Site(",
        f"{pad}name={_str(draft.name)},",
        f"{pad}title={_str(draft.title)},",
        f"{pad}domains={_tuple(draft.domains, pad)},",
        f'{pad}languages=("zh",),',
        f'{pad}timezone="Asia/Shanghai",',
    ]
    if draft.start_urls_guessed:
        lines.append(f"{pad}# Guessed: the home page. Channel / listing pages crawl better.")
    lines.append(f"{pad}start_urls={_tuple(draft.start_urls, pad)},")
    lines.append(f"{pad}# Generalised from {draft.example_url}")
    lines.append(f"{pad}article_patterns={_tuple(draft.article_patterns, pad)},")
    if draft.listing_patterns:
        lines.append(f"{pad}listing_patterns={_tuple(draft.listing_patterns, pad)},")
    lines += ["    )", ""]
    return "\n".join(lines)
