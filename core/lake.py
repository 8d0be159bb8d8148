"""The Parquet lake: events tagged past one machine, read by DuckDB locally or from object storage.

Layout (every table partitioned by the event's year and month, hive style; 0/0 for undated events):

    LAKE/events/year=2025/month=4/*.parquet     the store's events columns
    LAKE/sources/..., tags/..., relations/...   the store's columns of each table
    LAKE/evidence/...                           the evidence of every tag (its own table: most of the bytes)
    LAKE/rollups/<rollup>.parquet               the counts the pages read (core.rollups), built by merge
    LAKE/rollups/org_labels.parquet
    LAKE/_lake.json                             {"version": n, "rollups": v, "merged_at": ...}: n bumped by every merge, v the
                                                rollups version its files were counted with (another one: counted again)

`geotech tag-shards` and `geotech spark-tag` write the first five folders (a "batch output");
`geotech lake merge OUTPUT LAKE` folds one into a lake (idempotent: an event id is stored once,
the newest copy wins) and brings its rollups up to date; `geotech lake import LAKE` loads a lake
into a store file. With GEOTECH_LAKE set, the app and the CLI read the lake through a small local
DuckDB catalog of views (`catalog`), so every query, page, export and API route works unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from core import rollups
from core.errors import GeoTechError, StoreError, one_line

TABLES = ("events", "sources", "tags", "evidence", "relations")
MANIFEST = "_lake.json"
REMOTE = ("s3://", "s3a://", "gs://", "gcs://", "abfss://", "az://", "http://", "https://", "r2://")


class LakeError(GeoTechError):
    """A lake that cannot be read or written, with what to do."""


def is_remote(uri: str) -> bool:
    return uri.lower().startswith(REMOTE)


def _duckdb_uri(uri: str) -> str:
    """DuckDB's name for an object-storage URI (Spark's s3a:// is DuckDB's s3://)."""
    return "s3://" + uri[len("s3a://"):] if uri.lower().startswith("s3a://") else uri


def _join(uri: str, *parts: str) -> str:
    return "/".join([uri.rstrip("/"), *parts])


def _glob(uri: str, table: str) -> str:
    return _join(_duckdb_uri(uri), table, "*", "*", "*.parquet")


def _has_files(con: duckdb.DuckDBPyConnection, pattern: str) -> bool:
    """Whether any file matches `pattern`; a location that cannot be listed (no credentials, no
    network, no httpfs extension) is a LakeError that says why."""
    try:
        return bool(con.execute("SELECT count(*) FROM glob(?)", [pattern]).fetchall()[0][0])
    except duckdb.Error as exc:
        raise LakeError(f"cannot list {pattern}: {one_line(str(exc), 300)}") from exc


def _scan(uri: str, table: str) -> str:
    return f"read_parquet('{_glob(uri, table)}', hive_partitioning = true)"


def _quote(uri: str) -> None:
    if "'" in uri:
        raise LakeError(f"the lake location {uri!r} contains a quote; use a path or URI without one")


# -- writing batch output (tag-shards) --------------------------------------------------------------

def write_tables(tables: dict[str, Any], out: Path, shard: str) -> None:
    """Write one shard's lake tables (core.batch.tag_tables) under `out`, partitioned by year and
    month; files are named after the shard, so writing the same shard again replaces its files."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    from core.batch import PARTITION

    partitioning = ds.partitioning(pa.schema(list(PARTITION)), flavor="hive")
    for table in TABLES:
        data = tables.get(table)
        if data is None or data.num_rows == 0:
            continue
        ds.write_dataset(data, out / table, format="parquet", partitioning=partitioning,
                         basename_template=f"{shard}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore")
    problems = tables.get("problems")
    if problems is not None and problems.num_rows:
        (out / "problems").mkdir(parents=True, exist_ok=True)
        pq.write_table(problems, out / "problems" / f"{shard}.parquet")


@dataclass(frozen=True)
class Shard:
    path: Path
    kind: str  # parquet | jsonl
    index: int  # row group, or block of lines
    name: str
    start: int = 0  # jsonl: the byte offset of the block's first line, and the block's line count
    lines: int = 0


SHARD_LINES = 2_000


def shards(inputs: list[Path], out: Path | None = None) -> Iterator[Shard]:
    """The units of work of the inputs: each row group of a Parquet file, each block of
    SHARD_LINES lines of a JSON Lines file (folders are walked for both; a file named twice counts
    once; nothing under `out`)."""
    import pyarrow.parquet as pq

    files: dict[Path, None] = {}
    for item in inputs:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.suffix in (".parquet", ".jsonl", ".ndjson"))
        elif item.exists():
            found = [item]
        else:
            raise LakeError(f"{item}: no such file or folder")
        for path in found:
            if out is None or not path.resolve().is_relative_to(out.resolve()):
                files[path.resolve()] = None
    for path in files:
        stem = hashlib.sha256(str(path).encode()).hexdigest()[:12]  # the same file always gives the same names
        try:
            if path.suffix == ".parquet":
                for i in range(pq.ParquetFile(path).num_row_groups):
                    yield Shard(path, "parquet", i, f"{stem}-{i:05d}")
                continue
            with path.open("rb") as handle:
                offset, count, start, i = 0, 0, 0, 0
                for raw in handle:
                    count += 1
                    offset += len(raw)
                    if count == SHARD_LINES:
                        yield Shard(path, "jsonl", i, f"{stem}-{i:05d}", start, count)
                        start, count, i = offset, 0, i + 1
                if count:
                    yield Shard(path, "jsonl", i, f"{stem}-{i:05d}", start, count)
        except (OSError, ValueError) as exc:  # pyarrow's errors are ValueErrors
            raise LakeError(f"{path}: cannot be read as {'Parquet' if path.suffix == '.parquet' else 'JSON Lines'} "
                            f"({one_line(str(exc), 200)})") from exc


def _read_shard(shard: Shard) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from core.batch import ARTICLE_COLUMNS
    from core.tagoutput import load

    if shard.kind == "parquet":
        table = pq.ParquetFile(shard.path).read_row_group(shard.index)
        if "text" not in table.schema.names:
            raise LakeError(f"{shard.path}: no `text` column; articles need columns id, date, title, text, url, source")
        return table.select([c for c in ARTICLE_COLUMNS if c in table.schema.names])
    rows: list[dict[str, Any]] = []
    with shard.path.open("rb") as handle:
        handle.seek(shard.start)
        first = shard.index * SHARD_LINES + 1
        for n in range(first, first + shard.lines):
            raw = handle.readline()
            if not raw.strip():
                continue
            try:
                obj = load(raw.decode("utf-8"))
            except (ValueError, RecursionError):
                obj = None
            if not isinstance(obj, dict):  # reported as a problem row naming the line; the rest goes on
                obj = {"id": f"{shard.path.name}:{n}", "text": None}
            rows.append({c: None if obj.get(c) is None else str(obj.get(c)) for c in ARTICLE_COLUMNS})
    return pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in ARTICLE_COLUMNS]))


_OUT: Path | None = None
_EVIDENCE = True


def _tag_shard(shard: Shard) -> tuple[int, int, int]:
    from core.batch import tag_tables

    assert _OUT is not None
    try:
        tables = tag_tables(_read_shard(shard), evidence=_EVIDENCE)
        write_tables(tables, _OUT, shard.name)
    except (OSError, ValueError) as exc:  # a damaged file or row group (pyarrow's errors are ValueErrors)
        raise LakeError(f"{shard.path} ({'row group' if shard.kind == 'parquet' else 'lines from'} "
                        f"{shard.index if shard.kind == 'parquet' else shard.index * SHARD_LINES + 1}): "
                        f"{one_line(str(exc), 200)}") from exc
    return tables["events"].num_rows + tables["problems"].num_rows, tables["events"].num_rows, tables["problems"].num_rows


def tag_shards(inputs: list[Path], out: Path, jobs: int = 0, evidence: bool = True,
               progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Tag Parquet or JSON Lines files into a batch output at `out` (its tables replaced) with a
    pool of forked processes (one Tagger each), one shard at a time; returns counts and seconds.
    The first shard that fails stops the run with a LakeError naming it."""
    global _OUT, _EVIDENCE
    from core.batch import worker_tagger

    started = time.perf_counter()
    if any(out.resolve() == p.resolve() or p.resolve().is_relative_to(out.resolve()) for p in inputs):
        raise LakeError(f"the output {out} holds an input; write the batch output to another folder")
    work = list(shards(inputs, out))
    if not work:
        raise LakeError("no Parquet or JSON Lines input found in " + ", ".join(str(p) for p in inputs))
    for table in (*TABLES, "problems"):  # a run replaces what an earlier run wrote here
        shutil.rmtree(out / table, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    _OUT, _EVIDENCE = out, evidence
    worker_tagger()  # loaded once here; forked workers inherit it
    totals = [0, 0, 0]
    jobs = jobs or os.cpu_count() or 1
    pool = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 and len(work) > 1 else None
    results: Iterator[tuple[int, int, int]] = pool.imap_unordered(_tag_shard, work) if pool else map(_tag_shard, work)
    try:
        for done, result in enumerate(results, start=1):
            totals = [a + b for a, b in zip(totals, result, strict=True)]
            if progress:
                progress(done, len(work))
    except BaseException:
        if pool is not None:
            pool.terminate()  # the other shards stop at once
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return {"articles": totals[0], "events": totals[1], "problems": totals[2], "shards": len(work),
            "seconds": round(time.perf_counter() - started, 2)}


# -- merging into a lake ----------------------------------------------------------------------------

def _manifest(uri: str) -> dict[str, Any]:
    if is_remote(uri):
        con = duckdb.connect()
        try:
            rows = con.execute("SELECT content FROM read_text(?)", [_join(_duckdb_uri(uri), MANIFEST)]).fetchall()
            return json.loads(rows[0][0]) if rows else {}
        except duckdb.Error:
            return {}
        finally:
            con.close()
    try:
        return json.loads((Path(uri) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _rolled_with(manifest: dict[str, Any]) -> str:
    """The rollups version a lake's rollup files were counted with (lakes written before the
    manifest recorded it hold version 1)."""
    return str(manifest.get("rollups", "1"))


def _write_manifest(lake: Path, version: int) -> None:
    (lake / MANIFEST).write_text(json.dumps({"version": version, "rollups": rollups.VERSION,
                                             "merged_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}),
                                 encoding="utf-8")


def _partition_dir(root: Path, table: str, year: int, month: int) -> Path:
    return root / table / f"year={year}" / f"month={month}"


def _local(path: Path | str, what: str) -> Path:
    if is_remote(str(path)) or ":/" in str(path):
        raise LakeError(f"{what} {path} is an object-storage URI; `geotech lake merge` and `lake export` write to a local or "
                        "mounted folder: write there, then sync it to the bucket (aws s3 sync, gsutil rsync)")
    _quote(str(path))
    return Path(path)


def merge(output: Path, lake: Path, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fold a batch output into the lake at `lake` (a local or mounted folder): every event id once
    (the output's copy replaces the lake's), only the partitions it touches rewritten, rollups
    brought up to date. Merging the same output twice leaves the same rows. One merge at a time
    (a second waits); a merge that fails puts back the partitions it had swapped."""
    from core.store import writer_lock

    output, lake = _local(output, "the batch output"), _local(lake, "the lake")
    lake.mkdir(parents=True, exist_ok=True)
    with writer_lock(lake / "_merge", on_wait=progress):
        try:
            return _merge(output, lake, progress or (lambda _m: None))
        except OSError as exc:
            raise LakeError(f"merging {output} into {lake} failed: {exc}; the lake was left as it was") from exc


def _merge(output: Path, lake: Path, say: Callable[[str], None]) -> dict[str, Any]:
    started = time.perf_counter()
    con = duckdb.connect()
    try:
        if not _has_files(con, _glob(str(output), "events")):
            raise LakeError(f"{output} holds no events (expected {output}/events/year=*/month=*/*.parquet, "
                            "as `geotech tag-shards` and `geotech spark-tag` write)")
        con.execute(f"CREATE TEMP TABLE incoming AS SELECT id, year::INTEGER AS year, month::INTEGER AS month, "
                    f"count(DISTINCT content_hash) AS copies, count(*) AS rows FROM {_scan(str(output), 'events')} GROUP BY ALL")
        clash = con.execute("SELECT count(*) FROM (SELECT id FROM incoming GROUP BY id HAVING count(*) > 1 OR max(copies) > 1)"
                            ).fetchall()[0][0]
        if clash:
            raise LakeError(f"{output} holds {clash} event ids twice with different content (the same article in two inputs "
                            "tagged differently?); tag the input again into an empty folder, with each file once")
        twice = con.execute("SELECT count(*) FROM incoming WHERE rows > 1").fetchall()[0][0]
        has_lake = _has_files(con, _glob(str(lake), "events"))
        # a lake without rollups, or with rollups counted by another version, gets every month counted again
        everything = has_lake and (_rolled_with(_manifest(str(lake))) != rollups.VERSION or not all(
            (lake / "rollups" / f"{r}.parquet").exists() for r in [*rollups.ROLLUPS, rollups.ORG_LABELS]))
        moved = con.execute(f"SELECT DISTINCT year::INTEGER, month::INTEGER FROM {_scan(str(lake), 'events')} "
                            + ("" if everything else "WHERE id IN (SELECT id FROM incoming)")).fetchall() if has_lake else []
        touched = sorted({*con.execute("SELECT DISTINCT year, month FROM incoming").fetchall(), *moved})
        n_in = con.execute("SELECT count(*) FROM incoming").fetchall()[0][0]
        say(f"merging {n_in:,} events into {len(touched)} partitions of {lake}"
            + (f" ({twice:,} ids written twice with the same content: kept once)" if twice else ""))
        staging = Path(tempfile.mkdtemp(prefix=".merge-", dir=lake))
        swapped: list[tuple[Path, Path | None]] = []  # (lake partition, where its old files went)
        try:
            chosen = " OR ".join(f"(year = {y} AND month = {m})" for y, m in touched)
            for table in TABLES:
                key = "id" if table == "events" else "event_id"
                parts = []
                if has_lake and _has_files(con, _glob(str(lake), table)):
                    parts.append(f"SELECT * FROM {_scan(str(lake), table)} WHERE ({chosen}) AND {key} NOT IN (SELECT id FROM incoming)")
                if _has_files(con, _glob(str(output), table)):  # identical copies of an id's rows kept once
                    parts.append(f"SELECT DISTINCT * FROM {_scan(str(output), table)} WHERE {chosen}")
                if parts:  # one file per touched partition, rows in a fixed order: the same input gives the same files
                    rows = " UNION ALL BY NAME ".join(f"({p})" for p in parts)
                    con.execute(f"COPY (SELECT * REPLACE (year::INTEGER AS year, month::INTEGER AS month) FROM ({rows}) ORDER BY ALL) "
                                f"TO '{staging / table}' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (year, month), "
                                "FILENAME_PATTERN 'part-{i}')")
            trash = staging / "_old"
            for table in TABLES:  # swap the rewritten partitions in; on any failure, put the old ones back
                for year, month in touched:
                    fresh, old = _partition_dir(staging, table, year, month), _partition_dir(lake, table, year, month)
                    kept = None
                    if old.exists():
                        kept = _partition_dir(trash, table, year, month)
                        kept.parent.mkdir(parents=True, exist_ok=True)
                        old.rename(kept)
                    swapped.append((old, kept))
                    if fresh.exists() and any(fresh.iterdir()):
                        old.parent.mkdir(parents=True, exist_ok=True)
                        fresh.rename(old)
            say("bringing the rollups up to date")
            _merge_rollups(con, lake, touched)
        except BaseException:
            for old, kept in reversed(swapped):
                if old.exists():
                    shutil.rmtree(old)
                if kept is not None:
                    kept.rename(old)
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        version = int(_manifest(str(lake)).get("version", 0)) + 1
        _write_manifest(lake, version)
        events = con.execute(f"SELECT count(*) FROM {_scan(str(lake), 'events')}").fetchall()[0][0]
    except duckdb.Error as exc:
        raise LakeError(f"merging {output} into {lake} failed: {one_line(str(exc), 300)}; the lake was left as it was") from exc
    finally:
        con.close()
    return {"merged": int(n_in), "partitions": len(touched), "events_in_lake": int(events), "version": version,
            "seconds": round(time.perf_counter() - started, 2)}


def _merge_rollups(con: duckdb.DuckDBPyConnection, lake: Path, touched: list[tuple[int, int]]) -> None:
    """Rewrite the rollup files: their rows of untouched months kept, those of touched months
    counted again from the lake."""
    folder = lake / "rollups"
    folder.mkdir(exist_ok=True)
    months = [(y, m) for y, m in touched]
    in_touched = " OR ".join(f"(year = {y} AND month = {m})" for y, m in months) or "FALSE"
    con.execute(f"CREATE OR REPLACE TEMP VIEW touched_events AS SELECT * FROM {_scan(str(lake), 'events')} WHERE {in_touched}")
    if _has_files(con, _glob(str(lake), "relations")):
        con.execute(f"CREATE OR REPLACE TEMP VIEW touched_relations AS SELECT * FROM {_scan(str(lake), 'relations')} "
                    f"WHERE {in_touched}")
    else:
        con.execute("CREATE OR REPLACE TEMP VIEW touched_relations AS SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS source, "
                    "NULL::VARCHAR AS target, NULL::VARCHAR AS type WHERE FALSE")
    bucket_month = ("(CASE WHEN bucket IS NULL THEN 0 ELSE year(bucket) END, CASE WHEN bucket IS NULL THEN 0 ELSE month(bucket) END)")
    keep = " OR ".join(f"{bucket_month} = ({y}, {m})" for y, m in months) or "FALSE"
    written: list[tuple[Path, Path]] = []
    for r in rollups.ROLLUPS.values():
        path = folder / f"{r.name}.parquet"
        fresh = r.body("touched_events", "touched_relations")
        old = f"SELECT * FROM read_parquet('{path}') WHERE NOT ({keep})" if path.exists() else None
        sql = f"({fresh})" + (f" UNION ALL BY NAME ({old})" if old else "")
        columns = ", ".join(r.columns)
        written.append((_write(con, f"SELECT {columns} FROM ({sql}) ORDER BY fk, fv, {columns}", path), path))
    labels = folder / f"{rollups.ORG_LABELS}.parquet"  # every name taken again from the tags: a name follows its tags
    written.append((_write(con, rollups.ORG_LABELS_BODY.format(tags=_scan(str(lake), "tags")) + " ORDER BY ALL", labels), labels))
    for temp, path in written:  # every file written before any replaces its old copy
        os.replace(temp, path)


def _write(con: duckdb.DuckDBPyConnection, select: str, path: Path) -> Path:
    temp = path.with_suffix(".tmp")
    con.execute(f"COPY ({select}) TO '{temp}' (FORMAT parquet)")
    return temp


# -- reading a lake: the catalog --------------------------------------------------------------------

def _views(uri: str, con: duckdb.DuckDBPyConnection, rolled_with: str) -> list[str]:
    """The statements that make a catalog's views over the lake at `uri`, whose rollup files were
    counted by rollups version `rolled_with` (other than this code's: the pages read the events)."""
    _quote(uri)
    base = _duckdb_uri(uri)
    if not _has_files(con, _glob(uri, "events")):
        raise LakeError(f"the lake at {uri} holds no events (expected {uri}/events/year=*/month=*/*.parquet); "
                        "write one with `geotech tag-shards` or `geotech spark-tag`, then `geotech lake merge`")
    out = [f"CREATE VIEW events AS SELECT * FROM {_scan(uri, 'events')}"]
    for table, empty in (("sources", "NULL::VARCHAR AS event_id, NULL::VARCHAR AS article_id, NULL::VARCHAR AS url, "
                                     "NULL::VARCHAR AS name, NULL::VARCHAR AS title, NULL::DATE AS published"),
                         ("relations", "NULL::VARCHAR AS event_id, NULL::VARCHAR AS source, NULL::VARCHAR AS target, "
                                       "NULL::VARCHAR AS type, NULL::VARCHAR AS evidence")):
        out.append(f"CREATE VIEW {table} AS SELECT * FROM {_scan(uri, table)}" if _has_files(con, _glob(uri, table))
                   else f"CREATE VIEW {table} AS SELECT {empty} WHERE FALSE")
    if _has_files(con, _glob(uri, "tags")):
        evidence = (f"(SELECT event_id, kind, value, evidence FROM {_scan(uri, 'evidence')})"  # one row per tag, as written
                    if _has_files(con, _glob(uri, "evidence")) else
                    "(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS kind, NULL::VARCHAR AS value, NULL::VARCHAR AS evidence "
                    "WHERE FALSE)")
        out.append(f"""CREATE VIEW tags AS SELECT t.event_id, t.kind, t.value, t.label, t.score, t.tagged, t.reason,
                                                  coalesce(v.evidence, '[]') AS evidence
                       FROM {_scan(uri, 'tags')} t LEFT JOIN {evidence} v
                         ON v.event_id = t.event_id AND v.kind = t.kind AND v.value = t.value""")
    else:
        out.append("CREATE VIEW tags AS SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS kind, NULL::VARCHAR AS value, "
                   "NULL::VARCHAR AS label, NULL::DOUBLE AS score, NULL::BOOLEAN AS tagged, NULL::VARCHAR AS reason, "
                   "NULL::VARCHAR AS evidence WHERE FALSE")
    rolled = rolled_with == rollups.VERSION and all(_has_files(con, f"{base}/rollups/{r}.parquet")
                                                    for r in [*rollups.ROLLUPS, rollups.ORG_LABELS])
    if rolled:
        out += [f"CREATE VIEW {r} AS SELECT * FROM read_parquet('{base}/rollups/{r}.parquet')"
                for r in [*rollups.ROLLUPS, rollups.ORG_LABELS]]
        out.append(f"INSERT INTO meta VALUES ('{rollups.META_KEY}', '{rollups.VERSION}')")
    return out


def catalog_folder() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "geotech-radar" / "lakes"


_CHECKED: dict[str, tuple[float, Path, float | None]] = {}  # lake -> (when checked, catalog, manifest's mtime if local)
CHECK_SECONDS = 30.0  # a remote lake's manifest is read at most this often


def catalog(uri: str) -> Path:
    """The local DuckDB catalog of the lake at `uri` (built, or built again after a merge changed
    the lake): views named like the store's tables over the lake's Parquet, its rollups, and empty
    tables for what a lake does not hold (runs, issues, documents)."""
    from core.store import SCHEMA_VERSION

    uri = uri.strip()
    local = not is_remote(uri)
    if local:
        uri = str(Path(uri).expanduser().resolve())
        if not Path(uri).is_dir():
            raise LakeError(f"GEOTECH_LAKE={uri}: no such folder; point it at a lake written by `geotech lake merge`")
    stamp = _stamp(uri) if local else None
    seen = _CHECKED.get(uri)
    if seen and seen[1].exists() and (seen[2] == stamp if local else time.monotonic() - seen[0] < CHECK_SECONDS):
        return seen[1]  # every rerun asks: answered without I/O while the lake is unchanged
    # the lake's version, and the versions of the tables and rollups this code reads: a change of any builds it again
    manifest = _manifest(uri)
    version = f"{manifest.get('version', 0)}:{SCHEMA_VERSION}:{rollups.VERSION}:{_rolled_with(manifest)}"
    name = hashlib.sha256(uri.encode("utf-8")).hexdigest()[:16]
    path = catalog_folder() / f"{name}.duckdb"
    if path.exists():
        try:
            con = duckdb.connect(str(path), read_only=True)
            try:
                rows = dict(con.execute("SELECT key, value FROM meta").fetchall())
            finally:
                con.close()
            if rows.get("lake") == uri and rows.get("lake_version") == version:
                _CHECKED[uri] = (time.monotonic(), path, stamp)
                return path
        except duckdb.Error:
            pass  # an unreadable catalog is built again
    path.parent.mkdir(parents=True, exist_ok=True)
    with _BUILDING:  # one build at a time in this process; other processes build their own temporary file
        handle, temp_name = tempfile.mkstemp(prefix=f"{name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        temp = Path(temp_name)
        temp.unlink()  # DuckDB makes the file itself
        _build(uri, version, _rolled_with(manifest), temp, path)
    _CHECKED[uri] = (time.monotonic(), path, stamp)
    return path


def _stamp(uri: str) -> float | None:
    """The modification time of a local lake's manifest (each merge rewrites it), or None."""
    try:
        return (Path(uri) / MANIFEST).stat().st_mtime
    except OSError:
        return None


_BUILDING = threading.Lock()


def _build(uri: str, version: str, rolled_with: str, temp: Path, path: Path) -> None:
    """Write the catalog into `temp`, then put it in place of `path` (readers see the old or the new one)."""
    from core.store import SCHEMA, SCHEMA_VERSION

    con = duckdb.connect(str(temp))
    try:
        tables = [s for s in SCHEMA.split(";") if s.strip() and not any(
            f"EXISTS {t} " in s or f"EXISTS {t}(" in s for t in ("events", "sources", "tags", "relations", *rollups.ROLLUPS,
                                                                 rollups.ORG_LABELS))]
        for statement in tables:
            con.execute(statement)
        con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('lake', ?), ('lake_version', ?)", [SCHEMA_VERSION, uri, version])
        for statement in _views(uri, con, rolled_with):
            con.execute(statement)
    except (duckdb.Error, LakeError) as exc:
        con.close()
        temp.unlink(missing_ok=True)
        if isinstance(exc, LakeError):
            raise
        raise LakeError(f"cannot read the lake at {uri}: {one_line(str(exc), 300)}") from exc
    con.close()
    os.replace(temp, path)


# -- a store as a lake -----------------------------------------------------------------------------

def export_store(store: Path, lake: Path) -> dict[str, Any]:
    """Write a store's events as a new lake at `lake` (an empty or missing folder), with its rollups,
    so several dashboards can share it (GEOTECH_LAKE) or a batch output can be merged into it."""
    from core.store import connect

    started = time.perf_counter()
    lake = _local(lake, "the lake")
    if lake.exists() and any(lake.iterdir()):
        raise LakeError(f"{lake} is not empty; export into a new folder (or merge a batch output into an existing lake)")
    lake.mkdir(parents=True, exist_ok=True)
    part = "coalesce(year(e.date), 0)::INTEGER AS year, coalesce(month(e.date), 0)::INTEGER AS month"
    selects = {
        "events": f"SELECT e.*, {part} FROM events e",
        "sources": f"SELECT s.*, {part} FROM sources s JOIN events e ON e.id = s.event_id",
        "tags": f"SELECT t.* EXCLUDE (evidence), {part} FROM tags t JOIN events e ON e.id = t.event_id",
        "evidence": f"SELECT t.event_id, t.kind, t.value, t.evidence, {part} FROM tags t JOIN events e ON e.id = t.event_id",
        "relations": f"SELECT r.*, {part} FROM relations r JOIN events e ON e.id = r.event_id",
    }
    with connect(store, read_only=True) as con:
        if not rollups.active(con):
            raise LakeError(f"{store} has no current rollups; open it once with this version (any `geotech` command) first")
        for table, select in selects.items():
            con.execute(f"COPY ({select} ORDER BY ALL) TO '{lake / table}' (FORMAT parquet, COMPRESSION zstd, "
                        "PARTITION_BY (year, month), FILENAME_PATTERN 'part-{i}')")
        (lake / "rollups").mkdir()
        for name in [*rollups.ROLLUPS, rollups.ORG_LABELS]:
            order = "org" if name == rollups.ORG_LABELS else "fk, fv, " + ", ".join(rollups.ROLLUPS[name].columns)  # as merge writes them
            con.execute(f"COPY (SELECT * FROM {name} ORDER BY {order}) TO '{lake / 'rollups' / name}.parquet' (FORMAT parquet)")
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    _write_manifest(lake, 1)
    return {"events": int(events), "seconds": round(time.perf_counter() - started, 2)}


# -- importing a lake into a store ------------------------------------------------------------------

def import_lake(uri: str, store: Path) -> dict[str, Any]:
    """Load the lake at `uri` into the store file `store` (events already there with the same ids are
    replaced), then count its rollups again. One transaction: a failure changes nothing."""
    from core.store import TABLE_COLUMNS, connect

    started = time.perf_counter()
    source = catalog(uri)
    with connect(store) as con:  # a lake's catalog refuses the write (core.store)
        con.execute(f"ATTACH '{source}' AS lake (READ_ONLY)")
        try:
            con.execute("BEGIN TRANSACTION")
            for table, columns in TABLE_COLUMNS.items():
                key = "id" if table == "events" else "event_id"
                con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM lake.events)")
                order = " ORDER BY date, id" if table == "events" else ""  # in date order: a date filter reads few row groups
                con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM lake.{table}{order}")
            rollups.rebuild(con)
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"importing the lake at {uri} into {store} failed, nothing was changed: {one_line(str(exc), 300)}") \
                from exc
        finally:
            con.execute("DETACH lake")
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    return {"events_in_store": int(events), "seconds": round(time.perf_counter() - started, 2)}
