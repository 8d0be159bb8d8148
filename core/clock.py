"""The one clock of the library: now in UTC, and times as the store keeps them (UTC without tzinfo,
since DuckDB would shift an aware time to the machine's zone)."""

from __future__ import annotations

import datetime as dt


def utc_now() -> dt.datetime:
    """The current time in UTC (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


def naive_utc(when: dt.datetime | None = None) -> dt.datetime:
    """A time (default: now) as the store keeps it: UTC without tzinfo; a naive time is taken as UTC already."""
    when = utc_now() if when is None else when
    return when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when
