"""The Spark runner (core/spark_job.py) on a local[2] session: the lake it writes holds the same events
as `geotech tag` and core.batch give for the same articles, re-runs write the same rows, and the
year/month partitions prune reads.

Skipped without pyspark or a Java runtime (failing instead under CI, which installs both)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.spark_job import java_problem

ROOT = Path(__file__).resolve().parents[2]
INSTALL = 'pip install -e ".[dev,spark]" and a Java 17+ runtime (e.g. apt-get install openjdk-17-jre-headless)'
N_ARTICLES = 2000


def _missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed"
    return "no Java runtime (no `java` on PATH, or JAVA_HOME without bin/java)" if java_problem() else None


if (_why := _missing()) is not None:
    if os.environ.get("CI") == "true":  # CI installs both: a skip there would hide a broken setup
        pytest.fail(f"the Spark tests cannot run: {_why}; needed: {INSTALL}", pytrace=False)
    pytest.skip(f"{_why}; the Spark tests need {INSTALL}", allow_module_level=True)

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

from benchmarks.corpus import write_corpus  # noqa: E402
from core import spark_job  # noqa: E402
from core.batch import ARTICLE_COLUMNS, LAKE_COLUMNS, LAKE_SCHEMAS, tag_tables  # noqa: E402
from core.spark_job import session, spark_tag  # noqa: E402

BAD_ROWS = [
    {"id": "bad-no-text", "date": "2023-05-01", "title": "Nothing to read"},
    {"id": "bad-empty-text", "date": "2023-05-01", "text": "   "},
    {"id": "bad-date", "date": "2023-02-30", "text": "The EU AI Act enters into force."},
    {"id": "bad-no-date", "text": "The United States restricted exports of Nvidia chips to China."},
    {"date": "2024-01-01", "text": ""},
]
BAD_IDS = {"bad-no-text", "bad-empty-text", "bad-date", "bad-no-date", None}
Rows = list[tuple[Any, ...]]
Lake = tuple[Path, dict[str, Any], dict[str, Rows]]  # the output folder, spark_tag's counts, the tables read back


def _articles(path: Path) -> Path:
    """N_ARTICLES articles from the benchmark corpus (each with its own title, url, source and a date
    spread over 4 years and 4 months a year), then a few rows that cannot become events."""
    corpus = write_corpus(path.with_name("corpus.jsonl"), N_ARTICLES)
    with corpus.open(encoding="utf-8") as fh, path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(fh):
            row = json.loads(line)
            row["date"] = f"{2021 + i % 4}-{1 + 3 * (i // 4 % 4):02d}-{1 + i % 28:02d}"
            row["title"] = f"{' '.join(row['text'].split()[:7])} (brief {i})"
            row["url"] = f"https://news.example.org/{2021 + i % 4}/brief-{i}"
            row["source"] = ("Example Wire", "Policy Daily", "Gazette")[i % 3]
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        for row in BAD_ROWS:
            out.write(json.dumps(row) + "\n")
    return path


def _env(**changes: str) -> dict[str, str]:
    """This environment for a child `python -m core.spark_job`, never one that looks like spark-submit's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYSPARK_GATEWAY_")}
    return env | changes


def _ordered(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)  # rows hold None and lists: sort on their text


def read_lake(out: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every lake table as DuckDB reads it (hive partitions), rows sorted; `problems` as (id, reason)."""
    con = duckdb.connect()
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for table, schema in LAKE_SCHEMAS.items():
        if not (out / table).exists():
            continue
        columns = ", ".join(f'"{c}"' for c in schema.names)
        tables[table] = _ordered(con.sql(
            f"SELECT {columns} FROM read_parquet('{out / table}/**/*.parquet', hive_partitioning = true)").fetchall())
    tables["problems"] = _ordered(con.sql(f"SELECT id, reason FROM read_parquet('{out}/problems/*.parquet')").fetchall())
    return tables


def arrow_rows(table: pa.Table) -> list[tuple[Any, ...]]:
    return _ordered(list(zip(*(column.to_pylist() for column in table.columns), strict=True)))


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    spark = session("local[2]")
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _articles(tmp_path_factory.mktemp("spark") / "articles.jsonl")


@pytest.fixture(scope="module")
def lake(spark: Any, articles: Path) -> Lake:
    out = articles.parent / "lake"
    counts = spark_tag(spark, str(articles), str(out))
    return out, counts, read_lake(out)


def test_lake_matches_the_cli_and_core_batch(lake: Lake,
                                             articles: Path) -> None:
    out, counts, tables = lake
    assert counts["articles"] == N_ARTICLES + len(BAD_ROWS)
    assert counts["problems"] == len(BAD_ROWS) and counts["events"] == N_ARTICLES and counts["seconds"] > 0
    assert {row[0] for row in tables["problems"]} == BAD_IDS
    assert len(tables["events"]) == N_ARTICLES
    assert len({(row[-2], row[-1]) for row in tables["events"]}) >= 8  # the events spread over many year/month partitions

    # Each file holds exactly the lake columns, in order (the partition columns are in the folder names);
    # updated_at reads back as a TIMESTAMP (not a TIMESTAMP WITH TIME ZONE, not INT96).
    con = duckdb.connect()
    for table in LAKE_SCHEMAS:
        some_file = next((out / table).glob("year=*/month=*/*.parquet"))
        described = con.sql(f"DESCRIBE SELECT * FROM read_parquet('{some_file}', hive_partitioning = false)").fetchall()
        assert tuple(r[0] for r in described) == LAKE_COLUMNS[table], table
        if table == "events":
            assert dict((r[0], r[1]) for r in described)["updated_at"] == "TIMESTAMP"

    # The `geotech tag` contract on the same file: same tags and relations for every event.
    proc = subprocess.run([sys.executable, "-m", "core.cli", "tag", str(articles), "--no-evidence", "--jobs", "2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]  # the bad rows are reported, the others tagged
    cli = {o["id"]: o for o in map(json.loads, proc.stdout.splitlines()) if "error" not in o}
    relations: dict[str, set[tuple[str, str, str]]] = {}
    for event_id, source, target, rtype, *_rest in tables["relations"]:
        relations.setdefault(event_id, set()).add((source, target, rtype))
    columns = LAKE_SCHEMAS["events"].names
    for row in tables["events"]:
        event = dict(zip(columns, row, strict=True))
        want = cli[event["id"]]
        assert sorted(want["themes"]) == sorted(event["themes"]), event["id"]
        assert sorted(want["countries"]) == sorted(event["countries"]), event["id"]
        assert sorted(want["orgs"]) == sorted(event["org_names"]), event["id"]
        assert {(r["source"], r["target"], r["type"]) for r in want["relations"]} == relations.get(event["id"], set()), event["id"]
    assert sum(1 for r in tables["relations"]) > 100 and sum(1 for r in tables["events"] if r[columns.index("orgs")]) > 100

    # core.batch on the same rows in this process: the same rows in every table.
    lines = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines()]
    schema = pa.schema([(c, pa.string()) for c in ARTICLE_COLUMNS])
    expected = tag_tables(pa.Table.from_pylist([{c: row.get(c) for c in ARTICLE_COLUMNS} for row in lines], schema=schema))
    for table in LAKE_SCHEMAS:
        assert tables[table] and tables[table] == arrow_rows(expected[table]), table
    assert tables["problems"] == _ordered([(r["id"], r["reason"]) for r in expected["problems"].to_pylist()])


def test_rerun_is_deterministic_and_partitions_prune(spark: Any, articles: Path, lake: Lake, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out, counts, first = lake
    # Again into the same folder, the input cut into many more tasks: the same rows, each article tagged once
    # (the six tables are written from the persisted tagged rows).
    trace = tmp_path / "tagged.txt"
    tag_batches = spark_job.tag_batches

    def counted(batches: Iterator[pa.RecordBatch], evidence: bool = True) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            with trace.open("a", encoding="utf-8") as fh:  # the Python workers append, one line a batch
                fh.write(f"{batch.num_rows}\n")
            yield from tag_batches(iter([batch]), evidence)

    monkeypatch.setattr(spark_job, "tag_batches", counted)
    again = spark_tag(spark, str(articles), str(out), partition_bytes=256 * 1024)
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in counts.items() if k != "seconds"}
    assert read_lake(out) == first
    batches = [int(n) for n in trace.read_text(encoding="utf-8").split()]
    assert sum(batches) == counts["articles"] and len(batches) >= 8

    # A query on one year and month reads that partition's files only.
    con = duckdb.connect()
    glob = f"{out}/events/**/*.parquet"
    year, month, n = con.execute(f"SELECT year, month, count(*) AS n FROM read_parquet('{glob}', hive_partitioning = true) "
                             "GROUP BY ALL ORDER BY n DESC, year, month LIMIT 1").fetchall()[0]
    where = f"WHERE year = {year} AND month = {month}"
    files = sorted(str(p) for p in (out / "events" / f"year={year}" / f"month={month}").glob("*.parquet"))
    all_files = list((out / "events").glob("year=*/month=*/*.parquet"))
    assert files and len(all_files) > len(files)
    read = con.sql(f"SELECT DISTINCT filename FROM read_parquet('{glob}', hive_partitioning = true, filename = true) {where}").fetchall()
    assert sorted(r[0] for r in read) == files
    plan = "\n".join(r[1] for r in con.sql(f"EXPLAIN ANALYZE SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true) {where}")
                     .fetchall())
    assert (found := re.search(r"Total Files Read: (\d+)", plan)), plan
    assert int(found.group(1)) == len(files), plan
    assert con.execute(f"SELECT count(*) FROM read_parquet('{glob}', hive_partitioning = true) {where}").fetchall() == [(n,)]


def test_parquet_folder_without_evidence(spark: Any, articles: Path, tmp_path: Path) -> None:
    """A folder of Parquet files (a real date column, no url or source column, one more column) is read
    as Parquet; without evidence no evidence table is left, not even an earlier run's."""
    import pyarrow.parquet as pq

    rows = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines()[:60]]
    table = pa.table({
        "id": [r["id"] for r in rows] + ["parquet-no-text"],
        "date": pa.array([dt.date.fromisoformat(r["date"]) for r in rows] + [dt.date(2024, 1, 1)], pa.date32()),
        "title": [r["title"] for r in rows] + ["No text"],
        "text": [r["text"] for r in rows] + [None],
        "words": [len(r["text"].split()) for r in rows] + [0],
    })
    folder = tmp_path / "articles"
    folder.mkdir()
    pq.write_table(table.slice(0, 30), folder / "part-0.parquet")
    pq.write_table(table.slice(30), folder / "part-1.parquet")
    out = tmp_path / "lake"
    (out / "evidence" / "year=2020" / "month=1").mkdir(parents=True)

    counts = spark_tag(spark, str(folder), str(out), evidence=False)
    assert {k: v for k, v in counts.items() if k != "seconds"} == {"articles": 61, "events": 60, "problems": 1}
    assert sorted(p.name for p in out.iterdir()) == ["events", "problems", "relations", "sources", "tags"]
    lake = read_lake(out)
    expected = tag_tables(table.select(["id", "date", "title", "text"]), evidence=False)
    for name in ("events", "sources", "tags", "relations"):
        assert lake[name] == arrow_rows(expected[name]), name
    assert lake["problems"] == [("parquet-no-text", "field `text` is missing or empty")]


def test_command_line_missing_input(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "core.spark_job", str(tmp_path / "nope.jsonl"), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env())
    assert proc.returncode == 1
    assert proc.stderr.startswith("error:") and proc.stderr.count("\n") == 1 and "nope.jsonl" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_command_line_without_pyspark_or_java(tmp_path: Path) -> None:
    articles = tmp_path / "a.jsonl"
    articles.write_text('{"text": "x", "date": "2024-01-01"}\n', encoding="utf-8")
    no_pyspark = "import sys; sys.modules['pyspark'] = None; from core.spark_job import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run([sys.executable, "-c", no_pyspark, str(articles), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=_env())
    assert (proc.returncode, proc.stderr) == (1, "error: pyspark is not installed: install the spark extra: pip install -e '.[spark]'\n")
    env = {k: v for k, v in _env(PATH=str(tmp_path)).items() if k != "JAVA_HOME"}  # no java anywhere
    proc = subprocess.run([sys.executable, "-m", "core.spark_job", str(articles), str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 1 and proc.stderr.startswith("error: no Java runtime found") and proc.stderr.count("\n") == 1, proc.stderr
