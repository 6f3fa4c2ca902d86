"""Date normalisation of a whole record: ISO 8601 in the site's offset, precision kept, future dates refused."""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from datetime import date, datetime, timedelta
from typing import Any

from newscrawl.extract.dates import parse_date
from newscrawl.site import Site

_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:T(?P<hm>\d{2}:\d{2})(?P<s>:\d{2}(?:\.\d+)?)?(?P<off>Z|[+-]\d{2}:\d{2})?)?$"
)
FUTURE_SLACK = timedelta(days=1)


def normalise_dates(record: dict[str, Any], site: Site) -> dict[str, Any]:
    """Check ``published``/``modified`` (parse ``published_raw`` when ``published`` is missing).

    Values are brought to the site's UTC offset at the precision they had; unparsable values and
    dates later than ``fetched_at`` + 1 day become null, and the reason lands in ``record["_date_issue"]``.
    """
    issues = date_issues(record, site)
    if issues:
        record["_date_issue"] = issues
    return record


def date_issues(record: MutableMapping[str, Any], site: Site) -> list[str]:
    """``normalise_dates`` on any mutable mapping of the record's fields (an item adapter too); returns
    what it had to refuse instead of storing it in the record."""
    fetched = _fetched(record)
    issues: list[str] = []
    if not record.get("published") and record.get("published_raw"):
        pd = parse_date(record["published_raw"], tz=site.tz, fetched_at=fetched, languages=site.languages)
        if pd is not None:
            record["published"] = pd.iso()
        else:
            issues.append("published_unparsable")
    for key in ("published", "modified"):
        value = record.get(key)
        if not value:
            continue
        fixed = _normalise_iso(str(value), site)
        if fixed is None:
            issues.append(f"{key}_invalid")
            record[key] = None
        elif fetched is not None and _is_future(fixed, fetched):
            issues.append(f"{key}_future")
            record[key] = None
        else:
            record[key] = fixed
    return issues


def _fetched(record: Mapping[str, Any]) -> datetime | None:
    value = record.get("fetched_at")
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _normalise_iso(value: str, site: Site) -> str | None:
    m = _ISO.match(value.strip())
    if not m:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if not m.group("hm"):
        return parsed.date().isoformat()
    tz = site.tz
    if tz is not None:
        parsed = parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed.astimezone(tz)
    spec = "seconds" if m.group("s") else "minutes"
    return parsed.isoformat(timespec=spec)


def _is_future(value: str, fetched: datetime) -> bool:
    if len(value) == 10:
        return date.fromisoformat(value) > (fetched + FUTURE_SLACK).date()
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None or fetched.tzinfo is None:
        return parsed.replace(tzinfo=None) > fetched.replace(tzinfo=None) + FUTURE_SLACK
    return parsed > fetched + FUTURE_SLACK
