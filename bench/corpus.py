"""Where the third-party page corpus lives (../shared/corpus, absent on some machines) and its indexes.

Layout: ``<source>/ground_truth.jsonl`` (one row per page: ``file`` under ``<source>/``, ``url`` …),
``labels/dev.jsonl`` and ``zh_index.jsonl`` (the Chinese-language pages, ``file`` relative to the corpus).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def corpus_urls(corpus: Path = CORPUS) -> dict[str, str]:
    """``<source>/<file>`` → the page's URL ("" when unknown), from every ``*/ground_truth.jsonl``."""
    urls: dict[str, str] = {}
    for truth in sorted(corpus.glob("*/ground_truth.jsonl")):
        for row in load_jsonl(truth):
            urls[f"{truth.parent.name}/{row['file']}"] = row.get("url") or ""
    return urls


def zh_index(corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """The rows of ``zh_index.jsonl`` (the Chinese-language pages), in file order."""
    return load_jsonl(corpus / "zh_index.jsonl")


def zh_files(corpus: Path = CORPUS) -> list[str]:
    """The Chinese-language pages (paths relative to the corpus), in ``zh_index.jsonl`` order."""
    return [row["file"] for row in zh_index(corpus)]
