"""Near-duplicate detection on the labelled pairs of real pages (bench/near_duplicate_pairs.jsonl):
the same measurement as ``make bench-neardup``, with a floor. Skipped when ../shared/corpus is absent."""

from __future__ import annotations

import json

from bench.near_duplicates import EDITS, PAIRS, evaluate, load_pairs
from newscrawl.dataset.neardup import THRESHOLD
from tests.conftest import CORPUS, needs_corpus


def test_pair_file_names_files_and_labels_only() -> None:
    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    assert {k for row in rows for k in row} <= {"a", "b", "label", "kind", "edit_a", "edit_b", "note"}
    assert {row["label"] for row in rows} == {"duplicate", "distinct"}
    assert all(row.get(k) in (None, *EDITS) for row in rows for k in ("edit_a", "edit_b"))
    pairs = load_pairs()
    assert sum(p.duplicate for p in pairs) >= 80
    assert sum(p.real for p in pairs) >= 70


@needs_corpus
def test_precision_and_recall_on_labelled_pairs() -> None:
    assert all((CORPUS / p.a).is_file() and (CORPUS / p.b).is_file() for p in load_pairs())
    result = evaluate(load_pairs(), THRESHOLD)
    overall, real = result["overall"], result["real"]
    assert overall.precision >= 0.98, overall.line("all")
    assert overall.recall >= 0.95, overall.line("all")
    assert real.precision == 1.0, real.line("real")
    assert real.recall == 1.0, real.line("real")
