"""The portal fixtures are written by tests/fixtures/site_tools/build.py: the committed files must be exactly
what it writes, so a hand edit of a page or an expected.json cannot drift from the script (and back)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, SITES

BUILD = FIXTURES / "site_tools" / "build.py"


def test_build_reproduces_the_committed_fixtures(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BUILD), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) >= 60  # 10 portals x 2 cases x 3 files
    for rel in written:
        assert (SITES / rel).read_bytes() == (tmp_path / rel).read_bytes(), (
            f"{rel} differs from build.py's output"
        )
    for site in {rel.parts[0] for rel in written}:
        committed = {
            p.relative_to(SITES)
            for p in (SITES / site).rglob("*")
            if p.is_file() and "discovery" not in p.relative_to(SITES).parts
        }
        assert committed == {rel for rel in written if rel.parts[0] == site}, (
            f"{site}: cases not written by build.py"
        )
