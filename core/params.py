"""The filter parameters of a view's URL, read once for every reader (pages, CLI, routes).

`parse(params)` turns a mapping of repeated query parameters (``{"theme": ["ai"], "country":
["CN", "US"], ...}``) into `Filters`, and says which values it could not use and why, so a page can
tell the user instead of silently showing everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.ingest.records import EARLIEST, LATEST
from core.models import STAGES
from core.queries import Filters
from core.taxonomy import THEME_IDS, is_country_code

RELATION_TYPES = ("cooperation", "restriction", "competition")
FILTER_PARAMS = ("theme", "country", "org", "dates", "q", "instrument", "stage", "actor", "target", "rel")
MAX_VALUES = 50  # values of one parameter; more is not a view anybody builds by hand
MAX_TEXT = 200  # characters of q, an organization or an instrument id


@dataclass(frozen=True)
class Ignored:
    """A URL value that could not be used: the parameter, the value, and what was done with it."""

    param: str
    value: str
    why: str

    def __str__(self) -> str:
        return f"{self.param}={self.value[:40]!r}: {self.why}"


def _codes(param: str, values: Sequence[str], ignored: list[Ignored]) -> tuple[str, ...]:
    kept = []
    for value in values:
        code = value.strip().upper()
        if is_country_code(code):
            kept.append(code)
        else:
            ignored.append(Ignored(param, value, "not an ISO 3166-1 alpha-2 country code or EU; left out"))
    return tuple(dict.fromkeys(kept))


def _choices(param: str, values: Sequence[str], allowed: Sequence[str], ignored: list[Ignored]) -> tuple[str, ...]:
    kept = []
    for value in values:
        v = value.strip().lower()
        if v in allowed:
            kept.append(v)
        else:
            ignored.append(Ignored(param, value, f"not one of {', '.join(allowed)}; left out"))
    return tuple(dict.fromkeys(kept))


def _texts(param: str, values: Sequence[str], ignored: list[Ignored]) -> tuple[str, ...]:
    kept = []
    for value in values:
        v = " ".join(value.split())
        if not v:
            continue
        if len(v) > MAX_TEXT:
            ignored.append(Ignored(param, value, f"longer than {MAX_TEXT} characters; left out"))
        else:
            kept.append(v)
    return tuple(dict.fromkeys(kept))


def _dates(values: Sequence[str], ignored: list[Ignored]) -> tuple[dt.date | None, dt.date | None]:
    days: list[dt.date] = []
    for value in values[:2]:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            ignored.append(Ignored("dates", value, "not a date YYYY-MM-DD; the range is left open on that side"))
            continue
        if not EARLIEST <= day <= LATEST:
            ignored.append(Ignored("dates", value, "outside 1900-2100; the range is left open on that side"))
            continue
        days.append(day)
    if len(values) > 2:
        ignored.append(Ignored("dates", values[2], "a range has two dates; the others are left out"))
    if len(days) == 2 and days[0] > days[1]:
        days.reverse()
        ignored.append(Ignored("dates", values[0], "the range ended before it started; its ends were swapped"))
    start = days[0] if days else None
    end = days[1] if len(days) > 1 else None
    return start, end


def parse(params: Mapping[str, Sequence[str]], strict: bool = False) -> tuple[Filters, list[Ignored]]:
    """Filters from URL parameters, and the values left out; with `strict`, unknown parameters are
    reported too (the API's rule; a page's URL also carries its own, such as `event` or `sort`)."""
    ignored: list[Ignored] = []

    def values(name: str) -> list[str]:
        got = [str(v) for v in params.get(name, [])]
        if len(got) > MAX_VALUES:
            ignored.append(Ignored(name, got[MAX_VALUES], f"more than {MAX_VALUES} values; the rest are left out"))
        return got[:MAX_VALUES]

    start, end = _dates(values("dates"), ignored)
    q = " ".join(" ".join(values("q")).split())
    if len(q) > MAX_TEXT:
        ignored.append(Ignored("q", q, f"longer than {MAX_TEXT} characters; cut"))
        q = q[:MAX_TEXT]
    f = Filters(
        themes=_choices("theme", values("theme"), THEME_IDS, ignored),
        countries=_codes("country", values("country"), ignored),
        orgs=_texts("org", values("org"), ignored),
        start=start, end=end, q=q,
        instruments=_texts("instrument", values("instrument"), ignored),
        stages=_choices("stage", values("stage"), STAGES, ignored),
        actors=_codes("actor", values("actor"), ignored),
        targets=_codes("target", values("target"), ignored),
        rels=_choices("rel", values("rel"), RELATION_TYPES, ignored),
    )
    if strict:
        ignored += [Ignored(name, ",".join(params[name])[:40], "unknown parameter") for name in params
                    if name not in FILTER_PARAMS]
    return f, ignored


def to_params(f: Filters) -> list[tuple[str, str]]:
    """The URL parameters of a filter set (the inverse of `parse`), in a stable order."""
    pairs: list[tuple[str, str]] = []
    for name, vals in (("theme", f.themes), ("country", f.countries), ("org", f.orgs), ("instrument", f.instruments),
                       ("stage", f.stages), ("actor", f.actors), ("target", f.targets), ("rel", f.rels)):
        pairs += [(name, v) for v in vals]
    if f.start or f.end:
        pairs += [("dates", (f.start or EARLIEST).isoformat()), ("dates", (f.end or LATEST).isoformat())]
    if f.q:
        pairs.append(("q", f.q))
    return pairs
