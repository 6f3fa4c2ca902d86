"""Reading crawl output: JSONL files → records; the latest version of each article; filters.

The files are read as they were when the dataset was opened (their sizes then), so a crawl appending to
one meanwhile changes nothing, and every pass over them sees the same lines.
"""

from __future__ import annotations

import hashlib
import json
import logging
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.dataset import DatasetError
from newscrawl.pipelines.dedup import dedup_key

logger = logging.getLogger(__name__)

DEFAULT_INPUT = Path("output")

# Packing of (version, fetched_at, line) into one int, so the best line per article is a max().
_ORDINAL_BITS = 40
_EPOCH_BITS = 36


def input_files(paths: Sequence[str | Path], *, exclude: Sequence[Path] = ()) -> list[Path]:
    """The JSONL files named, or found (recursively, ``*.jsonl``) in the folders named; ``output/`` when
    nothing is named. In a stable order: as named, each folder's files sorted by path."""
    named = [Path(p) for p in paths] or [DEFAULT_INPUT]
    if not paths and not DEFAULT_INPUT.is_dir():
        raise DatasetError("no output/ folder here: name the JSONL files or folders to read")
    skip = {p.resolve() for p in exclude}
    files: dict[Path, Path] = {}
    for path in named:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.jsonl") if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            found = [path]
        else:
            raise DatasetError(f"cannot read {path}: no such file or folder")
        for file in found:
            resolved = file.resolve()
            if resolved not in skip:
                files.setdefault(resolved, file)
    if not files:
        raise DatasetError(f"no JSONL files in {', '.join(str(p) for p in named)}")
    return list(files.values())


def article_key(record: dict[str, Any]) -> str:
    """What identifies an article across runs: its canonical URL as the seen-store normalises it."""
    return dedup_key(record.get("canonical_url") or record["url"])


def key_hash(key: str) -> int:
    """A 64-bit hash of an article key (stable across runs and machines)."""
    return int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big")


def portal(record: dict[str, Any]) -> str:
    """The portal a record comes from: its site profile's name, or for generic crawls the host."""
    site = str(record.get("site") or "")
    if site and site != "generic":
        return site
    return urlsplit(record.get("canonical_url") or record.get("url") or "").netloc.lower() or site


def _epoch(value: Any) -> int:
    try:
        return max(0, min(int(datetime.fromisoformat(str(value)).timestamp()), (1 << _EPOCH_BITS) - 1))
    except (TypeError, ValueError, OverflowError):
        return 0


@dataclass(frozen=True)
class Filters:
    """Which records to keep. Values of one option are alternatives (any may match); different options
    must all match."""

    sites: tuple[str, ...] = ()
    """Site profile names, or portal host names (a domain matches its subdomains)."""
    since: date | None = None
    """First publication day (inclusive), by the date the site shows (``published``)."""
    until: date | None = None
    """Last publication day (inclusive)."""
    keywords: tuple[str, ...] = ()
    """Items of ``keywords`` (case-insensitive, whole items)."""
    contains: tuple[str, ...] = ()
    """Text in the title, summary or body (case-insensitive)."""
    languages: tuple[str, ...] = ()
    """``language`` codes (``zh`` also matches ``zh-CN``)."""

    def matches(self, record: dict[str, Any]) -> bool:
        """True when the record passes every filter."""
        if self.sites and not self._site_matches(record):
            return False
        if self.since or self.until:
            day = str(record.get("published") or "")[:10]
            if not day:
                return False
            if self.since and day < self.since.isoformat():
                return False
            if self.until and day > self.until.isoformat():
                return False
        if self.keywords:
            have = {str(k).casefold() for k in record.get("keywords") or ()}
            if not any(k.casefold() in have for k in self.keywords):
                return False
        if self.contains:
            text = "\n".join(str(record.get(k) or "") for k in ("title", "summary", "body")).casefold()
            if not any(t.casefold() in text for t in self.contains):
                return False
        if self.languages:
            lang = str(record.get("language") or "").lower()
            if not any(
                lang == code.lower() or lang.startswith(code.lower() + "-") for code in self.languages
            ):
                return False
        return True

    def _site_matches(self, record: dict[str, Any]) -> bool:
        site = str(record.get("site") or "")
        parts = urlsplit(record.get("canonical_url") or record.get("url") or "")
        host = (parts.hostname or "").lower()
        netloc = parts.netloc.lower()
        for wanted in self.sites:
            wanted = wanted.lower()
            if wanted in (site, host, netloc) or host.endswith("." + wanted):
                return True
        return False

    def describe(self) -> list[str]:
        """The filters in force, in words (for the dataset card)."""
        out = []
        if self.sites:
            out.append("site " + " or ".join(self.sites))
        if self.since:
            out.append(f"published on or after {self.since}")
        if self.until:
            out.append(f"published on or before {self.until}")
        if self.keywords:
            out.append("keyword " + " or ".join(self.keywords))
        if self.contains:
            out.append("text containing " + " or ".join(repr(t) for t in self.contains))
        if self.languages:
            out.append("language " + " or ".join(self.languages))
        return out


@dataclass
class ReadStats:
    """Counts of the first full pass over the input."""

    files: int = 0
    lines: int = 0
    torn: int = 0
    older_versions: int = 0
    filtered: int = 0
    selected: int = 0


@dataclass
class Dataset:
    """Selected records of a set of JSONL files; iterate it as often as needed (same records each time)."""

    files: list[Path]
    filters: Filters = field(default_factory=Filters)
    all_versions: bool = False
    stats: ReadStats = field(default_factory=ReadStats)

    def __post_init__(self) -> None:
        self.sizes: dict[Path, int] = {}
        for path in self.files:
            try:
                self.sizes[path] = path.stat().st_size
            except OSError as exc:
                raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
        self.stats.files = len(self.files)
        self._kept: array[int] | None = None
        self._counted = False
        self._torn: set[tuple[Path, int]] = set()

    def lines(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(ordinal, record) of every article line; a torn last line (a crawl killed mid-write, or
        one writing right now) is skipped; any other bad line is a DatasetError."""
        ordinal = 0
        for path in self.files:
            limit = self.sizes[path]
            try:
                stream = path.open("rb")
            except OSError as exc:
                raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
            with stream:
                position = 0
                for lineno, raw in enumerate(stream, start=1):
                    if position >= limit:
                        break
                    position += len(raw)
                    torn = position > limit or not raw.endswith(b"\n")
                    if not raw.strip():
                        continue
                    ordinal += 1
                    try:
                        record = json.loads(raw[: len(raw) - max(0, position - limit)])
                    except ValueError:
                        if torn:
                            if (path, lineno) not in self._torn:
                                self._torn.add((path, lineno))
                                self.stats.torn += 1
                                logger.warning("%s:%d: torn last line skipped", path, lineno)
                            continue
                        raise DatasetError(f"{path}:{lineno}: not a JSON line") from None
                    if not isinstance(record, dict) or not isinstance(record.get("url"), str):
                        raise DatasetError(f"{path}:{lineno}: not an article record (no url)")
                    yield ordinal, record

    def _latest(self) -> array[int]:
        """Ordinals of the lines to keep: per article (site + canonical URL), the highest version; among
        equal versions the latest fetch; among equal fetches the first line."""
        best: dict[int, int] = {}
        top = (1 << _ORDINAL_BITS) - 1
        for ordinal, record in self.lines():
            digest = key_hash(f"{record.get('site')}\n{article_key(record)}")
            try:
                version = max(0, min(int(record.get("version") or 1), (1 << 20) - 1))
            except (TypeError, ValueError):
                version = 1
            rank = (
                (version << (_EPOCH_BITS + _ORDINAL_BITS))
                | (_epoch(record.get("fetched_at")) << _ORDINAL_BITS)
                | (top - ordinal)
            )
            if rank > best.get(digest, -1):
                best[digest] = rank
        kept = array("q", sorted(top - (rank & top) for rank in best.values()))
        del best
        return kept

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if not self.all_versions and self._kept is None:
            self._kept = self._latest()
        kept = self._kept
        count = not self._counted
        position = 0
        for ordinal, record in self.lines():
            if count:
                self.stats.lines += 1
            if kept is not None:
                while position < len(kept) and kept[position] < ordinal:
                    position += 1
                if position >= len(kept) or kept[position] != ordinal:
                    if count:
                        self.stats.older_versions += 1
                    continue
            if not self.filters.matches(record):
                if count:
                    self.stats.filtered += 1
                continue
            if count:
                self.stats.selected += 1
            yield record
        self._counted = True
