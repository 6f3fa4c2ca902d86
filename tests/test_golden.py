"""Golden tests: every saved page under tests/fixtures/sites/ must extract exactly as its expected.json.

No per-site test code: a new case is a folder (response.html as raw bytes, response.json, expected.json).
One test per field, so a failure names the field that broke.

expected.json may carry two keys of its own: ``"_draft": true`` (written by ``newscrawl new-site``; a draft
fails until someone has checked every field and removed the key) and ``"_known_problems": {field: why}``
(fields the extractor still gets wrong on this markup: they run as strict xfails, so a fix shows up).
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import Any

import pytest

from newscrawl.extract import extract_article
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.registry import get_site
from tests.conftest import Case, article_cases

# Fields the fixture cannot pin down: they depend on the run, or are derived from other fields.
UNCHECKED = {"fetched_at", "content_hash", "field_sources", "extractor_version"}
CASES = article_cases()


@cache
def extracted(case: Case, selectors: bool = True) -> dict[str, Any]:
    site = get_site(case.site)
    if not selectors:
        site = dataclasses.replace(site, selectors={})
    return extract_article(
        case.body, case.response["url"], site=site, fetched_at=case.fetched_at, http_charset=case.http_charset
    )


def test_there_are_cases() -> None:
    assert len(CASES) >= 2


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_expected_covers_every_field(case: Case) -> None:
    missing = set(ARTICLE_FIELDS) - UNCHECKED - set(case.expected)
    assert not missing, f"{case.id}: expected.json lacks {sorted(missing)}"


@pytest.mark.parametrize(
    ("case", "field"),
    [(c, f) for c in CASES for f in ARTICLE_FIELDS if f not in UNCHECKED],
    ids=lambda v: v.id if isinstance(v, Case) else v,
)
def test_field(case: Case, field: str, request: pytest.FixtureRequest) -> None:
    expected = case.expected
    if field not in expected:
        pytest.skip("not pinned by this fixture")
    known = expected.get("_known_problems", {})
    if field in known:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"known extractor problem: {known[field]}"))
    assert extracted(case)[field] == expected[field]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_generic_cascade_without_selectors(case: Case) -> None:
    """Site selectors are hints: the generic cascade alone must give the same record."""
    record = extracted(case, selectors=False)
    known = case.expected.get("_known_problems", {})
    wrong = {
        f: record[f]
        for f in ARTICLE_FIELDS
        if f in case.expected and f not in known and record[f] != case.expected[f]
    }
    assert not wrong


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_expected_is_not_a_draft(case: Case) -> None:
    """``newscrawl new-site`` writes the extractor's output as a draft: it is no spec until checked by hand."""
    assert "_draft" not in case.expected, (
        f"{case.id}/expected.json is an uncorrected draft: check every field against the page, fix it, "
        'then delete the "_draft" and "_note" keys'
    )
    assert set(case.expected.get("_known_problems", {})) <= set(ARTICLE_FIELDS) - UNCHECKED


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_site_found_by_domain(case: Case) -> None:
    record = extract_article(case.body, case.response["url"], fetched_at=case.fetched_at)
    assert record["site"] == case.site


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_derived_fields(case: Case) -> None:
    record = extracted(case)
    assert re.fullmatch(r"[0-9a-f]{40}", record["content_hash"])
    assert record["fetched_at"] == case.fetched_at.isoformat()
    assert record["field_sources"]["title"] in {"selector", "jsonld", "meta", "heuristic"}
    assert list(record)[: len(ARTICLE_FIELDS)] == list(ARTICLE_FIELDS)
