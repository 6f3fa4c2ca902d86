"""The dataset card: a Markdown file next to the report saying what the dataset holds and how it was made
(counts, date range, fields with their meaning and coverage, sites, runs, method, caveats)."""

from __future__ import annotations

import ast
import inspect
import itertools
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from newscrawl import __version__, items
from newscrawl.dataset.neardup import describe as neardup_method
from newscrawl.dataset.read import Filters
from newscrawl.dataset.summary import Summary
from newscrawl.items import RECORD_FIELDS
from newscrawl.runs import warc_path_for

FIELD_TYPES = {
    "authors": "list[str]",
    "editors": "list[str]",
    "keywords": "list[str]",
    "images": "list[str]",
    "field_sources": "dict[str, str]",
    "version": "int",
}
NULLABLE = {"canonical_url", "published", "published_raw", "modified", "source", "section", "summary"}
NULLABLE |= {"language", "encoding"}


@cache
def field_docs() -> dict[str, str]:
    """Each record field's meaning: its docstring in ``newscrawl.items.Article`` (as Markdown)."""
    tree = ast.parse(inspect.getsource(items))
    docs: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Article":
            body = node.body
            for here, after in itertools.pairwise(body):
                if (
                    isinstance(here, ast.AnnAssign)
                    and isinstance(here.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    docs[here.target.id] = " ".join(after.value.value.split()).replace("``", "`")
    return docs


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _type(name: str) -> str:
    base = FIELD_TYPES.get(name, "str")
    return f"{base} or null" if name in NULLABLE else base


def render_card(
    summary: Summary,
    *,
    title: str,
    read: dict[str, int],
    files: list[Path],
    manifests: list[dict[str, Any]],
    filters: Filters,
    all_versions: bool,
    command: str,
    report_name: str | None,
) -> str:
    """The dataset card as Markdown."""
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    span = summary.date_range
    total = summary.articles or 1
    lines = [
        f"# {title}",
        "",
        f"Made on {made} by newscrawl {__version__} (`{command}`)."
        + (f" Charts: [{report_name}]({report_name})." if report_name else ""),
        "",
        "## Summary",
        "",
        f"- **Articles:** {summary.articles:,} "
        + ("(every version of each article)" if all_versions else "(the latest version of each article)"),
        f"- **Sites:** {len(summary.by_portal):,} ({', '.join(summary.portals[:10])}"
        + (", …" if len(summary.by_portal) > 10 else "")
        + ")",
        f"- **Published:** {span[0]} to {span[1]}" if span else "- **Published:** no dates",
        f"- **Without a publication date:** {sum(summary.undated.values()):,}",
        (
            f"- **Fetched:** {summary.fetched[0]} to {summary.fetched[1]}"
            if summary.fetched
            else "- **Fetched:** unknown"
        ),
        "- **Languages:** " + ", ".join(f"{k} {v / total:.0%}" for k, v in summary.languages.most_common()),
        (
            f"- **Near-duplicates:** {summary.clusters:,} clusters; {sum(summary.duplicated.values()):,} "
            f"articles have a near-duplicate in the dataset ({summary.copies:,} copies beyond the first of each "
            "cluster)"
        ),
        (
            f"- **Input:** {read['lines']:,} lines in {read['files']:,} JSONL files; {read['older_versions']:,} "
            f"older versions and {read['filtered']:,} records not matching the filters left out"
        ),
        "",
        "## Sites",
        "",
        "| site | articles | first published | last published | with a near-duplicate |",
        "|---|---:|---|---|---:|",
    ]
    for site in summary.portals:
        first, last = summary.published_range.get(site, ["–", "–"])
        n = summary.by_portal[site]
        lines.append(f"| {_cell(site)} | {n:,} | {first} | {last} | {summary.duplicated[site] / n:.0%} |")
    lines += [
        "",
        "## Fields",
        "",
        (
            "Exported records carry these fields (`newscrawl export --fields` picks some); coverage is the "
            "share of articles with a value."
        ),
        "",
        "| field | type | coverage | meaning |",
        "|---|---|---:|---|",
    ]
    docs = field_docs()
    for name in RECORD_FIELDS:
        have = sum(c[name] for c in summary.coverage.values())
        coverage = f"{have / total:.0%}" if summary.articles else "–"
        lines.append(f"| `{name}` | {_type(name)} | {coverage} | {_cell(docs.get(name, ''))} |")
    lines += [
        "| `cluster_id` | str | 100% | Near-duplicate cluster: the same id for syndicated copies of one story. |",
        "| `cluster_size` | int | 100% | How many articles of the dataset share the cluster (1: none). |",
        "",
        "## How it was made",
        "",
        (
            "- **Crawling:** newscrawl (Scrapy) crawls each portal politely (robots.txt obeyed, a delay between "
            "requests, a User-Agent naming a contact) and writes one JSON line per article; a site profile or "
            "the generic spider decides which pages are articles. Every raw response is kept in a WARC file "
            "next to the JSONL, so the records can be rebuilt with `newscrawl reextract`."
        ),
        "- **Extractor versions:** "
        + ", ".join(f"{k} ({v:,} articles)" for k, v in summary.extractor_versions.most_common()),
        "- **Versions:** an article whose text changed is written again with the next `version`; "
        + (
            "all versions are kept here."
            if all_versions
            else "only the latest version of each article (by canonical URL) is kept here."
        ),
        "- **Filters:** " + ("; ".join(filters.describe()) or "none"),
    ]
    method = neardup_method()
    lines.append(
        f"- **Near-duplicates:** MinHash ({method['minhash']}) over {method['shingles']} of the body, LSH "
        f"({method['lsh']}), pairs with an estimated Jaccard similarity of at least {method['threshold']} "
        f"linked, clusters are connected components; bodies under {method['min_tokens']} tokens are not "
        "matched. `cluster_id` is the smallest hash of the members' canonical URLs, stable across runs."
    )
    if manifests:
        lines += [
            "",
            "### Crawl runs",
            "",
            "| run | site | status | start | articles written | WARC |",
            "|---|---|---|---|---:|---|",
        ]
        for m in sorted(manifests, key=lambda m: str(m.get("run_id"))):
            written = (m.get("articles") or {}).get("written", "–")
            lines.append(
                f"| {_cell(m.get('run_id'))} | {_cell(m.get('job') or m.get('site'))} | {_cell(m.get('status'))} "
                f"| {_cell(m.get('start'))} | {written} | {_cell(m.get('warc') or '–')} |"
            )
    lines += ["", "### Input files", ""]
    for path in files[:50]:
        warc = warc_path_for(path)
        lines.append(f"- `{path}`" + (f" (raw responses: `{warc}`)" if warc.exists() else ""))
    if len(files) > 50:
        lines.append(f"- … and {len(files) - 50} more")
    lines += [
        "",
        "## Caveats",
        "",
        "- The texts belong to their publishers; check their terms before redistributing them.",
        (
            "- `published` is the time the page shows, with the site's UTC offset, at the precision shown "
            "(date-only pages give a date); `fetched_at` is the UTC download time."
        ),
        (
            "- Fields are extracted automatically; see the coverage above, and `field_sources` for how each "
            "value was found."
        ),
        (
            "- Near-duplicate detection compares bodies only: two different write-ups of the same event are "
            "not near-duplicates, a repost with another header and trailer is."
        ),
        "",
    ]
    return "\n".join(lines)
