"""Text cleaning shared by the extractor and the clean pipeline: whitespace, invisible characters, trailers."""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
import unicodedata
from collections.abc import Callable, MutableMapping
from typing import Any

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e]")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\s*\n\s*\n\s*")
# With no double space, these are all the two substitutions above would change: most texts (rendered
# lines) hold none. (A character class alone scans much faster than with a "  " alternative.)
_ODD_SPACE = re.compile(
    r"[\u200b-\u200f\u2060\ufeff\u00ad\u180e\t\r\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
)
# Closing lines that are not article text: hotline / mailbox / 来源 / 责编 / 原标题 notes in brackets,
# "（完）", and bare credit lines such as "责任编辑：王五" or "来源：新华社".
_TRAILER_WORDS = (
    r"热线|投稿|邮箱|信箱|电话|来源|稿源|责任编辑|责编|编辑|审核|校对|原标题|作者|记者|通讯员|摄影|图片|"
    r"本文|转载|版权|声明|举报|联系|微信|公众号|客户端|编译"
)
_BRACKET_TRAILER = re.compile(
    rf"^[（(【\[〔]\s*[^（()）【】\[\]]{{0,160}}(?:{_TRAILER_WORDS})[^（()）【】\[\]]{{0,200}}[）)】\]〕]$"
)
_END_TRAILER = re.compile(rf"\s*[（(【\[〔]\s*(?:{_TRAILER_WORDS})[^（()）【】\[\]]{{0,120}}[）)】\]〕]\s*$")
_CREDIT_LINE = re.compile(
    r"^(?:[（(【\[]\s*)?(?:责任编辑|责编|编辑|值班编辑|审核|校对|终审|初审|复审|二审|三审|来源|稿源|文章来源|本文来源|"
    r"信息来源|原标题|作者|撰稿|记者|通讯员|文章关键词|关键词|标签|图片来源|摄影)\s*[:：/].{0,80}$"
)
_END_MARKS = re.compile(r"^[（(【\[]?\s*(?:完|全文完|END|end|剧终)\s*[）)】\]]?$")
# What the hash keeps: letters and digits of any script (``\w`` without "_"; whitespace is ``\W``).
_HASH_KEEP = re.compile(r"[^\W_]+")


def clean_text(value: str) -> str:
    """Drop invisible characters and collapse spaces (full-width and no-break spaces included)."""
    if "  " not in value and not _ODD_SPACE.search(value):
        return value.strip()
    value = _INVISIBLE.sub("", value)
    return _SPACES.sub(" ", value).strip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Clean each paragraph and cut trailers (hotline, 来源, 责编, 原标题 notes, "（完）") at the end."""
    paras = [p for p in (clean_text(p) for p in paragraphs) if p]
    while paras:
        last = paras[-1]
        if _BRACKET_TRAILER.match(last) or _CREDIT_LINE.match(last) or _END_MARKS.match(last):
            paras.pop()
            continue
        stripped = _END_TRAILER.sub("", last)
        if stripped != last:
            if stripped:
                paras[-1] = stripped
            else:
                paras.pop()
            continue
        break
    while paras and (_CREDIT_LINE.match(paras[0]) or _BRACKET_TRAILER.match(paras[0])):
        paras.pop(0)
    return paras


def clean_body(body: str) -> str:
    """Clean a body string whose paragraphs are separated by blank lines."""
    if not body:
        return ""
    return "\n\n".join(clean_paragraphs(_split_paragraphs(body.strip())))


def _split_paragraphs(body: str) -> list[str]:
    # The extractor joins paragraphs with "\n\n": when every newline is in such a pair, a plain split
    # gives what the regex gives once clean_paragraphs has stripped the pieces' edges and dropped the
    # blank ones. The regex tries a match at every character (a tenth of the cleaning time).
    if body.count("\n") == 2 * body.count("\n\n"):
        return body.split("\n\n")
    return _NEWLINES.split(body)


def alnum_utf8_py(text: str) -> bytes:
    """The letters and digits of ``text`` (``str.isalnum`` ones), in order, as UTF-8."""
    # Joining the kept runs is ~20 % faster than deleting the rest with sub().
    return "".join(_HASH_KEEP.findall(text)).encode("utf-8")


def compiled(name: str, twin: Callable[..., Any]) -> Callable[..., Any]:
    """The C version of ``twin`` from ``newscrawl/extract/_ctext.pyx`` (built by `pip install` when a C
    compiler is present), else ``twin``: when the module is not built, silently; when it was built from
    an older ``.pyx`` without ``name``, saying so in the log (same output, slower)."""
    try:
        module = importlib.import_module("newscrawl.extract._ctext")
    except ImportError:  # pragma: no cover — the build fell back to Python
        return twin
    function = getattr(module, name, None)
    if function is None:
        logging.getLogger(__name__).warning(
            "newscrawl: the compiled text helpers are out of date (no %s; rebuild them: pip install -e .); "
            "using the pure-Python one",
            name,
        )
        return twin
    return function


# The regex's list of runs was a third of the hash's time.
alnum_utf8 = compiled("alnum_utf8", alnum_utf8_py)


# The characters of most news bodies, which NFKC changes one by one or not at all (it composes none of
# them with its neighbour): ASCII and full-width ASCII, Latin-1 (not ß, which casefolds to "ss", nor
# ª ² ³ µ ¹ º ¼ ½ ¾), kana, hangul syllables, CJK ideographs, and punctuation, symbols and private-use
# characters that the hash's fold drops. tests/test_clean.py checks that claim against unicodedata for
# every one of them.
HASH_FOLD_CHARS = (
    "\x00-\xa9\xab-\xb1\xb4\xb6-\xb8\xbb\xbf-\xde\xe0-\xff"
    "\u2010-\u205e\u2190-\u23ff\u24eb-\u24ff\u2500-\u27bf"
    "\u3000-\u3029\u3030-\u3037\u303b-\u303f\u3041-\u3096\u309b-\u309e\u30a0-\u30fe"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\ue000-\uf8ff\ufe10-\ufe1f\ufe30-\ufe6f"
    "\uff01-\uff5e\ufffd"
)
_HASH_FOLD_TEXT = re.compile(f"[{HASH_FOLD_CHARS}]*")
_FULL_WIDTH_ASCII = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}


def hash_fold_py(text: str) -> bytes | None:
    """``alnum_utf8(unicodedata.normalize("NFKC", text).casefold())`` when ``text`` holds only
    ``HASH_FOLD_CHARS`` (where that is the characters' own folds, joined), else None."""
    if not _HASH_FOLD_TEXT.fullmatch(text):
        return None
    return alnum_utf8_py(text.translate(_FULL_WIDTH_ASCII).lower())


# Most bodies are folded in one pass, without NFKC's slow path (every full-width comma sends a Chinese body
# down it: a tenth of the time on long pages).
hash_fold = compiled("hash_fold", hash_fold_py)


def content_hash(body: str) -> str:
    """SHA-1 of the body with width, case, whitespace and punctuation folded away (NFKC, casefold, then
    only letters and digits kept)."""
    folded = hash_fold(body)
    if folded is None:
        folded = alnum_utf8(unicodedata.normalize("NFKC", body).casefold())
    return hashlib.sha1(folded).hexdigest()


def clean_record(record: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Clean every text field of an article record in place and return it (idempotent)."""
    for key in ("title", "source", "section", "summary", "published_raw"):
        value = record.get(key)
        if isinstance(value, str):
            record[key] = clean_text(value) or None
    if record.get("title") is None:
        record["title"] = ""
    for key in ("authors", "editors", "keywords"):
        items = record.get(key) or []
        seen: list[str] = []
        for item in items:
            text = clean_text(str(item))
            if text and text not in seen:
                seen.append(text)
        record[key] = seen
    record["body"] = clean_body(record.get("body") or "")
    record["content_hash"] = content_hash(record["body"]) if record["body"] else ""
    return record
