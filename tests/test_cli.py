"""The newscrawl command: output of extract and sites; one-line errors with exit code 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.registry import all_sites
from tests.conftest import ROOT, article_cases
from tests.crawls import newscrawl, scrapy

TRS = next(c for c in article_cases() if c.name == "article_trs_gbk")


def test_extract_prints_one_record_per_file(capsys: pytest.CaptureFixture[str]) -> None:
    page = str(TRS.path / "response.html")
    code = main(
        ["extract", page, page, "--url", TRS.response["url"], "--fetched-at", TRS.response["fetched_at"]]
    )
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    record = json.loads(lines[0])
    for field in ("title", "published", "source", "authors", "editors", "keywords", "body", "site"):
        assert record[field] == TRS.expected[field]
    assert "高御" in lines[0]  # UTF-8 text, not \u escapes


def test_extract_without_url_uses_the_generic_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(TRS.path / "response.html")]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["site"] == "generic"
    assert record["url"].startswith("file://")
    assert record["title"] == TRS.expected["title"]


def test_sites_lists_hnr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sites"]) == 0
    out = capsys.readouterr().out
    assert any(line.startswith("hnr ") and "映象网" in line for line in out.splitlines())
    assert "generic" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "nope"], "unknown site 'nope'"),
        (["extract", "/no/such/file.html"], "cannot read /no/such/file.html"),
        (["extract", "x.html", "--url", "not a url"], "not a valid URL"),
        (["extract", str(TRS.path / "response.html"), "--site", "nope"], "unknown site 'nope'"),
        (["extract", "x.html", "--fetched-at", "yesterday"], "not an ISO 8601 time"),
        (["crawl", "generic"], "needs --start-url"),
        (["crawl", "generic", "--start-url", "ftp://example.com/"], "not a valid URL"),
        (
            ["crawl", "generic", "--start-url", "http://example.com/", "--timezone", "Mars/Base"],
            "unknown time zone",
        ),
        (["crawl", "hnr", "--since", "last week"], "--since must be a date"),
        (["crawl", "hnr", "--max-articles", "0"], "at least 1"),
        (["crawl", "hnr", "--max-articles", "many"], "invalid int value"),
        (["crawl", "hnr", "--start-url", "http://example.com/"], "are for 'crawl generic'"),
        (["crawl", "hnr", "-s", "NOEQUALS"], "NAME=VALUE"),
        (["crawl", "hnr", "--contact", "ops@example.org"], "--contact must be"),
        (["crawl", "hnr", "--state-dir", __file__], "--state-dir must be a directory"),
        (["runs", "--limit", "0"], "at least 1"),
        (["runs", "--state-dir", __file__], "--state-dir must be a directory"),
        (["schedule", "hnr"], "--every"),
        (["schedule", "hnr", "--every", "7m"], "divide"),
        (["schedule", "generic", "--every", "1h"], "needs --start-url"),
        (["frobnicate"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("newscrawl: error: ")
    assert message in lines[0]
    assert captured.out == ""


def test_runs_without_a_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["runs", "--state-dir", str(tmp_path / "state")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"newscrawl: no runs recorded in {tmp_path / 'state'}/\n"


def test_output_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "hnr", "-o", str(tmp_path)]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_errors_from_a_real_process_have_no_traceback() -> None:
    result = newscrawl(ROOT, "crawl", "nope", timeout=120)
    assert result.returncode == 2
    known = ", ".join(sorted(all_sites()))
    assert result.stderr.strip() == f"newscrawl: error: unknown site 'nope' (known: {known}, or 'generic')"


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("newscrawl")
    if not script.exists():
        pytest.skip("newscrawl is not installed in this environment (run through make test)")
    result = subprocess.run([str(script), "sites"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0
    assert "hnr" in result.stdout


def test_scrapy_list_from_repo_root() -> None:
    result = scrapy(ROOT, "list", timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(["generic", *all_sites()])
