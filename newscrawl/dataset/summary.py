"""What a dataset holds, counted in one streaming pass: per-site counts by day, field coverage, the most
frequent sources / authors / keywords, near-duplicates, date ranges, the runs it came from."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newscrawl.dataset.neardup import Clusters
from newscrawl.dataset.read import Dataset, portal
from newscrawl.items import RECORD_FIELDS
from newscrawl.runs import read_manifest

COVERAGE_FIELDS: tuple[str, ...] = (
    "title",
    "published",
    "modified",
    "source",
    "authors",
    "editors",
    "keywords",
    "section",
    "summary",
    "body",
    "images",
    "canonical_url",
    "language",
)
"""Fields whose coverage (share of records that have a value) the report shows."""


@dataclass
class Summary:
    """Counts of a dataset (after version selection and filters)."""

    articles: int = 0
    by_portal: Counter[str] = field(default_factory=Counter)
    by_day: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    """portal → published day (YYYY-MM-DD) → articles."""
    undated: Counter[str] = field(default_factory=Counter)
    coverage: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    """portal → field → records that have a value for it (every record field)."""
    sources: Counter[str] = field(default_factory=Counter)
    authors: Counter[str] = field(default_factory=Counter)
    keywords: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    extractor_versions: Counter[str] = field(default_factory=Counter)
    versions: Counter[int] = field(default_factory=Counter)
    published_range: dict[str, list[str]] = field(default_factory=dict)
    """portal → [first, last] published day."""
    fetched: list[str] = field(default_factory=list)
    """[first, last] fetched_at."""
    clusters: int = 0
    duplicated: Counter[str] = field(default_factory=Counter)
    """portal → its records that have a near-duplicate (cluster of more than one record)."""

    @property
    def portals(self) -> list[str]:
        """Portals by number of articles, most first."""
        return [name for name, _ in sorted(self.by_portal.items(), key=lambda kv: (-kv[1], kv[0]))]

    @property
    def copies(self) -> int:
        """Records beyond the first of each cluster."""
        return self.articles - self.clusters if self.clusters else 0

    @property
    def date_range(self) -> tuple[str, str] | None:
        """First and last published day over all portals."""
        ranges = list(self.published_range.values())
        if not ranges:
            return None
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def add(self, record: dict[str, Any], cluster_size: int | None) -> None:
        """Count one record."""
        name = portal(record)
        self.articles += 1
        self.by_portal[name] += 1
        day = _day(record.get("published"))
        if day is None:
            self.undated[name] += 1
        else:
            self.by_day[name][day] += 1
            span = self.published_range.setdefault(name, [day, day])
            span[0], span[1] = min(span[0], day), max(span[1], day)
        have = self.coverage[name]
        for key in RECORD_FIELDS:
            if record.get(key):
                have[key] += 1
        if record.get("source"):
            self.sources[str(record["source"])] += 1
        for author in record.get("authors") or ():
            self.authors[str(author)] += 1
        for keyword in record.get("keywords") or ():
            self.keywords[str(keyword)] += 1
        self.languages[str(record.get("language") or "unknown")] += 1
        self.extractor_versions[str(record.get("extractor_version") or "unknown")] += 1
        try:
            self.versions[int(record.get("version") or 1)] += 1
        except (TypeError, ValueError):
            self.versions[1] += 1
        fetched = str(record.get("fetched_at") or "")
        if fetched:
            if not self.fetched:
                self.fetched = [fetched, fetched]
            self.fetched = [min(self.fetched[0], fetched), max(self.fetched[1], fetched)]
        if cluster_size is not None and cluster_size > 1:
            self.duplicated[name] += 1


def _day(value: Any) -> str | None:
    text = str(value or "")[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def summarize(dataset: Dataset, clusters: Clusters | None) -> Summary:
    """Count the dataset (``clusters`` in the dataset's order, from ``find_clusters``)."""
    summary = Summary()
    for index, record in enumerate(dataset):
        summary.add(record, clusters.size(index) if clusters is not None else None)
    summary.clusters = clusters.count if clusters is not None else 0
    return summary


def run_manifests(files: list[Path]) -> list[dict[str, Any]]:
    """The manifests of the runs that wrote the input files, in file order, then run order.

    A run's manifest is ``runs/<run id>.json`` in its JSONL's folder and names that file (``output``);
    with ``-o PATH`` the file is not named after the run, and several runs may append to it."""
    by_output: dict[Path, list[dict[str, Any]]] = {}
    for folder in dict.fromkeys(path.parent / "runs" for path in files):
        for manifest in sorted(folder.glob("*.json")):
            data = read_manifest(manifest)
            output = data.get("output") if data is not None else None
            if data is not None and isinstance(output, str):
                by_output.setdefault(Path(output).resolve(), []).append(data)
    return [data for path in dict.fromkeys(p.resolve() for p in files) for data in by_output.get(path, [])]
