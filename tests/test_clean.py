"""Text cleaning (``newscrawl.extract.clean``): the fast path of ``clean_text`` changes nothing, and the
content hash folds what it says it folds (in C and in Python alike)."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newscrawl.extract import clean
from newscrawl.extract.article import _mostly_in
from newscrawl.extract.clean import _NEWLINES, clean_body, clean_paragraphs, clean_text, content_hash

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_PIECES = (
    *"ab新闻 \t\n\r\f\v\u00a0\u1680\u2000\u2005\u200a\u200b\u200c\u200d\u200e\u200f\u2028\u202f\u205f\u2060"
    "\u3000\ufeff\u00ad\u180e\x85",
)


def _reference(value: str) -> str:
    """What clean_text did before it had a fast path: both substitutions, always."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", value)).strip()


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_clean_text_is_the_two_substitutions(value: str) -> None:
    assert clean_text(value) == _reference(value)


def test_clean_text_examples() -> None:
    assert clean_text("  新闻\u3000\u3000标题\u200b ") == "新闻 标题"
    assert clean_text("a \u200b b") == "a b"  # the zero-width space goes, then the two spaces collapse
    assert clean_text("already clean") == "already clean"
    assert clean_text("line\n\nbreaks stay") == "line\n\nbreaks stay"


def _overlap_share(text: str, other: str) -> float:
    grams = {text[i : i + 2] for i in range(len(text) - 1) if not text[i : i + 2].isspace()}
    return sum(1 for g in grams if g in other) / len(grams) if grams else 0.0


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.text("新闻发布会 ab", max_size=14), st.text("新闻发布会 ab", max_size=40))
def test_summary_overlap_check_is_the_forty_percent_share(text: str, other: str) -> None:
    """The summary check stops early; it must agree with the share of pairs it replaced."""
    assert _mostly_in(text, other) == (_overlap_share(text, other) >= 0.4)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(
    st.lists(st.sampled_from((*_PIECES, "\n\n", "\n\n", "（完）", "责编：王五")), max_size=14).map("".join)
)
@example("段一\n \n段二")
@example("段一\n\n\n段二\n段三")
@example("段一 \u3000\n\n\u200b 段二\n\n \n\n（完）")
def test_clean_body_splits_paragraphs_as_the_blank_line_regex_does(body: str) -> None:
    assert clean_body(body) == "\n\n".join(clean_paragraphs(_NEWLINES.split(body.strip())))


def test_content_hash_folds_width_case_whitespace_and_punctuation() -> None:
    # What is left of all of these is "abc12你好world" (full-width letters and digits are NFKC-folded).
    expected = hashlib.sha1("abc12你好world".encode()).hexdigest()
    for body in (
        "ＡＢＣ１２，你好 World!",
        "abc12你好world",
        "A.B.C 1-2\n\n你 好——WORLD。",
        "abc_12 你好 world",
    ):
        assert content_hash(body) == expected, body
    assert content_hash("abc12你好worlds") != expected
    assert content_hash("abc21你好world") != expected  # order counts


@pytest.mark.skipif(
    clean.alnum_utf8 is clean.alnum_utf8_py, reason="newscrawl.extract._ctext is not built (no C compiler)"
)
def test_c_alnum_fold_is_the_python_one_for_every_code_point() -> None:
    every = "".join(map(chr, range(0x110000)))  # lone surrogates too: neither keeps them
    assert clean.alnum_utf8(every) == clean.alnum_utf8_py(every)
    for text in ("", "_", "a_b", "新闻2026", "\U0001d7d8\u00b2\u2167x"):  # math digit, ², Ⅷ: kept
        assert clean.alnum_utf8(text) == clean.alnum_utf8_py(text), text
