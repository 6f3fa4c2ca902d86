"""The seen-store, the job lock, torn-line repair and reconcile (newscrawl.state), without Scrapy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawl.state import (
    JobLock,
    Known,
    LockedError,
    RunRow,
    SeenStore,
    classify,
    iter_records,
    reconcile,
    repair_torn_tail,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SeenStore]:
    s = SeenStore(tmp_path / "state")
    yield s
    s.close()


def remember(store: SeenStore, key: str, content_hash: str = "h1", version: int = 1, **kw: Any) -> None:
    store.record(
        "hnr",
        key,
        url=kw.pop("url", key),
        content_hash=content_hash,
        version=version,
        fetched_at=kw.pop("fetched_at", "2026-11-20T00:00:00+00:00"),
        lastmod=kw.pop("lastmod", None),
        run_id=kw.pop("run_id", "r1"),
        **kw,
    )


def test_classify() -> None:
    known = Known("k", "u", "h1", 3, None, None, "r")
    assert classify(None, "h1") == ("new", 1)
    assert classify(known, "h1") == ("unchanged", 3)
    assert classify(known, "h2") == ("changed", 4)


def test_record_and_look_up_by_any_url_of_the_article(store: SeenStore) -> None:
    remember(store, "https://news.hnr.cn/1.html", url_keys=("https://m.hnr.cn/1.html",))
    by_alias = store.known("hnr", "https://m.hnr.cn/1.html")
    assert by_alias is not None
    assert by_alias.key == "https://news.hnr.cn/1.html"
    assert store.known("hnr", "https://news.hnr.cn/1.html") == by_alias
    assert store.known("other", "https://news.hnr.cn/1.html") is None  # stores are per site
    assert store.known("hnr", "https://news.hnr.cn/2.html") is None
    store.add_aliases("hnr", "https://news.hnr.cn/1.html", ("https://news.hnr.cn/1.html?from=rss",))
    assert store.known("hnr", "https://news.hnr.cn/1.html?from=rss") == by_alias
    assert store.count_articles("hnr") == 1
    assert store.count_articles() == 1


def test_a_lower_version_never_replaces_a_higher_one(store: SeenStore) -> None:
    remember(store, "k", "h2", version=2, run_id="r2")
    remember(store, "k", "h1", version=1, run_id="r1")  # e.g. reconciling an older file
    known = store.article("hnr", "k")
    assert known is not None
    assert (known.version, known.content_hash, known.run_id) == (2, "h2", "r2")
    remember(store, "k", "h3", version=3, run_id="r3")
    assert store.article("hnr", "k").version == 3  # type: ignore[union-attr]


def test_record_keeps_a_known_lastmod_when_none_is_given(store: SeenStore) -> None:
    remember(store, "k", lastmod="2026-11-20")
    remember(store, "k", "h2", version=2, lastmod=None)
    assert store.article("hnr", "k").lastmod == "2026-11-20"  # type: ignore[union-attr]


def test_touch_updates_fetch_time_and_lastmod(store: SeenStore) -> None:
    remember(store, "k", lastmod="2026-11-20")
    store.touch("hnr", "k", fetched_at="2026-11-26T00:00:00+00:00", lastmod="2026-11-25", url_keys=("alias",))
    known = store.article("hnr", "k")
    assert known is not None
    assert (known.fetched_at, known.lastmod, known.version) == ("2026-11-26T00:00:00+00:00", "2026-11-25", 1)
    assert store.known("hnr", "alias") == known


def _run(
    run_id: str, output: Path, *, job: str = "hnr", offset: int = 0, started: str | None = None
) -> RunRow:
    return RunRow(
        job=job,
        run_id=run_id,
        site=job.split("-", 1)[0],
        started=started or f"2026-11-26T{run_id[-7:-5]}:00:00+00:00",
        finished=None,
        status="running",
        exit_code=None,
        complete=False,
        since=None,
        output=str(output),
        output_offset=offset,
        manifest_path=str(output.parent / "runs" / f"{run_id}.json"),
        manifest=None,
    )


def test_runs_table(store: SeenStore, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    store.start_run(_run("20261126T010000Z", out))
    store.start_run(_run("20261126T020000Z", out))
    store.start_run(_run("20261126T030000Z", out, job="generic-example.cn"))
    assert [r.run_id for r in store.unfinished_runs("hnr")] == ["20261126T010000Z", "20261126T020000Z"]
    assert store.last_finished_run("hnr") is None
    store.finish_run(
        "hnr", "20261126T010000Z", finished="x", manifest={"status": "ok", "exit_code": 0}, complete=True
    )
    last = store.last_finished_run("hnr")
    assert last is not None
    assert (last.run_id, last.status, last.exit_code, last.complete) == ("20261126T010000Z", "ok", 0, True)
    assert last.manifest == {"status": "ok", "exit_code": 0}
    assert [r.run_id for r in store.recent_runs()] == [
        "20261126T030000Z",
        "20261126T020000Z",
        "20261126T010000Z",
    ]
    assert [r.run_id for r in store.recent_runs("hnr", limit=1)] == ["20261126T020000Z"]
    assert store.run_exists("hnr", "20261126T020000Z")
    assert not store.run_exists("generic-example.cn", "20261126T020000Z")
    assert [r.job for r in store.recent_runs("generic")] == ["generic-example.cn"]


def test_open_existing(tmp_path: Path) -> None:
    assert SeenStore.open_existing(tmp_path / "nothing") is None
    SeenStore(tmp_path / "state").close()
    existing = SeenStore.open_existing(tmp_path / "state")
    assert existing is not None
    existing.close()


def test_job_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    first, second = JobLock(tmp_path, "generic-127.0.0.1"), JobLock(tmp_path, "generic-127.0.0.1")
    assert not second.is_held_elsewhere()
    first.acquire()
    assert first.path.name == "generic-127.0.0.1.lock"
    assert second.is_held_elsewhere()
    with pytest.raises(LockedError, match="another run holds"):
        second.acquire()
    first.release()
    first.release()  # idempotent
    second.acquire()
    other = JobLock(tmp_path, "hnr")
    other.acquire()  # another job is independent
    other.release()
    second.release()


def test_repair_torn_tail(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    assert repair_torn_tail(path) == 0  # missing file
    path.write_bytes(b'{"a":1}\n{"b":2}\n')
    assert repair_torn_tail(path) == 0
    path.write_bytes(b'{"a":1}\n{"b":2}\n{"c":3,"bo')
    assert repair_torn_tail(path) == len(b'{"c":3,"bo')
    assert path.read_bytes() == b'{"a":1}\n{"b":2}\n'
    path.write_bytes(b'{"torn')
    assert repair_torn_tail(path) == 6
    assert path.read_bytes() == b""


def test_repair_only_looks_after_the_start_offset(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    path.write_bytes(b'{"a":1}\n' + b'{"b":' + b"x" * 70000)  # a long torn line, longer than a block
    start = len(b'{"a":1}\n')
    assert repair_torn_tail(path, start) == 70005
    assert path.read_bytes() == b'{"a":1}\n'


def test_iter_records_skips_a_torn_tail_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "o.jsonl"
    path.write_bytes(b'{"url":"u1"}\nnot json\n{"url":"u2"}\n{"url":"u3"')
    assert [r["url"] for r in iter_records(path)] == ["u1", "u2"]
    assert [r["url"] for r in iter_records(path, start=len(b'{"url":"u1"}\n'))] == ["u2"]
    assert list(iter_records(tmp_path / "missing.jsonl")) == []


def _keys(record: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    return record.get("canonical_url") or record["url"], (record["url"],)


def test_reconcile_records_every_line_once_and_is_idempotent(store: SeenStore, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    before = json.dumps({"url": "old", "content_hash": "h0"}) + "\n"
    lines = [
        {"url": "m1", "canonical_url": "a1", "content_hash": "h1", "version": 1, "fetched_at": "t1"},
        {"url": "a2", "content_hash": "h2", "version": 2, "fetched_at": "t2"},
    ]
    out.write_text(before + "".join(json.dumps(x) + "\n" for x in lines) + '{"url":"torn', encoding="utf-8")
    run = _run("20261126T010000Z", out, offset=len(before))
    seen: list[int] = []
    result = reconcile(store, run, _keys, on_line=seen.append)
    assert (result.lines, result.torn_bytes) == (2, len('{"url":"torn'))
    assert seen == [1, 2]
    assert store.known("hnr", "old") is None  # before the run's offset: an earlier run's line
    a1 = store.known("hnr", "m1")
    assert a1 is not None
    assert (a1.key, a1.content_hash, a1.version, a1.run_id) == ("a1", "h1", 1, "20261126T010000Z")
    assert store.article("hnr", "a2").version == 2  # type: ignore[union-attr]
    again = reconcile(store, run, _keys)
    assert (again.lines, again.torn_bytes) == (2, 0)
    assert store.count_articles("hnr") == 2
