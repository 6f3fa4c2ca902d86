"""``newscrawl check-site NAME [--root DIR]``: run one site's fixtures and print a per-field table.

Every article case under ``tests/fixtures/sites/NAME/`` is extracted with the site's profile and compared
field by field with its ``expected.json`` (and again without the profile's selectors); every discovery
case (listing page, sitemap, feed) is fed to the site's spider. Exit code 0 when everything passes, 1
when anything fails (a draft ``expected.json`` always does), 2 for an unknown site.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from typing import Any

from newscrawl.commands import EXIT_FAILED, EXIT_OK, UsageError
from newscrawl.commands.new_site import check_name, default_root, project_root


def register(sub: Any) -> None:
    """Add the sub-command's parser."""
    parser = sub.add_parser(
        "check-site", help="run a site's saved-page fixtures: a per-field pass/fail table"
    )
    parser.set_defaults(command="check_site")
    parser.add_argument("name", metavar="NAME", help="site name from 'newscrawl sites'")
    parser.add_argument(
        "--root", help="project checkout holding the site (default: this newscrawl's checkout)"
    )


def run(args: argparse.Namespace) -> int:
    """Print the table and the failures; return 0 (all pass) or 1."""
    from newscrawl.sitecheck import (  # noqa: PLC0415 — keeps `newscrawl --help` fast
        CHECKED_FIELDS,
        article_cases,
        check_article,
        check_discovery,
        discovery_cases,
        iter_failures,
    )

    name = check_name(args.name)
    root = project_root(args.root)
    spider_class = load_spider(name, root if args.root else None)
    site = spider_class.site
    site_dir = root / "tests" / "fixtures" / "sites" / name
    cases = article_cases(site_dir)
    found = discovery_cases(site_dir)
    if not cases and not found:
        print(f"newscrawl: {name} has no fixture cases under {site_dir}", file=sys.stderr)
        return EXIT_FAILED

    results = [check_article(case, site) for case in cases]
    labels = [f"discovery/{c.name} ({c.kind})" for c in found]
    width = max([len("without selectors"), *(len(f) for f in CHECKED_FIELDS), *(len(x) for x in labels)])
    columns = [max(len(r.case.name), 6) for r in results]
    print(
        f"{'FIELD':{width}}  "
        + "  ".join(f"{r.case.name:{w}}" for r, w in zip(results, columns, strict=True))
    )
    for i, field in enumerate(CHECKED_FIELDS):
        cells = [f"{r.fields[i].status:{w}}" for r, w in zip(results, columns, strict=True)]
        print(f"{field:{width}}  " + "  ".join(cells).rstrip())
    rows = {
        "without selectors": ["ok" if not r.without_selectors else "FAIL" for r in results],
        "not a draft": ["ok" if not r.draft else "DRAFT" for r in results],
    }
    for label, cells in rows.items():
        print(
            f"{label:{width}}  " + "  ".join(f"{c:{w}}" for c, w in zip(cells, columns, strict=True)).rstrip()
        )

    failures = list(iter_failures(results))
    discovery_failed = 0
    if found:
        spider = _spider(spider_class)
        for case, label in zip(found, labels, strict=True):
            problems = check_discovery(spider, case)
            discovery_failed += bool(problems)
            print(f"{label:{width}}  {'ok' if not problems else 'FAIL'}")
            failures += [f"discovery/{case.name}: {p}" for p in problems]
    for line in failures:
        print(f"  {line}")

    known = sum(f.status == "known" for r in results for f in r.fields)
    passed = sum(f.status == "ok" for r in results for f in r.fields)
    failed_cases = sum(r.failed for r in results) + discovery_failed
    print(
        f"newscrawl: check-site {name}: {_n(len(results), 'article case')} ({passed} fields ok, "
        f"{_n(known, 'known problem')}), {_n(len(found), 'discovery case')}; {failed_cases} failing"
    )
    return EXIT_FAILED if failed_cases else EXIT_OK


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def load_spider(name: str, root: Path | None) -> Any:
    """The spider class of site ``name``: from the registry, or from ``root``'s site file."""
    from newscrawl.registry import get_site, spider_classes  # noqa: PLC0415

    if root is None or root.resolve() == default_root():
        get_site(name)  # an unknown or broken site is a BadInputError
        module = importlib.import_module(f"newscrawl.spiders.{name}")
    else:
        path = root / "newscrawl" / "spiders" / f"{name}.py"
        if not path.is_file():
            raise UsageError(f"unknown site {name!r}: no {path}")
        spec = importlib.util.spec_from_file_location(f"_newscrawl_site_{name}", path)
        if spec is None or spec.loader is None:
            raise UsageError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 — a broken site file is bad input here
            raise UsageError(f"site file {path} is broken: {type(exc).__name__}: {exc}") from None
    for spider_class in spider_classes(module):
        if spider_class.site.name == name:
            return spider_class
    raise UsageError(f"unknown site {name!r}: its file declares no spider with a Site named {name!r}")


def _spider(spider_class: Any) -> Any:
    from scrapy.utils.test import get_crawler  # noqa: PLC0415 — Scrapy only for discovery cases

    return spider_class.from_crawler(get_crawler(spider_class))
