"""Property tests: no input makes ``newscrawl.extract.extract_article`` raise.

Random, broken HTML (``RANDOM_EXAMPLES`` documents) and real pages from ../shared/corpus, mangled
(``MANGLED_EXAMPLES``; skipped without the corpus), always give a record with every extracted field,
of the documented types, that the JSONL writer can serialise (``tests.fuzzing.check_record``). The
examples are derandomised, so a run is reproducible; ``python -m bench.fuzz`` draws many more, with
fresh randomness.

Found here and fixed: a C0 control character (a stray ``\x01``) in an attribute name or in text after a
dropped script made lxml refuse the string ("All strings must be XML compatible"); the reproducer is
pinned at the end.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import extract_article
from tests.fuzzing import FETCHED_AT, URLS, check_record, corpus_pages, mangled_pages, random_pages

RANDOM_EXAMPLES = 300
MANGLED_EXAMPLES = 120
BYTES_EXAMPLES = 50
PAGES = corpus_pages()
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


def extract(page: bytes | str, url: str, charset: str | None = None) -> dict[str, Any] | None:
    """``extract_article`` at the benchmark's fixed fetch time."""
    return extract_article(page, url, fetched_at=FETCHED_AT, http_charset=charset)


@settings(FUZZ, max_examples=RANDOM_EXAMPLES)
@given(page=random_pages(), url=st.sampled_from(URLS))
def test_random_html_never_raises(page: bytes | str, url: str) -> None:
    check_record(extract(page, url))


@pytest.mark.skipif(not PAGES, reason="../shared/corpus is not present")
@settings(FUZZ, max_examples=MANGLED_EXAMPLES)
@given(page=mangled_pages(PAGES), url=st.sampled_from(URLS))
def test_mangled_real_pages_never_raise(page: tuple[str, bytes | str], url: str) -> None:
    _, data = page
    check_record(extract(data, url))


@settings(FUZZ, max_examples=BYTES_EXAMPLES)
@given(data=st.binary(max_size=4096), charset=st.sampled_from((None, "utf-8", "gbk", "big5", "bogus")))
def test_arbitrary_bytes_never_raise(data: bytes, charset: str | None) -> None:
    check_record(extract(data, URLS[0], charset))


def test_a_record_with_a_wrong_field_type_fails_the_check() -> None:
    record = extract_article(b"<html><body><h1>t</h1><p>x</p></body></html>", URLS[0], fetched_at=FETCHED_AT)
    check_record(record)
    with pytest.raises(AssertionError):
        check_record({**record, "authors": "王明"})


def test_control_character_in_an_attribute_name() -> None:
    record = extract_article(
        b'<html><head><meta \x01name="a" content="b"><meta name="keywords" content="\xe7\x87\x83\xe6\xb0\x94">'
        b"</head><body><h1>\xe6\xa0\x87\xe9\xa2\x98</h1></body></html>",
        URLS[0],
        fetched_at=FETCHED_AT,
    )
    check_record(record)
    assert record["title"] == "标题"
