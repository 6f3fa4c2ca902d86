"""Runs without Scrapy: the session (lock, reconcile, run ids), manifests, statuses and exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from newscrawl.runs import (
    EXIT_BELOW_FLOOR,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NOTHING_FETCHED,
    EXIT_OK,
    EXIT_TOO_MANY_ERRORS,
    RunOptions,
    RunSession,
    Thresholds,
    build_manifest,
    errors_by_type,
    format_output,
    format_table,
    job_name,
    manifest_path_for,
    open_session,
    read_manifest,
    run_id_of,
    write_json_atomic,
)
from newscrawl.state import LockedError

T0 = datetime(2026, 11, 26, 20, 10, 45, tzinfo=UTC)


def keys(record: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    return record["url"], (record["url"],)


def options(tmp_path: Path, **kw: Any) -> RunOptions:
    return RunOptions(
        site="hnr",
        domains=("hnr.cn",),
        state_dir=tmp_path / "state",
        output_template=str(tmp_path / "output" / "{site}" / "{run}.jsonl"),
        **kw,
    )


def finish(session: RunSession, manifest: dict[str, Any]) -> None:
    write_json_atomic(session.manifest_path, manifest)
    session.store.finish_run(
        session.job, session.run_id, finished="x", manifest=manifest, complete=bool(manifest.get("complete"))
    )
    session.close()


def test_names() -> None:
    assert run_id_of(T0) == "20261126T201045Z"
    assert run_id_of(T0.astimezone(ZoneInfo("Asia/Shanghai"))) == "20261126T201045Z"
    assert job_name("hnr", ("hnr.cn",)) == "hnr"
    assert job_name("generic", ("example.cn", "example.com")) == "generic-example.cn+example.com"
    out = format_output("output/{site}/{run}.jsonl", "hnr", "20261126T201045Z")
    assert out == Path("output/hnr/20261126T201045Z.jsonl")
    assert manifest_path_for(out, "20261126T201045Z") == Path("output/hnr/runs/20261126T201045Z.json")


def test_write_json_atomic(tmp_path: Path) -> None:
    target = tmp_path / "runs" / "a.json"
    write_json_atomic(target, {"站": "映象网"})
    write_json_atomic(target, {"n": 2})
    assert read_manifest(target) == {"n": 2}
    assert [p.name for p in target.parent.iterdir()] == ["a.json"]  # no temp file left
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert read_manifest(tmp_path / "bad.json") is None
    assert read_manifest(tmp_path / "missing.json") is None


def test_one_session_per_job_at_a_time(tmp_path: Path) -> None:
    first = open_session(options(tmp_path), keys, now=T0)
    with pytest.raises(LockedError):
        open_session(options(tmp_path), keys, now=T0)
    other = open_session(
        RunOptions(**{**options(tmp_path).__dict__, "site": "dahe", "domains": ()}), keys, now=T0
    )
    other.close()
    first.close()
    open_session(options(tmp_path), keys, now=T0).close()


def test_run_ids_are_unique_within_a_second(tmp_path: Path) -> None:
    ids = []
    for _ in range(3):
        session = open_session(options(tmp_path), keys, now=T0)
        ids.append(session.run_id)
        finish(session, {"run_id": session.run_id, "status": "ok", "exit_code": 0})
    assert ids == ["20261126T201045Z", "20261126T201046Z", "20261126T201047Z"]


def test_two_portals_starting_in_the_same_second_get_their_own_files(tmp_path: Path) -> None:
    """Generic crawls of two portals are two jobs (two locks) writing to one output folder."""
    template = str(tmp_path / "output" / "{site}" / "{run}.jsonl")
    a = open_session(RunOptions("generic", ("a.cn",), tmp_path / "state", template), keys, now=T0)
    b = open_session(RunOptions("generic", ("b.cn",), tmp_path / "state", template), keys, now=T0)
    assert (a.job, b.job) == ("generic-a.cn", "generic-b.cn")
    assert a.run_id != b.run_id
    assert a.output != b.output
    assert a.output.read_bytes() == b.output.read_bytes() == b""  # both names reserved
    a.close()
    b.close()


def test_a_killed_run_is_reconciled_and_gets_a_crashed_manifest(tmp_path: Path) -> None:
    killed = open_session(options(tmp_path), keys, now=T0)
    assert killed.output.read_bytes() == b""  # the name is reserved
    killed.output.write_text('{"url":"a","content_hash":"h","version":1}\n{"url":"b"', encoding="utf-8")
    killed.lock.release()  # what the kernel does when the process dies
    killed.store.close()

    later = T0 + timedelta(hours=1)
    session = open_session(options(tmp_path), keys, now=later)
    assert session.run_id == run_id_of(later)
    assert [(r.run_id, r.lines, r.torn_bytes) for r in session.reconciled] == [
        (killed.run_id, 1, len('{"url":"b"'))
    ]
    assert session.store.known("hnr", "a") is not None
    assert session.store.known("hnr", "b") is None
    crashed = read_manifest(killed.manifest_path)
    assert crashed is not None
    assert (crashed["status"], crashed["exit_code"], crashed["complete"]) == ("crashed", None, False)
    assert crashed["articles"] == {"written": 1}
    assert crashed["reconciled"]["by_run"] == session.run_id
    assert not session.stop_at_known  # the last run did not finish its crawl
    row = session.store.last_finished_run("hnr")
    assert row is not None
    assert (row.run_id, row.status) == (killed.run_id, "crashed")
    session.close()


def test_a_killed_run_that_wrote_nothing_leaves_no_empty_file(tmp_path: Path) -> None:
    killed = open_session(options(tmp_path), keys, now=T0)
    assert killed.output.exists()
    killed.lock.release()
    killed.store.close()
    session = open_session(options(tmp_path), keys, now=T0 + timedelta(hours=1))
    assert not killed.output.exists()
    assert read_manifest(killed.manifest_path)["output"] is None  # type: ignore[index]
    session.close()


def test_a_run_killed_after_its_manifest_keeps_it(tmp_path: Path) -> None:
    killed = open_session(options(tmp_path), keys, now=T0)
    write_json_atomic(
        killed.manifest_path, {"run_id": killed.run_id, "status": "ok", "exit_code": 0, "complete": True}
    )
    killed.lock.release()
    killed.store.close()
    session = open_session(options(tmp_path), keys, now=T0 + timedelta(hours=1))
    assert read_manifest(killed.manifest_path)["status"] == "ok"  # type: ignore[index]
    assert session.stop_at_known  # it had finished its crawl
    session.close()


@pytest.mark.parametrize(
    ("previous", "now", "stop"),
    [
        ({}, {}, True),
        ({"complete": False}, {}, False),
        ({}, {"resume": True}, False),
        ({}, {"refresh": True}, False),
        ({"since": date(2026, 11, 20)}, {}, False),  # the last run did not look before the 20th
        ({"since": date(2026, 11, 20)}, {"since": date(2026, 11, 19)}, False),
        ({"since": date(2026, 11, 20)}, {"since": date(2026, 11, 21)}, True),
    ],
)
def test_when_paging_may_stop_at_known_articles(
    tmp_path: Path, previous: dict[str, Any], now: dict[str, Any], stop: bool
) -> None:
    complete = previous.pop("complete", True)
    first = open_session(options(tmp_path, **previous), keys, now=T0)
    finish(first, {"run_id": first.run_id, "status": "ok", "exit_code": 0, "complete": complete})
    session = open_session(options(tmp_path, **now), keys, now=T0 + timedelta(hours=1))
    assert session.stop_at_known is stop
    session.close()


def test_the_first_run_never_stops_at_known(tmp_path: Path) -> None:
    session = open_session(options(tmp_path), keys, now=T0)
    assert not session.stop_at_known
    session.close()


def stats(**counts: int) -> dict[str, Any]:
    base = {
        "response_received_count": 12,
        "downloader/request_count": 12,
        "downloader/response_status_count/200": 11,
        "robotstxt/request_count": 1,
        "robotstxt/response_count": 1,
        "robotstxt/response_status_count/200": 1,
        "newscrawl/articles_written": 6,
        "newscrawl/articles/new": 5,
        "newscrawl/articles/changed": 1,
        "newscrawl/articles/unchanged": 2,
        "newscrawl/extracted": 8,
        "newscrawl/extracted/title": 8,
        "newscrawl/extracted/published": 8,
        "newscrawl/extracted/body": 8,
        "newscrawl/dropped/duplicate": 3,
    }
    base.update({k.replace("__", "/"): v for k, v in counts.items()})
    return base


FLOOR = Thresholds(
    max_error_rate=0.5, coverage_floor={"title": 0.9, "published": 0.8}, coverage_min_articles=5
)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[RunSession]:
    s = open_session(options(tmp_path), keys, now=T0)
    yield s
    s.close()


def test_manifest_of_a_good_run(session: RunSession) -> None:
    m = build_manifest(session, stats(), reason="finished", thresholds=FLOOR, end=T0 + timedelta(seconds=90))
    assert (m["status"], m["exit_code"], m["complete"]) == ("ok", EXIT_OK, True)
    assert m["run_id"] == "20261126T201045Z"
    assert (m["start"], m["end"], m["duration_seconds"]) == (
        "2026-11-26T20:10:45.000+00:00",
        "2026-11-26T20:12:15.000+00:00",
        90.0,
    )
    assert m["pages"]["fetched"] == 11  # robots.txt is not a page
    assert m["articles"] == {"new": 5, "changed": 1, "unchanged": 2, "written": 6}
    assert m["dropped"] == {"duplicate": 3}
    assert m["output"] == str(session.output)
    assert m["output_range"] == {"start": 0, "lines": 6}
    assert m["coverage"] == {
        "articles": 8,
        "fields": {"body": 1.0, "published": 1.0, "title": 1.0},
        "floor": {"title": 0.9, "published": 0.8},
        "checked": True,
        "below_floor": [],
    }
    assert m["problems"] == []
    json.dumps(m)  # serialisable


def test_nothing_new_is_ok_and_has_no_output(session: RunSession) -> None:
    m = build_manifest(
        session,
        stats(
            newscrawl__articles_written=0,
            newscrawl__articles__new=0,
            newscrawl__articles__changed=0,
            newscrawl__extracted=0,
        ),
        reason="finished",
        thresholds=FLOOR,
    )
    assert (m["status"], m["exit_code"]) == ("ok", EXIT_OK)
    assert m["output"] is None
    assert m["coverage"]["checked"] is False


@pytest.mark.parametrize(
    ("reason", "changes", "status", "code"),
    [
        ("shutdown", {}, "interrupted", EXIT_INTERRUPTED),
        ("closespider_errorcount", {}, "failed", EXIT_FAILED),
        ("memusage_exceeded", {}, "failed", EXIT_FAILED),
        ("closespider_itemcount", {}, "ok", EXIT_OK),  # --max-articles reached: the run did what it was asked
        ("finished", {"downloader__response_status_count__200": 1}, "nothing_fetched", EXIT_NOTHING_FETCHED),
        (
            "finished",
            {"downloader__exception_type_count__twisted.internet.error.ConnectionRefusedError": 7},
            "too_many_errors",
            EXIT_TOO_MANY_ERRORS,
        ),
        ("finished", {"downloader__response_status_count__503": 7}, "too_many_errors", EXIT_TOO_MANY_ERRORS),
        ("finished", {"downloader__response_status_count__404": 7}, "ok", EXIT_OK),  # removed pages
        ("finished", {"newscrawl__extracted__published": 4}, "below_coverage_floor", EXIT_BELOW_FLOOR),
    ],
)
def test_status_and_exit_code(
    session: RunSession, reason: str, changes: dict[str, int], status: str, code: int
) -> None:
    m = build_manifest(session, stats(**changes), reason=reason, thresholds=FLOOR)
    assert (m["status"], m["exit_code"]) == (status, code)
    assert bool(m["problems"]) is (status != "ok")
    assert m["complete"] is (reason == "finished" and status in ("ok", "below_coverage_floor"))


def test_failure_outranks_a_low_coverage(session: RunSession) -> None:
    m = build_manifest(
        session,
        stats(newscrawl__extracted__published=0, downloader__response_status_count__500=30),
        reason="finished",
        thresholds=FLOOR,
    )
    assert m["status"] == "too_many_errors"


def test_coverage_is_not_judged_on_a_handful_of_articles(session: RunSession) -> None:
    few = stats(newscrawl__extracted=4, newscrawl__extracted__title=4, newscrawl__extracted__published=0)
    assert build_manifest(session, few, reason="finished", thresholds=FLOOR)["status"] == "ok"
    strict = Thresholds(coverage_floor={"published": 0.8}, coverage_min_articles=1)
    m = build_manifest(session, few, reason="finished", thresholds=strict)
    assert m["coverage"]["below_floor"] == ["published"]
    assert m["problems"] == ["published on 0% of 4 articles, floor 80%"]


def test_errors_by_type() -> None:
    errors = errors_by_type(
        {
            "downloader/exception_type_count/twisted.internet.error.TimeoutError": 2,
            "downloader/exception_type_count/scrapy.exceptions.TimeoutError": 1,
            "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 4,
            "spider_exceptions/KeyError": 1,
            "downloader/response_status_count/200": 50,
            "downloader/response_status_count/404": 3,
            "robotstxt/response_status_count/404": 1,
            "downloader/response_status_count/500": 2,
            "newscrawl/skipped/extract_error": 1,
            "newscrawl/feed/invalid": 1,
        }
    )
    assert errors == {
        "download/TimeoutError": 3,
        "extract/error": 1,
        "feed/invalid": 1,
        "http/404": 2,
        "http/500": 2,
        "spider/KeyError": 1,
    }


def test_format_table() -> None:
    text = format_table([("a", "bb"), ("ccc", "d")], header=("X", "Y"))
    assert text.splitlines() == ["X    Y", "a    bb", "ccc  d"]
