"""The embedded event store: one DuckDB file.

Tables: events (one row per event, with theme/country/organization lists for fast
filters), sources, tags (every tag and passing mention with its evidence as JSON),
relations, issues (problems recorded during ingest). Writes happen in one transaction
per batch, so a failure leaves the store as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from core import rollups
from core.clock import naive_utc
from core.errors import StoreError, one_line
from core.merge import DAYS, TEXT_SIMILARITY, TITLE_SIMILARITY, event_words
from core.models import Event, Evidence, Instrument, Relation, SourceRef, Tag
from core.primary import DEADLINES, PrimaryDocument, deadline_id

STORE_ENV = "GEOTECH_STORE"
SCHEMA_VERSION = "6"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    date DATE,
    date_precision VARCHAR,
    scheduled BOOLEAN,
    title VARCHAR,
    summary VARCHAR,
    text VARCHAR,
    themes VARCHAR[],
    countries VARCHAR[],
    orgs VARCHAR[],
    org_names VARCHAR[],
    content_hash VARCHAR,
    updated_at TIMESTAMP,
    n_sources INTEGER,
    curated BOOLEAN,
    instrument_id VARCHAR,
    instrument_name VARCHAR,
    stage VARCHAR,
    title_words VARCHAR[],
    text_words VARCHAR[],
    date_kind VARCHAR
);
CREATE TABLE IF NOT EXISTS sources (
    event_id VARCHAR, article_id VARCHAR, url VARCHAR, name VARCHAR, title VARCHAR, published DATE,
    PRIMARY KEY (event_id, article_id)
);
CREATE TABLE IF NOT EXISTS tags (
    event_id VARCHAR, kind VARCHAR, value VARCHAR, label VARCHAR, score DOUBLE, tagged BOOLEAN,
    reason VARCHAR, evidence VARCHAR
);
CREATE TABLE IF NOT EXISTS relations (
    event_id VARCHAR, source VARCHAR, target VARCHAR, type VARCHAR, evidence VARCHAR
);
CREATE TABLE IF NOT EXISTS issues (
    run_at TIMESTAMP, source VARCHAR, line INTEGER, severity VARCHAR, reason VARCHAR
);
CREATE TABLE IF NOT EXISTS runs (
    source VARCHAR, kind VARCHAR, started TIMESTAMP, finished TIMESTAMP, status VARCHAR,
    articles INTEGER, new INTEGER, updated INTEGER, unchanged INTEGER, warnings INTEGER, errors INTEGER, message VARCHAR,
    failure_kind VARCHAR
);
CREATE TABLE IF NOT EXISTS event_documents (event_id VARCHAR, document_number VARCHAR, PRIMARY KEY (event_id, document_number));
CREATE TABLE IF NOT EXISTS documents (
    document_number VARCHAR PRIMARY KEY, title VARCHAR, type VARCHAR, url VARCHAR, agencies VARCHAR[],
    publication_date DATE, effective_on DATE, comments_close_on DATE
);
"""
SCHEMA += rollups.create_sql()


def store_file() -> Path:
    """The store file: GEOTECH_STORE if set, else the user's data folder (never inside the source
    tree). What the app and the CLI read is `core.location.default_store_path` (a lake, if one is set)."""
    if os.environ.get(STORE_ENV):
        return Path(os.environ[STORE_ENV]).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "geotech-radar" / "events.duckdb"


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list[str] = field(default_factory=list)


def content_hash(event: Event) -> str:
    """A hash of the event's content that does not depend on the order of its tags, sources or relations."""
    data = event.model_dump(mode="json")
    if data["date_kind"] is None:  # hashes of events without a date kind stay as they were before the field
        del data["date_kind"]
    data["tags"] = sorted(data["tags"], key=lambda t: (t["kind"], t["value"]))
    data["sources"] = sorted(data["sources"], key=lambda s: s["article_id"])
    data["relations"] = sorted(data["relations"], key=lambda r: (r["source"], r["target"], r["type"]))
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def _evidence_json(items: Iterable) -> str:
    return json.dumps([e.model_dump() for e in items], ensure_ascii=False)


# Locking. DuckDB lets one process write a file, and within a process every connection to a
# file must use the same configuration (read-only or read-write). The dashboard reads with
# short read-only connections from many threads while the background refresh writes, so every
# connection made by `connect` takes the file's in-process lock: readers share it, a writer holds
# it alone, and a waiting writer goes before new readers. Another process holding the file (the
# CLI writing while the app reads) is waited for briefly, then reported as a StoreError.
LOCK_WAIT_SECONDS = 60.0
PROCESS_LOCK_WAIT_SECONDS = 20.0  # another process holding the file (a batch of an ingest) is waited for this long
WRITER_WAIT_SECONDS = 600.0  # a second writer waits this long for the first (`geotech ingest --wait`)


class StoreLock:
    """A readers-writer lock for one store file, reentrant within a thread, writers first."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers: dict[int, int] = {}
        self._writer: int | None = None
        self._depth = 0  # the writer's nested holds (a read inside a write counts here)
        self._waiting_writers = 0

    @contextmanager
    def hold(self, *, write: bool, timeout: float = LOCK_WAIT_SECONDS, what: str = "the store") -> Iterator[str]:
        """Hold the lock to read (shared) or write (alone); yields "read", "write" or "nested" (this
        thread already writes); StoreError after `timeout` seconds."""
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
                kind = "nested"
            elif write:
                if me in self._readers:
                    raise StoreError(f"cannot write to {what} while this thread is reading it")
                self._waiting_writers += 1
                try:
                    if not self._cond.wait_for(lambda: self._writer is None and not self._readers, timeout):
                        raise StoreError(f"{what} is busy: a read did not finish within {timeout:.0f} s")
                finally:
                    self._waiting_writers -= 1
                    self._cond.notify_all()  # readers held back for this writer may go on
                self._writer, self._depth, kind = me, 1, "write"
            else:
                if me not in self._readers and not self._cond.wait_for(
                        lambda: self._writer is None and not self._waiting_writers, timeout):
                    raise StoreError(f"{what} is busy: a write did not finish within {timeout:.0f} s")
                self._readers[me] = self._readers.get(me, 0) + 1
                kind = "read"
        try:
            yield kind
        finally:
            with self._cond:
                if kind == "read":
                    self._readers[me] -= 1
                    if not self._readers[me]:
                        del self._readers[me]
                else:
                    self._depth -= 1
                    if not self._depth:
                        self._writer = None
                self._cond.notify_all()


@contextmanager
def writer_lock(path: Path, wait: float = WRITER_WAIT_SECONDS, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """One writer at a time across processes: an advisory lock on `<store>.lock` held while a writer
    reads what it merges with and writes the result, so two ingests of one story from two URLs
    cannot both miss each other. A second writer waits (saying so once through `on_wait`) up to
    `wait` seconds, then gets a StoreError. Readers never take it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: DuckDB's own file lock still keeps writes apart
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a+b") as handle:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"another program is still writing to the store at {path} after {wait:.0f} s; "
                                     "try again when it has finished (or give `--wait` more seconds)") from None
                if on_wait and not told:
                    on_wait(f"waiting for another program that is writing to the store at {path} ...")
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_LOCKS: dict[str, StoreLock] = {}
_LOCKS_GUARD = threading.Lock()


def store_lock(path: Path) -> StoreLock:
    """The in-process lock of the store file at `path` (one per file)."""
    key = os.path.realpath(path)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, StoreLock())


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, waiting up to PROCESS_LOCK_WAIT_SECONDS while another process holds the file."""
    deadline, pause = time.monotonic() + PROCESS_LOCK_WAIT_SECONDS, 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


@contextmanager
def connect(path: Path | None = None, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the store under its in-process lock; the schema is created, or brought up to
    date, before the first read or write. Database errors come out as StoreError."""
    path = path or store_file()
    if read_only:
        _ensure_current(path)
    # A read inside this thread's own write ("nested") must use the write connection's configuration.
    with store_lock(path).hold(write=not read_only, what=f"the store at {path}") as kind, \
            _connection(path, read_only and kind != "nested") as con:
        yield con


_CURRENT: set[tuple[str, float]] = set()  # (file, modification time) known to be at SCHEMA_VERSION
_CURRENT_GUARD = threading.Lock()


def _ensure_current(path: Path) -> None:
    """Before a read: migrate a store written by an earlier version (one short write), refuse a newer one."""
    try:
        key = (os.path.realpath(path), path.stat().st_mtime)
    except OSError:
        return  # opening it reports the problem
    with _CURRENT_GUARD:
        if key in _CURRENT:
            return
    with store_lock(path).hold(write=False, what=f"the store at {path}") as kind, \
            _connection(path, read_only=kind != "nested") as con:
        version = _version(con)
        _check_ours(con, version, path)
        damage = integrity(con, path)
    if damage:
        raise StoreError(f"the store at {path} is damaged ({damage}); nothing was changed. Move the file aside and "
                         "run `geotech ingest seeds/` (the app rebuilds a missing store from seeds/ on its next start)")
    if version != SCHEMA_VERSION:
        _check_version(version, path)
        with connect(path, read_only=False):  # migrates
            pass
    with _CURRENT_GUARD:
        _CURRENT.add((os.path.realpath(path), path.stat().st_mtime))


def _version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()  # whole: no result left open
    except duckdb.CatalogException:  # no meta table: an empty file, or not written by GeoTech Radar yet
        return None
    return str(rows[0][0]) if rows else None


FULL_CHECK_BYTES = 256 * 1024 * 1024  # a store up to this size is read whole once when opened


def integrity(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """What is wrong with the store file, or None: a file shorter than the blocks DuckDB says it holds
    (cut off), and, for stores up to FULL_CHECK_BYTES, any block that fails to read back (DuckDB checks
    each block's checksum as it reads)."""
    try:
        row = con.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
        size = path.stat().st_size
        settled = not Path(f"{path}.wal").exists()  # with a write-ahead log, blocks may still live only there
        if row and settled and size < int(row[0]) * int(row[1]):
            return f"the file is {size:,} bytes, shorter than the {int(row[0]) * int(row[1]):,} its blocks need: it was cut off"
        if size <= FULL_CHECK_BYTES:
            for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                                        ).fetchall():
                con.execute(f'SELECT * FROM "{table}"').fetchall()
    except (duckdb.Error, OSError) as exc:
        return one_line(str(exc), 200)
    return None


def _check_ours(con: duckdb.DuckDBPyConnection, version: str | None, path: Path) -> None:
    """StoreError for a DuckDB file that another program made (tables, none of them ours), and for a
    schema version this program does not know; neither is ever written to."""
    if version is None:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
                                            ).fetchall()]
        if tables and "events" not in tables:
            raise StoreError(f"{path} is not a GeoTech Radar store (it holds other tables: {', '.join(sorted(tables)[:5])}); "
                             "it was left as it is. Point GEOTECH_STORE (or --store) at another file")
    _check_version(version, path)


def _check_version(version: str | None, path: Path) -> None:
    if version is not None and not version.isdigit():
        raise StoreError(f"the store at {path} has an unknown schema version {version[:20]!r}; it was left as it is. "
                         "Use another store file, or move this one aside and run `geotech ingest seeds/`")
    if version is not None and version.isdigit() and int(version) > int(SCHEMA_VERSION):
        raise StoreError(f"the store at {path} was written by a newer version of GeoTech Radar (schema {version}, "
                         f"this version reads {SCHEMA_VERSION}); upgrade GeoTech Radar or use another store")


@contextmanager
def _connection(path: Path, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        con = _open(path, read_only)
    except (duckdb.Error, OSError) as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc
    try:
        if not read_only:
            _refuse_lake(con)
            _check_ours(con, _version(con), path)
            con.execute(SCHEMA)
            _migrate(con, path)
            if not rollups.active(con):  # a store written before the rollups, or by a version with other ones
                con.execute("BEGIN TRANSACTION")
                rollups.rebuild(con)
                con.execute("COMMIT")
        yield con
    except duckdb.Error as exc:
        raise StoreError(f"the store at {path} failed: {exc}. If the file is damaged, move it aside and run "
                         "`geotech ingest seeds/` to build a new one") from exc
    finally:
        con.close()


def _refuse_lake(con: duckdb.DuckDBPyConnection) -> None:
    """A lake's catalog is read, never written: StoreError naming what to do instead."""
    rows = con.execute("SELECT value FROM meta WHERE key = 'lake'").fetchall() if con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta' AND database_name = current_database()").fetchall()[0][0] else []
    if rows:
        raise StoreError(f"this is the catalog of the Parquet lake {rows[0][0]} (GEOTECH_LAKE), which is read, never written; "
                         "add events with `geotech tag-shards` or `geotech spark-tag` and `geotech lake merge`, or unset "
                         "GEOTECH_LAKE to work with a store file")


def _migrate(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Bring a store written by an earlier version up to SCHEMA_VERSION, keeping its data."""
    version = _version(con)
    if version == SCHEMA_VERSION:
        return
    _check_version(version, path)
    # version 2: events.n_sources, so counting sources needs no join
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS n_sources INTEGER")
    con.execute("UPDATE events SET n_sources = (SELECT count(*) FROM sources s WHERE s.event_id = events.id) "
                "WHERE n_sources IS NULL")
    # version 3: curated events, and the instrument and stage of a policy act
    for column, kind in (("curated", "BOOLEAN"), ("instrument_id", "VARCHAR"), ("instrument_name", "VARCHAR"),
                         ("stage", "VARCHAR")):
        con.execute(f"ALTER TABLE events ADD COLUMN IF NOT EXISTS {column} {kind}")
    con.execute("UPDATE events SET curated = starts_with(id, 'tl-') WHERE curated IS NULL")
    # version 4: the words that merging compares (left NULL on older rows: such a row is a candidate
    # whenever its date and countries fit, as before)
    for column in ("title_words", "text_words"):
        con.execute(f"ALTER TABLE events ADD COLUMN IF NOT EXISTS {column} VARCHAR[]")
    # version 5: what a dated record's date is, and why a run failed, as fields; the rules' dated
    # records get their kind from the documents they came from (older runs keep no failure kind)
    con.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS date_kind VARCHAR")
    con.execute("ALTER TABLE runs ADD COLUMN IF NOT EXISTS failure_kind VARCHAR")
    kinds = [(deadline_id(number, kind), kind) for field, _, kind in DEADLINES
             for (number,) in con.execute(f"SELECT document_number FROM documents WHERE {field} IS NOT NULL").fetchall()]
    if kinds:
        con.execute("UPDATE events SET date_kind = k.kind FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS kind) k "
                    "WHERE events.id = k.id", [[i for i, _ in kinds], [k for _, k in kinds]])
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


class Store:
    """Idempotent writes of events into the DuckDB file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or store_file()

    def record_run(self, run: dict[str, object]) -> None:
        """One row of the runs table (a source's last fetch or an ingest), for the Data health page."""
        columns = ("source", "kind", "started", "finished", "status", "articles", "new", "updated", "unchanged",
                   "warnings", "errors", "message", "failure_kind")
        with connect(self.path) as con:
            con.execute(f"INSERT INTO runs ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        [run.get(c) for c in columns])

    def save_documents(self, documents: Iterable[PrimaryDocument], links: Iterable[tuple[str, str]] = ()) -> None:
        """Store primary documents (replacing older copies) and event -> document links, in one transaction."""
        with connect(self.path) as con:
            try:
                con.execute("BEGIN TRANSACTION")
                for d in documents:
                    con.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                [d.document_number, d.title, d.type, d.url, list(d.agencies), d.publication_date,
                                 d.effective_on, d.comments_close_on])
                for event_id, number in links:
                    con.execute("INSERT OR IGNORE INTO event_documents VALUES (?, ?)", [event_id, number])
                con.execute("COMMIT")
            except Exception as exc:
                con.execute("ROLLBACK")
                raise StoreError(f"writing documents to {self.path} failed, nothing was changed: {exc}") from exc

    def documents(self) -> list[PrimaryDocument]:
        if not self.path.exists():
            return []
        with connect(self.path) as con:
            rows = con.execute("SELECT document_number, title, type, url, agencies, publication_date, effective_on, "
                               "comments_close_on FROM documents").fetchall()
        return [PrimaryDocument(n, t, ty, u, tuple(a or ()), p, e, c) for n, t, ty, u, a, p, e, c in rows]

    def upsert(self, events: Iterable[Event], issues: Iterable[tuple[str, int | None, str, str]] = (),
               remove: Iterable[str] = ()) -> UpsertCounts:
        """Insert new events, replace changed ones, skip identical ones, delete the `remove` ids (events
        merged into another); all or nothing."""
        counts = UpsertCounts()
        now = naive_utc()
        with connect(self.path) as con:
            try:
                con.execute("BEGIN TRANSACTION")
                gone = list(remove)
                rollups.capture(con, gone)
                if gone:
                    _delete(con, gone)
                batch = list(events)
                known = dict(con.execute("SELECT id, content_hash FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                                         [[e.id for e in batch]]).fetchall())
                pending: dict[str, tuple[Event, str]] = {}  # a later copy of an id in the batch wins
                for event in batch:
                    digest = content_hash(event)
                    if event.id in pending:
                        pending[event.id] = (event, digest)
                    elif known.get(event.id) == digest:
                        counts.unchanged += 1
                    else:
                        counts.updated += event.id in known
                        counts.new += event.id not in known
                        pending[event.id] = (event, digest)
                        counts.ids.append(event.id)
                replaced = [i for i in pending if i in known]
                rollups.capture(con, replaced, append=True)
                _delete(con, replaced)
                _insert_many(con, list(pending.values()), now)
                rollups.update(con, list(pending))
                for source, line, severity, reason in issues:
                    con.execute("INSERT INTO issues VALUES (?, ?, ?, ?, ?)", [now, source, line, severity, reason])
                con.execute("COMMIT")
            except Exception as exc:
                con.execute("ROLLBACK")
                raise StoreError(f"writing to {self.path} failed, nothing was changed: {exc}") from exc
        return counts

    def merge_candidates(self, events: Iterable[Event], window: int = DAYS) -> list[Event]:
        """Light copies (no tags) of the stored events that may be the same happening as one of `events`:
        those with the same id or a source article in common, and those dated within `window` days that
        share a country (or both name none) and whose titles or texts are similar enough (or that one
        previews). The test runs in SQL on the words stored with each event, so a batch reads what it
        will merge with, however dense the store is around its dates; `merge_events` then decides."""
        probes: list[list[object]] = []
        ids: list[str] = []
        articles: list[str] = []
        lo, hi = dt.date.min.toordinal() + window, dt.date.max.toordinal() - window
        for e in events:
            ids.append(e.id)
            articles.extend(s.article_id for s in e.sources)
            if e.date is None or not lo <= e.date.toordinal() <= hi:
                continue
            title_words, text_words = event_words(e)
            for k in range(-window, window + 1):
                probes.append([e.date + dt.timedelta(days=k), k == 0, list(e.countries), sorted(title_words),
                               sorted(text_words), e.scheduled, list(e.themes)])
        if not self.path.exists() or not ids:
            return []
        near = f"""
            SELECT DISTINCT e.id FROM events e JOIN (
                SELECT CAST(d AS DATE) AS d, same_day, scheduled, countries::VARCHAR[] AS countries, tw::VARCHAR[] AS tw,
                       xw::VARCHAR[] AS xw, themes::VARCHAR[] AS themes FROM probe) p ON e.date = p.d
            WHERE (CASE WHEN len(p.countries) = 0 THEN len(e.countries) = 0
                        ELSE len(list_intersect(e.countries, p.countries)) > 0 END)
              AND (e.title_words IS NULL OR e.text_words IS NULL
                   OR {_JACCARD.format(a="e.title_words", b="p.tw")} >= {TITLE_SIMILARITY}
                   OR {_JACCARD.format(a="e.text_words", b="p.xw")} >= {TEXT_SIMILARITY}
                   OR (p.same_day AND e.scheduled IS DISTINCT FROM p.scheduled
                       AND len(list_intersect(e.countries, p.countries)) >= 2
                       AND len(list_intersect(e.themes, p.themes)) > 0))
            UNION """ if probes else ""
        with connect(self.path) as con:
            if probes:
                frame = pd.DataFrame(probes, columns=["d", "same_day", "countries", "tw", "xw", "scheduled", "themes"])
                con.register("probe", frame.astype({"d": "datetime64[s]"}))
            try:
                found = [i for (i,) in con.execute(
                    near + "SELECT id FROM events WHERE id IN (SELECT unnest(?::VARCHAR[])) "
                    "UNION SELECT event_id FROM sources WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                    [ids, articles]).fetchall()]
            finally:
                if probes:
                    con.unregister("probe")
            return load_events(con, found, light=True)

    def events(self, ids: list[str]) -> list[Event]:
        """Stored events by id, whole (with tags, relations and sources)."""
        if not ids or not self.path.exists():
            return []
        with connect(self.path) as con:
            return load_events(con, ids)

    def count(self) -> int:
        if not self.path.exists():
            return 0
        with connect(self.path, read_only=True) as con:
            row = con.execute("SELECT count(*) FROM events").fetchone()
        return int(row[0]) if row else 0


def load_events(con: duckdb.DuckDBPyConnection, ids: list[str], light: bool = False) -> list[Event]:
    """Events rebuilt from the store's rows (with tags, relations and sources; `light`: sources only)."""
    if not ids:
        return []
    rows = con.execute(
        "SELECT id, date, date_precision, scheduled, title, summary, text, themes, countries, org_names, curated, "
        "instrument_id, instrument_name, stage, date_kind FROM events WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
    children: dict[str, dict[str, list]] = {i: {"tags": [], "relations": [], "sources": []} for i in ids}
    for eid, *tag in [] if light else con.execute("SELECT event_id, kind, value, label, score, tagged, reason, evidence FROM tags "
                                                  "WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall():
        kind, value, label, score, tagged, reason, evidence = tag
        children[eid]["tags"].append(Tag(kind=kind, value=value, label=label, score=score, tagged=tagged, reason=reason,
                                         evidence=tuple(Evidence(**e) for e in json.loads(evidence))))
    for eid, source, target, rtype, evidence in [] if light else con.execute(
            "SELECT event_id, source, target, type, evidence FROM relations WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids]).fetchall():
        children[eid]["relations"].append(Relation(source=source, target=target, type=rtype,
                                                   evidence=tuple(Evidence(**e) for e in json.loads(evidence))))
    for eid, aid, url, name, title, published in con.execute(
            "SELECT event_id, article_id, url, name, title, published FROM sources WHERE event_id IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY article_id <> event_id, published, article_id", [ids]).fetchall():  # the event's own article first
        children[eid]["sources"].append(SourceRef(article_id=aid, url=url, name=name, title=title, published=published))
    return [
        Event(id=i, date=d, date_precision=p, scheduled=sch, title=t, summary=su, text=tx, themes=tuple(th), countries=tuple(co),
              organizations=tuple(org), tags=tuple(children[i]["tags"]), relations=tuple(children[i]["relations"]),
              sources=tuple(children[i]["sources"]), curated=bool(cur),
              instrument=Instrument(id=iid, name=iname) if iid else None, stage=stage, date_kind=kind)
        for i, d, p, sch, t, su, tx, th, co, org, cur, iid, iname, stage, kind in rows
    ]


def _delete(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    for table, column in (("events", "id"), ("sources", "event_id"), ("tags", "event_id"), ("relations", "event_id")):
        con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?::VARCHAR[]))", [ids])


EVENT_COLUMNS = ("id", "date", "date_precision", "scheduled", "title", "summary", "text", "themes", "countries", "orgs",
                 "org_names", "content_hash", "updated_at", "n_sources", "curated", "instrument_id", "instrument_name", "stage",
                 "title_words", "text_words", "date_kind")
# word-set Jaccard similarity of two word lists in SQL, as core.merge.jaccard computes it (0 when either is empty)
_JACCARD = ("(CASE WHEN len({a}) = 0 OR len({b}) = 0 THEN 0.0 "
            "ELSE len(list_intersect({a}, {b})) / len(list_distinct(list_concat({a}, {b}))) END)")


TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": EVENT_COLUMNS,
    "sources": ("event_id", "article_id", "url", "name", "title", "published"),
    "tags": ("event_id", "kind", "value", "label", "score", "tagged", "reason", "evidence"),
    "relations": ("event_id", "source", "target", "type", "evidence"),
}
"""The columns of the tables that hold events, in order (the Parquet lake keeps the same ones)."""


def event_rows(items: Iterable[tuple[Event, str]],
               now: dt.datetime | Callable[[Event], dt.datetime | None] | None) -> dict[str, list[list[object]]]:
    """The rows of the events, sources, tags and relations tables for (event, content hash) pairs,
    in the order of TABLE_COLUMNS; `now` is the write time, or a function of the event giving it."""
    rows: dict[str, list[list[object]]] = {table: [] for table in TABLE_COLUMNS}
    for e, digest in items:
        org_ids = [t.value for t in e.tags if t.kind == "org" and t.tagged]
        rows["events"].append([
            e.id, e.date, e.date_precision, e.scheduled, e.title, e.summary, e.text, list(e.themes), list(e.countries),
            org_ids, list(e.organizations), digest, now(e) if callable(now) else now, len(e.sources), e.curated,
            e.instrument.id if e.instrument else None, e.instrument.name if e.instrument else None, e.stage,
            *(sorted(w) for w in event_words(e)), e.date_kind])
        rows["sources"].extend([e.id, s.article_id, s.url, s.name, s.title, s.published] for s in e.sources)
        rows["tags"].extend([e.id, t.kind, t.value, t.label, t.score, t.tagged, t.reason, _evidence_json(t.evidence)]
                            for t in e.tags)
        rows["relations"].extend([e.id, r.source, r.target, r.type, _evidence_json(r.evidence)] for r in e.relations)
    return rows


def _insert_many(con: duckdb.DuckDBPyConnection, items: list[tuple[Event, str]], now: dt.datetime) -> None:
    """Insert events with their sources, tags and relations, one bulk insert per table."""
    if not items:
        return
    for table, rows in event_rows(items, now).items():
        if rows:
            frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS[table]))
            con.register("incoming", frame)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
            finally:
                con.unregister("incoming")
