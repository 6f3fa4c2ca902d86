"""Scoring helpers for the accuracy benchmark: shingle body metric, tokenizers, date/title/author matching.

The body metric is the one of scrapinghub/article-extraction-benchmark (``evaluate.py``), written anew:
tokens → 4-gram shingles → multiset TP/FP/FN per page, normalised to sum 1 → mean precision and recall
over pages → F1 = 2PR/(P+R). Pure module: no corpus, no rival libraries.
"""

from __future__ import annotations

import random
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "BodyScore",
    "PageCounts",
    "author_names",
    "authors_match",
    "body_score",
    "cjk_tokens",
    "iso_datetime",
    "same_day",
    "shingle_counts",
    "shingle_match",
    "titles_match",
    "word_tokens",
]

Tokenizer = Callable[[str | None], list[str]]

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words: Han ideographs (BMP blocks and the supplementary
# planes), hiragana and katakana. Hangul is left to \w+ because Korean separates words by spaces.
_CJK_CHARS = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"  # 々 〇 Hangzhou numerals
    "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff"  # hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ext A, unified, compatibility
    "\U00020000-\U0003134f"  # ext B–G
)
_CJK_TOKEN = re.compile(rf"[{_CJK_CHARS}]|[^\W{_CJK_CHARS}]+")


def word_tokens(text: str | None) -> list[str]:
    """Zyte tokenizer: runs of ``\\w`` characters (a run of Chinese is a single token)."""
    return _WORD.findall(text or "")


def cjk_tokens(text: str | None) -> list[str]:
    """One token per Han/kana character; ``\\w+`` runs for every other script."""
    return _CJK_TOKEN.findall(text or "")


def shingle_counts(tokens: Sequence[str], n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n tokens is one short shingle (as upstream)."""
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


@dataclass(frozen=True, slots=True)
class PageCounts:
    """Shingle TP/FP/FN of one page, normalised so that tp + fp + fn = 1 (all 0 when both are empty)."""

    tp: float
    fp: float
    fn: float
    exact: bool
    """The token sequences are identical."""

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted (upstream skips the page in the mean)."""
        if self.tp + self.fp == 0:
            return None
        return 1.0 if self.fp == self.fn == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """None when the truth is empty."""
        if self.tp + self.fn == 0:
            return None
        return 1.0 if self.fp == self.fn == 0 else self.tp / (self.tp + self.fn)


def shingle_match(
    true: str | None, pred: str | None, tokenize: Tokenizer = word_tokens, n: int = 4
) -> PageCounts:
    """Compare one predicted body with the truth by n-gram shingles."""
    true_tokens, pred_tokens = tokenize(true), tokenize(pred)
    t, p = shingle_counts(true_tokens, n), shingle_counts(pred_tokens, n)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total:
        return PageCounts(tp / total, fp / total, fn / total, true_tokens == pred_tokens)
    return PageCounts(0.0, 0.0, 0.0, true_tokens == pred_tokens)


@dataclass(frozen=True, slots=True)
class BodyScore:
    """Corpus-level shingle scores; ``f1_sd`` is the bootstrap standard deviation of F1 (as published)."""

    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int
    f1_sd: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Rounded numbers for JSON output."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _prf(pages: Sequence[PageCounts]) -> tuple[float, float, float]:
    precisions = [p for p in (c.precision for c in pages) if p is not None]
    recalls = [r for r in (c.recall for c in pages) if r is not None]
    prec = statistics.fmean(precisions) if precisions else 0.0
    rec = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f1, prec, rec


def body_score(pages: Sequence[PageCounts], *, bootstrap: int = 0, seed: int = 0) -> BodyScore:
    """Mean precision and recall over pages, F1 of the means, exact-match accuracy; optional bootstrap."""
    f1, prec, rec = _prf(pages)
    accuracy = sum(c.exact for c in pages) / len(pages) if pages else 0.0
    sd = None
    if bootstrap and len(pages) > 1:
        rng = random.Random(seed)
        sd = statistics.stdev(_prf(rng.choices(pages, k=len(pages)))[0] for _ in range(bootstrap))
    return BodyScore(f1, prec, rec, accuracy, len(pages), sd)


# Dates: "2021-05-20 09:56", "2021/5/20", "2021年05月20日 09:56:12", "2021.05.20T09:56:00+08:00".
_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2}))?)?"
)


def iso_datetime(raw: str | None) -> str | None:
    """The first Y-M-D[ h:m[:s]] date in a string as ISO 8601 without zone; None if there is none.

    Used to put rival extractors' free-form date strings into the scorer's format; the wall-clock
    time is kept as written (no zone conversion).
    """
    if not raw:
        return None
    m = _DATE.search(unicodedata.normalize("NFKC", str(raw)))
    if not m:
        return None
    year, month, day, hour, minute, second = m.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    out = f"{year}-{int(month):02d}-{int(day):02d}"
    if hour is not None and int(hour) < 24 and int(minute) < 60:
        out += f"T{int(hour):02d}:{int(minute):02d}:{int(second or 0):02d}"
    return out


def same_day(pred: str | None, truth: str) -> bool:
    """The prediction's first ten characters equal the truth's YYYY-MM-DD (null is wrong)."""
    return bool(pred) and str(pred)[:10] == truth[:10]


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def titles_match(pred: str | None, truth: str, *, fold: bool = False) -> bool:
    """Exact match after collapsing whitespace runs to one space and stripping the ends.

    ``fold`` also applies NFKC and casefolding to both sides.
    """
    if fold:
        pred, truth = (
            unicodedata.normalize("NFKC", pred or "").casefold(),
            unicodedata.normalize("NFKC", truth).casefold(),
        )
    return _squash(pred) == _squash(truth)


_PUNCT_CATEGORIES = ("P", "S")
# Connectors that join names in a single author string ("A und B", "A and B", "A et B").
_CONNECTORS = frozenset({"and", "und", "et", "y", "&", "和", "与", "及"})


def _clean_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(" " if unicodedata.category(ch)[0] in _PUNCT_CATEGORIES else ch for ch in text)
    return " ".join(text.split())


def author_names(value: str | Iterable[str] | None) -> set[str]:
    """Normalised names: a string is split on ';' (trafilatura's separator), a list item per name."""
    if value is None:
        return set()
    items = [value] if isinstance(value, str) else list(value)
    names = (_clean_name(part) for item in items for part in str(item).split(";"))
    return {n for n in names if n}


def _name_tokens(names: set[str]) -> set[str]:
    return {tok for name in names for tok in name.split() if tok not in _CONNECTORS}


# A truth string that names several people: "A, B", "A & B", "A und B", "王建宏 张文攀".
_SEVERAL = re.compile(r"[,;&/、，；]|\s(?:and|und|et|y)\s|[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", re.IGNORECASE)


def authors_match(pred: str | Iterable[str] | None, truth: str | Iterable[str]) -> bool:
    """Same set of normalised names; for a truth naming several people, the same set of name words.

    The word-set fallback is only for truths with several names, so that a single name split into
    words ("Robin Tschöpe" → ["Robin", "Tschöpe"]) still counts as wrong.
    """
    want, got = author_names(truth), author_names(pred)
    if not got:
        return False
    if want == got:
        return True
    raw = truth if isinstance(truth, str) else ";".join(truth)
    several = len(want) > 1 or bool(_SEVERAL.search(raw))
    return several and _name_tokens(want) == _name_tokens(got)
