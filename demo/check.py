"""Compare a crawl's JSONL with a portal manifest: found, missed, non-articles, duplicates, wrong fields."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.items import RECORD_FIELDS, Article

# Expected type of every record field (a str | None field may be null).
_NULLABLE = {
    "canonical_url",
    "published",
    "published_raw",
    "modified",
    "source",
    "section",
    "summary",
    "language",
    "encoding",
}
_LISTS = {"authors", "editors", "keywords", "images"}
_INTS = {"version"}


@dataclass
class Report:
    """What a crawl got right and wrong against the manifest."""

    expected: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    non_articles: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    bad_types: list[str] = field(default_factory=list)
    wrong: dict[str, list[str]] = field(default_factory=dict)
    """field → paths of articles where it differs from the manifest."""

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 0.0

    def line(self) -> str:
        """One-line verdict."""
        wrong = ", ".join(f"{k} {len(v)}" for k, v in sorted(self.wrong.items())) or "none"
        return (
            f"demo check: {self.found}/{self.expected} portal articles found ({self.recall:.0%}), "
            f"{len(self.non_articles)} non-article pages, {len(self.duplicates)} duplicates, "
            f"{len(self.bad_types)} lines with a wrong field type; fields differing from the manifest: {wrong}"
        )


def type_errors(record: dict[str, Any]) -> list[str]:
    """Fields of a record that are missing or of the wrong type."""
    errors = [f"missing {k}" for k in RECORD_FIELDS if k not in record]
    for key in Article.__dataclass_fields__:
        value = record.get(key)
        if key in _LISTS:
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif key in _INTS:
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        elif key == "field_sources":
            ok = isinstance(value, dict)
        elif key in _NULLABLE:
            ok = value is None or isinstance(value, str)
        else:
            ok = isinstance(value, str)
        if not ok:
            errors.append(f"{key}={value!r}")
    return errors


def _path(url: str) -> str:
    return urlsplit(url).path


def compare(records: list[dict[str, Any]], manifest: dict[str, Any]) -> Report:
    """Check records (one per JSONL line) against the manifest's articles and non-article pages."""
    report = Report(expected=len(manifest["articles"]))
    by_path: dict[str, dict[str, Any]] = {}
    non_articles = set(manifest.get("non_articles", [])) | set(manifest.get("listings", []))
    for record in records:
        if type_errors(record):
            report.bad_types.append(record.get("url", "?"))
        path = _path(record.get("canonical_url") or record["url"])
        if path in by_path:
            report.duplicates.append(path)
        by_path[path] = record
        if path in non_articles:
            report.non_articles.append(path)
    for expected in manifest["articles"]:
        record = by_path.get(expected["path"])
        if record is None:
            report.missing.append(expected["path"])
            continue
        report.found += 1
        for name in _differences(record, expected):
            report.wrong.setdefault(name, []).append(expected["path"])
    return report


def _differences(record: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    body = record.get("body") or ""
    paragraphs = body.split("\n\n") if body else []
    checks = {
        "title": record["title"] == expected["title"],
        "published": record["published"] == expected["published"],
        "source": record["source"] == expected["source"],
        "authors": record["authors"] == expected["authors"],
        "editors": record["editors"] == expected["editors"],
        "keywords": record["keywords"] == expected["keywords"],
        "section": record["section"] == expected["section"],
        "body_start": body.startswith(expected["body_first"]),
        "body_end": body.endswith(expected["body_last"]),
        "paragraphs": len(paragraphs) == expected["paragraphs"],
        "images": [_path(u) for u in record["images"]] == expected["images"],
    }
    return [name for name, ok in checks.items() if not ok]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
