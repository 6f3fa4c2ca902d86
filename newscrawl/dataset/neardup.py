"""Near-duplicates: syndicated copies of one story (the same Xinhua text on several portals, a repost with
another header and trailer) get one ``cluster_id``.

Text → tokens: each CJK character (Han, kana, Hangul) is a token, and so is each run of other letters
and digits (a word); punctuation and spaces go, full-width forms are folded (NFKC) and case ignored. A
body's shingles are its runs of ``SHINGLE_SIZE`` tokens — character 5-grams for Chinese text, 5-word
runs for other languages. Two bodies are near-duplicates when the Jaccard similarity of their shingle
sets, estimated by MinHash (datasketch, ``NUM_PERM`` permutations, fixed seed), is at least
``THRESHOLD``. Candidate pairs come from LSH (``BANDS`` bands of ``ROWS`` rows: a pair at 0.4 becomes a
candidate with p ≈ 0.94, at 0.45 with p ≈ 0.98, at 0.5 with p ≈ 0.997) and is checked against the
threshold; clusters are the connected components. Bodies of fewer than ``MIN_TOKENS`` tokens are never matched (one-line captions
and "video" pages would all look alike). Versions of one article (same canonical URL) are always in one
cluster.

A cluster's id is the smallest 64-bit hash (hex) of its members' canonical URLs: the same input gives the
same ids on every run and machine, and a record with no near-duplicate has its own URL's hash.

Memory: per record, its URL hash and a union-find slot stay in memory (16 bytes); MinHash signatures
and band hashes go to files in a temporary folder and are read back band by band.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

import numpy as np
from datasketch import MinHash

SHINGLE_SIZE = 5
NUM_PERM = 128
BANDS = 42
ROWS = 3  # 42 × 3 of the 128 values: the LSH S-curve's middle (1/42)^(1/3) ≈ 0.29, well under THRESHOLD
THRESHOLD = 0.45
MIN_TOKENS = 30
SEED = 20261126
_SCHEME = "affine32"

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f"
_TOKEN = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
# Odd 64-bit multipliers that fold a band's rows into one number (collisions only cost a check).
_MIX = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93][:ROWS], dtype=np.uint64
)


def tokens(text: str) -> list[str]:
    """CJK characters and words of a text, NFKC-folded and case-folded."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[bytes]:
    """The set of runs of ``size`` tokens (the whole text when it is shorter)."""
    return _shingles(tokens(text), size)


def _shingles(toks: list[str], size: int = SHINGLE_SIZE) -> set[bytes]:
    if len(toks) < size:
        return {"\x1f".join(toks).encode("utf-8")} if toks else set()
    return {"\x1f".join(toks[i : i + size]).encode("utf-8") for i in range(len(toks) - size + 1)}


def jaccard(a: str, b: str) -> float:
    """Exact Jaccard similarity of two texts' shingle sets (for tests and benchmarks)."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class MinHasher:
    """MinHash signatures with one fixed set of permutations (so signatures are comparable)."""

    def __init__(self, num_perm: int = NUM_PERM, seed: int = SEED) -> None:
        self.template = MinHash(num_perm=num_perm, seed=seed, scheme=_SCHEME)

    def signature(self, text: str, min_tokens: int = MIN_TOKENS) -> np.ndarray | None:
        """The text's signature (uint32), or None when it is too short to be matched."""
        toks = tokens(text)
        if len(toks) < min_tokens:
            return None
        minhash = self.template.copy()
        minhash.update_batch(_shingles(toks))
        return np.asarray(minhash.hashvalues, dtype=np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity estimated from two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def band_hashes(signature: np.ndarray) -> np.ndarray:
    """One uint64 per band of a signature."""
    rows = signature[: BANDS * ROWS].astype(np.uint64).reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        return (rows * _MIX).sum(axis=1, dtype=np.uint64)


@dataclass(frozen=True)
class Clusters:
    """The result: per record (in the order added), its cluster's id and size."""

    ids: np.ndarray
    """uint64 cluster ids (``cluster_id(i)`` gives the hex form)."""
    sizes: np.ndarray

    def cluster_id(self, index: int) -> str:
        """The hex id of record ``index``'s cluster."""
        return f"{int(self.ids[index]):016x}"

    def size(self, index: int) -> int:
        """How many records share record ``index``'s cluster."""
        return int(self.sizes[index])

    @property
    def count(self) -> int:
        """Number of clusters."""
        return len(np.unique(self.ids)) if len(self.ids) else 0


class NearDuplicates:
    """Add records one by one (``add``), then ``clusters()``. Spills to a temporary folder."""

    def __init__(self, threshold: float = THRESHOLD, workdir: Path | None = None) -> None:
        self.threshold = threshold
        self._tmp = tempfile.TemporaryDirectory(prefix="newscrawl-neardup-", dir=workdir)
        self.folder = Path(self._tmp.name)
        self.hasher = MinHasher()
        self.keys = array("Q")
        self.signed = array("q")  # record index of each signature row
        self._signatures: IO[bytes] = (self.folder / "signatures").open("wb")
        self._bands: list[IO[bytes]] = [(self.folder / f"band{b}").open("wb") for b in range(BANDS)]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Remove the temporary files."""
        for stream in (self._signatures, *self._bands):
            stream.close()
        self._tmp.cleanup()

    def add(self, key: int, text: str) -> int:
        """Add a record: its canonical URL hash and body; returns its index."""
        index = len(self.keys)
        self.keys.append(key)
        signature = self.hasher.signature(text)
        if signature is not None:
            self.signed.append(index)
            self._signatures.write(signature.tobytes())
            for stream, value in zip(self._bands, band_hashes(signature), strict=True):
                stream.write(value.tobytes())
        return index

    def clusters(self) -> Clusters:
        """Connected components of near-duplicate pairs (and of equal URLs)."""
        for stream in (self._signatures, *self._bands):
            stream.flush()
        n = len(self.keys)
        keys = np.frombuffer(self.keys, dtype=np.uint64) if n else np.zeros(0, dtype=np.uint64)
        parent = np.arange(n, dtype=np.int64)

        def find(i: int) -> int:
            root = i
            while parent[root] != root:
                root = int(parent[root])
            while parent[i] != root:  # path compression
                parent[i], i = root, int(parent[i])
            return root

        def union(i: int, j: int) -> None:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)

        # Versions of one article, or one URL reached by two crawls: the same record for clustering.
        if n:
            order = np.argsort(keys, kind="stable")
            same = np.flatnonzero(keys[order][1:] == keys[order][:-1])
            for k in same:
                union(int(order[k]), int(order[k + 1]))

        rows = len(self.signed)
        if rows:
            signed = np.frombuffer(self.signed, dtype=np.int64)
            signatures = np.memmap(
                self.folder / "signatures", dtype=np.uint32, mode="r", shape=(rows, NUM_PERM)
            )
            for band in range(BANDS):
                values = np.fromfile(self.folder / f"band{band}", dtype=np.uint64)
                self._link_band(values, signatures, signed, find, union)
            del signatures

        roots = np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
        smallest = np.full(n, np.iinfo(np.uint64).max, dtype=np.uint64)
        np.minimum.at(smallest, roots, keys)
        counts = np.bincount(roots, minlength=n) if n else np.zeros(0, dtype=np.int64)
        return Clusters(ids=smallest[roots], sizes=counts[roots])

    def _link_band(
        self, values: np.ndarray, signatures: np.ndarray, signed: np.ndarray, find: Any, union: Any
    ) -> None:
        """Check the rows that share this band's hash; union those similar enough."""
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        ends = np.r_[starts[1:], len(ordered)]
        for start, end in zip(starts[(ends - starts) > 1], ends[(ends - starts) > 1], strict=True):
            rows = np.sort(order[start:end])
            for a, b in _pairs(rows):
                i, j = int(signed[a]), int(signed[b])
                if find(i) != find(j) and similarity(signatures[a], signatures[b]) >= self.threshold:
                    union(i, j)


def _pairs(rows: np.ndarray, limit: int = 16) -> Iterable[tuple[int, int]]:
    """Pairs to check in one bucket: all of them in small buckets; in big ones (many copies of one
    text) each row against the first and against the one before it."""
    if len(rows) <= limit:
        for x in range(len(rows)):
            for y in range(x + 1, len(rows)):
                yield int(rows[x]), int(rows[y])
        return
    first = int(rows[0])
    for x in range(1, len(rows)):
        yield first, int(rows[x])
        if x > 1:
            yield int(rows[x - 1]), int(rows[x])


def cluster_records(records: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> Clusters:
    """Clusters of (URL hash, body) pairs, in memory-light fashion (see ``NearDuplicates``)."""
    with NearDuplicates(threshold) as finder:
        for key, text in records:
            finder.add(key, text)
        return finder.clusters()


def describe() -> dict[str, Any]:
    """The method's parameters, for the dataset card."""
    return {
        "shingles": f"{SHINGLE_SIZE}-token runs (CJK characters, or words)",
        "minhash": f"{NUM_PERM} permutations, seed {SEED}",
        "lsh": f"{BANDS} bands × {ROWS} rows",
        "threshold": THRESHOLD,
        "min_tokens": MIN_TOKENS,
    }
