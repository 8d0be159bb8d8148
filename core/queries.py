"""Read queries over the store, filtered and aggregated in SQL.

The dashboard and the CLI call these; pages never write SQL. Several values of one
filter match any of them (theme=ai&theme=quantum: AI or quantum); different filters
combine with AND.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from core import rollups
from core.clock import naive_utc
from core.models import evidence_fields
from core.store import connect

PAGE_SIZE = 200


@dataclass(frozen=True)
class Filters:
    """The shared filters, as small hashable values (they key the dashboard's cache)."""

    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()  # canonical organization names
    start: dt.date | None = None
    end: dt.date | None = None
    q: str = ""
    instruments: tuple[str, ...] = ()  # instrument ids
    stages: tuple[str, ...] = ()  # lifecycle stages (core.models.STAGES)
    actors: tuple[str, ...] = ()  # countries that act, in a stated relation
    targets: tuple[str, ...] = ()  # countries acted upon (or partnered with)
    rels: tuple[str, ...] = ()  # relation types: cooperation, restriction, competition

    def where(self) -> tuple[str, list[Any]]:
        """SQL condition over the `events e` table and its parameters."""
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        for column, values in (("themes", self.themes), ("countries", self.countries), ("org_names", self.orgs)):
            if values:  # an OR of list_contains runs several times faster than list_has_any
                clauses.append("(" + " OR ".join(f"list_contains(e.{column}, ?)" for _ in values) + ")")
                params += list(values)
        for column, values in (("instrument_id", self.instruments), ("stage", self.stages)):
            if values:
                clauses.append(f"e.{column} IN ({', '.join('?' * len(values))})")
                params += list(values)
        if self.actors or self.targets or self.rels:  # one stated relation meets all three (who acts on whom, how)
            parts = [f"r.{column} IN ({', '.join('?' * len(values))})"
                     for column, values in (("source", self.actors), ("target", self.targets), ("type", self.rels)) if values]
            clauses.append(f"EXISTS (SELECT 1 FROM relations r WHERE r.event_id = e.id AND {' AND '.join(parts)})")
            params += [*self.actors, *self.targets, *self.rels]
        if self.start:
            clauses.append("e.date >= ?")
            params.append(self.start)
        if self.end:
            clauses.append("e.date <= ?")
            params.append(self.end)
        if self.q.strip():
            clauses.append("(contains(lower(e.title), ?) OR contains(lower(e.text), ?))")
            needle = self.q.strip().lower()
            params += [needle, needle]
        return " AND ".join(clauses), params


def _frame(path: Path, sql: str, params: list[Any]) -> pd.DataFrame:
    with connect(path, read_only=True) as con:
        return con.execute(sql, params).df()


def _rolled(con: Any, f: Filters, name: str) -> tuple[str, list[Any]] | None:
    """The rows of rollup `name` that answer the view `f`, or None when the store has no current
    rollups or `f` needs the events themselves (core.rollups)."""
    return rollups.rows(f, name, dated=rollups.span(con)) if rollups.active(con) else None


def _rolled_frame(path: Path, f: Filters, name: str, select: str, params: list[Any] | None = None) -> pd.DataFrame | None:
    """`select` (SQL over `r`, the rollup rows of the view) as a frame, or None without rollups."""
    with connect(path, read_only=True) as con:
        found = _rolled(con, f, name)
        if found is None:
            return None
        sql, rows_params = found
        return con.execute(f"WITH r AS ({sql}) {select}", [*rows_params, *(params or [])]).df()


@dataclass(frozen=True)
class Summary:
    """Counts of a view's events, their sources, countries and organizations, and the date span."""

    events: int
    sources: int
    countries: int
    orgs: int
    first_date: dt.date | None
    last_date: dt.date | None


@dataclass(frozen=True)
class Counts:
    events: int
    sources: int
    countries: int
    orgs: int


@dataclass(frozen=True)
class Comparison:
    """Counts in a period and in the period of equal length before it."""

    current: Counts
    previous: Counts
    current_window: tuple[dt.date, dt.date]
    previous_window: tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Options:
    """What the store holds for the filter widgets: ids (organizations most named first, instruments
    with their names) and the date span."""

    countries: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    instruments: dict[str, str] = dataclasses.field(default_factory=dict)
    first_date: dt.date | None = None
    last_date: dt.date | None = None


def summary(path: Path, f: Filters) -> Summary:
    """Counts of the filtered events, their sources, countries and organizations, and the date span."""
    with connect(path, read_only=True) as con:
        counts = _rolled_counts(con, f)
    if counts is not None:
        return counts
    where, params = f.where()
    sql = f"""SELECT count(*), min(e.date), max(e.date), coalesce(sum(e.n_sources), 0),
                     (SELECT count(DISTINCT c) FROM (SELECT unnest(e.countries) AS c FROM events e WHERE {where})),
                     (SELECT count(DISTINCT o) FROM (SELECT unnest(e.orgs) AS o FROM events e WHERE {where}))
              FROM events e WHERE {where}"""
    with connect(path, read_only=True) as con:
        events, first, last, sources, countries, orgs = _one(con, sql, params * 3)
    return Summary(int(events), int(sources), int(countries), int(orgs), first, last)


def _rolled_counts(con: Any, f: Filters) -> Summary | None:
    """The summary of the view `f` from the rollups, or None."""
    totals, countries, orgs = (_rolled(con, f, n) for n in ("rollup_totals", "rollup_countries", "rollup_orgs"))
    if totals is None or countries is None or orgs is None:
        return None
    sql = f"""SELECT (SELECT coalesce(sum(events), 0) FROM ({totals[0]})), (SELECT min(bucket) FROM ({totals[0]})),
                     (SELECT max(bucket) FROM ({totals[0]})), (SELECT coalesce(sum(sources), 0) FROM ({totals[0]})),
                     (SELECT count(DISTINCT country) FROM ({countries[0]})), (SELECT count(DISTINCT org) FROM ({orgs[0]}))"""
    events, first, last, sources, n_countries, n_orgs = _one(con, sql, [*totals[1] * 4, *countries[1], *orgs[1]])
    return Summary(int(events), int(sources), int(n_countries), int(n_orgs), first, last)


def windows(f: Filters, last: dt.date | None) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]] | None:
    """The current period and the previous one of equal length, for the change shown next to counts.

    The current period is the date filter when both ends are set, else the 365 days up to `last`
    (the newest event date); the previous period ends the day before it starts.
    """
    if f.start and f.end:
        start, end = f.start, f.end
    elif last:
        end = f.end or last
        start = f.start or end - dt.timedelta(days=364)
    else:
        return None
    if end < start:
        return None
    span = (end - start).days + 1
    return (start, end), (start - dt.timedelta(days=span), start - dt.timedelta(days=1))


def compare(path: Path, f: Filters, current: tuple[dt.date, dt.date], previous: tuple[dt.date, dt.date]) -> Comparison:
    """Counts (events, sources, countries, organizations) in two date windows under the other filters."""
    with connect(path, read_only=True) as con:
        now = _rolled_counts(con, dataclasses.replace(f, start=current[0], end=current[1]))
        before = _rolled_counts(con, dataclasses.replace(f, start=previous[0], end=previous[1]))
    if now is not None and before is not None:
        return Comparison(Counts(now.events, now.sources, now.countries, now.orgs),
                          Counts(before.events, before.sources, before.countries, before.orgs), current, previous)
    where, params = dataclasses.replace(f, start=None, end=None).where()
    cur = "e.date BETWEEN ? AND ?"
    span = [previous[0], current[1]]
    windows = [*current, *previous]
    sql = f"""SELECT count(*) FILTER (WHERE {cur}), count(*) FILTER (WHERE NOT ({cur})),
                     coalesce(sum(e.n_sources) FILTER (WHERE {cur}), 0), coalesce(sum(e.n_sources) FILTER (WHERE NOT ({cur})), 0),
                     (SELECT count(DISTINCT c) FILTER (WHERE d >= ?) FROM (SELECT unnest(e.countries) AS c, e.date AS d
                        FROM events e WHERE {where} AND e.date BETWEEN ? AND ?)),
                     (SELECT count(DISTINCT c) FILTER (WHERE d < ?) FROM (SELECT unnest(e.countries) AS c, e.date AS d
                        FROM events e WHERE {where} AND e.date BETWEEN ? AND ?)),
                     (SELECT count(DISTINCT o) FILTER (WHERE d >= ?) FROM (SELECT unnest(e.orgs) AS o, e.date AS d
                        FROM events e WHERE {where} AND e.date BETWEEN ? AND ?)),
                     (SELECT count(DISTINCT o) FILTER (WHERE d < ?) FROM (SELECT unnest(e.orgs) AS o, e.date AS d
                        FROM events e WHERE {where} AND e.date BETWEEN ? AND ?))
              FROM events e WHERE {where} AND e.date BETWEEN ? AND ?"""
    sub = [current[0], *params, *span]
    args = [*windows[:2], *windows[:2], *windows[:2], *windows[:2], *sub, *sub, *sub, *sub, *params, *span]
    with connect(path, read_only=True) as con:
        row = _one(con, sql, args)
    return Comparison(Counts(*(int(v) for v in row[0::2])), Counts(*(int(v) for v in row[1::2])), current, previous)


def _one(con: Any, sql: str, params: list[Any]) -> tuple[Any, ...]:
    row = con.execute(sql, params).fetchone()
    return tuple(row) if row else ()


def value_counts(path: Path, f: Filters, column: str) -> dict[str, int]:
    """Events per theme, country or organization id."""
    if column not in ("themes", "countries", "orgs"):
        raise ValueError(column)
    dim = {"themes": "theme", "countries": "country", "orgs": "org"}[column]
    rolled = _rolled_frame(path, f, f"rollup_{column}", f"SELECT {dim} AS v, sum(events) AS n FROM r GROUP BY v ORDER BY n DESC, v")
    if rolled is not None:
        return {v: int(n) for v, n in zip(rolled["v"], rolled["n"], strict=True)}
    where, params = f.where()
    sql = f"""SELECT v, count(*) AS n FROM (SELECT unnest(e.{column}) AS v FROM events e WHERE {where})
              GROUP BY v ORDER BY n DESC, v"""
    with connect(path, read_only=True) as con:
        return {v: int(n) for v, n in con.execute(sql, params).fetchall()}


def timeline(path: Path, f: Filters, period: str = "month") -> pd.DataFrame:
    """Events per period and theme: columns period, theme, events."""
    if period not in ("day", "week", "month", "quarter", "year"):
        raise ValueError(period)
    if period in ("month", "quarter", "year"):
        rolled = _rolled_frame(path, f, "rollup_themes", f"""SELECT date_trunc('{period}', bucket)::DATE AS period, theme,
                                                                 sum(events)::BIGINT AS events FROM r WHERE bucket IS NOT NULL
                                                          GROUP BY ALL ORDER BY period, theme""")
        if rolled is not None:
            return rolled
    where, params = f.where()
    sql = f"""SELECT date_trunc('{period}', e.date)::DATE AS period, t AS theme, count(*) AS events
              FROM events e, unnest(e.themes) AS u(t) WHERE {where} AND e.date IS NOT NULL
              GROUP BY ALL ORDER BY period, theme"""
    return _frame(path, sql, params)


def theme_country(path: Path, f: Filters) -> pd.DataFrame:
    """Events per theme and country: columns theme, country, events."""
    rolled = _rolled_frame(path, f, "rollup_theme_country", "SELECT theme, country, sum(events)::BIGINT AS events FROM r "
                                                             "GROUP BY ALL ORDER BY events DESC, theme, country")
    if rolled is not None:
        return rolled
    where, params = f.where()
    sql = f"""SELECT t AS theme, c AS country, count(*) AS events
              FROM events e, unnest(e.themes) AS u(t), unnest(e.countries) AS v(c) WHERE {where}
              GROUP BY ALL ORDER BY events DESC, theme, country"""
    return _frame(path, sql, params)


def top_orgs(path: Path, f: Filters, limit: int = 15) -> pd.DataFrame:
    """The organizations named in most events: columns org, name, events.

    Counted over the events' organization ids; each id's name comes from its tags (an event's list
    of names is in the curator's order, not the order of its ids, so the two are never zipped)."""
    rolled = _rolled_frame(path, f, "rollup_orgs", f"""
        SELECT top.org, coalesce(l.label, top.org) AS name, top.events
        FROM (SELECT org, sum(events)::BIGINT AS events FROM r GROUP BY org ORDER BY events DESC, org LIMIT {int(limit)}) top
        LEFT JOIN {rollups.ORG_LABELS} l USING (org)
        ORDER BY top.events DESC, name""")
    if rolled is not None:
        return rolled
    where, params = f.where()
    sql = f"""WITH top AS (SELECT o AS org, count(*) AS events FROM (SELECT unnest(e.orgs) AS o FROM events e WHERE {where})
                           GROUP BY o ORDER BY events DESC, org LIMIT {int(limit)})
              SELECT top.org, coalesce((SELECT min(t.label) FROM tags t WHERE t.kind = 'org' AND t.value = top.org),
                                       top.org) AS name, top.events
              FROM top ORDER BY top.events DESC, name"""
    return _frame(path, sql, params)


SORTS = {
    "newest": "e.date DESC NULLS LAST, e.title",
    "oldest": "e.date ASC NULLS LAST, e.title",
    "sources": "e.n_sources DESC, e.date DESC NULLS LAST, e.title",
    "title": "e.title, e.date DESC NULLS LAST",
}


def events_page(path: Path, f: Filters, limit: int = PAGE_SIZE, offset: int = 0, sort: str = "newest") -> pd.DataFrame:
    """One page of the filtered events in the order `sort` (a key of SORTS), with the first source's link."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    where, params = f.where()
    if sort in ("newest", "oldest"):
        with connect(path, read_only=True) as con:
            reach = _reach(con, f, limit + offset, newest=sort == "newest")
        if reach is not None:  # the page lies on this side of the day the rollups say it reaches: read only that part
            where += " AND e.date >= ?" if sort == "newest" else " AND e.date <= ?"
            params.append(reach)
    sql = f"""SELECT e.id, e.date, e.title, e.themes, e.countries, e.org_names AS orgs, e.n_sources AS sources,
                     (SELECT s.url FROM sources s WHERE s.event_id = e.id AND s.url IS NOT NULL
                      ORDER BY s.article_id <> e.id, s.published, s.article_id LIMIT 1) AS url
              FROM events e WHERE {where}
              ORDER BY {SORTS[sort]}, e.id LIMIT {int(limit)} OFFSET {int(offset)}"""
    return _frame(path, sql, params)


def _reach(con: Any, f: Filters, need: int, newest: bool) -> dt.date | None:
    """The day back to which (or, oldest first, up to which) the view's first `need` dated events
    reach, from the daily totals; None without rollups or when the view has fewer dated events."""
    found = _rolled(con, f, "rollup_totals")
    if found is None:
        return None
    sql, params = found
    order = "DESC" if newest else "ASC"
    rows = con.execute(f"""SELECT bucket FROM (SELECT bucket, sum(events) OVER (ORDER BY bucket {order}) AS running
                                               FROM ({sql}) WHERE bucket IS NOT NULL)
                           WHERE running >= ? ORDER BY bucket {order} LIMIT 1""", [*params, need]).fetchall()
    return rows[0][0] if rows else None


def events_whole(path: Path, ids: list[str], evidence: bool = False) -> list[dict[str, Any]]:
    """Events by id, in the order given, each with its labels, relations, sources and instrument (and,
    with `evidence`, every tag's evidence): the API's rows, read in a few queries whatever their number."""
    if not ids:
        return []
    wanted = "(SELECT unnest(?::VARCHAR[]))"
    with connect(path, read_only=True) as con:
        cur = con.execute(f"""SELECT id, date, date_precision, scheduled, title, summary, themes, countries,
                                     org_names AS organizations, curated, instrument_id, instrument_name, stage, updated_at
                              FROM events WHERE id IN {wanted}""", [ids])
        columns = [c[0] for c in cur.description]
        rows = {r[0]: dict(zip(columns, r, strict=True)) for r in cur.fetchall()}
        relations = con.execute(f"SELECT event_id, source, target, type FROM relations WHERE event_id IN {wanted} "
                                "ORDER BY event_id, source, target, type", [ids]).fetchall()
        sources = con.execute(f"SELECT event_id, url, name, title, published FROM sources WHERE event_id IN {wanted} "
                              "ORDER BY event_id, article_id <> event_id, published, article_id", [ids]).fetchall()
        tags = con.execute(f"SELECT event_id, kind, value, score, evidence FROM tags WHERE event_id IN {wanted} AND tagged "
                           "ORDER BY event_id, kind, score DESC, value", [ids]).fetchall() if evidence else []
    for row in rows.values():
        row.update(relations=[], sources=[])
        if evidence:
            row["evidence"] = []
    for eid, source, target, rtype in relations:
        rows[eid]["relations"].append({"source": source, "target": target, "type": rtype})
    for eid, url, name, title, published in sources:
        rows[eid]["sources"].append({"url": url, "name": name, "title": title, "published": published})
    for eid, kind, value, score, ev in tags:
        rows[eid]["evidence"].append({"kind": kind, "value": value, "score": score, "cues": json.loads(ev)})
    return [rows[i] for i in ids if i in rows]


def related(path: Path, event_id: str, limit: int = 5, days: int = 120) -> pd.DataFrame:
    """Events close to one event: within `days` of it, sharing a country, ranked by shared themes,
    countries and organizations, then by closeness in time. Columns id, date, title, shared."""
    sql = f"""WITH me AS (SELECT * FROM events WHERE id = ?)
              SELECT e.id, e.date, e.title,
                     len(list_intersect(e.themes, me.themes)) + len(list_intersect(e.countries, me.countries))
                       + len(list_intersect(e.orgs, me.orgs)) AS shared
              FROM events e, me
              WHERE e.id <> me.id AND e.date BETWEEN me.date - INTERVAL {int(days)} DAY AND me.date + INTERVAL {int(days)} DAY
                AND list_has_any(e.countries, me.countries) AND list_has_any(e.themes, me.themes)
              ORDER BY shared DESC, abs(date_diff('day', e.date, me.date)), e.title LIMIT {int(limit)}"""
    return _frame(path, sql, [event_id])


def pair_themes(path: Path, f: Filters, source: str, target: str, period: str = "year") -> pd.DataFrame:
    """Events with a stated relation between two countries (either direction) per period and theme."""
    if period not in ("month", "quarter", "year"):
        raise ValueError(period)
    rolled = _rolled_frame(path, f, "rollup_pair_themes", f"""SELECT date_trunc('{period}', bucket)::DATE AS period, theme,
                                                                     sum(events)::BIGINT AS events
                                                              FROM r WHERE a = least(?, ?) AND b = greatest(?, ?) AND bucket IS NOT NULL
                                                              GROUP BY ALL ORDER BY period, theme""", [source, target, source, target])
    if rolled is not None:
        return rolled
    where, params = f.where()
    sql = f"""SELECT date_trunc('{period}', e.date)::DATE AS period, t AS theme, count(DISTINCT e.id) AS events
              FROM relations r JOIN events e ON e.id = r.event_id, unnest(e.themes) AS u(t)
              WHERE ((r.source = ? AND r.target = ?) OR (r.source = ? AND r.target = ?)) AND e.date IS NOT NULL AND {where}
              GROUP BY ALL ORDER BY period, theme"""
    return _frame(path, sql, [source, target, target, source, *params])


def count(path: Path, f: Filters) -> int:
    where, params = f.where()
    with connect(path, read_only=True) as con:
        found = _rolled(con, f, "rollup_totals")
        if found is not None:
            return int(_one(con, f"SELECT coalesce(sum(events), 0) FROM ({found[0]})", found[1])[0])
        row = con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
    return int(row[0]) if row else 0


def event_detail(path: Path, event_id: str) -> dict[str, Any] | None:
    """One event with its tags (and their evidence), relations and sources."""
    with connect(path, read_only=True) as con:
        cur = con.execute("SELECT * FROM events WHERE id = ?", [event_id])
        row = cur.fetchone()
        if row is None:
            return None
        event = dict(zip([d[0] for d in cur.description], row, strict=True))
        tags = con.execute(
            "SELECT kind, value, label, score, tagged, reason, evidence FROM tags WHERE event_id = ? ORDER BY kind, score DESC",
            [event_id]).fetchall()
        relations = con.execute("SELECT source, target, type, evidence FROM relations WHERE event_id = ?", [event_id]).fetchall()
        sources = con.execute(
            "SELECT url, name, title, published FROM sources WHERE event_id = ? "
            "ORDER BY article_id <> event_id, published, article_id", [event_id]).fetchall()
        cur = con.execute(
            "SELECT d.document_number, d.title, d.type, d.url, d.publication_date, d.effective_on, d.comments_close_on "
            "FROM event_documents l JOIN documents d USING (document_number) WHERE l.event_id = ?", [event_id])
        documents = [dict(zip([c[0] for c in cur.description], row, strict=True)) for row in cur.fetchall()]
    event["tags"] = [
        {"kind": k, "value": v, "label": lb, "score": s, "tagged": t, "reason": r, "evidence": json.loads(ev)}
        for k, v, lb, s, t, r, ev in tags
    ]
    event["relations"] = [{"source": s, "target": t, "type": ty, "evidence": json.loads(ev)} for s, t, ty, ev in relations]
    event["sources"] = [{"url": u, "name": n, "title": ti, "published": p} for u, n, ti, p in sources]
    event["documents"] = documents
    return event


def options(path: Path) -> Options:
    """Values present in the store for the filter widgets: ids with labels, and the date span."""
    with connect(path, read_only=True) as con:
        orgs = con.execute(
            "SELECT o, count(*) AS n FROM (SELECT unnest(org_names) AS o FROM events) GROUP BY o ORDER BY n DESC, o"
        ).fetchall()
        countries = con.execute("SELECT DISTINCT unnest(countries) AS c FROM events ORDER BY c").fetchall()
        span = con.execute("SELECT min(date), max(date) FROM events").fetchone()
        instruments = con.execute("SELECT instrument_id, any_value(instrument_name) AS name FROM events "
                                  "WHERE instrument_id IS NOT NULL GROUP BY instrument_id ORDER BY name").fetchall()
    return Options(countries=tuple(c for (c,) in countries), orgs=tuple(o for o, _ in orgs), instruments=dict(instruments),
                   first_date=span[0] if span else None, last_date=span[1] if span else None)


STALE_DAYS = 30  # the newest event older than this, and no recent live refresh: the data is old
REFRESH_RECENT_DAYS = 7


@dataclass(frozen=True)
class Freshness:
    """How old the data is: the newest event on or before today, and the last successful live refresh."""

    newest_event: dt.date | None
    age_days: int | None
    last_refresh: dt.datetime | None
    """When a live source last succeeded (UTC), or None if none ever has."""
    stale: bool
    """The newest event is more than STALE_DAYS old and no live source succeeded in REFRESH_RECENT_DAYS."""


def freshness(path: Path, today: dt.date, now: dt.datetime | None = None) -> Freshness:
    """The store's freshness as of `today`: the newest event that reports a happening (not one
    scheduled in advance, whose date says nothing of how current the data is)."""
    with connect(path, read_only=True) as con:
        newest = _one(con, "SELECT max(date) FROM events WHERE date <= ? AND NOT coalesce(scheduled, FALSE)", [today])[0]
        refreshed = _one(con, "SELECT max(finished) FROM runs WHERE status = 'ok' AND kind <> 'ingest'", [])[0]
    age = (today - newest).days if newest else None
    now = now or naive_utc()
    recent = refreshed is not None and (now - refreshed).days < REFRESH_RECENT_DAYS
    return Freshness(newest, age, refreshed, bool(age is None or age > STALE_DAYS) and not recent)


def stats(path: Path, today: dt.date | None = None, f: Filters = Filters()) -> dict[str, Any]:
    """The store at a glance (the `geotech stats` contract), or the events of one view with `f`;
    the freshness figures are the whole store's."""
    s = summary(path, f)
    fresh = freshness(path, today or dt.date.today())
    where, params = f.where()
    return {
        "events": s.events,
        "sources": s.sources,
        "themes": value_counts(path, f, "themes"),
        "countries": value_counts(path, f, "countries"),
        "orgs": len(value_counts(path, f, "orgs")),
        "first_date": s.first_date.isoformat() if s.first_date else None,
        "last_date": s.last_date.isoformat() if s.last_date else None,
        "newest_event_date": fresh.newest_event.isoformat() if fresh.newest_event else None,
        "newest_event_age_days": fresh.age_days,
        "last_live_refresh": fresh.last_refresh.isoformat(timespec="seconds") if fresh.last_refresh else None,
        "stale": fresh.stale,
        "instruments": _one_int(path, f"SELECT count(DISTINCT e.instrument_id) FROM events e WHERE {where}", params),
        "instruments_with_stages": _one_int(path, f"SELECT count(*) FROM (SELECT e.instrument_id FROM events e WHERE {where} "
                                                  "AND e.instrument_id IS NOT NULL GROUP BY ALL HAVING count(*) >= 2)", params),
        "curated": _one_int(path, f"SELECT count(*) FROM events e WHERE {where} AND e.curated", params),
    }


def _one_int(path: Path, sql: str, params: list[Any] | None = None) -> int:
    with connect(path, read_only=True) as con:
        return int(_one(con, sql, params or [])[0] or 0)


def health(path: Path) -> dict[str, pd.DataFrame]:
    """The Data health view: the last run per source, and the problems recorded during ingest."""
    with connect(path, read_only=True) as con:
        runs = con.execute("""
            SELECT source, kind, finished AS last_run, status, articles, new, updated, unchanged, warnings, errors, message
            FROM runs QUALIFY row_number() OVER (PARTITION BY source ORDER BY finished DESC) = 1
            ORDER BY last_run DESC""").df()
        issues = con.execute(
            "SELECT run_at, source, line, severity, reason FROM issues ORDER BY run_at DESC, source, line LIMIT 500").df()
    return {"runs": runs, "issues": issues}


def upcoming(path: Path, f: Filters, today: dt.date, limit: int = PAGE_SIZE, past: bool = False,
             after: dt.date | None = None) -> pd.DataFrame:
    """Events dated after `today` (effective dates, deadlines, scheduled meetings), nearest first.

    With `past`, also the events that were scheduled when reported (dated after their article's
    publication) but whose date has gone by, nearest to today first. With `after` (a day before
    today, such as the newest event's), the events dated after it up to today instead: what old data
    said would come next. `in_days` counts from today; `kind` says what the date is.
    """
    start = after or today
    where, params = f.where()
    sql = f"""SELECT e.id, e.date, date_diff('day', ?::DATE, e.date) AS in_days, e.date_precision, e.title, e.themes,
                     e.countries, e.org_names AS orgs,
                     CASE WHEN e.stage IN ('in_force', 'applies') THEN 'effective date'
                          WHEN e.stage IS NOT NULL THEN 'scheduled event'
                          WHEN e.date_kind = 'effective_date' THEN 'effective date'
                          WHEN e.date_kind = 'comment_deadline' THEN 'comment deadline'
                          ELSE 'scheduled event' END AS kind,
                     e.instrument_name AS instrument, e.stage
              FROM events e WHERE {where} AND (e.date > ? OR (? AND e.scheduled)) AND (NOT ? OR e.date <= ?)
              ORDER BY abs(date_diff('day', ?::DATE, e.date)), e.date, e.title LIMIT {int(limit)}"""
    return _frame(path, sql, [today, *params, start, past, after is not None, today, start])


EXPORT_LIMIT = 50_000


def export_rows(path: Path, f: Filters, limit: int = EXPORT_LIMIT) -> list[dict[str, Any]]:
    """The filtered events with themes, countries, organizations, relations, evidence and source URLs."""
    where, params = f.where()
    with connect(path, read_only=True) as con:
        cur = con.execute(f"""
            SELECT e.id, e.date, e.date_precision, e.scheduled, e.title, e.summary, e.themes, e.countries,
                   e.org_names AS organizations, e.curated, e.instrument_id, e.instrument_name, e.stage,
                   (SELECT list(s.url ORDER BY s.article_id <> e.id, s.published, s.article_id) FROM sources s
                      WHERE s.event_id = e.id AND s.url IS NOT NULL)
                       AS source_urls,
                   (SELECT list(struct_pack(source := r.source, target := r.target, type := r.type)
                                ORDER BY r.source, r.target, r.type)
                      FROM relations r WHERE r.event_id = e.id) AS relations,
                   (SELECT list(struct_pack(kind := t.kind, value := t.value, score := t.score, evidence := t.evidence)
                                ORDER BY t.kind, t.score DESC, t.value)
                      FROM tags t WHERE t.event_id = e.id AND t.tagged) AS tags
            FROM events e WHERE {where} ORDER BY e.date DESC NULLS LAST, e.title, e.id LIMIT {int(limit)}""", params)
        columns = [c[0] for c in cur.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    for row in rows:
        row["evidence"] = [
            {"kind": t["kind"], "value": t["value"], "score": t["score"],
             "cues": [evidence_fields(e) for e in json.loads(t["evidence"])]}
            for t in (row.pop("tags") or [])
        ]
        row["relations"] = row["relations"] or []
        row["source_urls"] = row["source_urls"] or []
    return rows


def relation_pairs(path: Path, f: Filters) -> pd.DataFrame:
    """Events per country pair and relation type among the filtered events: source, target, type, events."""
    rolled = _rolled_frame(path, f, "rollup_pairs", "SELECT source, target, type, sum(events)::BIGINT AS events FROM r "
                                                     "GROUP BY ALL ORDER BY events DESC, source, target, type")
    if rolled is not None:
        return rolled
    where, params = f.where()
    sql = f"""SELECT r.source, r.target, r.type, count(DISTINCT r.event_id) AS events
              FROM relations r JOIN events e ON e.id = r.event_id WHERE {where}
              GROUP BY ALL ORDER BY events DESC, r.source, r.target, r.type"""
    return _frame(path, sql, params)


def pair_totals(pairs: pd.DataFrame) -> dict[str, int]:
    """Events per unordered country pair ("CN-US", codes sorted) over the rows of `relation_pairs`,
    most events first."""
    totals: dict[str, int] = {}
    for source, target, events in zip(pairs["source"], pairs["target"], pairs["events"], strict=True):
        key = "-".join(sorted((source, target)))
        totals[key] = totals.get(key, 0) + int(events)
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def pair_rows(pairs: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """The rows of `relation_pairs` between a and b, in either direction."""
    return pairs[((pairs["source"] == a) & (pairs["target"] == b)) | ((pairs["source"] == b) & (pairs["target"] == a))]


def country_relations(path: Path, f: Filters, code: str) -> pd.DataFrame:
    """A country's partners and targets: other, type, direction (acts on / acted on by / with), events."""
    rolled = _rolled_frame(path, f, "rollup_sides", "SELECT other, type, direction, sum(events)::BIGINT AS events FROM r "
                                                     "WHERE country = ? GROUP BY ALL ORDER BY events DESC, other, type, direction", [code])
    if rolled is not None:
        return rolled
    where, params = f.where()
    sql = f"""SELECT CASE WHEN r.source = ? THEN r.target ELSE r.source END AS other, r.type,
                     CASE WHEN r.type = 'cooperation' THEN 'with' WHEN r.source = ? THEN 'acts on' ELSE 'acted on by' END
                         AS direction,
                     count(DISTINCT r.event_id) AS events
              FROM relations r JOIN events e ON e.id = r.event_id
              WHERE (r.source = ? OR r.target = ?) AND {where}
              GROUP BY ALL ORDER BY events DESC, other, type, direction"""
    return _frame(path, sql, [code, code, code, code, *params])


@dataclass(frozen=True)
class Rise:
    """A theme, country or directed pair whose event count rose against the previous period."""

    kind: str  # theme | country | pair
    key: str  # theme id, country code, or "SOURCE>TARGET:type"
    now: int
    before: int

    @property
    def pair(self) -> tuple[str, str, str]:
        """(source, target, type) of a pair's key."""
        link, rtype = self.key.split(":")
        source, target = link.split(">")
        return source, target, rtype

    def params(self) -> dict[str, str]:
        """The URL parameters of this rise's view (ids only)."""
        if self.kind == "pair":
            source, target, rtype = self.pair
            return {"actor": source, "target": target, "rel": rtype}
        return {self.kind: self.key}


def rises(path: Path, f: Filters, current: tuple[dt.date, dt.date], previous: tuple[dt.date, dt.date],
          limit: int = 3) -> list[Rise]:
    """The themes, countries and directed pairs whose events rose most from `previous` to `current`
    (under the other filters), at most `limit` of each kind, biggest rise first."""
    rolled = _rolled_rises(path, f, current, previous, limit)
    if rolled is not None:
        return rolled
    where, params = dataclasses.replace(f, start=None, end=None).where()
    span = [previous[0], current[1], current[0]]
    out: list[Rise] = []
    for kind, sql in (
        ("theme", f"SELECT t, e.date FROM events e, unnest(e.themes) AS u(t) WHERE {where} AND e.date BETWEEN ? AND ?"),
        ("country", f"SELECT c, e.date FROM events e, unnest(e.countries) AS u(c) WHERE {where} AND e.date BETWEEN ? AND ?"),
        ("pair", f"""SELECT r.source || '>' || r.target || ':' || r.type, e.date FROM relations r JOIN events e ON e.id = r.event_id
                     WHERE {where} AND e.date BETWEEN ? AND ?"""),
    ):
        grouped = f"""SELECT k, count(*) FILTER (WHERE d >= ?) AS now, count(*) FILTER (WHERE d < ?) AS before
                      FROM ({sql}) AS x(k, d) GROUP BY k
                      HAVING count(*) FILTER (WHERE d >= ?) > count(*) FILTER (WHERE d < ?)
                      ORDER BY now - before DESC, now DESC, k LIMIT {int(limit)}"""
        with connect(path, read_only=True) as con:
            rows = con.execute(grouped, [span[2], span[2], *params, span[0], span[1], span[2], span[2]]).fetchall()
        out += [Rise(kind, str(k), int(now), int(before)) for k, now, before in rows]
    return out


def _rolled_rises(path: Path, f: Filters, current: tuple[dt.date, dt.date], previous: tuple[dt.date, dt.date],
                  limit: int) -> list[Rise] | None:
    """`rises` from the rollups, or None."""
    out: list[Rise] = []
    views = [dataclasses.replace(f, start=a, end=b) for a, b in (current, previous)]
    # the relations of the days both windows cut out of months, read from the table once (not once per cut)
    with connect(path, read_only=True) as con:
        if not rollups.active(con):
            return None
        dated = rollups.span(con)
        cut = " OR ".join(f"e.date BETWEEN DATE '{a.isoformat()}' AND DATE '{b.isoformat()}'"
                          for v in views for a, b in rollups.edge_days(v, dated))
        edge = (f"WITH edge_relations AS MATERIALIZED (SELECT * FROM relations WHERE event_id IN "
                f"(SELECT e.id FROM events e WHERE {cut})) ") if cut else ""
        for kind, name, k in (("theme", "rollup_themes", "theme"), ("country", "rollup_countries", "country"),
                              ("pair", "rollup_pairs", "source || '>' || target || ':' || type")):
            now, before = (rollups.rows(v, name, "edge_relations" if edge else "relations", dated) for v in views)
            if now is None or before is None:
                return None
            sql = f"""{edge}SELECT k, sum(n) AS now, sum(b) AS before FROM (
                          SELECT {k} AS k, events AS n, 0 AS b FROM ({now[0]}) UNION ALL SELECT {k}, 0, events FROM ({before[0]}))
                      GROUP BY k HAVING sum(n) > sum(b) ORDER BY now - before DESC, now DESC, k LIMIT {int(limit)}"""
            out += [Rise(kind, str(key), int(n), int(b)) for key, n, b in con.execute(sql, [*now[1], *before[1]]).fetchall()]
    return out
