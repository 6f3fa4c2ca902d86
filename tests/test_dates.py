"""Tests for newscrawl.extract.dates: tokens, fast path, zones, relative dates, fallback, garbage, URLs."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.extract import dates
from newscrawl.extract.dates import (
    DateToken,
    ParsedDate,
    date_from_url,
    find_date_tokens,
    is_future,
    parse_date,
)

SH = ZoneInfo("Asia/Shanghai")
PARIS = ZoneInfo("Europe/Paris")
# 2021-09-05 10:00:30 in Shanghai.
FETCHED = datetime(2021, 9, 5, 2, 0, 30, tzinfo=UTC)


def _iso(raw: str, **kwargs: Any) -> str | None:
    parsed = parse_date(raw, **kwargs)
    return None if parsed is None else parsed.iso()


# ---------------------------------------------------------------------------------------------------------
# Fast path


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("2021-09-03 16:39:39", {"tz": SH}, "2021-09-03T16:39:39+08:00"),
        ("2021-09-03 16:39", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021-9-3", {"tz": SH}, "2021-09-03"),
        ("2021/9/3 8:05", {"tz": SH}, "2021-09-03T08:05+08:00"),
        ("2021.09.03", {"tz": SH}, "2021-09-03"),
        ("2021年09月03日 16:39", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021年9月3日16时39分", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021年9月3日16时39分20秒", {"tz": SH}, "2021-09-03T16:39:20+08:00"),
        ("2021年9月3日 16点39", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021年09月03日 16:39:39", {"tz": SH}, "2021-09-03T16:39:39+08:00"),
        ("2021年9月3日", {"tz": SH}, "2021-09-03"),
        ("2021 年 9 月 3 日", {"tz": SH}, "2021-09-03"),
        ("2021年9月3日 下午4:39", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021年9月3日 4:39下午", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021年9月3日 晚上8:05", {"tz": SH}, "2021-09-03T20:05+08:00"),
        ("2021年9月3日 上午9:15", {"tz": SH}, "2021-09-03T09:15+08:00"),
        ("2021年9月3日 凌晨12:30", {"tz": SH}, "2021-09-03T00:30+08:00"),
        ("2021年9月3日 中午1:30", {"tz": SH}, "2021-09-03T13:30+08:00"),
        ("2021/9/3 4:39 PM", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("２０２１年９月３日　１６：３９", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("２０２１－０９－０３", {"tz": SH}, "2021-09-03"),
        ("2021年9月3日 星期五 16:39", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021年9月3日（周五）16:39", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021-09-03T08:39:39Z", {"tz": SH}, "2021-09-03T16:39:39+08:00"),
        ("2021-09-03T16:39:39.123+08:00", {"tz": SH}, "2021-09-03T16:39:39+08:00"),
        ("2021-09-03T08:39:39+0000", {"tz": SH}, "2021-09-03T16:39:39+08:00"),
        ("2021-09-03T08:39+00:00", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("2021-09-03 16:39 GMT", {"tz": SH}, "2021-09-04T00:39+08:00"),
        ("发布时间：2021年09月03日 16:39  来源：映象网", {"tz": SH}, "2021-09-03T16:39+08:00"),
        # a time range, not a UTC offset
        ("2021-09-03 10:00-12:00", {"tz": SH}, "2021-09-03T10:00+08:00"),
        # the first token wins
        ("2021-09-03 16:39 更新于 2021-09-04 08:00", {"tz": SH}, "2021-09-03T16:39+08:00"),
        # tz given as an IANA name
        ("2021-09-03 16:39:39", {"tz": "Asia/Shanghai"}, "2021-09-03T16:39:39+08:00"),
    ],
)
def test_fast_path(raw: str, kwargs: dict[str, Any], expected: str) -> None:
    assert _iso(raw, **kwargs) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-09-03 16:39:39", "2021-09-03T16:39:39"),
        ("2021年9月3日 16:39", "2021-09-03T16:39"),
        ("2021.09.03", "2021-09-03"),
        ("2021-09-03T08:39:39Z", "2021-09-03T08:39:39+00:00"),
        ("2021-09-03T16:39:39.5+08:00", "2021-09-03T16:39:39+08:00"),
        ("2021-09-03 16:39 UTC+8", "2021-09-03T16:39+08:00"),
        ("2021-09-03 16:39:39 -05:00", "2021-09-03T16:39:39-05:00"),
    ],
)
def test_without_tz_naive_or_own_offset(raw: str, expected: str) -> None:
    assert _iso(raw) == expected


@pytest.mark.parametrize(
    ("raw", "precision", "token", "aware"),
    [
        ("发布时间：2021年09月03日 16:39  来源：映象网", "minute", "2021年09月03日 16:39", False),
        (
            "时间：２０２１－０９－０３　１６：３９：３９",
            "second",
            "２０２１－０９－０３　１６：３９：３９",
            False,
        ),
        ("2021-09-03", "day", "2021-09-03", False),
        ("2021-09-03T08:39:39.250Z", "second", "2021-09-03T08:39:39.250Z", True),
    ],
)
def test_precision_raw_and_awareness(raw: str, precision: str, token: str, aware: bool) -> None:
    parsed = parse_date(raw)
    assert parsed is not None
    assert (parsed.precision, parsed.raw, parsed.value.tzinfo is not None) == (precision, token, aware)


def test_fractional_seconds_kept_in_value() -> None:
    parsed = parse_date("2021-09-03T16:39:39.123+08:00")
    assert parsed is not None
    assert parsed.value.microsecond == 123000


@pytest.mark.parametrize(
    ("parsed", "expected"),
    [
        (ParsedDate(datetime(2021, 9, 3, 16, 39, 39, tzinfo=SH), "day", "x"), "2021-09-03"),
        (ParsedDate(datetime(2021, 9, 3, 16, 39, 39, tzinfo=SH), "minute", "x"), "2021-09-03T16:39+08:00"),
        (
            ParsedDate(datetime(2021, 9, 3, 16, 39, 39, 5, tzinfo=SH), "second", "x"),
            "2021-09-03T16:39:39+08:00",
        ),
        (ParsedDate(datetime(2021, 9, 3, 16, 39, 39), "second", "x"), "2021-09-03T16:39:39"),
    ],
)
def test_iso(parsed: ParsedDate, expected: str) -> None:
    assert parsed.iso() == expected


# ---------------------------------------------------------------------------------------------------------
# Time zones and DST


@pytest.mark.parametrize(
    ("raw", "tz", "expected"),
    [
        ("2022-02-06T12:48:06+00:00", PARIS, "2022-02-06T13:48:06+01:00"),
        ("2022-07-06T12:48:06+00:00", PARIS, "2022-07-06T14:48:06+02:00"),
        ("2021-09-03T16:39:39+08:00", PARIS, "2021-09-03T10:39:39+02:00"),
        ("2021-01-15 12:00", PARIS, "2021-01-15T12:00+01:00"),
        ("2021-07-01 12:00", PARIS, "2021-07-01T12:00+02:00"),
        # ambiguous wall time: fold=0, the first (summer-time) occurrence
        ("2021-10-31 02:30", PARIS, "2021-10-31T02:30+02:00"),
        # non-existent wall time in the spring-forward gap moves to the instant after it
        ("2021-03-28 02:30", PARIS, "2021-03-28T03:30+02:00"),
        ("2021-11-07 12:00", ZoneInfo("America/New_York"), "2021-11-07T12:00-05:00"),
        ("2021-11-06 12:00", ZoneInfo("America/New_York"), "2021-11-06T12:00-04:00"),
    ],
)
def test_time_zones_and_dst(raw: str, tz: ZoneInfo, expected: str) -> None:
    assert _iso(raw, tz=tz) == expected


# ---------------------------------------------------------------------------------------------------------
# Dates without a year


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("09-03 16:39", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03T16:39+08:00"),
        ("9月3日 16:39", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03T16:39+08:00"),
        ("9月3日", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03"),
        ("Sep 3", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03"),
        ("September 3, 4:39 PM", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03T16:39+08:00"),
        # later than fetched_at + 1 day: last year's
        ("September 30, 4:39 PM", {"tz": SH, "fetched_at": FETCHED}, "2020-09-30T16:39+08:00"),
        ("12-31 23:00", {"tz": SH, "fetched_at": datetime(2022, 1, 2, tzinfo=UTC)}, "2021-12-31T23:00+08:00"),
        ("01-01 08:00", {"tz": SH, "fetched_at": datetime(2022, 1, 2, tzinfo=UTC)}, "2022-01-01T08:00+08:00"),
        # fetched 2022-01-02 08:00 in Shanghai: exactly one day ahead is still this year, a minute more is not
        ("01-03 08:00", {"tz": SH, "fetched_at": datetime(2022, 1, 2, tzinfo=UTC)}, "2022-01-03T08:00+08:00"),
        ("01-03 08:01", {"tz": SH, "fetched_at": datetime(2022, 1, 2, tzinfo=UTC)}, "2021-01-03T08:01+08:00"),
        # fetched 2021-12-31 16:30 UTC is already 2022-01-01 in Shanghai: the year comes from the local date
        (
            "01-01 00:10",
            {"tz": SH, "fetched_at": datetime(2021, 12, 31, 16, 30, tzinfo=UTC)},
            "2022-01-01T00:10+08:00",
        ),
        ("12-31 23:00", {"year_hint": 2019}, "2019-12-31T23:00"),
        (
            "12-31 23:00",
            {"year_hint": 2019, "fetched_at": datetime(2019, 6, 1, tzinfo=UTC)},
            "2019-12-31T23:00",
        ),
        ("02-29 10:00", {"tz": SH, "fetched_at": FETCHED}, None),
        ("02-29 10:00", {"tz": SH, "year_hint": 2020}, "2020-02-29T10:00+08:00"),
        ("09-03 16:39", {"tz": SH}, None),
        ("9月3日", {}, None),
    ],
)
def test_no_year(raw: str, kwargs: dict[str, Any], expected: str | None) -> None:
    assert _iso(raw, **kwargs) == expected


# ---------------------------------------------------------------------------------------------------------
# Relative dates


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("刚刚", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T10:00+08:00"),
        ("45秒前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T09:59+08:00"),
        ("5分钟前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T09:55+08:00"),
        ("5分鐘前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T09:55+08:00"),
        ("3小时前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T07:00+08:00"),
        ("3 小時前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T07:00+08:00"),
        ("半小时前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T09:30+08:00"),
        ("十二小时前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-04T22:00+08:00"),
        ("2天前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03"),
        ("三天前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-02"),
        ("1周前", {"tz": SH, "fetched_at": FETCHED}, "2021-08-29"),
        ("昨天 10:20", {"tz": SH, "fetched_at": FETCHED}, "2021-09-04T10:20+08:00"),
        ("前天 10:20", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03T10:20+08:00"),
        ("今天 10:20", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T10:20+08:00"),
        ("昨天", {"tz": SH, "fetched_at": FETCHED}, "2021-09-04"),
        ("昨天 晚上8:30", {"tz": SH, "fetched_at": FETCHED}, "2021-09-04T20:30+08:00"),
        ("3 hours ago", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T07:00+08:00"),
        ("an hour ago", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T09:00+08:00"),
        ("2 days ago", {"tz": SH, "fetched_at": FETCHED}, "2021-09-03"),
        ("yesterday", {"tz": SH, "fetched_at": FETCHED}, "2021-09-04"),
        ("Yesterday at 10:20 PM", {"tz": SH, "fetched_at": FETCHED}, "2021-09-04T22:20+08:00"),
        ("Just now", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T10:00+08:00"),
        ("更新于3小时前", {"tz": SH, "fetched_at": FETCHED}, "2021-09-05T07:00+08:00"),
        # 01:00 on 09-05 in Shanghai, still 09-04 in UTC: "yesterday" is local
        ("昨天", {"tz": SH, "fetched_at": datetime(2021, 9, 4, 17, 0, tzinfo=UTC)}, "2021-09-04"),
        # without tz, fetched_at's own zone is used
        ("3小时前", {"fetched_at": FETCHED}, "2021-09-04T23:00+00:00"),
        # across the spring-forward gap: three real hours, not three wall-clock hours
        (
            "3小时前",
            {"tz": PARIS, "fetched_at": datetime(2021, 3, 28, 3, 0, tzinfo=UTC)},
            "2021-03-28T01:00+01:00",
        ),
        # no fetched_at: never the wall clock
        ("刚刚", {"tz": SH}, None),
        ("3小时前", {"tz": SH}, None),
        ("昨天 10:20", {"tz": SH}, None),
        ("yesterday", {}, None),
    ],
)
def test_relative(raw: str, kwargs: dict[str, Any], expected: str | None) -> None:
    assert _iso(raw, **kwargs) == expected


# ---------------------------------------------------------------------------------------------------------
# dateparser: month names and other languages


@pytest.mark.parametrize(
    ("raw", "kwargs", "expected"),
    [
        ("September 3, 2021 4:39 PM", {"tz": SH}, "2021-09-03T16:39+08:00"),
        ("Sep. 3, 2021", {"tz": SH}, "2021-09-03"),
        ("3 Sep 2021", {"tz": SH}, "2021-09-03"),
        ("3rd of September 2021", {}, "2021-09-03"),
        ("Fri, 03 Sep 2021 08:39:39 GMT", {"tz": SH}, "2021-09-03T16:39:39+08:00"),
        ("Fri, 03 Sep 2021 08:39:39 GMT", {}, "2021-09-03T08:39:39+00:00"),
        ("Fri, 03 Sep 2021 16:39:39 +0800", {}, "2021-09-03T16:39:39+08:00"),
        ("Sep 3, 2021 4:39 PM EST", {}, "2021-09-03T16:39-05:00"),
        ("Posted September 3, 2021 at 4:39 pm by staff", {}, "2021-09-03T16:39"),
        ("3. September 2021", {"tz": PARIS}, "2021-09-03"),
        ("3. März 2021", {}, "2021-03-03"),
        ("3 de septiembre de 2021", {"languages": ("es",)}, "2021-09-03"),
        ("3 septembre 2021 à 16h39", {"languages": ("fr",), "tz": PARIS}, "2021-09-03T16:39+02:00"),
        # no year in the text: dateparser would take it from the wall clock
        ("hace 3 días", {"languages": ("es",)}, None),
        ("September 2021", {}, None),
        ("Sep 2021", {}, None),
        ("February 30, 2021", {}, None),
        # numbers only: impossible or day/month-ambiguous, never guessed by dateparser
        ("2021-13-01", {}, None),
        ("03.09.2021", {"languages": ("de",)}, None),
        # slashes: day first, except on English pages; a number over 12 settles it either way
        ("03/09/2021 16:39 UTC", {}, "2021-09-03T16:39+00:00"),
        ("03/09/2021 16:39 UTC", {"languages": ("en",)}, "2021-03-09T16:39+00:00"),
        ("06/02/2022 - 13:48", {}, "2022-02-06T13:48"),
        ("12/25/2021", {}, "2021-12-25"),
        ("25/12/2021", {"languages": ("en",)}, "2021-12-25"),
        ("发布时间：2021-13-01", {"languages": ("zh",)}, None),
    ],
)
def test_month_names_and_fallback(raw: str, kwargs: dict[str, Any], expected: str | None) -> None:
    assert _iso(raw, **kwargs) == expected


def test_fast_path_does_not_import_dateparser_or_scrapy() -> None:
    code = (
        "import sys\n"
        "from newscrawl.extract.dates import parse_date, find_date_tokens\n"
        "assert parse_date('2021-09-03 16:39:39', tz='Asia/Shanghai').iso() == '2021-09-03T16:39:39+08:00'\n"
        "assert parse_date('9月3日 16:39', year_hint=2021) is not None\n"
        "assert find_date_tokens('September 3, 2021')\n"
        "assert 'dateparser' not in sys.modules, 'dateparser imported'\n"
        "assert 'scrapy' not in sys.modules, 'scrapy imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------------------
# Garbage


GARBAGE = [
    "2012",
    "© 2012",
    "Copyright © 2012-2021",
    "2021-09",
    "2021年9月",
    "2021年",
    "13703868400",
    "180 03719699",
    "电话：0371-65795612",
    "v1.2.3",
    "版本 3.11.2",
    "1980名",
    "¥2021.09",
    "价格 12.50 元",
    "43.8岁",
    "3130286",
    "20210903",
    "10:20",
    "第3版",
    "",
]


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_makes_no_token(text: str) -> None:
    assert find_date_tokens(text) == []


@pytest.mark.parametrize(
    "raw",
    [*GARBAGE, "2021-02-30", "2021年2月30日", "2021-13-01", "1985-01-01", "1989年12月31日", "2101-01-01"],
)
def test_garbage_parses_to_none(raw: str) -> None:
    assert parse_date(raw, tz=SH, fetched_at=FETCHED) is None


@pytest.mark.parametrize(("raw", "expected"), [("1990-01-01", "1990-01-01"), ("2100-12-31", "2100-12-31")])
def test_year_bounds_inclusive(raw: str, expected: str) -> None:
    assert _iso(raw) == expected


# ---------------------------------------------------------------------------------------------------------
# Tokens


def test_tokens_in_text() -> None:
    text = "记者 2021-09-03 16:39 报道：昨天 10:20 发生，3小时前更新。电话13703868400，共1980名。"
    tokens = find_date_tokens(text)
    assert [(t.raw, t.relative, t.has_year) for t in tokens] == [
        ("2021-09-03 16:39", False, True),
        ("昨天 10:20", True, False),
        ("3小时前", True, False),
    ]
    assert all(text[t.start : t.end] == t.raw for t in tokens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-09-03 16:39:39", ["2021-09-03 16:39:39"]),
        ("2021-09-03T16:39:39.123+08:00 x", ["2021-09-03T16:39:39.123+08:00"]),
        ("2021年9月3日 星期五 下午4:39 来源", ["2021年9月3日 星期五 下午4:39"]),
        ("2021年9月3日16时39分", ["2021年9月3日16时39分"]),
        ("时间：２０２１年９月３日　１６：３９", ["２０２１年９月３日　１６：３９"]),
        ("9月3日 16:39", ["9月3日 16:39"]),
        ("09-03 16:39", ["09-03 16:39"]),
        ("Posted Fri, 03 Sep 2021 08:39:39 GMT.", ["Fri, 03 Sep 2021 08:39:39 GMT"]),
        ("On September 3, 2021 4:39 PM we", ["September 3, 2021 4:39 PM"]),
        ("Am 3. September 2021 in Berlin", ["3. September 2021"]),
        ("2021-09-03 至 2021-09-05", ["2021-09-03", "2021-09-05"]),
        # a lone 09-03 is more often a score or range than a date; 今天 alone is prose
        ("比分 09-03", []),
        ("今天天气很好", []),
        ("you may 5 times", []),
    ],
)
def test_token_boundaries(text: str, expected: list[str]) -> None:
    assert [t.raw for t in find_date_tokens(text)] == expected


def test_token_fields() -> None:
    assert find_date_tokens("于 Sep 3 发布") == [DateToken(2, 7, "Sep 3", relative=False, has_year=False)]


# ---------------------------------------------------------------------------------------------------------
# is_future


@pytest.mark.parametrize(
    ("raw", "kwargs", "slack", "expected"),
    [
        ("2021-09-06", {"tz": SH}, timedelta(days=1), False),
        ("2021-09-07", {"tz": SH}, timedelta(days=1), True),
        ("2021-09-06 10:00", {"tz": SH}, timedelta(days=1), False),
        ("2021-09-06 10:01", {"tz": SH}, timedelta(days=1), True),
        ("2021-09-05 10:01", {"tz": SH}, timedelta(0), True),
        ("2021-09-05 09:59", {"tz": SH}, timedelta(0), False),
        ("2021-09-03 16:39", {"tz": SH}, timedelta(days=1), False),
        # naive values are compared with fetched_at's wall time (02:00:30)
        ("2021-09-06 02:01", {}, timedelta(days=1), True),
        ("2021-09-06 01:59", {}, timedelta(days=1), False),
    ],
)
def test_is_future(raw: str, kwargs: dict[str, Any], slack: timedelta, expected: bool) -> None:
    parsed = parse_date(raw, **kwargs)
    assert parsed is not None
    assert is_future(parsed, FETCHED, slack=slack) is expected


def test_is_future_without_fetched_at() -> None:
    parsed = parse_date("2099-01-01")
    assert parsed is not None
    assert is_future(parsed, None) is False


# ---------------------------------------------------------------------------------------------------------
# URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example.cn/2021/0903/c12345.html", date(2021, 9, 3)),
        ("https://news.example.cn/202109/03/content_1.html", date(2021, 9, 3)),
        ("https://news.example.cn/a/2021-09-03/b.html", date(2021, 9, 3)),
        ("https://news.example.cn/2021/09/03/b.html", date(2021, 9, 3)),
        ("https://news.example.cn/2021/9/3/b.html", date(2021, 9, 3)),
        ("https://www.hnr.cn/news/202109/t20210903_3130286.html", date(2021, 9, 3)),
        ("https://news.example.cn/20210903/abc.html", date(2021, 9, 3)),
        ("https://news.example.cn/show?date=2021-09-03", date(2021, 9, 3)),
        ("https://www.toutiao.com/article/1663732007049814017/", None),
        ("https://news.example.cn/news/3130286.html", None),
        ("https://news.example.cn/2021/09/index.html", None),
        ("https://news.example.cn/2021/13/45/a.html", None),
        ("https://news.example.cn/1985/01/01/a.html", None),
        ("https://2021.example.cn/0903/a.html", None),
        ("https://news.example.cn/", None),
    ],
)
def test_date_from_url(url: str, expected: date | None) -> None:
    assert date_from_url(url) == expected


_DATE_PIECES = (
    *"0123456789０１２年月日号時时点分秒前后之以个半十一二三刚剛才昨今天 :-/.,TZ+",
    "just now", "JUST NOW", "ago", "AGO", "yesterday", "Yesterday", "today", "an hour ", "3 days ", "Sep ",
    "September ", "Mon, ", "上午", "星期五", "UTC", "GMT", "PM",
    "ſ",  # a long s: matches s under re.IGNORECASE
)  # fmt: skip
_DATEISH = st.lists(st.sampled_from(_DATE_PIECES), max_size=14).map("".join)


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(_DATEISH)
def test_the_cheap_date_check_never_hides_a_token(text: str) -> None:
    """find_date_tokens skips texts without a digit or a relative-date word; none of them holds a token."""
    folded = dates._fold(text)
    if not dates._MAY_HOLD_DATE.search(folded):
        assert list(dates._TOKEN_RE.finditer(folded)) == []
    assert find_date_tokens(text) == [
        DateToken(m.start(), m.end(), text[m.start() : m.end()], m.lastgroup in dates._RELATIVE_KINDS,
                  m.lastgroup in dates._YEAR_KINDS)
        for m in dates._TOKEN_RE.finditer(folded)
    ]  # fmt: skip


_TOKEN_STARTS = [
    "Yesterday at 10:00",
    "Just now",
    "an hour ago",
    "A day ago",
    "one week ago",
    "Today 08:00",
    "Mon, Sep 3 2021",
    "Tuesday, September 3, 2021 4:39 PM",
    "Wed 3 Sep 2021",
    "Thu, 03 Sep 2021 08:39:39 GMT",
    "Fri Jan 3 2021",
    "Sat, Feb 3, 2021",
    "Sun Mar 3, 2021",
    "Apr 3, 2021",
    "May 5",
    "June 3, 2021",
    "Jul 3",
    "Aug 3, 2021",
    "Oct 3, 2021",
    "Nov 3, 2021",
    "Dec 3, 2021",
    "Dezember 3, 2021",
    "Oktober 3, 2021",
    "März 3, 2021",
    "Mai 3, 2021",
    "Jänner 3, 2021",
    "3. September 2021",
    "2021-09-03 16:39",
    "刚刚",
    "昨天 10:00",
    "前天",
    "今天 08:00",
    "半小时前",
    "三天前",
    "十分钟前",
]


@pytest.mark.parametrize("text", _TOKEN_STARTS)
@pytest.mark.parametrize("case", [str, str.lower, str.upper])
def test_first_character_check_keeps_every_token(text: str, case: Any) -> None:
    # _TOKEN_RE checks a token's first character before trying the alternatives: the check must let
    # through every character a token can start with (here, the first letter of each kind of token).
    import re  # noqa: PLC0415

    plain = re.compile("|".join(dates._ALTERNATIVES))
    sample = f"发布于 {case(text)} 。 Xx {case(text)}"
    assert [m.span() for m in dates._TOKEN_RE.finditer(sample)] == [m.span() for m in plain.finditer(sample)]
