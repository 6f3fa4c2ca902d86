"""Shared test helpers: golden fixture discovery and the path to ../shared (absent on some machines)."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SITES = FIXTURES / "sites"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


@dataclass(frozen=True)
class Case:
    """One saved page: raw bytes, response metadata and the hand-verified expected record."""

    site: str
    name: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.site}/{self.name}"

    @property
    def body(self) -> bytes:
        html = self.path / "response.html"  # discovery cases for sitemaps and feeds: response.xml
        return (html if html.exists() else self.path / "response.xml").read_bytes()

    @property
    def response(self) -> dict[str, Any]:
        return json.loads((self.path / "response.json").read_text(encoding="utf-8"))

    @property
    def expected(self) -> dict[str, Any]:
        return json.loads((self.path / "expected.json").read_text(encoding="utf-8"))

    @property
    def fetched_at(self) -> datetime:
        return datetime.fromisoformat(self.response["fetched_at"])

    @property
    def http_charset(self) -> str | None:
        """The saved Content-Type header (decode_html reads its charset parameter, as from the spider)."""
        return {k.lower(): v for k, v in self.response.get("headers", {}).items()}.get("content-type") or None


def article_cases() -> list[Case]:
    """Every tests/fixtures/sites/<site>/<case>/ folder with an expected.json (discovery/ excluded)."""
    cases = []
    for expected in sorted(SITES.glob("*/*/expected.json")):
        case_dir = expected.parent
        if case_dir.parent.name == "discovery" or case_dir.name == "discovery":
            continue
        cases.append(Case(site=case_dir.parent.name, name=case_dir.name, path=case_dir))
    return cases


def discovery_cases() -> list[Case]:
    """Every tests/fixtures/sites/<site>/discovery/<case>/ folder."""
    return [
        Case(site=p.parent.parent.parent.name, name=p.parent.name, path=p.parent)
        for p in sorted(SITES.glob("*/discovery/*/expected.json"))
    ]


def gzip_members(data: bytes) -> list[tuple[int, bytes]]:
    """Each gzip member of ``data`` (a ``.warc.gz``: one per record): (its header's XFL byte, its
    decompressed bytes)."""
    members = []
    while data:
        inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
        members.append((data[8], inflater.decompress(data)))
        assert inflater.eof
        data = inflater.unused_data
    return members
