"""Accuracy benchmark of newscrawl's extractor against trafilatura, GNE and htmldate on ../shared/corpus.

usage: python -m bench.accuracy [--only dev|zyte|magic|htmldate|trafilatura] [--json PATH]
                                [--predictions DIR] [--misses N]

Reads only from ../shared (the corpus and the scorer ../shared/eval/score.py) and skips with one line
when the corpus is absent. The rivals are the ``bench`` extras (``pip install -e '.[bench]'``); a rival
that is not installed is left out with a note. Every extractor gets the same page bytes; the rivals get
them decoded by ``newscrawl.extract.encoding.decode_html`` (GNE needs text, and trafilatura's own
decoding would trust a lying ``<meta charset>``). newscrawl runs with ``site="generic"`` and a fixed
``fetched_at`` so that the numbers are reproducible.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import json
import logging
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.corpus import CORPUS, REPO, SHARED, load_jsonl, zh_files
from bench.metrics import (
    BodyScore,
    authors_match,
    body_score,
    cjk_tokens,
    iso_datetime,
    same_day,
    shingle_match,
    titles_match,
    word_tokens,
)
from newscrawl.extract import extract_article
from newscrawl.extract.encoding import decode_html
from newscrawl.items import EXTRACTOR_VERSION

SCORER = SHARED / "eval" / "score.py"
FETCHED_AT = datetime(2026, 11, 26, tzinfo=UTC)
SECTIONS = ("dev", "zyte", "magic", "htmldate", "trafilatura")
DEV_FIELDS = ("title", "published", "source", "authors", "editors", "keywords", "body_start", "body_end")

# trafilatura options: the best of five option sets tried on the Zyte and magic-html bodies
# (default, include_comments=False alone / + favor_recall / + favor_precision / + no_fallback).
TRAFILATURA_OPTIONS: dict[str, Any] = {"include_comments": False, "favor_precision": True}
# Its default date format is a bare day, which the scorer counts wrong against every labelled time;
# htmldate keeps the time when the page gives one (a day alone comes out as T00:00:00).
TRAFILATURA_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
HTMLDATE_OPTIONS: dict[str, Any] = {"extensive_search": True, "original_date": True}

Prediction = dict[str, Any]
"""One page in the scorer's format: title, published, source, authors, editors, keywords, body."""


@dataclass(frozen=True)
class Target:
    """A goal for one newscrawl number: acc ≥ minimum (and fp ≤ max_fp when given)."""

    minimum: float
    max_fp: float | None = None

    def label(self) -> str:
        fp = f", fp≤{self.max_fp:.2f}" if self.max_fp is not None else ""
        return f"≥{self.minimum:.2f}{fp}"

    def check(self, value: float | None, fp: float | None = None) -> str:
        ok = value is not None and value >= self.minimum
        if self.max_fp is not None:
            ok = ok and fp is not None and fp <= self.max_fp
        return f"{self.label()} {'✓' if ok else '✗'}"


DEV_TARGETS = {
    "title": Target(0.97),
    "published": Target(0.95),
    "source": Target(0.90),
    "authors": Target(0.85, max_fp=0.10),
    "editors": Target(0.90),
    "keywords": Target(0.85),
    "body_start": Target(0.92),
    "body_end": Target(0.90),
}
ZYTE_TARGET = Target(0.96)
HTMLDATE_TARGET = Target(0.90)

# F1 published upstream for the files in zyte reference_outputs/ (README of the benchmark).
ZYTE_PUBLISHED_F1 = {
    "AutoExtract": 0.970,
    "Diffbot": 0.951,
    "boilerpipe": 0.860,
    "dragnet": 0.907,
    "go_trafilatura": 0.960,
    "goose3": 0.896,
    "html-text": 0.665,
    "justext": 0.804,
    "news_please": 0.948,
    "newspaper": 0.949,
    "readability": 0.922,
    "readability_js": 0.947,
    "trafilatura": 0.958,
}


# ---------------------------------------------------------------------------------------------- corpus


@dataclass(frozen=True)
class Page:
    """One saved page of the corpus with its ground-truth line."""

    source: str
    truth: dict[str, Any]

    @property
    def key(self) -> str:
        """Path relative to the corpus folder (the form labels/dev.jsonl uses)."""
        return f"{self.source}/{self.truth['file']}"

    @property
    def url(self) -> str:
        # 16 modern zh-cwced pages have no known URL; the extractors get an empty one.
        return self.truth.get("url") or ""

    def read(self) -> bytes:
        return (CORPUS / self.key).read_bytes()


def load_pages(source: str) -> list[Page]:
    return [Page(source, t) for t in load_jsonl(CORPUS / source / "ground_truth.jsonl")]


def load_scorer() -> ModuleType:
    """../shared/eval/score.py as a module (imported, never modified)."""
    spec = importlib.util.spec_from_file_location("shared_eval_score", SCORER)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------------------ extractors

ExtractFn = Callable[[bytes, str], Prediction]


def _empty() -> Prediction:
    return dict.fromkeys(("title", "published", "source", "body")) | {
        "authors": [],
        "editors": [],
        "keywords": [],
    }


def _newscrawl() -> ExtractFn:
    def run(html: bytes, url: str) -> Prediction:
        rec = extract_article(html, url, site="generic", fetched_at=FETCHED_AT)
        return {
            k: rec.get(k) for k in ("title", "published", "source", "authors", "editors", "keywords", "body")
        }

    return run


def _optional(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _trafilatura() -> ExtractFn | None:
    traf = _optional("trafilatura")
    if traf is None:
        return None

    def run(html: bytes, url: str) -> Prediction:
        dates = traf.settings.set_date_params() | {"outputformat": TRAFILATURA_DATE_FORMAT}
        doc = traf.bare_extraction(
            decode_html(html)[0],
            url=url or None,
            with_metadata=True,
            date_extraction_params=dates,
            **TRAFILATURA_OPTIONS,
        )
        if doc is None:
            return _empty()
        author = doc.author or ""
        return {
            "title": doc.title,
            "published": doc.date,
            # sitename is the site's own name, which the labels do not count as 来源.
            "source": None,
            "authors": [a.strip() for a in author.split(";") if a.strip()],
            "editors": [],
            "keywords": list(doc.tags or []) or list(doc.categories or []),
            "body": doc.text,
        }

    return run


def _gne() -> ExtractFn | None:
    gne = _optional("gne")
    if gne is None:
        return None
    extractor = gne.GeneralNewsExtractor()

    def run(html: bytes, url: str) -> Prediction:
        res = extractor.extract(decode_html(html)[0])
        author = (res.get("author") or "").strip()
        return _empty() | {
            "title": res.get("title") or None,
            # GNE returns the date string as written on the page; the scorer wants ISO 8601.
            "published": iso_datetime(res.get("publish_time")),
            "authors": [author] if author else [],
            "body": res.get("content") or None,
        }

    return run


def _htmldate() -> ExtractFn | None:
    htmldate = _optional("htmldate")
    if htmldate is None:
        return None

    def run(html: bytes, url: str) -> Prediction:
        return _empty() | {
            "published": htmldate.find_date(decode_html(html)[0], url=url or None, **HTMLDATE_OPTIONS)
        }

    return run


FACTORIES: dict[str, Callable[[], ExtractFn | None]] = {
    "newscrawl": _newscrawl,
    "trafilatura": _trafilatura,
    "GNE": _gne,
    "htmldate": _htmldate,
}


@dataclass
class Extractor:
    """An extraction function with its time and error counts for the current section."""

    name: str
    fn: ExtractFn
    seconds: float = 0.0
    pages: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    def __call__(self, page: Page, html: bytes) -> Prediction:
        start = time.perf_counter()
        try:
            pred = self.fn(html, page.url)
        except Exception as exc:  # noqa: BLE001 — a benchmark run must survive any page
            self.errors[type(exc).__name__] += 1
            pred = _empty()
        self.seconds += time.perf_counter() - start
        self.pages += 1
        return pred

    def speed(self) -> str:
        rate = self.pages / self.seconds if self.seconds else 0.0
        errors = ", ".join(f"{n}×{k}" for k, n in self.errors.most_common()) or "none"
        return (
            f"{self.name}: {self.pages} pages in {self.seconds:.1f}s = {rate:.1f} pages/s, errors: {errors}"
        )


class Run:
    """Shared state of one benchmark run: available extractors, predictions dir, JSON results."""

    def __init__(self, predictions: Path | None, misses: int) -> None:
        self.predictions = predictions
        self.misses = misses
        self.results: dict[str, Any] = {}
        self.fns = {name: factory() for name, factory in FACTORIES.items()}

    def extractors(self, *names: str) -> list[Extractor]:
        """Fresh extractors (zeroed timers) for the names that are installed."""
        return [Extractor(n, fn) for n in names if (fn := self.fns[n]) is not None]

    def predict(self, pages: Iterable[Page], extractors: list[Extractor]) -> dict[str, dict[str, Prediction]]:
        """extractor name → page key → prediction; the page bytes are read once for all extractors."""
        out: dict[str, dict[str, Prediction]] = {e.name: {} for e in extractors}
        for page in pages:
            html = page.read()
            for ext in extractors:
                out[ext.name][page.key] = ext(page, html)
        return out

    def save(self, section: str, preds: dict[str, dict[str, Prediction]]) -> None:
        if self.predictions is None:
            return
        self.predictions.mkdir(parents=True, exist_ok=True)
        for name, by_key in preds.items():
            path = self.predictions / f"{section}.{name}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for key, pred in by_key.items():
                    f.write(json.dumps({"file": key} | pred, ensure_ascii=False) + "\n")


def _f(value: float | None, width: int = 6) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:{width}.3f}"


def _header(title: str, *notes: str) -> None:
    print(f"\n=== {title}")
    for note in notes:
        print(f"    {note}")


def _footer(started: float, extractors: list[Extractor], result: dict[str, Any]) -> None:
    wall = time.perf_counter() - started
    print(f"  wall time {wall:.1f}s")
    for ext in extractors:
        print(f"  {ext.speed()}")
    result["wall_seconds"] = round(wall, 2)
    result["speed"] = {
        e.name: {"pages": e.pages, "seconds": round(e.seconds, 2), "errors": dict(e.errors)}
        for e in extractors
    }


# ---------------------------------------------------------------------------------------------- dev set


def section_dev(run: Run) -> None:
    """labels/dev.jsonl through score.py, newscrawl and the rivals side by side."""
    _header(
        "1. dev set: labels/dev.jsonl (74 Chinese pages), scored by ../shared/eval/score.py",
        "acc: share of labelled pages right (lists: mean set F1); fp: share of pages labelled null/[] "
        "where something was predicted.",
        "published@day (not from score.py): predicted YYYY-MM-DD equals the label's, whatever the time.",
        f"trafilatura: bare_extraction(with_metadata=True, {_kwargs(TRAFILATURA_OPTIONS)}, dates as "
        f"{TRAFILATURA_DATE_FORMAT}); keywords = tags (else categories); source = null (sitename is the site's "
        "own name, not 来源); editors = [].",
        "GNE: extract(text); publish_time → ISO by regex; author → [author]; no source/editors/keywords.",
    )
    if not SCORER.is_file():
        print(f"  skipped: {SCORER} is absent")
        return
    started = time.perf_counter()
    scorer = load_scorer()
    labels = load_jsonl(CORPUS / "labels" / "dev.jsonl")
    truth = {p.key: p for src in ("zh-cwced", "magic-html-article-benchmark") for p in load_pages(src)}
    pages = [truth[lab["file"]] for lab in labels]
    extractors = run.extractors("newscrawl", "trafilatura", "GNE")
    preds = run.predict(pages, extractors)
    run.save("dev", preds)

    scores = {name: scorer.score(labels, by_key) for name, by_key in preds.items()}
    for name, by_key in preds.items():
        scores[name]["published@day"] = _published_day(labels, by_key)
    names = list(preds)
    print(
        f"  {'field':14s} {'n':>3s} {'null':>4s}"
        + "".join(f" {n:>13s} {'fp':>5s}" for n in names)
        + "  target"
    )
    for fld in (*DEV_FIELDS, "published@day"):
        ref = scores[names[0]][fld]
        row = f"  {fld:14s} {ref['n']:3d} {ref['n_null']:4d}"
        for name in names:
            row += f" {_f(scores[name][fld]['acc'], 13)} {_f(scores[name][fld]['fp'], 5)}"
        if fld in DEV_TARGETS:
            row += "  " + DEV_TARGETS[fld].check(ref["acc"], ref["fp"])
        print(row)
    for name in names:
        a = scores[name]["authors"]
        print(
            f"  authors false positives, {name}: {_f(a['fp'], 0)} of {a['n_null']} pages labelled without authors"
        )
    result: dict[str, Any] = {"scores": scores}
    if run.misses:
        result["misses"] = _print_misses(scorer, labels, preds["newscrawl"], run.misses)
    _footer(started, extractors, result)
    run.results["dev"] = result


def _kwargs(options: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.items())


def _published_day(labels: list[dict[str, Any]], preds: dict[str, Prediction]) -> dict[str, Any]:
    hits = [
        same_day(preds.get(lab["file"], {}).get("published"), lab["published"])
        for lab in labels
        if lab.get("is_article") is not False and lab.get("published")
    ]
    return {"acc": round(sum(hits) / len(hits), 3) if hits else None, "n": len(hits), "fp": None, "n_null": 0}


_LABEL_KEYS = {"body_start": "body_first", "body_end": "body_last"}


def _print_misses(
    scorer: ModuleType, labels: list[dict[str, Any]], preds: dict[str, Prediction], limit: int
) -> dict[str, list[dict[str, Any]]]:
    """newscrawl's misses per field, found by scoring each page on its own with score.py."""
    misses: dict[str, list[dict[str, Any]]] = {f: [] for f in DEV_FIELDS}
    for lab in labels:
        pred = preds.get(lab["file"], {})
        one = scorer.score([lab], {lab["file"]: pred})
        for fld in DEV_FIELDS:
            r = one[fld]
            if (r["acc"] is not None and r["acc"] < 1) or r["fp"]:
                misses[fld].append(
                    {
                        "file": lab["file"],
                        "acc": r["acc"],
                        "predicted": _shown(fld, pred, lab, label=False),
                        "label": _shown(fld, pred, lab, label=True),
                    }
                )
    print(f"\n  newscrawl misses per field (first {limit}; acc<1 or a false positive):")
    for fld, rows in misses.items():
        print(f"  -- {fld}: {len(rows)} pages")
        for m in rows[:limit]:
            print(f"     {_short(m['file'])}  pred={m['predicted']!r}  label={m['label']!r}")
    return misses


def _shown(fld: str, pred: Prediction, lab: dict[str, Any], *, label: bool) -> Any:
    if fld in _LABEL_KEYS:
        if label:
            return lab.get(_LABEL_KEYS[fld])
        body = (pred.get("body") or "").replace("\n", " ")
        return body[:40] if fld == "body_start" else body[-40:]
    return lab.get(fld) if label else pred.get(fld)


def _short(key: str) -> str:
    source, _, rest = key.partition("/html/")
    return f"{source.split('-')[0]}/{rest[:12]}"


# ------------------------------------------------------------------------------------------ body sets


def _body_table(rows: dict[str, BodyScore], published: dict[str, float] | None = None) -> None:
    extra = "  published F1" if published else ""
    print(
        f"  {'extractor':16s} {'F1':>6s} {'±sd':>6s} {'prec':>6s} {'recall':>6s} {'exact':>6s} {'pages':>5s}{extra}"
    )
    for name, s in rows.items():
        line = f"  {name:16s} {s.f1:6.3f} {_f(s.f1_sd)} {s.precision:6.3f} {s.recall:6.3f} {s.accuracy:6.3f} {s.pages:5d}"
        if published and name in published:
            same = "✓ same" if round(s.f1, 3) == published[name] else "✗ differs"
            line += f"  {published[name]:.3f} {same}"
        print(line)


def section_zyte(run: Run) -> None:
    """Zyte article-extraction-benchmark: body F1 with the upstream shingle metric."""
    source = "zyte-article-extraction-benchmark"
    _header(
        f"2. Zyte article-extraction-benchmark ({source}, 181 pages): body",
        "metric: tokens \\w+, 4-gram shingles, per-page multiset TP/FP/FN normalised to sum 1, mean P and R over "
        "pages (pages with nothing predicted are left out of P, as upstream), F1 = 2PR/(P+R);",
        "exact = identical token sequence; ±sd = bootstrap sd of F1 (1000 resamples, seed 0).",
        "reference_outputs/ rows: upstream's saved outputs scored here, beside the F1 published upstream "
        "(a check of this metric).",
    )
    started = time.perf_counter()
    pages = load_pages(source)
    extractors = run.extractors("newscrawl", "trafilatura")
    preds = run.predict(pages, extractors)
    run.save("zyte", preds)
    live = {name: _score_bodies(pages, by_key, word_tokens) for name, by_key in preds.items()}
    reference: dict[str, BodyScore] = {}
    for path in sorted((CORPUS / source / "reference_outputs").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        output = data.get("output", data)  # some files wrap the id → prediction map in "output"
        bodies = {p.key: {"body": (output.get(p.truth["id"]) or {}).get("articleBody")} for p in pages}
        reference[path.stem] = _score_bodies(pages, bodies, word_tokens)
    print("  live runs:")
    _body_table(live)
    if "newscrawl" in live:
        print(f"  newscrawl target F1 {ZYTE_TARGET.check(live['newscrawl'].f1)}")
    print("  reference_outputs/ (upstream outputs, not run here):")
    _body_table(reference, ZYTE_PUBLISHED_F1)
    result = {
        "live": {n: s.as_dict() for n, s in live.items()},
        "reference_outputs": {
            n: s.as_dict() | {"published_f1": ZYTE_PUBLISHED_F1.get(n)} for n, s in reference.items()
        },
    }
    _footer(started, extractors, result)
    run.results["zyte"] = result


def _score_bodies(
    pages: list[Page], preds: dict[str, Prediction], tokenize: Callable[[str | None], list[str]]
) -> BodyScore:
    counts = [shingle_match(p.truth["body"], preds.get(p.key, {}).get("body"), tokenize) for p in pages]
    return body_score(counts, bootstrap=1000)


def section_magic(run: Run) -> None:
    """magic-html article benchmark: body F1, shingle metric with a CJK-aware tokenizer."""
    source = "magic-html-article-benchmark"
    _header(
        f"3. magic-html article benchmark ({source}, 157 pages; the list page with empty truth skipped): body",
        "metric: the Zyte shingle metric above, but tokens are single characters for Han ideographs and "
        "kana (no spaces between words) and \\w+ runs for all other scripts (Latin, Hangul…),",
        "so Chinese is compared by 4-character shingles instead of whole clauses.",
        "zh: the 53 pages whose truth is Chinese (script_guess=zh). Truth bodies include the headline; no "
        "extractor here puts it in the body.",
        "ROUGE-L of the magic-html README: skipped (it needs jieba tokens and sentence splitting to be comparable "
        "with the published table).",
    )
    started = time.perf_counter()
    pages = [p for p in load_pages(source) if p.truth.get("body")]
    extractors = run.extractors("newscrawl", "trafilatura", "GNE")
    preds = run.predict(pages, extractors)
    run.save("magic", preds)
    zh = [p for p in pages if p.truth.get("script_guess") == "zh"]
    every = {n: _score_bodies(pages, by_key, cjk_tokens) for n, by_key in preds.items()}
    chinese = {n: _score_bodies(zh, by_key, cjk_tokens) for n, by_key in preds.items()}
    print("  all pages:")
    _body_table(every)
    print("  zh pages:")
    _body_table(chinese)
    result = {
        "all": {n: s.as_dict() for n, s in every.items()},
        "zh": {n: s.as_dict() for n, s in chinese.items()},
    }
    _footer(started, extractors, result)
    run.results["magic"] = result


# -------------------------------------------------------------------------------------- metadata sets


def _accuracy(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def section_htmldate(run: Run) -> None:
    """htmldate-eval: publication day accuracy."""
    source = "htmldate-eval"
    _header(
        f"4. htmldate-eval ({source}, 150 pages): publication date",
        "accuracy: share of pages whose predicted published[:10] equals the truth YYYY-MM-DD; null is wrong.",
        f"htmldate {_version('htmldate')}: find_date(text, url, {_kwargs(HTMLDATE_OPTIONS)}) — reference.",
    )
    started = time.perf_counter()
    every = load_pages(source)
    # A few truth dates are NaN in the JSON (no date upstream): those pages are left out.
    pages = [p for p in every if isinstance(p.truth.get("published"), str)]
    print(
        f"  {len(pages)} pages scored; left out {len(every) - len(pages)} whose truth date is not a string (NaN)"
    )
    extractors = run.extractors("newscrawl", "trafilatura", "htmldate")
    preds = run.predict(pages, extractors)
    run.save("htmldate", preds)
    zh = {p.key for p in pages} & _chinese_keys()
    print(f"  zh acc: the {len(zh)} Chinese-language pages (zh_index.jsonl)")
    print(f"  {'extractor':12s} {'acc':>6s} {'null':>5s} {'zh acc':>7s}  target")
    result: dict[str, Any] = {}
    for name, by_key in preds.items():
        hits = {p.key: same_day(by_key[p.key].get("published"), p.truth["published"]) for p in pages}
        acc = _accuracy(list(hits.values()))
        nulls = sum(not by_key[p.key].get("published") for p in pages)
        zh_acc = _accuracy([hits[k] for k in zh])
        target = HTMLDATE_TARGET.check(acc) if name == "newscrawl" else ""
        print(f"  {name:12s} {_f(acc)} {nulls:5d} {_f(zh_acc, 7)}  {target}")
        result[name] = {"acc": acc, "n": len(pages), "null": nulls, "zh_acc": zh_acc, "zh_pages": len(zh)}
    _footer(started, extractors, result)
    run.results["htmldate"] = result


def _chinese_keys() -> set[str]:
    """Pages listed in the corpus's zh_index.jsonl (Chinese-language pages)."""
    return set(zh_files(CORPUS))


def section_trafilatura(run: Run) -> None:
    """trafilatura-evaldata: title, date and author accuracy (+ its snippet body check)."""
    source = "trafilatura-evaldata"
    _header(
        f"5. trafilatura-evaldata ({source}, 307 pages): title, date, author",
        "title: exact match after collapsing whitespace runs to one space and stripping the ends; 'title, casefold':"
        " the same after NFKC and casefolding (some truth titles are in CSS-uppercased or title case);",
        "date: predicted published[:10] equals the truth YYYY-MM-DD (null is wrong);",
        "author: truth split on ';' (list items kept), prediction = the author list (trafilatura's string split "
        "on ';'); each name NFKC, casefolded, punctuation/symbols → space, whitespace collapsed;",
        "        right if the name sets are equal, or — only when the truth names several people (several "
        "items, or , ; & / 、 'and' 'und' 'et' 'y' in it) — if the sets of name words without those connectors "
        "are equal;",
        "        so a single name split into words (['Robin', 'Tschöpe']) is wrong.",
        "Each field over the pages whose truth is not null (n). This is trafilatura's own test set (home ground).",
        "body snippets (no body truth here): share of must_contain snippets found in the body (recall) and "
        "of must_not_contain snippets absent (clean), as in trafilatura's evaluation.",
    )
    started = time.perf_counter()
    pages = load_pages(source)
    extractors = run.extractors("newscrawl", "trafilatura")
    preds = run.predict(pages, extractors)
    run.save("trafilatura", preds)
    checks: dict[str, Callable[[Prediction, dict[str, Any]], bool]] = {
        "title": lambda pr, t: titles_match(pr.get("title"), t["title"]),
        "title, casefold": lambda pr, t: titles_match(pr.get("title"), t["title"], fold=True),
        "date": lambda pr, t: same_day(pr.get("published"), t["published"]),
        "author": lambda pr, t: authors_match(pr.get("authors"), t["author"]),
    }
    truth_key = {"title": "title", "title, casefold": "title", "date": "published", "author": "author"}
    names = list(preds)
    print(f"  {'field':16s} {'n':>4s}" + "".join(f" {n:>12s}" for n in names))
    result: dict[str, Any] = {n: {} for n in names}
    for fld, check in checks.items():
        with_truth = [p for p in pages if p.truth.get(truth_key[fld])]
        row = f"  {fld:16s} {len(with_truth):4d}"
        for name in names:
            acc = _accuracy([check(preds[name][p.key], p.truth) for p in with_truth])
            result[name][fld] = {"acc": acc, "n": len(with_truth)}
            row += f" {_f(acc, 12)}"
        print(row)
    for label, key, present in (
        ("snippets found", "must_contain", True),
        ("boilerplate out", "must_not_contain", False),
    ):
        row = f"  {label:16s} {sum(len(p.truth.get(key) or []) for p in pages):4d}"
        for name in names:
            share = _snippet_share(pages, preds[name], key, present)
            result[name][key] = share
            row += f" {_f(share, 12)}"
        print(row)
    _footer(started, extractors, result)
    run.results["trafilatura"] = result


def _snippet_share(pages: list[Page], preds: dict[str, Prediction], key: str, present: bool) -> float | None:
    hits = []
    for page in pages:
        body = " ".join((preds[page.key].get("body") or "").split())
        for snippet in page.truth.get(key) or []:
            hits.append((" ".join(snippet.split()) in body) == present)
    return _accuracy(hits)


# ------------------------------------------------------------------------------------------------- main


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _tree_state() -> str:
    """Commit and whether newscrawl/ has uncommitted changes: the numbers belong to the working tree."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "newscrawl"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"{head}{' + uncommitted changes in newscrawl/' if dirty else ''}"


def _quiet_rivals() -> None:
    # trafilatura and htmldate log a warning for every page they find nothing in.
    for name in ("trafilatura", "htmldate", "courlan", "justext", "gne"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=SECTIONS, help="run one section")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write all numbers as JSON")
    parser.add_argument("--predictions", type=Path, metavar="DIR", help="write per-page predictions (JSONL)")
    parser.add_argument(
        "--misses", type=int, default=0, metavar="N", help="print newscrawl's first N dev misses"
    )
    args = parser.parse_args(argv)

    if not CORPUS.is_dir():
        print(f"bench.accuracy: skipped, {CORPUS} is absent")
        return 0
    if args.predictions and args.predictions.resolve().is_relative_to(REPO):
        print(
            f"bench.accuracy: note: {args.predictions} is inside the repository; do not commit it",
            file=sys.stderr,
        )
    _quiet_rivals()
    run = Run(args.predictions, args.misses)
    versions = {"newscrawl": EXTRACTOR_VERSION} | {d: _version(d) for d in ("trafilatura", "gne", "htmldate")}
    missing = [n for n, fn in run.fns.items() if fn is None]
    print(
        f"bench.accuracy: corpus {CORPUS}; fetched_at {FETCHED_AT.isoformat()}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print(f"  newscrawl tree: {_tree_state()}")
    if missing:
        print(f"  not installed (pip install -e '.[bench]'): {', '.join(missing)}")
    started = time.perf_counter()
    sections = {
        "dev": section_dev,
        "zyte": section_zyte,
        "magic": section_magic,
        "htmldate": section_htmldate,
        "trafilatura": section_trafilatura,
    }
    for name, section in sections.items():
        if args.only in (None, name):
            section(run)
    total = time.perf_counter() - started
    print(f"\ntotal wall time {total:.1f}s")
    if args.json:
        payload = {
            "versions": versions,
            "fetched_at": FETCHED_AT.isoformat(),
            "total_seconds": round(total, 2),
        }
        payload |= {"trafilatura_options": TRAFILATURA_OPTIONS, "htmldate_options": HTMLDATE_OPTIONS}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(payload | run.results, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
