"""One unit of work for every runner: an Arrow table of articles in, Arrow tables of events out.

`tag_nested(articles)` tags a table of articles (`id, date, title, text, url, source`; only `text`
and `date` must be filled) with one Tagger per process and returns one row per event: the
columns of the store's events table plus the event's sources, tags, evidence and relations as
lists of structs. `split(nested)` turns that into the five lake tables (events, sources, tags,
evidence, relations) and `tag_tables(articles)` does both. The CLI's `tag-shards` pool and the
Spark job (`core.spark_job`, through `mapInArrow`) call the same function, so the three runners
give the same events, with the same deterministic ids as `geotech ingest`.

Rows that cannot become an article (no text, a bad date) are returned in a `problems` table that
names the row; the other rows are still tagged. Merging several articles about one happening into
one event is the store's work (`geotech ingest`, or `geotech lake import` then ingest); a lake
holds one event per article.
"""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

import pyarrow as pa

from core.ingest.records import Problem, make_article, parse_date
from core.models import Article, Event
from core.normalize import normalize
from core.store import TABLE_COLUMNS, content_hash, event_rows

ARTICLE_COLUMNS = ("id", "date", "title", "text", "url", "source")
PARTITION = (("year", pa.int16()), ("month", pa.int8()))
"""The lake's partition columns: an event's year and month (0 and 0 for an undated event)."""

_TYPES: dict[str, pa.DataType] = {
    "date": pa.date32(), "published": pa.date32(), "scheduled": pa.bool_(), "curated": pa.bool_(), "tagged": pa.bool_(),
    "score": pa.float64(), "n_sources": pa.int32(), "updated_at": pa.timestamp("us"),
    "themes": pa.list_(pa.string()), "countries": pa.list_(pa.string()), "orgs": pa.list_(pa.string()),
    "org_names": pa.list_(pa.string()), "title_words": pa.list_(pa.string()), "text_words": pa.list_(pa.string()),
}
CHILD_TABLES = ("sources", "tags", "evidence", "relations")
LAKE_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": TABLE_COLUMNS["events"],
    "sources": TABLE_COLUMNS["sources"],
    "tags": tuple(c for c in TABLE_COLUMNS["tags"] if c != "evidence"),  # the evidence is most of the bytes: its own table
    "evidence": ("event_id", "kind", "value", "evidence"),
    "relations": TABLE_COLUMNS["relations"],
}


def _schema(columns: tuple[str, ...]) -> pa.Schema:
    return pa.schema([(c, _TYPES.get(c, pa.string())) for c in columns])


LAKE_SCHEMAS: dict[str, pa.Schema] = {
    table: pa.schema([*_schema(columns), *(pa.field(n, t) for n, t in PARTITION)]) for table, columns in LAKE_COLUMNS.items()
}
"""Each lake table's columns with the partition columns last (as written before partitioning)."""
PROBLEM_SCHEMA = pa.schema([("row", pa.int64()), ("id", pa.string()), ("reason", pa.string())])
NESTED_SCHEMA = pa.schema([
    *LAKE_SCHEMAS["events"],
    *(pa.field(table, pa.list_(pa.struct(list(_schema(tuple(c for c in LAKE_COLUMNS[table] if c != "event_id"))))))
      for table in CHILD_TABLES),
    pa.field("problem", pa.string()),
])
"""One row per input row: the event's columns, its child rows as lists of structs, and `problem`
(why the row gave no event, else null; its event columns are then null)."""

_TAGGER: Any = None


def worker_tagger() -> Any:
    """The process's Tagger, loaded on first use (a forked or Spark Python worker loads it once)."""
    global _TAGGER
    if _TAGGER is None:
        from core.tagging.tagger import Tagger

        _TAGGER = Tagger()
        gc.freeze()  # the lexicon lives as long as the process: keep the collector off it
    return _TAGGER


def written_at(event: Event) -> dt.datetime | None:
    """The `updated_at` of a lake row: midnight of the event's date, so re-running over the same
    input writes the same rows (the store's own writes use the time of writing)."""
    return dt.datetime.combine(event.date, dt.time()) if event.date else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def article_of(row: dict[str, Any], n: int) -> Article | Problem:
    """One input row as an Article, as `geotech ingest` reads a line of JSON Lines, or a Problem."""
    text = _text(row.get("text")).strip()
    label = str(row.get("id") or f"row {n}")
    if not text:
        return Problem(label, "field `text` is missing or empty", n)
    raw = row.get("date")
    try:
        if isinstance(raw, dt.datetime):
            published: dt.date | None = raw.date()
        elif isinstance(raw, dt.date):
            published = raw
        elif raw is None or raw == "":
            return Problem(label, "field `date` is missing", n)
        else:
            published = parse_date(str(raw))
    except ValueError as exc:
        return Problem(label, f"field `date`: {exc}", n)
    ident = row.get("id")
    return make_article(text, published, title=_text(row.get("title")).strip(), url=row.get("url"),
                        source=_text(row.get("source")).strip(), id=str(ident).strip() or None if ident is not None else None)


def _partition(day: dt.date | None) -> tuple[int, int]:
    return (day.year, day.month) if day else (0, 0)


def tag_nested(articles: pa.Table | pa.RecordBatch, evidence: bool = True) -> pa.Table:
    """Tag a table of articles: one row per input row in NESTED_SCHEMA (see the module's doc)."""
    tagger = worker_tagger()
    present = [c for c in ARTICLE_COLUMNS if c in articles.schema.names]
    if "text" not in present:
        raise ValueError("the articles have no `text` column; expected columns id, date, title, text, url, source")
    rows: list[dict[str, Any]] = []
    empty = {name: None for name in NESTED_SCHEMA.names}
    for n, row in enumerate(articles.select(present).to_pylist(), start=1):
        item = article_of(row, n)
        if isinstance(item, Problem):
            rows.append({**empty, "problem": item.reason, "id": str(row.get("id") or "") or None})
            continue
        event = normalize(item, tagger)
        tables = event_rows([(event, content_hash(event))], written_at)
        out = dict(zip(LAKE_COLUMNS["events"], tables["events"][0], strict=True))
        out["year"], out["month"] = _partition(event.date)
        out["sources"] = [dict(zip(LAKE_COLUMNS["sources"][1:], r[1:], strict=True)) for r in tables["sources"]]
        out["tags"] = [dict(zip(LAKE_COLUMNS["tags"][1:], r[1:-1], strict=True)) for r in tables["tags"]]
        out["evidence"] = [{"kind": r[1], "value": r[2], "evidence": r[-1]} for r in tables["tags"]] if evidence else []
        out["relations"] = [dict(zip(LAKE_COLUMNS["relations"][1:], r[1:], strict=True)) for r in tables["relations"]]
        out["problem"] = None
        rows.append(out)
    return pa.Table.from_pylist(rows, schema=NESTED_SCHEMA)


def split(nested: pa.Table) -> dict[str, pa.Table]:
    """The lake tables (events, sources, tags, evidence, relations, each with year and month) and
    `problems` (row, id, reason) of a nested table."""
    ok = [r for r in nested.to_pylist() if r["problem"] is None]
    out: dict[str, pa.Table] = {
        "events": pa.Table.from_pylist([{c: r[c] for c in LAKE_SCHEMAS["events"].names} for r in ok], schema=LAKE_SCHEMAS["events"]),
    }
    for table in CHILD_TABLES:
        out[table] = pa.Table.from_pylist(
            [{"event_id": r["id"], **child, "year": r["year"], "month": r["month"]} for r in ok for child in r[table]],
            schema=LAKE_SCHEMAS[table])
    out["problems"] = pa.Table.from_pylist(
        [{"row": n, "id": r["id"], "reason": r["problem"]} for n, r in enumerate(nested.to_pylist(), start=1) if r["problem"]],
        schema=PROBLEM_SCHEMA)
    return out


def tag_tables(articles: pa.Table | pa.RecordBatch, evidence: bool = True) -> dict[str, pa.Table]:
    """`split(tag_nested(articles))`: the lake tables of a table of articles, and its problems."""
    return split(tag_nested(articles, evidence))
