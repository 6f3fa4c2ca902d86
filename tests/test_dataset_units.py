"""Datasets without a crawl: near-duplicates, version selection, filters, writers, WARC reading and
re-extraction on hand-made files, and the commands' errors (one line, exit code 2)."""

from __future__ import annotations

import gzip
import json
import re
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.cli import main
from newscrawl.dataset import DatasetError
from newscrawl.dataset.card import field_docs
from newscrawl.dataset.neardup import (
    MIN_TOKENS,
    MinHasher,
    cluster_records,
    jaccard,
    shingles,
    similarity,
    tokens,
)
from newscrawl.dataset.read import Dataset, Filters, input_files, key_hash
from newscrawl.dataset.report import _buckets, render_html
from newscrawl.dataset.summary import Summary, run_manifests
from newscrawl.dataset.write import CsvWriter, ParquetWriter, arrow_value, csv_cell
from newscrawl.extract import extract_article
from newscrawl.items import RECORD_FIELDS
from newscrawl.reextract import ReextractStats, reextract
from newscrawl.warc import GzipMembers, WarcError, index_warc, warc_path_for
from tests.conftest import SITES, gzip_members

STORY = (
    "国务院新闻办公室今天上午举行新闻发布会，国家统计局新闻发言人介绍前十个月国民经济运行情况。"
    "数据显示，前十个月全国规模以上工业增加值同比增长百分之五点八，服务业生产指数增长百分之六点一，"
    "社会消费品零售总额同比增长百分之四点五，市场销售保持恢复态势。"
    "\n\n新闻发言人表示，总的来看，国民经济延续回升向好态势，高质量发展扎实推进，"
    "但也要看到外部环境不确定性仍然较多，国内需求仍显不足，经济持续回升向好的基础还需巩固。"
)
OTHER = (
    "青川县今年秋粮喜获丰收，全县粮食总产量比去年增长百分之三，农民收入持续增加。"
    "县农业农村局组织农技人员深入田间地头，指导农户抢收抢晒，确保颗粒归仓。"
    "\n\n与此同时，全县还推广了烘干设备和订单农业，稻谷收购价格保持稳定，种粮大户纷纷表示明年还要扩大种植面积。"
)


# --- near-duplicates -------------------------------------------------------------------------------


def test_tokens_are_cjk_characters_and_words() -> None:
    assert tokens("新华社ＡＢＣ 2026年 Hello, World!") == [
        "新",
        "华",
        "社",
        "abc",
        "2026",
        "年",
        "hello",
        "world",
    ]
    assert b"\x1f".join(t.encode() for t in tokens("国务院新闻")) in shingles("国务院新闻")
    assert len(shingles("一二三四五六")) == 2  # character 5-grams


def test_repost_with_other_header_and_trailer_is_a_near_duplicate() -> None:
    repost = f"转自：新华网\n\n{STORY}\n\n（责任编辑：张三）"
    assert jaccard(STORY, repost) > 0.7
    assert jaccard(STORY, OTHER) < 0.05
    hasher = MinHasher()
    a, b, c = hasher.signature(STORY), hasher.signature(repost), hasher.signature(OTHER)
    assert a is not None
    assert b is not None
    assert c is not None
    assert abs(similarity(a, b) - jaccard(STORY, repost)) < 0.15
    assert similarity(a, c) < 0.1
    assert (MinHasher().signature(STORY) == a).all()  # same permutations every time


def test_clusters_link_copies_only_and_ids_are_the_smallest_url_hash() -> None:
    repost = f"转自：新华网\n\n{STORY}\n\n（责任编辑：张三）"
    edited = STORY.replace("百分之", "百分之 ")[:-20]
    clusters = cluster_records([(30, STORY), (10, OTHER), (20, repost), (40, edited)])
    ids = [clusters.cluster_id(i) for i in range(4)]
    assert ids[0] == ids[2] == ids[3] == f"{20:016x}"
    assert ids[1] == f"{10:016x}"
    assert [clusters.size(i) for i in range(4)] == [3, 1, 3, 3]
    assert clusters.count == 2
    again = cluster_records([(40, edited), (20, repost), (10, OTHER), (30, STORY)])
    assert [again.cluster_id(i) for i in range(4)] == [ids[3], ids[2], ids[1], ids[0]]


def test_short_bodies_are_never_matched_but_equal_urls_are() -> None:
    short = "图片新闻：菊展开幕。" * 2
    assert len(tokens(short)) < MIN_TOKENS
    clusters = cluster_records([(1, short), (2, short), (3, "完全不同的一段话"), (3, STORY)])
    assert clusters.cluster_id(0) != clusters.cluster_id(1)
    assert clusters.cluster_id(2) == clusters.cluster_id(3)  # versions of one article


# --- reading: versions, torn lines, filters ------------------------------------------------------------


def record(url: str, **fields: Any) -> dict[str, Any]:
    base = {
        "url": url,
        "canonical_url": None,
        "site": "generic",
        "title": "t",
        "published": "2026-11-20T09:00+08:00",
        "keywords": [],
        "language": "zh",
        "body": "正文",
        "fetched_at": "2026-11-21T00:00:00+00:00",
        "version": 1,
    }
    return {**base, **fields}


def write_jsonl(path: Path, records: list[dict[str, Any]], tail: str = "") -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records) + tail, encoding="utf-8"
    )
    return path


def test_latest_version_per_article_then_latest_fetch(tmp_path: Path) -> None:
    first = write_jsonl(
        tmp_path / "a.jsonl",
        [
            record("http://x.cn/1.html", body="v1"),
            record("http://x.cn/2.html?from=rss", canonical_url="http://x.cn/2.html", body="a"),
        ],
    )
    second = write_jsonl(
        tmp_path / "b.jsonl",
        [
            record("http://x.cn/1.html", body="v2", version=2),
            record("http://x.cn/2.html", body="b", fetched_at="2026-11-22T00:00:00+00:00"),
            record("http://x.cn/2.html", site="other", body="other site"),
        ],
    )
    rows = list(Dataset([first, second]))
    assert [r["body"] for r in rows] == ["v2", "b", "other site"]
    dataset = Dataset([first, second], all_versions=True)
    assert len(list(dataset)) == 5
    assert dataset.stats.older_versions == 0


def test_torn_last_line_is_skipped_other_bad_lines_are_errors(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record("http://x.cn/1.html")], tail='{"url": "http://x.cn/2')
    dataset = Dataset([path])
    assert len(list(dataset)) == 1
    assert dataset.stats.torn == 1
    bad = write_jsonl(tmp_path / "b.jsonl", [record("http://x.cn/1.html")], tail="not json\n")
    with pytest.raises(DatasetError, match=r"b\.jsonl:2: not a JSON line"):
        list(Dataset([bad]))
    nourl = write_jsonl(tmp_path / "c.jsonl", [{"title": "x"}])
    with pytest.raises(DatasetError, match="not an article record"):
        list(Dataset([nourl]))


def test_lines_appended_after_opening_are_not_read(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [record("http://x.cn/1.html")])
    dataset = Dataset([path])
    with path.open("a", encoding="utf-8") as stream:
        stream.write(json.dumps(record("http://x.cn/2.html")) + "\n")
    assert [r["url"] for r in dataset] == ["http://x.cn/1.html"]


def test_filters() -> None:
    r = record(
        "http://news.qingchuan.example:8080/a.html",
        keywords=["高铁", "Travel"],
        language="zh-CN",
        title="国庆",
        body="客流高峰",
    )
    assert Filters(sites=("qingchuan.example",)).matches(r)
    assert Filters(sites=("news.qingchuan.example:8080",)).matches(r)
    assert Filters(sites=("generic",)).matches(r)
    assert not Filters(sites=("hnr",)).matches(r)
    assert Filters(since=date(2026, 11, 20), until=date(2026, 11, 20)).matches(r)
    assert not Filters(since=date(2026, 11, 21)).matches(r)
    assert not Filters(until=date(2026, 11, 19)).matches(r)
    assert not Filters(since=date(2000, 1, 1)).matches({**r, "published": None})
    assert Filters(keywords=("travel",)).matches(r)
    assert not Filters(keywords=("高",)).matches(r)
    assert Filters(contains=("没有", "高峰")).matches(r)
    assert not Filters(contains=("没有",)).matches(r)
    assert Filters(languages=("zh",)).matches(r)
    assert not Filters(languages=("z",)).matches(r)


def test_input_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "output" / "b").mkdir(parents=True)
    (tmp_path / "output" / "a" / "runs").mkdir(parents=True)
    for name in ("output/b/2.jsonl", "output/a/1.jsonl", "output/a/runs/1.json", "output/a/.x.jsonl.partial"):
        (tmp_path / name).write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [str(p) for p in input_files([])] == ["output/a/1.jsonl", "output/b/2.jsonl"]
    assert [str(p) for p in input_files(["output"], exclude=[Path("output/a/1.jsonl")])] == [
        "output/b/2.jsonl"
    ]
    with pytest.raises(DatasetError, match="no such file"):
        input_files(["missing.jsonl"])
    monkeypatch.chdir(tmp_path / "output")
    with pytest.raises(DatasetError, match="no output/ folder"):
        input_files([])


# --- writers -----------------------------------------------------------------------------------------


def test_csv_cells_and_bom() -> None:
    assert csv_cell("authors", ["张三", "李四"]) == "张三 | 李四"
    assert csv_cell("authors", []) == ""
    assert csv_cell("summary", None) == ""
    assert csv_cell("field_sources", {"title": "meta"}) == '{"title": "meta"}'
    assert csv_cell("version", 2) == "2"
    out = BytesIO()
    import io  # noqa: PLC0415

    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    writer = CsvWriter(text, ("title", "keywords"), bom=True)
    writer.write({"title": "国庆, 假期", "keywords": ["a", "b"]})
    writer.close()
    assert out.getvalue() == '\ufefftitle,keywords\r\n"国庆, 假期",a | b\r\n'.encode()


def test_parquet_row_groups_and_types(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    writer = ParquetWriter(path, ("url", "authors", "field_sources", "version"), row_group_size=2)
    for n in range(5):
        writer.write(
            {"url": f"u{n}", "authors": ["甲"] * n, "field_sources": {"title": "meta"}, "version": n + 1}
        )
    writer.close()
    file = pq.ParquetFile(path)
    assert file.metadata.num_row_groups == 3
    rows = file.read().to_pylist()
    assert [r["authors"] for r in rows] == [[], ["甲"], ["甲", "甲"], ["甲"] * 3, ["甲"] * 4]
    assert rows[0]["field_sources"] == [("title", "meta")]
    assert arrow_value("version", "3") == 3
    assert arrow_value("title", 5) == "5"
    assert arrow_value("authors", "张三") == ["张三"]


# --- report pieces -------------------------------------------------------------------------------------


def test_buckets_grow_with_the_date_range() -> None:
    assert _buckets(date(2026, 1, 1), date(2026, 1, 31))[0] == "day"
    assert _buckets(date(2026, 1, 1), date(2026, 12, 31))[0] == "week"
    unit, months = _buckets(date(2020, 1, 15), date(2026, 11, 2))
    assert unit == "month"
    assert months[0][0] == "2020-01"
    assert months[-1][0] == "2026-11"


def test_report_of_an_empty_dataset() -> None:
    page = render_html(
        Summary(),
        read={"files": 1, "lines": 0, "older_versions": 0, "filtered": 0},
        title="x",
        card_name=None,
    )
    assert "No article has a publication date." in page


def test_card_documents_every_record_field() -> None:
    docs = field_docs()
    assert set(RECORD_FIELDS) <= set(docs)
    assert docs["published"].startswith("Publication time")


# --- WARC: reading and re-extraction -----------------------------------------------------------------


def hnr_case() -> tuple[bytes, dict[str, Any]]:
    case = SITES / "hnr" / "article_2021"
    return (case / "response.html").read_bytes(), json.loads((case / "response.json").read_text())


def make_warc(
    path: Path,
    *,
    info: dict[str, str] | None,
    version: int = 3,
    torn: bool = False,
    warcio_gzip: bool = False,
) -> str:
    """A WARC like the crawl writes: warcinfo, a gzip-encoded article response, its metadata record
    (compressed as the crawl does, or with warcio's own gzip writer as other tools do)."""
    html, meta = hnr_case()
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True) if warcio_gzip else WARCWriter(GzipMembers(stream), gzip=False)
        if info is not None:
            writer.write_record(writer.create_warcinfo_record(path.name, info))
        body = gzip.compress(html)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
            protocol="HTTP/1.1",
        )
        record_id = "<urn:uuid:00000000-0000-0000-0000-000000000001>"
        response = writer.create_warc_record(
            meta["url"],
            "response",
            payload=BytesIO(body),
            length=len(body),
            warc_headers_dict={
                "WARC-Record-ID": record_id,
                "WARC-Date": "2021-09-05T02:00:00Z",
                "Newscrawl-Callback": "parse_article",
            },
            http_headers=headers,
        )
        writer.write_record(response)
        payload = json.dumps({"written": True, "version": version}).encode()
        writer.write_record(
            writer.create_warc_record(
                meta["url"],
                "metadata",
                payload=BytesIO(payload),
                length=len(payload),
                warc_content_type="application/json",
                warc_headers_dict={"WARC-Refers-To": record_id},
            )
        )
    if torn:
        with path.open("ab") as stream:
            stream.write(gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n")[:25])
    return meta["url"]


HNR_INFO = {"software": "newscrawl/test", "newscrawl-site": json.dumps({"name": "hnr"})}


def test_warc_path_for() -> None:
    assert warc_path_for(Path("output/hnr/20261126T201045Z.jsonl")) == Path(
        "output/hnr/20261126T201045Z.warc.gz"
    )
    assert warc_path_for(Path("out")) == Path("out.warc.gz")


def test_reextract_uses_the_warc_date_profile_and_version(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    url = make_warc(path, info=HNR_INFO, torn=True)
    stats = ReextractStats()
    records = list(reextract([path], stats=stats))
    html, _ = hnr_case()
    expected = extract_article(html, url, site="hnr", fetched_at=datetime(2021, 9, 5, 2, tzinfo=UTC))
    assert records == [{**expected, "version": 3}]
    assert records[0]["fetched_at"] == "2021-09-05T02:00:00+00:00"
    assert stats.torn == 1
    assert stats.written_by_crawl == 1


def test_reextract_a_warc_from_another_tool(tmp_path: Path) -> None:
    path = tmp_path / "other.warc.gz"
    make_warc(path, info={"software": "wget"}, warcio_gzip=True)
    segments = index_warc(path)
    assert len(segments) == 1
    assert segments[0].exchanges[0].callback == "parse_article"
    records = list(reextract([path], stats=ReextractStats()))
    assert len(records) == 1
    assert records[0]["site"] == "hnr"


def test_the_crawl_writes_one_gzip_member_per_record_at_level_6(tmp_path: Path) -> None:
    path = tmp_path / "run.warc.gz"
    make_warc(path, info=HNR_INFO)
    members = gzip_members(path.read_bytes())
    kinds = [re.search(rb"\r\nWARC-Type: (\w+)\r\n", body) for _, body in members]
    assert [m.group(1) if m else None for m in kinds] == [b"warcinfo", b"response", b"metadata"]
    # XFL is 2 for zlib's level 9 (warcio's own writer) and 0 for levels 2-8.
    assert {xfl for xfl, _ in members} == {0}
    make_warc(path, info=HNR_INFO, warcio_gzip=True)
    assert {xfl for xfl, _ in gzip_members(path.read_bytes())} == {2}


def test_gzip_members_flush_without_a_write_adds_no_member() -> None:
    out = BytesIO()
    members = GzipMembers(out)
    members.flush()
    assert out.getvalue() == b""
    members.write(b"one")
    members.write(b" record")
    members.flush()
    members.flush()
    assert [body for _, body in gzip_members(out.getvalue())] == [b"one record"]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc.gz"
    path.write_bytes(b"hello, world\n")
    with pytest.raises(WarcError, match="not a WARC file"):
        index_warc(path)


# --- commands: bad input is one line and exit code 2 --------------------------------------------------


def fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith("newscrawl: error: "), err
    return err


@pytest.fixture
def dataset_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "d.jsonl", [record("http://x.cn/1.html", body=STORY)])


def test_export_errors(capsys: pytest.CaptureFixture[str], dataset_file: Path, tmp_path: Path) -> None:
    assert "unknown field(s) titel" in fail(capsys, "export", str(dataset_file), "--fields", "titel,url")
    assert "Parquet output needs a file" in fail(capsys, "export", str(dataset_file), "--format", "parquet")
    assert "--since must be a date" in fail(capsys, "export", str(dataset_file), "--since", "yesterday")
    assert "is after --until" in fail(
        capsys, "export", str(dataset_file), "--since", "2026-11-02", "--until", "2026-11-01"
    )
    assert "cannot read nope.jsonl" in fail(capsys, "export", "nope.jsonl")
    assert "--bom is for CSV" in fail(capsys, "export", str(dataset_file), "--bom")
    assert "invalid choice" in fail(capsys, "export", str(dataset_file), "--format", "xlsx")
    bad = write_jsonl(tmp_path / "bad.jsonl", [], tail="oops\n")
    assert "bad.jsonl:1: not a JSON line" in fail(capsys, "export", str(bad), "-o", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()
    assert not list(tmp_path.glob(".x.csv*"))


def test_export_to_a_file_and_summary(
    capsys: pytest.CaptureFixture[str], dataset_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.jsonl"
    assert main(["export", str(dataset_file), "-o", str(out), "--fields", "url,cluster_id,cluster_size"]) == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row == {
        "url": "http://x.cn/1.html",
        "cluster_id": f"{key_hash('http://x.cn/1.html'):016x}",
        "cluster_size": 1,
    }
    assert "exported 1 articles in 1 near-duplicate clusters" in capsys.readouterr().err


def test_report_and_reextract_errors(
    capsys: pytest.CaptureFixture[str], dataset_file: Path, tmp_path: Path
) -> None:
    assert "must name an .html file" in fail(
        capsys, "report", str(dataset_file), "-o", str(tmp_path / "r.pdf")
    )
    assert "required" in fail(capsys, "report", str(dataset_file))
    assert "cannot read nope.warc.gz" in fail(capsys, "reextract", "nope.warc.gz")
    notwarc = tmp_path / "x.warc.gz"
    notwarc.write_bytes(b"hello\n")
    assert "not a WARC file" in fail(capsys, "reextract", str(notwarc), "-o", str(tmp_path / "out.jsonl"))
    assert not (tmp_path / "out.jsonl").exists()


def test_run_manifests_are_found_by_the_file_they_name(tmp_path: Path) -> None:
    """Default outputs are named after the run; ``-o PATH`` outputs are not, and runs may append to one."""
    runs = tmp_path / "runs"
    runs.mkdir()
    named = tmp_path / "20261126T100000Z.jsonl"
    custom = tmp_path / "hnr-latest.jsonl"
    other = tmp_path / "not-read.jsonl"
    for path in (named, custom, other):
        path.write_text("", encoding="utf-8")
    manifests = {
        "20261126T100000Z": named,
        "20261126T110000Z": custom,
        "20261126T120000Z": custom,
        "20261126T130000Z": other,
    }
    for run_id, output in manifests.items():
        (runs / f"{run_id}.json").write_text(
            json.dumps({"run_id": run_id, "output": str(output)}), encoding="utf-8"
        )
    (runs / "broken.json").write_text("{not json", encoding="utf-8")
    found = run_manifests([custom, named])
    assert [m["run_id"] for m in found] == ["20261126T110000Z", "20261126T120000Z", "20261126T100000Z"]
