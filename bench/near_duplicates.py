"""Near-duplicate detection (``newscrawl export``'s ``cluster_id``) on labelled pairs of real pages.

usage: python -m bench.near_duplicates [--threshold J] [--misses] [--write-pairs]

The pairs are in ``bench/near_duplicate_pairs.jsonl`` (file names under ../shared/corpus, labels, how the
pair was made — never the page text). Each page's body is extracted with newscrawl (generic profile,
fixed ``fetched_at``), the edit named for it (if any) is applied, and every body of the set goes through
one clustering run, as in an export; a pair is predicted "duplicate" when both bodies end up in one
cluster. Printed: precision and recall overall, for real pairs only and per kind of pair, plus the
exact-Jaccard reference at the same threshold. Skips with one line when the corpus is absent.

Kinds of pairs:

- ``real-duplicate`` (hand-checked): one page present in two sources of the corpus or saved twice (the same
  Xinhua page in the htmldate and trafilatura sets, one 澎湃 story saved three times …);
- ``real-same-site`` / ``real-same-event`` (hand-checked, distinct): two articles of one site (shared
  template and boilerplate), or two outlets' own write-ups of one news event;
- ``derived-*`` (duplicates made from one Chinese page by a light edit of its body, as reposts look):
  ``reheader`` (another 转自 line on top and 责任编辑 line below), ``cut-tail`` (last paragraph dropped),
  ``edit-chars`` (one character in 40 replaced), ``drop-lead`` (the first sentence replaced by 本报讯),
  ``combined`` (cut-tail, edit-chars and reheader at once);
- ``derived-shared-trailer`` (distinct): two different short Chinese bodies given the same 120-character
  copyright trailer; ``random`` (distinct): two unrelated Chinese pages.

``--write-pairs`` rebuilds the file: the hand-checked pairs below plus the derived and random ones,
chosen with a fixed seed.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.corpus import CORPUS, REPO, corpus_urls, load_jsonl, zh_index

PAIRS = REPO / "bench" / "near_duplicate_pairs.jsonl"
FETCHED_AT = datetime(2026, 11, 26, tzinfo=UTC)
SEED = 6

REAL_DUPLICATES: tuple[tuple[str, str, str], ...] = (
    (
        "htmldate-eval/html/archive.org.he.xinhuanet.com.25340717.html",
        "trafilatura-evaldata/html/archive.org.he.xinhuanet.com.25340717.html",
        "one Xinhua Hebei page in two sources",
    ),
    (
        "htmldate-eval/html/xinhuanet.com.c_1125597921.htm",
        "trafilatura-evaldata/html/xinhuanet.com.c_1125597921.html",
        "one Xinhua Wuhan page in two sources",
    ),
    (
        "zh-gne-testpages/html/tests__thepaper__2.html",
        "zh-gne-testpages/html/tests__thepaper__4.html",
        "one 澎湃 story saved twice (different bytes)",
    ),
    (
        "zh-gne-testpages/html/tests__thepaper__2.html",
        "zh-gne-testpages/html/visiable_test__thepaper__1.html",
        "one 澎湃 story saved twice (different bytes)",
    ),
    (
        "zh-gne-testpages/html/tests__thepaper__4.html",
        "zh-gne-testpages/html/visiable_test__thepaper__1.html",
        "one 澎湃 story saved twice (different bytes)",
    ),
    (
        "magic-html-article-benchmark/html/58dcad784309d2ef4a2db872b2f0f35902017346e2211d6d0bba3ea74bb6d6b2.html",
        "magic-html-article-benchmark/html/82da43b1a1c4425adca2b88af754420dc59a9d35849f67607e0f75e09d1d1cfa.html",
        "one English story saved twice",
    ),
    (
        "magic-html-article-benchmark/html/201807fb8181aaf90d179b60ba22f8d788d9be79a3e3e27b6e497e88f2dea59d.html",
        "magic-html-article-benchmark/html/8b007155e6d31b9ea9c1ce891fdd08f83f20b596656c980a945eb3d247dc5893.html",
        "one German story saved twice",
    ),
    (
        "htmldate-eval/html/1000things.at-Wellnessoasen.html",
        "trafilatura-evaldata/html/1000things.at-Wellnessoasen.html",
        "one German page in two sources (different bytes)",
    ),
)

_ZYTE = "zyte-article-extraction-benchmark/html/"
SAME_EVENT: tuple[tuple[str, str, str], ...] = tuple(
    (_ZYTE + a + ".html", _ZYTE + b + ".html", note)
    for a, b, note in (
        (
            "c7e39ac49fa1235f5d50f83bf2444248bd3aa4e6df044377916c812dd109ba23",
            "dc7ccccc1f34eb2928cb238739aaf18c712d59d8d34b41acfb29178aeba65356",
            "Sweden drops the Assange investigation: two outlets",
        ),
        (
            "9eef8162bbb67b0bd73792313b91b87dc9304f43f85f479e67e71c166417451e",
            "a078b3656adc0295d0e37bd4f599342f4a0894da2451e0ef3038ac045434fef3",
            "'feather duvet lung': two outlets",
        ),
        (
            "bd673bd7988144f0ab7b9c5e19fed140fb5aaa30d8894cb045b72d3b79a7dc54",
            "7bb1ca90354313840329d2f569ea9fb3a582df2aa0a5e3669f8fc567eb6ea61b",
            "'feather duvet lung': two outlets",
        ),
        (
            "9eef8162bbb67b0bd73792313b91b87dc9304f43f85f479e67e71c166417451e",
            "bd673bd7988144f0ab7b9c5e19fed140fb5aaa30d8894cb045b72d3b79a7dc54",
            "'feather duvet lung': two outlets",
        ),
        (
            "14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f",
            "686bb170effe273eaff1c0f88e412172e8d972518a6d1454c896f52aafaa9643",
            "water plumes on Europa: two outlets",
        ),
        (
            "42aad16bde9288623543642a9ce1a396be83e2db44aa2ff8cbbfe46e14abd7cc",
            "d1c57d7821e5a5b27fb468c59489601bb2a042b1c05221166e3221d2b5dc217f",
            "NASA commercial lunar landers: two outlets",
        ),
        (
            "51374560f40088e227f0053ff1bb0b8525d10a8d7bfbff1cd6033f42347fd85b",
            "f8ff621a0b9b7646cc0d57d37416feabba2bf78ef5dd0bfc5b080f9f97bbe584",
            "Home Depot earnings: two outlets",
        ),
        (
            "6ebac05f637ece8aa57c298a2a5e3a8047f546f855d0f29cc683cea60ce85c85",
            "7a457a4f71735c17b8b34fafc88835d225cf879b2d812311857a64cfc891eee9",
            "threat against Rep. Omar, guilty plea: two outlets",
        ),
        (
            "9cb8224b660f36c932823ab613fb76a07928fcbc41956c4c1f96f4ecab9202aa",
            "ac1bfdd4c510f679c58f1b62101630d40fda20a16703235ae0f56b65a465e423",
            "Doobie Brothers 50th anniversary tour: two outlets",
        ),
        (
            "5ae11e580afc12d3ba1a12944281e6a7a5dded5c98b4efcf24aedcb28f0d5b22",
            "c69e539d689a8335a69042727f1b58edab09d5d99fb607ec625a63151a537dc2",
            "two Ascom press releases (same boilerplate)",
        ),
        (
            "57e2e98887a1965689955921208e32f410b10e2b95c907e74e57982d3edf3cc6",
            "dfd43bc0d46e7aaa78ba10fbcb5b9fdfe78771d36cb4c7497e17fb6f69170ec5",
            "two my6sense press releases (same boilerplate)",
        ),
        (
            "5211188428849a31e309ef2475746563ff788b1591c89818c08d5abedec4ef5e",
            "8cad00dc22de45ba42e9540421b5f78333f7ac57b385d69acb27a53b9fd69f0c",
            "two posts on one Korean drama",
        ),
    )
)

OUTLETS = ("新华网", "人民网", "中国新闻网", "央广网", "大河网", "光明网", "澎湃新闻", "中国青年网")
EDITORS = ("王晓明", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "孙丽")
FILLERS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
TRAILER = (
    "【版权声明】本网所有内容均为原创或经授权转载，未经书面许可，任何单位和个人不得转载、摘编或以其他方式使用。"
    "已经授权使用的，应在授权范围内使用，并注明来源。违反上述声明者，本网将追究其相关法律责任。如有疑问请致电新闻热线。"
)


def _pick(options: tuple[str, ...], name: str) -> str:
    return options[int(hashlib.sha1(name.encode()).hexdigest(), 16) % len(options)]


def reheader(body: str, name: str) -> str:
    """Another outlet's 转自 line on top, an editor line below."""
    return f"转自：{_pick(OUTLETS, name)}\n\n{body}\n\n（责任编辑：{_pick(EDITORS, name)}）"


def cut_tail(body: str, name: str) -> str:
    """The last paragraph dropped (the last sixth of the text when there are fewer than three)."""
    paragraphs = body.split("\n\n")
    if len(paragraphs) >= 3:
        return "\n\n".join(paragraphs[:-1])
    return body[: len(body) - len(body) // 6]


def edit_chars(body: str, name: str) -> str:
    """One letter or CJK character in 40 replaced by another."""
    out, count = [], 0
    for ch in body:
        if ch.isalnum():
            count += 1
            if count % 40 == 0:
                replacement = FILLERS[count // 40 % len(FILLERS)]
                ch = replacement if replacement != ch else "之"
        out.append(ch)
    return "".join(out)


def drop_lead(body: str, name: str) -> str:
    """The first sentence (its dateline, mostly) replaced by 本报讯."""
    match = re.search(r"[。！？!?]", body)
    rest = body[match.end() :] if match and match.end() < len(body) * 0.5 else body
    return "本报讯 " + rest.lstrip()


def trailer(body: str, name: str) -> str:
    """A long copyright trailer after the text."""
    return f"{body}\n\n{TRAILER}"


def combined(body: str, name: str) -> str:
    """A heavier repost: the last paragraph cut, characters edited, another header and editor line."""
    return reheader(edit_chars(cut_tail(body, name), name), name)


EDITS: dict[str, Callable[[str, str], str]] = {
    "reheader": reheader,
    "cut-tail": cut_tail,
    "edit-chars": edit_chars,
    "drop-lead": drop_lead,
    "combined": combined,
    "trailer": trailer,
}


@dataclass(frozen=True)
class Pair:
    """One labelled pair: two page files (each with an optional edit of its body) and the label."""

    a: str
    b: str
    duplicate: bool
    kind: str
    edit_a: str | None = None
    edit_b: str | None = None
    note: str = ""

    @property
    def real(self) -> bool:
        """Both bodies as extracted, no edit."""
        return self.kind.startswith("real")


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    """The labelled pairs."""
    return [
        Pair(
            a=row["a"],
            b=row["b"],
            duplicate=row["label"] == "duplicate",
            kind=row["kind"],
            edit_a=row.get("edit_a"),
            edit_b=row.get("edit_b"),
            note=row.get("note", ""),
        )
        for row in load_jsonl(path)
    ]


def extract_bodies(files: set[str]) -> dict[str, str]:
    """Body of each corpus file (generic profile, fixed fetched_at)."""
    from newscrawl.extract import extract_article  # noqa: PLC0415 — after the corpus check

    urls = corpus_urls()
    bodies = {}
    for name in sorted(files):
        url = urls.get(name) or ""
        if not url.startswith(("http://", "https://")):
            url = f"http://corpus.example/{name}"
        record = extract_article((CORPUS / name).read_bytes(), url, site="generic", fetched_at=FETCHED_AT)
        bodies[name] = record["body"] or ""
    return bodies


def text_of(bodies: dict[str, str], name: str, edit: str | None) -> str:
    """A pair member's text: the page's body, edited when the pair says so."""
    body = bodies[name]
    return EDITS[edit](body, name) if edit else body


@dataclass
class Score:
    """Confusion counts."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, predicted: bool) -> None:
        if truth and predicted:
            self.tp += 1
        elif truth:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def pairs(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def line(self, label: str) -> str:
        return (
            f"{label:<28} pairs {self.pairs:>4}  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn}, tn {self.tn})"
        )


def evaluate(pairs: list[Pair], threshold: float) -> dict[str, Any]:
    """Cluster every body of the pair set in one run; score the pairs."""
    from newscrawl.dataset.neardup import cluster_records, jaccard  # noqa: PLC0415

    bodies = extract_bodies({p.a for p in pairs} | {p.b for p in pairs})
    members = sorted({(p.a, p.edit_a or "") for p in pairs} | {(p.b, p.edit_b or "") for p in pairs})
    index = {m: i for i, m in enumerate(members)}
    texts = [text_of(bodies, name, edit or None) for name, edit in members]
    # Distinct URL hashes: every member is its own article (two saves of a page are two records).
    clusters = cluster_records(((i + 1, text) for i, text in enumerate(texts)), threshold)
    overall, real, exact = Score(), Score(), Score()
    by_kind: dict[str, Score] = defaultdict(Score)
    misses = []
    for pair in pairs:
        i, j = index[(pair.a, pair.edit_a or "")], index[(pair.b, pair.edit_b or "")]
        predicted = clusters.cluster_id(i) == clusters.cluster_id(j)
        overall.add(pair.duplicate, predicted)
        by_kind[pair.kind].add(pair.duplicate, predicted)
        if pair.real:
            real.add(pair.duplicate, predicted)
        similarity = jaccard(texts[i], texts[j])
        exact.add(pair.duplicate, similarity >= threshold)
        if predicted != pair.duplicate:
            misses.append((pair, similarity))
    sims = [
        (
            pair.duplicate,
            jaccard(texts[index[(pair.a, pair.edit_a or "")]], texts[index[(pair.b, pair.edit_b or "")]]),
        )
        for pair in pairs
    ]
    sweep = {}
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        score = Score()
        for truth, sim in sims:
            score.add(truth, sim >= t)
        sweep[t] = score
    spread = (
        min((s for d, s in sims if d), default=0.0),
        max((s for d, s in sims if not d), default=0.0),
    )
    return {
        "overall": overall,
        "real": real,
        "exact": exact,
        "by_kind": dict(by_kind),
        "misses": misses,
        "sweep": sweep,
        "spread": spread,
    }


def write_pairs(path: Path = PAIRS) -> int:
    """Rebuild the pair file (the hand-checked pairs plus derived and random ones, fixed seed)."""
    rng = random.Random(SEED)
    index = zh_index()
    zh = sorted(row["file"] for row in index)
    bodies = extract_bodies(set(zh))
    dup_files = {f for a, b, _ in REAL_DUPLICATES for f in (a, b)}
    usable = [f for f in zh if len(bodies[f]) >= 300 and f not in dup_files]
    rows: list[dict[str, Any]] = []
    for a, b, note in REAL_DUPLICATES:
        rows.append({"a": a, "b": b, "label": "duplicate", "kind": "real-duplicate", "note": note})
    # Two articles of one site (Chinese pages: the GNE folders, and hosts with several pages).
    groups: dict[str, list[str]] = defaultdict(list)
    urls = {row["file"]: row.get("url") or "" for row in index}
    for name in zh:
        if name in dup_files or len(bodies[name]) < 100:
            continue
        site = name.split("__")[1] if "__" in name else (urlsplit(urls.get(name, "")).hostname or "")
        if site:
            groups[site].append(name)
    for site, names in sorted(groups.items()):
        for a, b in itertools.pairwise(names):
            rows.append(
                {
                    "a": a,
                    "b": b,
                    "label": "distinct",
                    "kind": "real-same-site",
                    "note": f"two articles of {site}",
                }
            )
    for a, b, note in SAME_EVENT:
        rows.append({"a": a, "b": b, "label": "distinct", "kind": "real-same-event", "note": note})
    kinds = ("reheader", "cut-tail", "edit-chars", "drop-lead", "combined")
    for n, name in enumerate(rng.sample(usable, 80)):
        edit = kinds[n % len(kinds)]
        rows.append({"a": name, "b": name, "edit_b": edit, "label": "duplicate", "kind": f"derived-{edit}"})
    short = [f for f in usable if len(bodies[f]) <= 900]
    rng.shuffle(short)
    for a, b in zip(short[0:60:2], short[1:60:2], strict=False):
        rows.append(
            {
                "a": a,
                "b": b,
                "edit_a": "trailer",
                "edit_b": "trailer",
                "label": "distinct",
                "kind": "derived-shared-trailer",
            }
        )
    taken = set()
    while len(taken) < 40:
        a, b = sorted(rng.sample(usable, 2))
        if (a, b) not in taken:
            taken.add((a, b))
    for a, b in sorted(taken):
        rows.append({"a": a, "b": b, "label": "distinct", "kind": "random"})
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran (or was skipped)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.near_duplicates", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--threshold", type=float, default=None, help="Jaccard threshold (default: export's)")
    parser.add_argument("--misses", action="store_true", help="list the pairs it gets wrong")
    parser.add_argument("--write-pairs", action="store_true", help="rebuild bench/near_duplicate_pairs.jsonl")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"bench.near_duplicates: skipped, {CORPUS} is absent")
        return 0
    from newscrawl.dataset.neardup import THRESHOLD, describe  # noqa: PLC0415

    if args.write_pairs:
        print(f"bench.near_duplicates: wrote {write_pairs()} pairs to {PAIRS}")
    threshold = THRESHOLD if args.threshold is None else args.threshold
    pairs = load_pairs()
    result = evaluate(pairs, threshold)
    print(f"bench.near_duplicates: {len(pairs)} labelled pairs from {CORPUS}; method {describe()}")
    print(result["overall"].line("all pairs (clusters)"))
    print(result["real"].line("real pairs only"))
    for kind, score in sorted(result["by_kind"].items()):
        print(score.line(f"  {kind}"))
    print(result["exact"].line("exact Jaccard, same threshold"))
    low, high = result["spread"]
    print(f"exact Jaccard: lowest of a duplicate pair {low:.3f}, highest of a distinct pair {high:.3f}")
    for t, score in result["sweep"].items():
        print(score.line(f"  exact Jaccard >= {t:.1f}"))
    if args.misses:
        for pair, similarity in result["misses"]:
            print(
                f"miss: {pair.kind} {pair.a} [{pair.edit_a}] ~ {pair.b} [{pair.edit_b}] jaccard {similarity:.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
