"""Pre-aggregated event counts, so that the dashboard's pages cost the same at 10 million events as at 10,000.

Each rollup counts events by a time bucket, a filter key and the dimensions one chart groups by.
The filter key (`fk`, `fv`) is ('', '') for all events, ('theme', id) for the events of one theme
and ('country', code) for the events that name one country, so a view filtered by at most one
theme or one country reads its counts straight from the rollup. The rollups a country profile
reads (totals, themes, countries, organizations, sides) also keep ('tc', 'theme|code') for the
events of one theme that name one country, so a profile under a theme filter reads them too. The
totals are kept per day; the others per month, and a date filter that cuts a month reads that
month's edge days from the events themselves with the same SQL that builds the rollup, so every
answer is exact (a filter reaching past the first or last event cuts nothing: see `span`). A view
with any other filter (text, organizations, several themes, relations...) reads the events, as before.

The same definitions maintain the rollups of a store on every write (`update`, inside the write's
transaction) and build those of a Parquet lake on every merge (core.lake).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb


class View(Protocol):
    """What the rollups read of a view's filters (core.queries.Filters)."""

    @property
    def themes(self) -> tuple[str, ...]: ...
    @property
    def countries(self) -> tuple[str, ...]: ...
    @property
    def orgs(self) -> tuple[str, ...]: ...
    @property
    def instruments(self) -> tuple[str, ...]: ...
    @property
    def stages(self) -> tuple[str, ...]: ...
    @property
    def actors(self) -> tuple[str, ...]: ...
    @property
    def targets(self) -> tuple[str, ...]: ...
    @property
    def rels(self) -> tuple[str, ...]: ...
    @property
    def start(self) -> dt.date | None: ...
    @property
    def end(self) -> dt.date | None: ...
    @property
    def q(self) -> str: ...


VERSION = "2"  # a lake records the version its rollup files were counted with (core.lake)
META_KEY = "rollups"
ALL_KEYS = ("list_concat([{'k': '', 'v': ''}], [{'k': 'theme', 'v': x} for x in e.themes], "
            "[{'k': 'country', 'v': x} for x in e.countries])")
PAIR_KEYS = ("list_concat(" + ALL_KEYS[len("list_concat("):-1] + ", "
             "flatten([[{'k': 'tc', 'v': t || '|' || x} for x in e.countries] for t in e.themes]))")
MONTH = "date_trunc('month', e.date)::DATE"
PAIRS = "(SELECT DISTINCT event_id, source, target, type FROM {relations})"
UNORDERED = "(SELECT DISTINCT event_id, least(source, target) AS a, greatest(source, target) AS b FROM {relations})"
SIDES = """(SELECT DISTINCT event_id, country, other, type, direction FROM (
              SELECT event_id, source AS country, target AS other, type,
                     CASE WHEN type = 'cooperation' THEN 'with' ELSE 'acts on' END AS direction FROM {relations}
              UNION ALL
              SELECT event_id, target, source, type, CASE WHEN type = 'cooperation' THEN 'with' ELSE 'acted on by' END
              FROM {relations} WHERE source <> target))"""


@dataclass(frozen=True)
class Rollup:
    name: str
    dims: tuple[str, ...]
    source: str  # FROM ... (with `e` the events and `u(f)` the filter keys), before WHERE
    measures: tuple[tuple[str, str], ...] = (("count(*)", "events"),)
    bucket: str = MONTH
    pairs: bool = False  # also keyed by theme and country together ('tc')

    def body(self, events: str = "events", relations: str = "relations", keys: str | None = None, where: str = "TRUE") -> str:
        """The rows of this rollup for the events of `events` that meet `where` (a condition on `e`)."""
        keys = keys or (PAIR_KEYS if self.pairs else ALL_KEYS)
        dims = "".join(f", {d}" for d in self.dims)
        if where != "TRUE":  # filtered first, so that a date filter prunes the scan before the lists are unnested
            chosen = f"(SELECT * FROM {events} e WHERE {where})"
            relations = f"(SELECT * FROM {relations} WHERE event_id IN (SELECT e.id FROM {events} e WHERE {where}))"
            events = chosen
        source = self.source.format(events=events, relations=relations, keys=keys)
        measures = ", ".join(f"{sql} AS {name}" for sql, name in self.measures)
        return f"SELECT {self.bucket} AS bucket, f.k AS fk, f.v AS fv{dims}, {measures} FROM {source} GROUP BY ALL"

    @property
    def columns(self) -> tuple[str, ...]:
        return ("bucket", "fk", "fv", *self.dims, *(name for _, name in self.measures))


ROLLUPS = {r.name: r for r in (
    Rollup("rollup_totals", (), "{events} e, unnest({keys}) AS u(f)",
           (("count(*)", "events"), ("sum(coalesce(e.n_sources, 0))", "sources")), bucket="e.date", pairs=True),
    Rollup("rollup_themes", ("theme",), "{events} e, unnest({keys}) AS u(f), unnest(e.themes) AS w(theme)", pairs=True),
    Rollup("rollup_countries", ("country",), "{events} e, unnest({keys}) AS u(f), unnest(e.countries) AS w(country)",
           pairs=True),
    Rollup("rollup_theme_country", ("theme", "country"),
           "{events} e, unnest({keys}) AS u(f), unnest(e.themes) AS w(theme), unnest(e.countries) AS x(country)"),
    Rollup("rollup_orgs", ("org",), "{events} e, unnest({keys}) AS u(f), unnest(e.orgs) AS w(org)", pairs=True),
    Rollup("rollup_pairs", ("source", "target", "type"), PAIRS + " r JOIN {events} e ON e.id = r.event_id, unnest({keys}) AS u(f)"),
    Rollup("rollup_pair_themes", ("a", "b", "theme"),
           UNORDERED + " r JOIN {events} e ON e.id = r.event_id, unnest({keys}) AS u(f), unnest(e.themes) AS w(theme)"),
    Rollup("rollup_sides", ("country", "other", "type", "direction"),
           SIDES + " r JOIN {events} e ON e.id = r.event_id, unnest({keys}) AS u(f)", pairs=True),
)}
ORG_LABELS = "org_labels"
TYPES = {"bucket": "DATE", "events": "BIGINT", "sources": "BIGINT"}


def create_sql() -> str:
    tables = []
    for r in ROLLUPS.values():
        columns = ", ".join(f"{c} {TYPES.get(c, 'VARCHAR')}" for c in r.columns)
        tables.append(f"CREATE TABLE IF NOT EXISTS {r.name} ({columns});")
    return "\n".join([*tables, f"CREATE TABLE IF NOT EXISTS {ORG_LABELS} (org VARCHAR, label VARCHAR);"])


ORG_LABELS_BODY = "SELECT value AS org, min(label) AS label FROM {tags} WHERE kind = 'org' GROUP BY value"


def active(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this store's (or lake's) rollups are built and current."""
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = ?", [META_KEY]).fetchall()  # whole: no result left open
    except duckdb.CatalogException:
        return False
    return bool(rows and rows[0][0] == VERSION)


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Build every rollup from the events (inside the caller's transaction)."""
    con.execute(create_sql())
    for r in ROLLUPS.values():
        con.execute(f"DELETE FROM {r.name}")
        # in filter-key order: a view reads the row groups of its one key (zone maps skip the others)
        con.execute(f"INSERT INTO {r.name} SELECT * FROM ({r.body()}) ORDER BY fk, fv, bucket")
    con.execute(f"DELETE FROM {ORG_LABELS}")
    con.execute(f"INSERT INTO {ORG_LABELS} {ORG_LABELS_BODY.format(tags='tags')}")
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [META_KEY, VERSION])


OLD, NEW = "_rollup_old", "_rollup_new"


def capture(con: duckdb.DuckDBPyConnection, ids: list[str], which: str = OLD, append: bool = False) -> None:
    """Keep a copy of the rows of events `ids` (and their relations) before they are deleted
    (`OLD`; `append` adds to the copy) or after they are written (`NEW`), for `update`."""
    selects = {"events": "SELECT * FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))",
               "relations": "SELECT * FROM relations WHERE event_id IN (SELECT unnest(?::VARCHAR[]))"}
    if which == OLD:  # the organizations the old rows named, whose names may change with them
        selects["orgs"] = "SELECT DISTINCT value FROM tags WHERE kind = 'org' AND event_id IN (SELECT unnest(?::VARCHAR[]))"
    for table, rows in selects.items():
        if append:
            con.execute(f"INSERT INTO {which}_{table} {rows}", [ids])
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {which}_{table} AS {rows}", [ids])


def update(con: duckdb.DuckDBPyConnection, new_ids: list[str]) -> None:
    """Bring the rollups up to date after a write: subtract what the captured old rows counted, add
    what the new rows count, in the buckets they touch (inside the caller's transaction)."""
    capture(con, new_ids, NEW)
    for r in ROLLUPS.values():
        keys = ", ".join(c for c in r.columns if c not in ("events", "sources"))
        sums = ", ".join(f"sum({m}) AS {m}" for m in r.columns if m in ("events", "sources"))
        negated = ", ".join(f"-{c}" if c in ("events", "sources") else c for c in r.columns)
        delta = (f"SELECT {negated} FROM ({r.body(OLD + '_events', OLD + '_relations')}) UNION ALL "
                 f"{r.body(NEW + '_events', NEW + '_relations')}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _rollup_delta AS {delta}")
        touched = "(SELECT DISTINCT bucket FROM _rollup_delta)"
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _rollup_merged AS
                        SELECT {keys}, {sums} FROM (SELECT * FROM {r.name} WHERE bucket IN {touched}
                                                    OR (bucket IS NULL AND EXISTS (SELECT 1 FROM _rollup_delta WHERE bucket IS NULL))
                                                    UNION ALL SELECT * FROM _rollup_delta)
                        GROUP BY ALL HAVING sum(events) <> 0""")
        con.execute(f"DELETE FROM {r.name} WHERE bucket IN {touched} "
                    "OR (bucket IS NULL AND EXISTS (SELECT 1 FROM _rollup_delta WHERE bucket IS NULL))")
        con.execute(f"INSERT INTO {r.name} BY NAME SELECT * FROM _rollup_merged")
    # the names of the organizations these events name or named (tags and mentions): taken again from the tags
    touched = (f"(SELECT value FROM {OLD}_orgs UNION SELECT value FROM tags WHERE kind = 'org' "
               f"AND event_id IN (SELECT id FROM {NEW}_events))")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rollup_orgs AS {touched}")
    con.execute(f"DELETE FROM {ORG_LABELS} WHERE org IN (SELECT value FROM _rollup_orgs)")
    con.execute(f"INSERT INTO {ORG_LABELS} SELECT value, min(label) FROM tags WHERE kind = 'org' "
                "AND value IN (SELECT value FROM _rollup_orgs) GROUP BY value")
    # on an error the caller rolls back and these temporary tables go with its connection
    for table in (f"{OLD}_events", f"{OLD}_relations", f"{OLD}_orgs", f"{NEW}_events", f"{NEW}_relations", "_rollup_delta",
                  "_rollup_merged", "_rollup_orgs"):
        con.execute(f"DROP TABLE IF EXISTS {table}")


# -- reading ---------------------------------------------------------------------------------------

def key(f: View) -> tuple[str, str] | None:
    """The filter key that answers `f` from the rollups, or None when `f` needs the events
    (a text search, organizations, instruments, stages, relations, or more than one theme or
    country). One theme and one country together give the key ('tc', 'theme|code'), which only
    the rollups made with `pairs` hold."""
    if f.q.strip() or f.orgs or f.instruments or f.stages or f.actors or f.targets or f.rels:
        return None
    if len(f.themes) > 1 or len(f.countries) > 1:
        return None
    if f.themes and f.countries:
        return "tc", f"{f.themes[0]}|{f.countries[0]}"
    if f.themes:
        return "theme", f.themes[0]
    if f.countries:
        return "country", f.countries[0]
    return "", ""


def _literal(value: str) -> str:
    """A SQL string literal (quotes doubled)."""
    return "'" + value.replace("'", "''") + "'::VARCHAR"


def _month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


Span = tuple[dt.date, dt.date] | None


def span(con: duckdb.DuckDBPyConnection) -> Span:
    """The first and last date of any event (from the daily totals), or None when none is dated."""
    found = con.execute("SELECT min(bucket), max(bucket) FROM rollup_totals WHERE fk = '' AND fv = ''").fetchall()
    return (found[0][0], found[0][1]) if found and found[0][0] is not None else None


def _whole(start: dt.date | None, end: dt.date | None,
           dated: Span = None) -> tuple[dt.date | None, dt.date | None, list[tuple[dt.date, dt.date]]]:
    """The first and last whole month (bucket) inside [start, end] (None: unbounded), and the day
    ranges the filter cuts out of months; lo > hi when no whole month lies inside. With `dated`
    (the first and last event dates), a filter that starts on or before the first event counts
    from the first of its month, and one that ends on or after the last event to the end of its
    month: the days added hold no event, so the month is whole and needs no read of its days."""
    if dated and start and dated[0] >= start:
        start = start.replace(day=1)
    if dated and end and dated[1] <= end:
        end = _next_month(end) - dt.timedelta(days=1)
    lo = None if start is None else start if start.day == 1 else _next_month(start)
    hi = None if end is None else end.replace(day=1) if _month_end(end) else end.replace(day=1) - dt.timedelta(days=1)
    if lo and hi and lo > hi:
        return lo, hi, [(start, end)]  # type: ignore[list-item]
    edges: list[tuple[dt.date, dt.date]] = []
    if start and lo and start < lo:
        edges.append((start, lo - dt.timedelta(days=1)))
    if end and hi and end > _next_month(hi) - dt.timedelta(days=1):
        edges.append((_next_month(hi), end))
    return lo, hi, edges


def edge_days(f: View, dated: Span = None) -> list[tuple[dt.date, dt.date]]:
    """The day ranges of months that the view's date filter cuts (read from the events)."""
    if f.start and f.end and f.end < f.start:
        return []
    return _whole(f.start, f.end, dated)[2]


def rows(f: View, name: str, relations: str = "relations", dated: Span = None) -> tuple[str, list[Any]] | None:
    """SQL (and parameters) of the rollup `name`'s rows for the view `f` (columns as in the rollup
    table), or None when `f` cannot be answered from the rollups. Whole buckets come from the
    rollup; the days of a month that the date filter cuts come from the events (and their
    relations from `relations`: the table, or any subset holding those of the cut days). `dated`
    (`span`) spares reading the days of the first and last months when the filter covers them."""
    found = key(f)
    if found is None:
        return None
    fk, fv = found
    r = ROLLUPS[name]
    if fk == "tc" and not r.pairs:
        return None
    start, end = f.start, f.end
    if start and end and end < start:
        return f"SELECT * FROM {name} WHERE FALSE", []
    if r.bucket != MONTH:  # day buckets: always whole
        clauses: list[str] = ["fk = ?", "fv = ?"]
        params: list[Any] = [fk, fv]
        if start:
            clauses.append("bucket >= ?")
            params.append(start)
        if end:
            clauses.append("bucket <= ?")
            params.append(end)
        return f"SELECT * FROM {name} WHERE {' AND '.join(clauses)}", params
    lo, hi, edges = _whole(start, end, dated)
    parts: list[tuple[str, list[Any]]] = []
    if not (lo and hi and lo > hi):
        clauses, params = ["fk = ?", "fv = ?"], [fk, fv]
        if lo:
            clauses.append("bucket >= ?")
            params.append(lo)
        if hi:
            clauses.append("bucket <= ?")
            params.append(hi)
        parts.append((f"SELECT * FROM {name} WHERE {' AND '.join(clauses)}", params))
    for a, b in edges:  # literals, not parameters: the condition appears once or more depending on the rollup
        value = _literal(fv)
        where = f"e.date BETWEEN DATE '{a.isoformat()}' AND DATE '{b.isoformat()}'"
        if fk == "tc":
            theme, country = fv.split("|", 1)
            where += f" AND list_contains(e.themes, {_literal(theme)}) AND list_contains(e.countries, {_literal(country)})"
        else:
            where += {"theme": f" AND list_contains(e.themes, {value})", "country": f" AND list_contains(e.countries, {value})",
                      "": ""}[fk]
        keys = "[{'k': " + _literal(fk) + ", 'v': " + value + "}]"
        parts.append((f"SELECT * FROM ({r.body(relations=relations, keys=keys, where=where)})", []))
    return " UNION ALL ".join(f"({sql})" for sql, _ in parts), [p for _, ps in parts for p in ps]

