"""Find, parse and normalise publication dates (Chinese first, other languages via dateparser).

The common formats are parsed with precompiled regexes and the ``datetime`` constructor; dateparser is
imported lazily and only sees English/German month-name tokens and short strings with no token at all.
Nothing here reads the wall clock: relative dates and dates without a year need ``fetched_at`` (or
``year_hint``), so results are reproducible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = [
    "DateToken",
    "ParsedDate",
    "date_from_url",
    "find_date_tokens",
    "get_zone",
    "is_future",
    "parse_date",
]

MIN_YEAR = 1990
MAX_YEAR = 2100
_FALLBACK_MAX_CHARS = 80

# ---------------------------------------------------------------------------------------------------------
# Normalisation

# A length-preserving subset of NFKC (full-width ASCII, ideographic and other odd spaces), so that token
# offsets found in the folded text are valid in the original text too.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update(dict.fromkeys((0x3000, 0x00A0, 0x202F, 0x205F, *range(0x2000, 0x200B)), 0x20))


def _fold(text: str) -> str:
    return text if text.isascii() else text.translate(_FOLD)


# ---------------------------------------------------------------------------------------------------------
# Token regex: one alternation, each alternative wrapped in a named group so ``Match.lastgroup`` names it.

_Y = r"(?P<{p}y>(?:19|20|21)[0-9]{2})"
_MO = r"(?P<{p}mo>1[0-2]|0?[1-9])"
_D = r"(?P<{p}d>3[01]|[12][0-9]|0?[1-9])"
_AMPM_CN = "上午|下午|中午|晚上|晚间|夜里|夜间|凌晨|早上|早晨|清晨|傍晚"
_WEEKDAY_CN = r"(?:\s*\(?\s*(?:星期|礼拜|禮拜|周|週)[一二三四五六七日天]\s*\)?)?"
_OFFSET = r"[+-](?:0[0-9]|1[0-4])(?::?[0-5][0-9])?"
_OFFSET_LOOSE = r"[+-](?:1[0-4]|0?[0-9])(?::?[0-5][0-9])?"
_ZONE_NAMES: dict[str, int] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 60,
    "EDT": -4 * 60,
    "CDT": -5 * 60,
    "MST": -7 * 60,
    "MDT": -6 * 60,
    "PST": -8 * 60,
    "PDT": -7 * 60,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "HKT": 8 * 60,
    "SGT": 8 * 60,
    "JST": 9 * 60,
    "KST": 9 * 60,
}
# CST is left out on purpose: China, Central (US) and Cuba Standard Time all use it.
_NAMED_ZONE = "|".join(sorted((n for n in _ZONE_NAMES if n != "Z"), key=len, reverse=True))


def _time(p: str, *, iso: bool = False) -> str:
    """Regex for a clock time with groups prefixed by ``p``; a bare ``+08:00``/``Z`` needs seconds (or T)."""
    bare = rf"\s?(?:Z(?![A-Za-z])|{_OFFSET})"
    bare_if = rf"(?({p}S){bare}|(?!))"
    if iso:
        bare_if = rf"(?({p}T){bare}|{bare_if})"
    return (
        rf"(?:(?P<{p}ap1>{_AMPM_CN})\s*)?"
        rf"(?P<{p}H>2[0-3]|[01]?[0-9])"
        rf"(?::(?P<{p}M>[0-5][0-9])(?::(?P<{p}S>[0-5][0-9])(?:\.(?P<{p}F>[0-9]{{1,9}}))?)?"
        rf"|\s*[时時点點]\s*(?P<{p}M2>[0-5]?[0-9])\s*分?(?:\s*(?P<{p}S2>[0-5]?[0-9])\s*秒)?)"
        r"(?![0-9])"
        rf"(?:\s*(?P<{p}ap2>{_AMPM_CN}|[AaPp]\.?[Mm]\.?(?![A-Za-z])))?"
        rf"(?P<{p}z>{bare_if}"
        rf"|\s*(?:(?:UTC|GMT)(?:\s*{_OFFSET_LOOSE})?|{_NAMED_ZONE})(?![A-Za-z]))?"
    )


_MON = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    "|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MON_DE = "januar|jänner|februar|märz|maerz|mai|juni|juli|oktober|dezember"
_MON_ANY = rf"(?i:{_MON_DE}|{_MON})"
# Without a year a lower-case "may 5" is too likely to be prose, so month names must be capitalised.
_MON_CAP = (
    "Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    "|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_WKD_EN = r"(?:(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_ORD = r"(?i:st|nd|rd|th)?"
_EN_SEP = r"(?:\s*,?\s*(?:(?i:at)\s+)?)"
_CN_NUM = "[一二两兩三四五六七八九]?十[一二三四五六七八九]?|[一二两兩三四五六七八九]"


def _alt(name: str, body: str) -> str:
    return f"(?P<{name}>{body.replace('{p}', name + '_')})"


_ALTERNATIVES = [
    # 2021-09-03 16:39:39 / 2021/9/3 8:05 / 2021.09.03 / 2021-09-03T08:39:39.123Z
    _alt(
        "ymd",
        rf"(?<![0-9.]){_Y}(?P<{{p}}s>[-/.]){_MO}(?P={{p}}s){_D}(?![0-9]|\.[0-9]){_WEEKDAY_CN}"
        rf"(?:(?:(?P<{{p}}T>T)|\s*,?\s*){_time('{p}', iso=True)})?",
    ),
    # 2021年9月3日 星期五 下午4:39
    _alt(
        "cymd",
        rf"(?<![0-9]){_Y}\s*年\s*{_MO}\s*月\s*{_D}(?:\s*(?:日|号|號)|(?![0-9])){_WEEKDAY_CN}"
        rf"(?:\s*,?\s*{_time('{p}')})?",
    ),
    # 06/02/2022 - 13:48 (day and month order from the numbers, else from the page's language)
    _alt(
        "dmy",
        rf"(?<![0-9./-])(?P<{{p}}a>[0-3]?[0-9])/(?P<{{p}}b>[0-3]?[0-9])/{_Y}(?![0-9])"
        rf"(?:\s*[-–,]?\s*{_time('{p}')})?",
    ),
    _alt("rnow", r"刚刚|剛剛|刚才|剛才|(?<![A-Za-z])(?i:just\s+now)(?![A-Za-z])"),
    _alt(
        "rago",
        rf"(?<![0-9.])(?P<{{p}}n>[0-9]{{1,4}}|{_CN_NUM}|半)\s*(?:个|個)?\s*"
        r"(?P<{p}u>秒钟|秒鐘|秒|分钟|分鐘|分|小时|小時|钟头|鐘頭|天|日|周|週|星期)\s*(?:之前|以前|前)",
    ),
    _alt(
        "eago",
        r"(?<![A-Za-z0-9])(?i:(?P<{p}n>[0-9]{1,4}|an?|one)\s+"
        r"(?P<{p}u>sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+ago)(?![A-Za-z])",
    ),
    # 今天 needs a time: alone it is far more often prose than a timestamp.
    _alt(
        "rtoday",
        rf"(?:今天|今日|(?<![A-Za-z])(?i:today)(?![A-Za-z])){_EN_SEP}{_time('{p}')}",
    ),
    _alt(
        "ryest",
        rf"(?P<{{p}}w>昨天|昨日|前天|(?<![A-Za-z])(?i:yesterday)(?![A-Za-z]))(?:{_EN_SEP}{_time('{p}')})?",
    ),
    # 09-03 16:39 (a bare 09-03 is too often a score or a range, so the time is required)
    _alt(
        "md",
        rf"(?<![0-9])(?<![0-9][-/.:]){_MO}(?P<{{p}}s>[-/]){_D}(?![0-9])\s+{_time('{p}')}",
    ),
    # 9月3日 16:39
    _alt(
        "cmd",
        rf"(?<![0-9]){_MO}\s*月\s*{_D}\s*(?:日|号|號){_WEEKDAY_CN}(?:\s*,?\s*{_time('{p}')})?",
    ),
    # September 3, 2021 4:39 PM / Fri, Sep 3 2021
    _alt(
        "emdy",
        rf"(?<![A-Za-z]){_WKD_EN}(?P<{{p}}mon>{_MON_ANY})\.?\s+(?P<{{p}}d>3[01]|[12][0-9]|0?[1-9]){_ORD}"
        rf"\s*,?\s+{_Y}(?![0-9])(?:{_EN_SEP}{_time('{p}')})?",
    ),
    # 3 Sep 2021 / Fri, 03 Sep 2021 08:39:39 GMT / 3. September 2021
    _alt(
        "edmy",
        rf"(?<![0-9A-Za-z]){_WKD_EN}(?P<{{p}}d>3[01]|[12][0-9]|0?[1-9])(?:{_ORD}|\.)\s*(?i:of\s+)?"
        rf"(?P<{{p}}mon>{_MON_ANY})(?![a-zäA-Z])\.?,?\s+{_Y}(?![0-9])(?:{_EN_SEP}{_time('{p}')})?",
    ),
    # Sep 3 / September 3, 4:39 PM (no year)
    _alt(
        "emd",
        rf"(?<![A-Za-z]){_WKD_EN}(?P<{{p}}mon>{_MON_CAP})\.?\s+(?P<{{p}}d>3[01]|[12][0-9]|0?[1-9]){_ORD}"
        rf"(?![0-9A-Za-z])(?:\s*,?\s*(?:(?i:at)\s+)?{_time('{p}')})?",
    ),
]
# Every token starts with one of these; checking that first makes scanning long texts ~100x faster.
# The letters are those that start a month (also in German), a weekday, "a"/"an"/"one" (… ago),
# "just now", "today" or "yesterday": the others are most letters of a Latin-script paragraph. Every
# alternative that starts with a letter starts a word (its own look-behind), so letters inside a word are
# passed over here, before all the alternatives are tried (a third of the scan of English lines).
_TOKEN_RE = re.compile(
    "(?=[0-9刚剛昨前今半一二两兩三四五六七八九十]|(?<![A-Za-z])[ADFJMNOSTWYadfjmnostwy])(?:"
    + "|".join(_ALTERNATIVES)
    + ")"
)

# What every token holds: a digit (all but the relative kinds and "yesterday"), or a word of those.
# Most lines hold none, and this search is much cheaper than trying every alternative at each letter.
_MAY_HOLD_DATE = re.compile(r"[0-9刚剛昨前]|(?i:ago|just|yesterday)")

_RELATIVE_KINDS = frozenset({"rnow", "rago", "eago", "rtoday", "ryest"})
_YEAR_KINDS = frozenset({"ymd", "cymd", "dmy", "emdy", "edmy"})


# ---------------------------------------------------------------------------------------------------------
# Public types


@dataclass(frozen=True, slots=True)
class DateToken:
    """A date(-time) found in a text: offsets, the exact substring and what kind of date it is."""

    start: int
    end: int
    raw: str
    relative: bool
    has_year: bool


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A parsed date; ``precision`` says how much of ``value`` the source actually showed."""

    value: datetime
    precision: str
    raw: str

    def iso(self) -> str:
        """ISO 8601 text at the shown precision, with the UTC offset when the value is aware."""
        if self.precision == "day":
            return self.value.date().isoformat()
        return self.value.isoformat(timespec="minutes" if self.precision == "minute" else "seconds")


def find_date_tokens(text: str) -> list[DateToken]:
    """All date(-time) tokens in text, in order, non-overlapping, longest match at each place."""
    return list(_date_tokens(text))


@lru_cache(maxsize=256)
def _date_tokens(text: str) -> tuple[DateToken, ...]:
    # Cached (about one page's info-area lines): the extractor looks for dates in the same lines from
    # several places.
    folded = _fold(text)
    if not _MAY_HOLD_DATE.search(folded):
        return ()
    tokens: list[DateToken] = []
    for m in _TOKEN_RE.finditer(folded):
        kind = m.lastgroup
        start, end = m.span()
        tokens.append(
            DateToken(
                start,
                end,
                text[start:end],
                kind in _RELATIVE_KINDS,
                kind in _YEAR_KINDS,
            )
        )
    return tuple(tokens)


# ---------------------------------------------------------------------------------------------------------
# Time zones


@lru_cache(maxsize=64)
def get_zone(name: str) -> ZoneInfo:
    """Cached ``ZoneInfo`` (raises ``zoneinfo.ZoneInfoNotFoundError`` for unknown names)."""
    return ZoneInfo(name)


@lru_cache(maxsize=128)
def _offset_zone(text: str) -> tzinfo:
    text = text.strip()
    named = _ZONE_NAMES.get(text.upper())
    if named is not None:
        return UTC if named == 0 else timezone(timedelta(minutes=named))
    if text[:3].upper() in ("UTC", "GMT"):
        text = text[3:].strip()
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    minutes = sign * (hours * 60 + minutes)
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))


def _as_tz(tz: tzinfo | str | None) -> tzinfo | None:
    return get_zone(tz) if isinstance(tz, str) else tz


def _localise(naive: datetime, own: tzinfo | None, tz: tzinfo | None) -> datetime:
    if own is not None:
        aware = naive.replace(tzinfo=own)
        return aware.astimezone(tz) if tz is not None else aware
    if tz is None:
        return naive
    # The UTC round trip moves a wall time that falls in a DST gap to the real instant after it.
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _now(fetched_at: datetime | None, tz: tzinfo | None) -> datetime | None:
    """fetched_at in tz; a naive fetched_at is taken as UTC when a tz is given, else used as is."""
    if fetched_at is None or tz is None:
        return fetched_at
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    return fetched_at.astimezone(tz)


def _minus(now: datetime, delta: timedelta) -> datetime:
    # Aware arithmetic in a ZoneInfo zone is wall-clock arithmetic; go through UTC to stay right across DST.
    if now.tzinfo is None:
        return now - delta
    return (now.astimezone(UTC) - delta).astimezone(now.tzinfo)


# ---------------------------------------------------------------------------------------------------------
# Parsing

_PM = frozenset({"下午", "晚上", "晚间", "夜里", "夜间", "傍晚", "pm"})
_NIGHT = frozenset({"晚上", "晚间", "夜里", "夜间"})
_AM = frozenset({"凌晨", "am"})

_Clock = tuple[int, int, int, int, bool, int]  # hour, minute, second, microsecond, seconds shown, day shift


def _clock(m: re.Match[str], p: str) -> _Clock | None:
    hour_text = m.group(p + "H")
    if hour_text is None:
        return None
    hour = int(hour_text)
    minute = int(m.group(p + "M") or m.group(p + "M2"))
    sec_text = m.group(p + "S") or m.group(p + "S2")
    frac = m.group(p + "F")
    micro = int(frac[:6].ljust(6, "0")) if frac else 0
    shift = 0
    ampm = m.group(p + "ap1") or m.group(p + "ap2")
    if ampm is not None:
        ampm = ampm.replace(".", "").lower()
        if ampm in _PM:
            if hour < 12:
                hour += 12
            elif hour == 12 and ampm in _NIGHT:
                # 晚上12点 is the midnight that ends the day.
                hour, shift = 0, 1
        elif ampm == "中午":
            if hour < 11:
                hour += 12
        elif ampm in _AM and hour == 12:
            hour = 0
    return hour, minute, int(sec_text) if sec_text else 0, micro, sec_text is not None, shift


def _zone_of(m: re.Match[str], p: str) -> tzinfo | None:
    z = m.group(p + "z")
    return _offset_zone(z) if z else None


def _make(
    y: int, mo: int, d: int, clock: _Clock | None, own: tzinfo | None, tz: tzinfo | None, raw: str
) -> ParsedDate | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        if clock is None:
            return ParsedDate(_localise(datetime(y, mo, d), None, tz), "day", raw)
        hour, minute, second, micro, with_seconds, shift = clock
        naive = datetime(y, mo, d, hour, minute, second, micro)
    except ValueError:
        return None
    if shift:
        naive += timedelta(days=shift)
    return ParsedDate(_localise(naive, own, tz), "second" if with_seconds else "minute", raw)


def _guess_year(
    mo: int, d: int, clock: _Clock | None, now: datetime | None, year_hint: int | None
) -> int | None:
    if year_hint is not None:
        return year_hint
    if now is None:
        return None
    year = now.year
    hour, minute = (clock[0], clock[1]) if clock else (0, 0)
    try:
        candidate = datetime(year, mo, d, hour, minute)
    except ValueError:
        return year  # 02-29 in a common year: let _make reject it
    if candidate > now.replace(tzinfo=None) + timedelta(days=1):
        return year - 1
    return year


def _cn_int(text: str) -> int:
    digits = "零一二三四五六七八九"
    text = text.replace("两", "二").replace("兩", "二")
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)
    return digits.index(text)


_AGO_UNITS: dict[str, tuple[timedelta, str]] = {
    "秒": (timedelta(seconds=1), "minute"),
    "分": (timedelta(minutes=1), "minute"),
    "小": (timedelta(hours=1), "minute"),
    "钟": (timedelta(hours=1), "minute"),
    "鐘": (timedelta(hours=1), "minute"),
    "天": (timedelta(days=1), "day"),
    "日": (timedelta(days=1), "day"),
    "周": (timedelta(days=7), "day"),
    "週": (timedelta(days=7), "day"),
    "星": (timedelta(days=7), "day"),
    "s": (timedelta(seconds=1), "minute"),
    "m": (timedelta(minutes=1), "minute"),
    "h": (timedelta(hours=1), "minute"),
    "d": (timedelta(days=1), "day"),
    "w": (timedelta(days=7), "day"),
}


def _relative(m: re.Match[str], kind: str, now: datetime, raw: str) -> ParsedDate | None:
    """Resolve a relative token against ``now``; without a page tz, fetched_at's own zone stands in."""
    if kind == "rnow":
        return ParsedDate(now.replace(second=0, microsecond=0), "minute", raw)
    if kind in ("rago", "eago"):
        n_text = m.group(kind + "_n").lower()
        if n_text[0].isdigit():
            n: float = int(n_text)
        elif n_text == "半":
            n = 0.5
        elif n_text in ("a", "an", "one"):
            n = 1
        else:
            n = _cn_int(n_text)
        step, precision = _AGO_UNITS[m.group(kind + "_u")[0].lower()]
        value = _minus(now, step * n)
        if precision == "day":
            midnight = datetime(value.year, value.month, value.day)
            return ParsedDate(_localise(midnight, None, now.tzinfo), "day", raw)
        return ParsedDate(value.replace(second=0, microsecond=0), "minute", raw)
    if kind == "rtoday":
        days = 0
    else:
        word = m.group("ryest_w").lower()
        days = 2 if word == "前天" else 1
    day = now.date() - timedelta(days=days)
    return _make(day.year, day.month, day.day, _clock(m, kind + "_"), None, now.tzinfo, raw)


_MON_NUM = {
    "jan": 1,
    "jän": 1,
    "feb": 2,
    "mar": 3,
    "mär": 3,
    "mae": 3,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "okt": 10,
    "nov": 11,
    "dec": 12,
    "dez": 12,
}
_GERMAN_ONLY = re.compile(rf"(?i:{_MON_DE})")


def _month_name(m: re.Match[str], kind: str, folded: str, tz: tzinfo | None, raw: str) -> ParsedDate | None:
    p = kind + "_"
    mon = m.group(p + "mon")
    clock = _clock(m, p)
    month = _MON_NUM.get(mon[:3].lower())
    if month is not None:
        # The regex has already cut out day, month name, year and clock: no need for dateparser.
        return _make(int(m.group(p + "y")), month, int(m.group(p + "d")), clock, _zone_of(m, p), tz, raw)
    lang = "de" if _GERMAN_ONLY.fullmatch(mon) else "en"
    data = _dateparser((lang,)).get_date_data(folded)
    dt = data.date_obj
    if dt is None or not {"year", "month", "day"} <= set(data.parts):
        return None
    if clock is None:
        return _make(dt.year, dt.month, dt.day, None, None, tz, raw)
    # dateparser returns the wall time as written and drops the zone, so the zone comes from the token.
    seconds_shown = clock[4]
    clock = (dt.hour, dt.minute, dt.second, dt.microsecond, seconds_shown, 0)
    return _make(dt.year, dt.month, dt.day, clock, _zone_of(m, p), tz, raw)


@lru_cache(maxsize=8)
def _dateparser(languages: tuple[str, ...]) -> DateDataParser:
    from dateparser.date import DateDataParser  # noqa: PLC0415 — slow import the fast path never needs

    # No RELATIVE_BASE: it leaks memory (dateparser #985); relative dates are handled above.
    return DateDataParser(
        languages=list(languages) or None,
        settings={"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
    )


_YEAR_RE = re.compile(r"(?<![0-9])(?:19|20|21)[0-9]{2}(?![0-9])")
_MARKER_RE = re.compile(r"(?<![A-Za-z])(?i:utc|gmt|[ap]\.?m\.?|z|t)(?![A-Za-z])")
_NON_HAN_LETTER_RE = re.compile(r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SECONDS_RE = re.compile(r"[0-9]:[0-5][0-9]:[0-5][0-9]")
_TAIL_ZONE_RE = re.compile(
    rf"(?<![A-Za-z])(?:UTC|GMT)(?:\s*{_OFFSET_LOOSE})?(?![A-Za-z0-9])|(?<=[0-9])\s?{_OFFSET}(?![0-9])"
)


def _fallback(folded: str, raw: str, tz: tzinfo | None, languages: Sequence[str]) -> ParsedDate | None:
    """dateparser for short texts with no token; the year must be written, so the wall clock never leaks in."""
    text = folded.strip()
    if not text or len(text) > _FALLBACK_MAX_CHARS or _YEAR_RE.search(text) is None:
        return None
    # Numbers alone are the fast path's business: what it rejected is either impossible (2021-13-01) or
    # day/month-ambiguous (03.09.2021), and dateparser would happily guess. Month names are letters.
    if _NON_HAN_LETTER_RE.search(_MARKER_RE.sub("", text)) is None:
        return None
    data = _dateparser(tuple(languages)).get_date_data(text)
    dt = data.date_obj
    # A relative phrase ("hace 3 días") comes back with every part filled from today: demand the year in text.
    if dt is None or not {"year", "month", "day"} <= set(data.parts) or str(dt.year) not in text:
        return None
    if "time" not in data.parts:
        return _make(dt.year, dt.month, dt.day, None, None, tz, raw)
    zone = _TAIL_ZONE_RE.search(text)
    own = _offset_zone(zone.group()) if zone else None
    with_seconds = _SECONDS_RE.search(text) is not None
    clock = (dt.hour, dt.minute, dt.second if with_seconds else 0, 0, with_seconds, 0)
    return _make(dt.year, dt.month, dt.day, clock, own, tz, raw)


def parse_date(
    raw: str,
    *,
    tz: tzinfo | str | None = None,
    fetched_at: datetime | None = None,
    languages: Sequence[str] = (),
    year_hint: int | None = None,
) -> ParsedDate | None:
    """Parse one date string (a token, or a short text containing one); None when it holds no usable date.

    Only the first token is parsed. ``tz`` is the page's zone (a tzinfo or an IANA name); ``fetched_at``
    anchors relative dates and dates without a year; ``languages`` only matter for the dateparser fallback.
    """
    zone = _as_tz(tz)
    folded = _fold(raw)
    m = _TOKEN_RE.search(folded)
    if m is None:
        return _fallback(folded, raw, zone, languages)
    kind = m.lastgroup
    start, end = m.span()
    token = raw[start:end]
    p = f"{kind}_"
    if kind in ("ymd", "cymd"):
        return _make(
            int(m.group(p + "y")),
            int(m.group(p + "mo")),
            int(m.group(p + "d")),
            _clock(m, p),
            _zone_of(m, p),
            zone,
            token,
        )
    if kind == "dmy":
        a, b = int(m.group(p + "a")), int(m.group(p + "b"))
        # 06/02/2022: day first except on English pages (US style), unless a number over 12 decides.
        month_first = b > 12 or (a <= 12 and any(lang.startswith("en") for lang in languages))
        mo, d = (a, b) if month_first else (b, a)
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return _make(int(m.group(p + "y")), mo, d, _clock(m, p), _zone_of(m, p), zone, token)
    if kind in ("md", "cmd", "emd"):
        mo = int(m.group(p + "mo")) if kind != "emd" else _MON_NUM[m.group(p + "mon")[:3].lower()]
        d = int(m.group(p + "d"))
        clock = _clock(m, p)
        year = _guess_year(mo, d, clock, _now(fetched_at, zone), year_hint)
        if year is None:
            return None
        return _make(year, mo, d, clock, _zone_of(m, p), zone, token)
    if kind in _RELATIVE_KINDS:
        now = _now(fetched_at, zone)
        return None if now is None else _relative(m, kind, now, token)
    return _month_name(m, kind, folded[start:end], zone, token)


def is_future(
    parsed: ParsedDate, fetched_at: datetime | None, *, slack: timedelta = timedelta(days=1)
) -> bool:
    """True when the date lies after fetched_at + slack (for day precision: its date after that day)."""
    if fetched_at is None:
        return False
    value = parsed.value
    if value.tzinfo is None:
        # A naive value is a wall time in an unknown zone: compare it with fetched_at's wall time.
        limit = fetched_at.replace(tzinfo=None) + slack
    else:
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        limit = (fetched_at.astimezone(UTC) + slack).astimezone(value.tzinfo)
    if parsed.precision == "day":
        return value.date() > limit.date()
    return value > limit


# ---------------------------------------------------------------------------------------------------------
# URLs

_URL_DATE_RE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20|21)[0-9]{2})"
    r"(?:(?P<s>[-_/.])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})"  # 2021/09/03, 2021-9-3
    r"|[-_/]?(?P<m2>[01][0-9])[-_/]?(?P<d2>[0-3][0-9]))"  # 2021/0903, 202109/03, 20210903
    r"(?![0-9])"
)


def date_from_url(url: str) -> date | None:
    """The date written in a URL's path or query (``/2021/0903/``, ``t20210903_3130286.html`` …), or None."""
    parts = urlsplit(url)
    where = f"{parts.path}?{parts.query}" if parts.query else parts.path
    for m in _URL_DATE_RE.finditer(where):
        year = int(m.group("y"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            continue
        try:
            return date(year, int(m.group("m") or m.group("m2")), int(m.group("d") or m.group("d2")))
        except ValueError:
            continue
    return None
