"""The read API of a view: its events (JSON and CSV), its figures and its Atom feed.

A view's API URL takes the same filter parameters as its page URL (`theme`, `country`, `org`,
`dates`, `q`, `instrument`, `stage`, `actor`, `target`, `rel`), read by the one parser in
`core.params`; `/api/events` adds `limit`, `offset`, `sort` and `evidence`. Anything it cannot use
is a `BadRequest` naming the parameter, never a silently wider answer.

Framework-free: the server's routes (`dashboard/server.py`) and the CLI (`geotech feed`,
`geotech export`) call `answer`, which returns the status, media type and body of a response.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from core import export
from core.clock import naive_utc
from core.errors import GeoTechError
from core.params import parse, to_params
from core.queries import SORTS, Filters, count, events_page, events_whole, export_rows, stats
from core.taxonomy import country_name, country_names, theme_label

DEFAULT_LIMIT = 50
MAX_LIMIT = 500  # events in one page of /api/events; a larger `limit` is capped, and the answer says so
MAX_OFFSET = 1_000_000
FEED_SIZE = 50  # entries of a view's feed: its newest events
MAX_CSV_BYTES = 32 * 1024 * 1024  # a CSV answer stops adding rows past this size, and says so in a header

ROUTES = ("/api/events", "/api/events.csv", "/api/stats", "/feed.atom")
PAGE_PARAMS = {"/api/events": ("limit", "offset", "sort", "evidence")}  # beyond the filters
ATOM = "http://www.w3.org/2005/Atom"


class BadRequest(GeoTechError):
    """A request the API cannot answer as asked; names the parameters and what to do."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{param}: {why}" for param, why in problems))

    def as_json(self) -> dict[str, Any]:
        return {"error": "bad request", "parameters": [{"parameter": p, "problem": w} for p, w in self.problems]}


@dataclass(frozen=True)
class Answer:
    """A response: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: str
    headers: dict[str, str] = field(default_factory=dict)


def view(params: Mapping[str, Sequence[str]], extra: Sequence[str] = ()) -> Filters:
    """The filters of a request, or BadRequest naming every parameter or value it cannot use
    (an unknown parameter, an unknown theme, a malformed date...)."""
    filters_only = {k: v for k, v in params.items() if k not in extra}
    f, ignored = parse(filters_only, strict=True)
    if ignored:
        raise BadRequest([(i.param, f"{i.value!r}: {i.why.split(';')[0]}") for i in ignored])
    return f


def _integer(params: Mapping[str, Sequence[str]], name: str, default: int, low: int, high: int | None = None,
             problems: list[tuple[str, str]] | None = None) -> int:
    values = params.get(name) or []
    if not values:
        return default
    raw = str(values[-1]).strip()
    if not raw.isdigit() or int(raw) < low:
        assert problems is not None
        problems.append((name, f"{raw[:40]!r} is not a whole number of at least {low}"))
        return default
    number = int(raw)
    return min(number, high) if high is not None else number


def events_json(store: Path, params: Mapping[str, Sequence[str]], base_url: str) -> dict[str, Any]:
    """One page of a view's events, newest first (or by `sort`), with everything the Events page shows."""
    f = view(params, PAGE_PARAMS["/api/events"])
    problems: list[tuple[str, str]] = []
    asked = _integer(params, "limit", DEFAULT_LIMIT, 1, None, problems)
    offset = _integer(params, "offset", 0, 0, MAX_OFFSET, problems)
    sort = (params.get("sort") or ["newest"])[-1]
    if sort not in SORTS:
        problems.append(("sort", f"{sort[:40]!r} is not one of {', '.join(SORTS)}"))
    evidence = (params.get("evidence") or ["0"])[-1].strip().lower()
    if evidence not in ("0", "1", "true", "false"):
        problems.append(("evidence", f"{evidence[:40]!r} is not 1 or 0"))
    if problems:
        raise BadRequest(problems)
    limit = min(asked, MAX_LIMIT)
    total = count(store, f)
    ids = [str(i) for i in events_page(store, f, limit=limit, offset=offset, sort=sort)["id"]]
    rows = events_whole(store, ids, evidence=evidence in ("1", "true"))
    for row in rows:
        row["url"] = event_link(base_url, row["id"])
        row["updated_at"] = _utc(row["updated_at"])
    following = offset + len(ids)
    return {
        "total": total, "offset": offset, "limit": limit, "count": len(rows),
        "next_offset": following if following < total else None,
        **({"note": f"limit {asked} is more than {MAX_LIMIT}; this page holds {MAX_LIMIT} events"} if asked > MAX_LIMIT else {}),
        "filters": dict(_grouped(to_params(f))), "sort": sort,
        "events": rows,
    }


def events_csv(store: Path, params: Mapping[str, Sequence[str]]) -> tuple[str, int, int]:
    """The Export button's CSV of a view (same rows and columns), at most MAX_CSV_BYTES: the text, the
    rows written and the rows the view holds."""
    rows = export_rows(store, view(params))
    text = export.to_csv(rows)
    if len(text.encode("utf-8")) <= MAX_CSV_BYTES:
        return text, len(rows), len(rows)
    kept = len(rows)
    while kept and len(text.encode("utf-8")) > MAX_CSV_BYTES:
        kept = kept * 3 // 4
        text = export.to_csv(rows[:kept])
    return text, kept, len(rows)


def view_stats(store: Path, params: Mapping[str, Sequence[str]], today: dt.date | None = None) -> dict[str, Any]:
    """`geotech stats --json` for the events of a view."""
    f = view(params)
    return {**stats(store, today, f), "filters": dict(_grouped(to_params(f)))}


def feed(store: Path, params: Mapping[str, Sequence[str]], base_url: str, self_url: str | None = None) -> str:
    """An Atom 1.0 feed of a view's newest events: one entry per event, with a stable id, `updated`
    from the store, a link to the event in the app and to each of its sources. Text from the data
    is XML-escaped as text (never markup), with characters XML cannot hold removed."""
    f = view(params)
    ids = [str(i) for i in events_page(store, f, limit=FEED_SIZE, sort="newest")["id"]]
    rows = events_whole(store, ids)
    query = urlencode(to_params(f))
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
        if text is not None:
            node.text = xml_text(text)
        return node

    add(root, "id", f"tag:geotech-radar,2026:view?{query}")
    add(root, "title", "GeoTech Radar: " + describe(f), type="text")
    add(root, "subtitle", f"The newest {FEED_SIZE} technology-policy events of this view", type="text")
    add(root, "link", rel="alternate", type="text/html", href=f"{base_url}events" + (f"?{query}" if query else ""))
    add(root, "link", rel="self", type="application/atom+xml", href=self_url or f"{base_url}feed.atom" + (f"?{query}" if query else ""))
    updated = max((r["updated_at"] for r in rows if r["updated_at"]), default=None)
    add(root, "updated", _utc(updated) or _utc(naive_utc()) or "")
    author = add(root, "author")
    add(author, "name", "GeoTech Radar")
    add(root, "generator", "GeoTech Radar")
    for row in rows:
        entry = add(root, "entry")
        add(entry, "id", f"tag:geotech-radar,2026:event/{row['id']}")
        add(entry, "title", row["title"] or row["id"], type="text")
        add(entry, "updated", _utc(row["updated_at"]) or "")
        if row["date"]:
            add(entry, "published", f"{row['date'].isoformat()}T00:00:00Z")
        add(entry, "link", rel="alternate", type="text/html", href=event_link(base_url, row["id"]))
        for source in row["sources"]:
            if _web(source["url"]):
                add(entry, "link", rel="related", href=source["url"], title=source["name"] or source["url"])
        add(entry, "summary", _summary(row, country_names()), type="text")
        for theme in row["themes"] or []:
            add(entry, "category", term=theme, label=theme_label(theme))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def answer(route: str, store: Path, params: Mapping[str, Sequence[str]], base_url: str,
           self_url: str | None = None) -> Answer:
    """The response to one GET of a route: 200 with the body, 400 naming bad parameters, 503 when the
    store cannot be read (the message says why); never a traceback."""
    try:
        if route == "/api/events":
            return Answer(200, "application/json", json.dumps(events_json(store, params, base_url), default=_json_value,
                                                              ensure_ascii=False))
        if route == "/api/events.csv":
            text, written, total = events_csv(store, params)
            headers = {"Content-Disposition": 'inline; filename="geotech-events.csv"'}
            if written < total:
                headers["X-GeoTech-Truncated"] = f"{written} of {total} rows; narrow the filters for the rest"
            return Answer(200, "text/csv; charset=utf-8", text, headers)
        if route == "/api/stats":
            return Answer(200, "application/json", json.dumps(view_stats(store, params), default=_json_value))
        if route == "/feed.atom":
            return Answer(200, "application/atom+xml; charset=utf-8", feed(store, params, base_url, self_url))
    except BadRequest as exc:
        return Answer(400, "application/json", json.dumps(exc.as_json()))
    except GeoTechError as exc:
        return Answer(503, "application/json", json.dumps({"error": " ".join(str(exc).split())[:500]}))
    return Answer(404, "application/json", json.dumps({"error": f"no route {route[:80]!r}; use one of {', '.join(ROUTES)}"}))


def event_link(base_url: str, event_id: str) -> str:
    """The event's own view in the app."""
    return f"{base_url}events?{urlencode({'event': event_id})}"


def describe(f: Filters) -> str:
    """The view in words, for a feed's title: 'Export controls; CN; since 2023-01-01'."""
    parts = [", ".join(theme_label(t) for t in f.themes), ", ".join(country_name(c) for c in f.countries),
             ", ".join(f.orgs),
             ", ".join(f.instruments), ", ".join(f.stages)]
    if f.actors or f.targets or f.rels:
        parts.append(f"{'/'.join(f.actors) or 'any'} → {'/'.join(f.targets) or 'any'}"
                     + (f" ({', '.join(f.rels)})" if f.rels else ""))
    if f.start or f.end:
        parts.append(f"{f.start or '…'} to {f.end or '…'}")
    if f.q:
        parts.append(f'"{f.q}"')
    return "; ".join(p for p in parts if p) or "all events"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text XML 1.0 can hold: control characters, lone surrogates and non-characters removed (the
    serializer escapes <, > and &)."""
    return _NOT_XML.sub("", str(value))


def _summary(row: dict[str, Any], countries: Mapping[str, str]) -> str:
    lines = [row["summary"] or ""]
    if row["countries"]:
        lines.append("Countries: " + ", ".join(countries.get(c, c) for c in row["countries"]))
    if row["organizations"]:
        lines.append("Organizations: " + ", ".join(row["organizations"][:12]))
    if row["instrument_name"]:
        lines.append(f"Instrument: {row['instrument_name']}" + (f" ({row['stage']})" if row["stage"] else ""))
    return "\n".join(line for line in lines if line)


def _web(url: str | None) -> bool:
    return bool(url) and urlsplit(str(url)).scheme in ("http", "https")


def _utc(value: dt.datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key, []).append(value)
    return out


def _json_value(obj: object) -> object:
    if isinstance(obj, dt.date | dt.datetime):
        return obj.isoformat()
    raise TypeError(type(obj).__name__)
