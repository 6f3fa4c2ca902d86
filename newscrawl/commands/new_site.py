"""``newscrawl new-site NAME URL [--listing URL]… --from-file PAGE.html [--case NAME] [--root DIR]``.

Scaffolds a portal from one saved article page: the site file ``newscrawl/spiders/NAME.py`` (profile
guessed from the page and its URL) and a fixture case ``tests/fixtures/sites/NAME/<case>/`` with the page's
bytes, its response metadata and a DRAFT ``expected.json`` written by the extractor. The draft is marked
``"_draft": true``: the golden tests and ``newscrawl check-site`` fail on it until every field has been
checked by hand and the key removed. Nothing is fetched: save the page first (browser "save as", or
``curl -o page.html URL``), so the fixture holds exactly the bytes the server sent.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.commands import EXIT_OK, UsageError, check_url
from newscrawl.commands.extract import parse_time

RESERVED = frozenset({"generic", "base"})
DRAFT_NOTE = (
    "DRAFT written by `newscrawl new-site` from the extractor's output, not yet checked. Compare every field "
    'with the page as a reader sees it, correct it, then delete "_draft" and "_note". Fields the extractor '
    'still gets wrong go to "_known_problems": {"field": "what goes wrong"}.'
)


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser(
        "new-site", help="scaffold a site file and a fixture case from a saved article page"
    )
    parser.set_defaults(command="new_site")
    parser.add_argument("name", metavar="NAME", help="site name: lower-case letters, digits and _")
    parser.add_argument("url", metavar="URL", help="the article page's URL")
    parser.add_argument(
        "--listing", action="append", default=[], metavar="URL", help="a channel / listing page (repeatable)"
    )
    parser.add_argument("--from-file", metavar="PAGE", help="the article page as saved (raw bytes)")
    parser.add_argument("--case", default="article", help="fixture case name (default: article)")
    parser.add_argument("--fetched-at", help="ISO time the page was saved (default: the file's mtime)")
    parser.add_argument("--root", help="project checkout to write into (default: this newscrawl's checkout)")


def default_root() -> Path:
    """The checkout this newscrawl package lives in."""
    return Path(__file__).resolve().parents[2]


def project_root(value: str | None) -> Path:
    """The ``--root`` folder (a newscrawl checkout: it has newscrawl/spiders/), else the default."""
    root = Path(value) if value else default_root()
    if not (root / "newscrawl" / "spiders").is_dir():
        raise UsageError(f"{root} is not a newscrawl checkout (no newscrawl/spiders/ folder)")
    return root


def check_name(name: str, what: str = "site name") -> str:
    """A valid site or case name, else a UsageError."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or keyword.iskeyword(name):
        raise UsageError(f"{what} {name!r} must be lower-case letters, digits and _, starting with a letter")
    return name


def run(args: argparse.Namespace) -> int:
    """Check the input, then write the site file and the fixture case."""
    name = check_name(args.name)
    if name in RESERVED:
        raise UsageError(f"site name {name!r} is reserved")
    case = check_name(args.case, "case name")
    if case == "discovery":
        raise UsageError("case name 'discovery' is reserved for listing, sitemap and feed cases")
    url = check_url(args.url)
    if urlsplit(url).scheme not in ("http", "https"):
        raise UsageError(f"the article URL must be http(s): {url!r}")
    for listing in args.listing:
        if urlsplit(check_url(listing)).scheme not in ("http", "https"):
            raise UsageError(f"--listing must be an http(s) URL: {listing!r}")
    root = project_root(args.root)
    site_file = root / "newscrawl" / "spiders" / f"{name}.py"
    fixture = root / "tests" / "fixtures" / "sites" / name
    if site_file.exists() or fixture.exists() or (args.root is None and _registered(name)):
        raise UsageError(f"site {name!r} already exists ({site_file.relative_to(root)} or its fixtures)")
    if not args.from_file:
        raise UsageError(
            "new-site reads the page from a file: save it (browser 'save as', or curl -o page.html URL) "
            "and pass --from-file page.html"
        )
    page = Path(args.from_file)
    try:
        data = page.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.from_file}: {exc.strerror or exc}") from None
    if not data.strip():
        raise UsageError(f"{args.from_file} is empty")
    fetched_at = (
        parse_time(args.fetched_at)
        if args.fetched_at
        else datetime.fromtimestamp(page.stat().st_mtime, UTC).replace(microsecond=0)
    )

    draft, record = scaffold(name, url, args.listing, data, fetched_at)
    from newscrawl.scaffold import render_site_file  # noqa: PLC0415

    case_dir = fixture / case
    case_dir.mkdir(parents=True)
    (case_dir / "response.html").write_bytes(data)
    _dump(
        case_dir / "response.json",
        {
            "url": url,
            "status": 200,
            "headers": {"Content-Type": "text/html"},
            "fetched_at": fetched_at.astimezone(UTC).isoformat(),
        },
    )
    _dump(case_dir / "expected.json", record)
    site_file.write_text(render_site_file(draft), encoding="utf-8")
    print(
        f"wrote {site_file.relative_to(root)}  (profile guessed from the page: check title, domains, patterns)"
    )
    print(f"wrote {case_dir.relative_to(root)}/  (response.html, response.json, expected.json = DRAFT)")
    print(
        f'next: correct {case_dir.relative_to(root)}/expected.json by hand and delete "_draft", then run '
        f"`newscrawl check-site {name}`; add a second case and a discovery case (docs/ADDING_A_SITE.md)"
    )
    return EXIT_OK


def scaffold(
    name: str, url: str, listings: list[str], data: bytes, fetched_at: datetime
) -> tuple[Any, dict[str, Any]]:
    """The drafted profile and the DRAFT expected record for a saved page."""
    from newscrawl.extract import extract_article  # noqa: PLC0415 — keeps `newscrawl --help` fast
    from newscrawl.extract.dom import parse  # noqa: PLC0415
    from newscrawl.extract.encoding import decode_html  # noqa: PLC0415
    from newscrawl.scaffold import draft_profile  # noqa: PLC0415
    from newscrawl.site import Site, SiteError  # noqa: PLC0415
    from newscrawl.sitecheck import CHECKED_FIELDS  # noqa: PLC0415

    text, _ = decode_html(data)
    page_title = parse(text).metadata.title
    generic = extract_article(data, url, site="generic", fetched_at=fetched_at)
    draft = draft_profile(name, url, listings, page_title, generic.get("title"))
    try:
        site = Site(
            name=name,
            title=draft.title,
            domains=draft.domains,
            start_urls=draft.start_urls,
            article_patterns=draft.article_patterns,
            listing_patterns=draft.listing_patterns,
        )
    except SiteError as exc:  # a guessed pattern that does not compile: a bug here, said plainly
        raise UsageError(f"could not draft a profile: {exc}") from None
    record = extract_article(data, url, site=site, fetched_at=fetched_at)
    expected: dict[str, Any] = {"_draft": True, "_note": DRAFT_NOTE}
    expected.update({field: record[field] for field in CHECKED_FIELDS})
    return draft, expected


def _registered(name: str) -> bool:
    from newscrawl.registry import all_sites, broken_sites  # noqa: PLC0415 — imports Scrapy

    return name in all_sites() or name in broken_sites()


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
