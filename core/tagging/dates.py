"""Resolve when an event happens from date expressions in its text.

An article published on 2024-03-30 that says "the summit, scheduled for April 10"
reports an event on 2024-04-10 that is scheduled. Expressions are resolved against
the publication date: "April 10" without a year is the next April 10 on or after a
date a few weeks before publication; "next month" and "this April" give month
precision; "effective January 15, 2025" gives a day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import DatePrecision

MONTHS = {
    name: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
        ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
        ("november", "nov"), ("december", "dec"),
    ])
    for name in names
}
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
# Each pattern opens with a lookahead for its first character: it changes no match, and
# lets the scan skip quickly to the places where a match can start.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?=2)\b(?P<year>20\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("mdy", re.compile(_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("dmy", re.compile(r"(?=\d)\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b")),
    ("cjk", re.compile(r"(?:(?P<year>20\d\d)年)?(?P<m>1[0-2]|0?[1-9])月(?P<day>[0-3]?\d)日")),
    ("ko", re.compile(r"(?:(?P<year>20\d\d)년\s*)?(?P<m>1[0-2]|0?[1-9])월\s*(?P<day>[0-3]?\d)일")),
    ("this_month", re.compile(r"(?=[tnc])\b(?:this|next|coming)\s+" + _MONTH + r"\b", re.IGNORECASE)),
    ("month_year", re.compile(r"(?=[iADFJMNOS])\b(?:in\s+)?" + _MONTH + r"\s+(?P<year>(?:19|20)\d\d)\b")),
    ("next_month", re.compile(r"\bnext month\b", re.IGNORECASE)),
]
# Words before a date that say it is when the event happens.
_EVENT_CUE = re.compile(
    r"(scheduled|slated|set|due|planned|expected|will|to be held|to take place|effective|takes effect|"
    r"enter into force|enters into force|comes into force|deadline|meet|summit|on|from|starting|beginning)\W*(\w+\W+){0,3}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: dt.date
    precision: DatePrecision
    cued: bool


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_number(match: re.Match[str]) -> int:
    if match.groupdict().get("month"):
        return MONTHS[match["month"].lower().rstrip(".")]
    return int(match["m"])


def _resolve(kind: str, match: re.Match[str], published: dt.date) -> tuple[dt.date | None, DatePrecision]:
    if kind == "next_month":
        year, month = divmod(published.month, 12)
        return dt.date(published.year + year, month + 1, 1), "month"
    month = _month_number(match)
    groups = match.groupdict()
    if kind == "this_month":
        year = published.year if month >= published.month else published.year + 1
        return dt.date(year, month, 1), "month"
    if kind == "month_year":
        return dt.date(int(groups["year"]), month, 1), "month"
    day = int(groups["day"])
    if groups.get("year"):
        return _safe_date(int(groups["year"]), month, day), "day"
    candidate = _safe_date(published.year, month, day)
    if candidate and candidate < published - dt.timedelta(days=60):
        candidate = _safe_date(published.year + 1, month, day)
    return candidate, "day"


_MONTH_WORD = re.compile(_MONTH)
# A pattern runs only when the text holds what it needs (one cheap check instead of a scan).
_NEEDS = {
    "iso": lambda t, months: "20" in t, "mdy": lambda t, months: months, "dmy": lambda t, months: months,
    "cjk": lambda t, months: "月" in t, "ko": lambda t, months: "월" in t,
    "this_month": lambda t, months: months, "month_year": lambda t, months: months,
    "next_month": lambda t, months: "next month" in t.lower(),
}


def find_dates(text: str, published: dt.date) -> list[DateMention]:
    """Every date expression of `text`, resolved against `published`."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    months = _MONTH_WORD.search(text) is not None
    for kind, pattern in _PATTERNS:
        if not _NEEDS[kind](text, months):
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            date, precision = _resolve(kind, m, published)
            if date is None:
                continue
            cued = bool(_EVENT_CUE.search(text[max(0, m.start() - 40): m.start()]))
            found.append(DateMention(m.start(), m.end(), m.group(0), date, precision, cued))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def _after(mention: DateMention, published: dt.date) -> bool:
    if mention.precision == "day":
        return mention.date > published
    return (mention.date.year, mention.date.month) > (published.year, published.month)


def event_date(text: str, published: dt.date | None, lede_end: int) -> DateMention | None:
    """The date of the event an article reports, when it is stated as a future date.

    Only future dates in the lede that are introduced as the event's date count;
    past dates in a text usually refer to background, so the publication date stands.
    The most precise of them wins, then the earliest in the text.
    """
    if published is None:
        return None
    future = [d for d in find_dates(text[:lede_end], published) if d.cued and _after(d, published)]
    if not future:
        return None
    rank = {"day": 0, "month": 1, "year": 2}
    return min(future, key=lambda d: (rank[d.precision], d.start))
