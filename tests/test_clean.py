"""Text cleaning (``newscrawl.extract.clean``): the fast path of ``clean_text`` changes nothing, and the
content hash folds what it says it folds (in C and in Python alike)."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import unicodedata

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


def _nfkc_fold(text: str) -> bytes:
    """What the content hash hashes, the slow way it is defined by."""
    return clean.alnum_utf8_py(unicodedata.normalize("NFKC", text).casefold())


_FOLD_CHARS = re.compile(f"[{clean.HASH_FOLD_CHARS}]")
_IN_FOLD_SET = [chr(cp) for cp in range(0x110000) if _FOLD_CHARS.fullmatch(chr(cp))]


def _composition_seconds() -> set[str]:
    """Every character that canonical composition may join to the character before it."""
    seconds = {chr(cp) for cp in (*range(0x1161, 0x1176), *range(0x11A8, 0x11C3))}  # Hangul V and T jamo
    for cp in range(0x110000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    return seconds


def test_hash_fold_characters_fold_alone() -> None:
    """The claim that lets the fast fold go one character at a time: under NFKC, none of its characters
    joins the one before it or changes the one after it."""
    seconds = _composition_seconds()
    assert 45_000 < len(_IN_FOLD_SET) < 50_000
    for ch in _IN_FOLD_SET:
        decomposed = unicodedata.normalize("NFKD", ch)
        assert unicodedata.combining(ch) == 0, hex(ord(ch))
        assert ch not in seconds, hex(ord(ch))
        assert unicodedata.combining(decomposed[0]) == 0, hex(ord(ch))
        assert decomposed[0] not in seconds, hex(ord(ch))
        assert clean.hash_fold_py(ch) == _nfkc_fold(ch), hex(ord(ch))


def test_hash_fold_takes_only_its_characters() -> None:
    taken = {chr(cp) for cp in range(0x110000) if clean.hash_fold_py(chr(cp)) is not None}
    assert taken == set(_IN_FOLD_SET)
    assert clean.hash_fold_py("新闻\u2103") is None  # ℃: NFKC makes "°C", not in the set
    assert clean.hash_fold_py("Straße") is None  # ß casefolds to "ss"
    assert clean.hash_fold_py("") == b""


@pytest.mark.skipif(
    clean.hash_fold is clean.hash_fold_py, reason="newscrawl.extract._ctext is not built (no C compiler)"
)
def test_c_hash_fold_is_the_python_one_for_every_code_point() -> None:
    for cp in range(0x110000):
        ch = chr(cp)
        assert clean.hash_fold(ch) == clean.hash_fold_py(ch), hex(cp)
    text = "".join(_IN_FOLD_SET)
    assert clean.hash_fold(text) == clean.hash_fold_py(text) == _nfkc_fold(text)
    assert clean.hash_fold(text + "\U0001d7d8") is None  # one character outside the set: the slow path


_FOLD_PIECES = (
    "Ａ",
    "ｚ",
    "１",
    "，",
    "É",
    "é",
    "ÿ",
    "ü",
    "\u3000",
    "…",
    "“",
    "新",
    "闻",
    "か",
    "ガ",
    "a",
    "Z",
    "_",
    " ",
)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_FOLD_PIECES), max_size=16).map("".join))
@example("ＡＢＣ１２，你好 World!")
def test_hash_fold_is_the_nfkc_fold(text: str) -> None:
    assert clean.hash_fold(text) == clean.hash_fold_py(text) == _nfkc_fold(text)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.text(max_size=12))
def test_content_hash_is_the_nfkc_hash_for_any_text(text: str) -> None:
    assert content_hash(text) == hashlib.sha1(_nfkc_fold(text)).hexdigest()


def test_a_stale_compiled_module_is_said_and_the_twin_runs() -> None:
    """A ``_ctext`` built from an older .pyx (no hash_fold) must not break the hash, nor go unnoticed."""
    code = (
        "import re, sys, types\n"
        "old = types.ModuleType('newscrawl.extract._ctext')  # has what the build had before hash_fold\n"
        "old.alnum_utf8 = lambda text: ''.join(re.findall(r'[^\\W_]+', text)).encode()\n"
        "old.utf8_valid = lambda data: data.decode('utf-8', 'replace').encode('utf-8') == data\n"
        "sys.modules['newscrawl.extract._ctext'] = old\n"
        "from newscrawl.extract import clean\n"
        "assert clean.hash_fold is clean.hash_fold_py\n"
        "print(clean.content_hash('ＡＢＣ１２，你好 World!'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == hashlib.sha1("abc12你好world".encode()).hexdigest()
    assert "compiled text helpers are out of date (no hash_fold" in run.stderr
