"""The export: selected records (latest versions, filtered) with their near-duplicate clusters, to a writer.

Three streaming passes over the input: the latest version of each article, then the MinHash of every
selected body (only when ``cluster_id`` / ``cluster_size`` are wanted), then the output.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newscrawl.dataset.neardup import THRESHOLD, Clusters, NearDuplicates
from newscrawl.dataset.read import Dataset, article_key, key_hash
from newscrawl.dataset.write import CLUSTER_FIELDS, Writer


def find_clusters(dataset: Dataset, threshold: float = THRESHOLD) -> Clusters:
    """Near-duplicate clusters of the dataset's records, in iteration order."""
    with NearDuplicates(threshold) as finder:
        for record in dataset:
            finder.add(key_hash(article_key(record)), str(record.get("body") or ""))
        return finder.clusters()


def with_clusters(dataset: Dataset, clusters: Clusters | None) -> Iterator[dict[str, Any]]:
    """The dataset's records with ``cluster_id`` and ``cluster_size`` set (when clusters are given)."""
    for index, record in enumerate(dataset):
        if clusters is not None:
            if index >= len(clusters.ids):  # the input changed under us: cannot happen with size snapshots
                raise RuntimeError("the dataset changed between passes")
            record["cluster_id"] = clusters.cluster_id(index)
            record["cluster_size"] = clusters.size(index)
        yield record


@dataclass
class ExportResult:
    """What was exported."""

    records: int
    clusters: int | None
    """Number of near-duplicate clusters (None when they were not computed)."""
    duplicates: int
    """Records that are near-duplicates of an earlier-counted one: records minus clusters."""


def export(
    dataset: Dataset, writer: Writer, fields: tuple[str, ...], threshold: float = THRESHOLD
) -> ExportResult:
    """Write the dataset's records to ``writer``; clusters only when a cluster field is wanted."""
    clusters = find_clusters(dataset, threshold) if any(f in CLUSTER_FIELDS for f in fields) else None
    count = 0
    for record in with_clusters(dataset, clusters):
        writer.write(record)
        count += 1
    writer.close()
    groups = clusters.count if clusters is not None else None
    return ExportResult(
        records=count, clusters=groups, duplicates=count - groups if groups is not None else 0
    )
