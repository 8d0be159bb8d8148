"""The Apache Spark runner of the batch tagger: articles (JSON Lines or Parquet) in, a Parquet lake out.

    python -m core.spark_job INPUT OUTPUT [--no-evidence] [--partition-mb 8] [--master local[2]]
    spark-submit core/spark_job.py INPUT OUTPUT [--no-evidence] [--partition-mb 8]

INPUT is a JSON Lines file or folder (one article a line: `id, date, title, text, url, source`;
only `text` and `date` are required) or Parquet (a `.parquet` file or a folder of them), on a
local disk or at an `s3a://`, `gs://` or `abfss://` URI. OUTPUT gets one Parquet table per lake
table, partitioned by the event's `year` and `month` (0 and 0 for an undated event):

    OUTPUT/events/year=2024/month=3/part-*.parquet   the columns of core.batch.LAKE_COLUMNS["events"]
    OUTPUT/{sources,tags,evidence,relations}/...     one row per child, `event_id` first
    OUTPUT/problems/part-*.parquet                   `id, reason` of each row that gave no event

Each run replaces the tables it writes (`--no-evidence` writes no evidence table and removes an old
one). The work is `core.batch.tag_nested`, run through `DataFrame.mapInArrow` with one Tagger per
Python worker, so the lake holds the same events as `geotech tag` and `geotech ingest` give for the
same articles, with the same ids. It prints `{"articles", "events", "problems", "seconds"}` as JSON.

On a cluster the executors must import the `core` package and read its data files (core/data/*.toml,
*.csv), which are read from the file system: a zip of core/ given to `--py-files` does NOT work for
them. Install the project on every node instead:

- build a wheel (`pip wheel --no-deps -w dist .`) and install it as a cluster library (Databricks),
  in a bootstrap action (EMR) or an initialization action / `dataproc:pip.packages` property (Dataproc);
- or pack a virtual environment with the project installed (`venv-pack -o env.tar.gz`) and submit with
  `--archives env.tar.gz#env --conf spark.pyspark.python=./env/bin/python`.

Then `spark-submit core/spark_job.py s3a://bucket/articles/ s3a://bucket/lake/` (for `s3a://` the
cluster needs hadoop-aws and credentials, e.g. `--conf spark.hadoop.fs.s3a.aws.credentials.provider=...`).
PySpark is imported lazily: importing this module does not need it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

SPARK_EXTRA = "install the spark extra: pip install -e '.[spark]'"
NO_JAVA = ("no Java runtime found (no `java` on PATH, JAVA_HOME unset): "
           "install a Java 17+ runtime, e.g. apt-get install openjdk-17-jre-headless")
URI_SCHEMES = ("s3a://", "s3://", "s3n://", "gs://", "abfss://", "abfs://", "wasbs://", "hdfs://", "dbfs:/", "file:")
PARQUET_SUFFIXES = (".parquet", ".parq")
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz", ".json.bz2", ".jsonl.bz2")
OPEN_COST_BYTES = 256 * 1024
"""What Spark counts for opening a file when it packs input splits. Its default (4 MiB) keeps a file of a
few MiB in one task; tagging costs far more than opening a file, so a small cost spreads any input over the cores."""
ARROW_BATCH_ROWS = 1000
"""Articles per Arrow batch handed to a Python worker (Spark's default is 10,000): bounds a worker's memory."""
PANDAS_WARNING = "PySpark does not yet fully support pandas"


@contextmanager
def quiet_pandas_warning() -> Iterator[None]:
    """Ignore (only) PySpark's warning about pandas >= 3: starting a SparkContext and mapInArrow raise it
    through PySpark's pandas version check although this job never uses pandas."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=PANDAS_WARNING, category=FutureWarning)
        yield


class InputError(Exception):
    """An input the job cannot read (reported as one line by `main`)."""


def is_uri(path: str) -> bool:
    """Whether `path` is a URI Spark resolves (s3a://, gs://, abfss://, hdfs://, file:...) rather than a local path."""
    return path.startswith(URI_SCHEMES) or "://" in path


def join(base: str, name: str) -> str:
    """`base/name` for a local path or a URI alike."""
    return base.rstrip("/") + "/" + name


def session(master: str | None = None, app_name: str = "geotech-spark-tag", log_level: str = "ERROR") -> SparkSession:
    """A SparkSession for the job: UTC session time zone, Arrow on, Python workers reused (each keeps its Tagger).
    `master=None` leaves the master to spark-submit; a `local[...]` master also turns the web UI off and lets
    the local Python workers import this project from its folder."""
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.python.worker.reuse", "true")
        .config("spark.log.level", log_level)
    )
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        root = str(Path(__file__).resolve().parent.parent)
        paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
        builder = (builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                   .config("spark.executorEnv.PYTHONPATH", os.pathsep.join(paths))
                   # local mode runs the executors in the driver's JVM: give it room (spark-submit's --driver-memory wins)
                   .config("spark.driver.memory", os.environ.get("GEOTECH_SPARK_DRIVER_MEMORY", "2g")))
    with quiet_pandas_warning():
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(log_level)
    return spark


def input_format(spark: SparkSession, path: str) -> str:
    """`parquet` for a `.parquet` file or a folder holding Parquet files (looked up through Spark's file
    systems, so at a URI too), else `json`."""
    name = path.rstrip("/").lower()
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(JSON_SUFFIXES):
        return "json"
    try:
        jvm: Any = spark.sparkContext._jvm
        hpath = jvm.org.apache.hadoop.fs.Path(path)
        found = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).listFiles(hpath, True)
        for _ in range(10_000):  # a few pages of a listing are enough
            if not found.hasNext():
                break
            if str(found.next().getPath().getName()).lower().endswith(PARQUET_SUFFIXES):
                return "parquet"
    except Exception:  # no JVM (Spark Connect), no listing: a local folder is walked, else Spark reports the problem
        if not is_uri(path) and Path(path).is_dir():
            return "parquet" if any(f.lower().endswith(PARQUET_SUFFIXES) for _, _, files in os.walk(path) for f in files) else "json"
    return "json"


def read_articles(spark: SparkSession, path: str, fmt: str) -> DataFrame:
    """The articles as six string columns `id, date, title, text, url, source` (a missing one is null;
    a Parquet date or timestamp column stays a date)."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from core.batch import ARTICLE_COLUMNS

    if fmt == "json":
        schema = T.StructType([T.StructField(c, T.StringType()) for c in ARTICLE_COLUMNS])
        return spark.read.schema(schema).json(path)
    if fmt != "parquet":
        raise InputError(f"unknown input format {fmt!r}: expected json or parquet")
    frame = spark.read.parquet(path)
    if "text" not in frame.columns:
        raise InputError(f"{path}: no `text` column (expected columns {', '.join(ARTICLE_COLUMNS)})")
    columns = []
    for c in ARTICLE_COLUMNS:
        if c not in frame.columns:
            columns.append(F.expr("CAST(NULL AS STRING)").alias(c))
        elif c == "date" and isinstance(frame.schema[c].dataType, T.DateType | T.TimestampType | T.TimestampNTZType):
            columns.append(F.to_date(F.col(c)).alias(c))
        else:
            columns.append(F.col(c).cast("string").alias(c))
    return frame.select(*columns)


def tag_batches(batches: Iterator[pa.RecordBatch], evidence: bool = True) -> Iterator[pa.RecordBatch]:
    """The function mapInArrow runs in each Python worker: every batch of articles as tagged rows (NESTED_SCHEMA)."""
    from core.batch import tag_nested

    for batch in batches:
        yield from tag_nested(batch, evidence).to_batches()


def _parallelism(spark: SparkSession, frame: DataFrame) -> tuple[int, int]:
    """Spark's default parallelism (the cores) and the partitions of `frame`; (0, 0) where Spark does
    not tell (Spark Connect), which leaves the partitions as they are."""
    try:
        return spark.sparkContext.defaultParallelism, frame.rdd.getNumPartitions()
    except Exception:
        return 0, 0


def _remove(spark: SparkSession, path: str) -> None:
    """Delete `path` (a folder left by an earlier run), local or at a URI."""
    try:
        jvm: Any = spark.sparkContext._jvm
    except Exception:  # Spark Connect: no JVM here to ask
        return
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    fs = hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if fs.exists(hpath):
        fs.delete(hpath, True)


def _write(frame: DataFrame, path: str, partitioned: bool) -> None:
    writer = frame.write.mode("overwrite").option("partitionOverwriteMode", "static").option("compression", "zstd")
    if partitioned:
        writer = writer.partitionBy("year", "month")
    writer.parquet(path)


def spark_tag(spark: SparkSession, input: str, output: str, *, evidence: bool = True,
              partition_bytes: int = 8 * 1024 * 1024, fmt: str | None = None) -> dict[str, Any]:
    """Tag the articles at `input` and write the lake tables under `output` (see the module's doc);
    returns `{"articles", "events", "problems", "seconds"}`."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    from core.batch import CHILD_TABLES, LAKE_COLUMNS, NESTED_SCHEMA

    if partition_bytes <= 0:
        raise ValueError("partition_bytes must be positive")
    start = time.perf_counter()
    settings = {
        "spark.sql.files.maxPartitionBytes": str(partition_bytes),
        "spark.sql.files.openCostInBytes": str(min(partition_bytes, OPEN_COST_BYTES)),
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",  # DuckDB reads updated_at back as TIMESTAMP
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(ARROW_BATCH_ROWS),
    }
    before = {key: spark.conf.get(key, None) for key in settings}
    tagged: DataFrame | None = None
    try:
        for key, value in settings.items():
            spark.conf.set(key, value)
        articles = read_articles(spark, input, fmt or input_format(spark, input))
        cores, partitions = _parallelism(spark, articles)
        if partitions < cores:  # one unsplittable file (.gz), or a small input
            articles = articles.repartition(cores)
        with quiet_pandas_warning():
            # updated_at is a naive timestamp: TimestampNTZ, written as a Parquet TIMESTAMP (not adjusted to UTC)
            schema = from_arrow_schema(NESTED_SCHEMA, prefer_timestamp_ntz=True)
            tagged = articles.mapInArrow(partial(tag_batches, evidence=evidence), schema)
        # tag once, write six tables from it; kept on disk (serialized), not in the JVM heap, so the
        # cache never needs more memory than a partition's batch, whatever the input's size
        tagged = tagged.persist(StorageLevel.DISK_ONLY)
        counts = tagged.agg(F.count("*").alias("articles"), F.count("problem").alias("problems")).first()
        n_articles, n_problems = (int(counts["articles"]), int(counts["problems"])) if counts else (0, 0)

        events = tagged.where(F.col("problem").isNull())
        tables: dict[str, DataFrame] = {"events": events.select(*LAKE_COLUMNS["events"], "year", "month")}
        for table in CHILD_TABLES:
            if table == "evidence" and not evidence:
                continue
            children = events.select(F.col("id").alias("event_id"), "year", "month", F.inline(table))
            tables[table] = children.select(*LAKE_COLUMNS[table], "year", "month")
        for table, frame in tables.items():
            key = "id" if table == "events" else "event_id"
            # A few files per month (not one per task and month), rows in id order within each file.
            _write(frame.hint("rebalance", "year", "month").sortWithinPartitions("year", "month", key),
                   join(output, table), partitioned=True)
        if not evidence:
            _remove(spark, join(output, "evidence"))  # an earlier run's evidence would describe other events
        problems = tagged.where(F.col("problem").isNotNull()).select("id", F.col("problem").alias("reason"))
        _write(problems.coalesce(1).sortWithinPartitions("id", "reason"), join(output, "problems"), partitioned=False)
    finally:
        if tagged is not None:
            tagged.unpersist()
        for key, old in before.items():
            if old is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, old)
    return {"articles": n_articles, "events": n_articles - n_problems, "problems": n_problems,
            "seconds": round(time.perf_counter() - start, 3)}


def java_problem() -> str | None:
    """Why Spark could not start a JVM here (None when JAVA_HOME or PATH gives a `java`)."""
    home = os.environ.get("JAVA_HOME")
    if home:
        return None if Path(home, "bin", "java").exists() else f"JAVA_HOME={home} holds no bin/java: point it at a Java 17+ runtime"
    return None if shutil.which("java") else NO_JAVA


def _parser(under_submit: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spark-submit core/spark_job.py" if under_submit else "python -m core.spark_job",
        description="Tag articles (JSON Lines or Parquet) with Spark and write the Parquet lake tables.")
    parser.add_argument("input", help="JSON Lines or Parquet file or folder; a local path or an s3a://, gs://, abfss:// URI")
    parser.add_argument("output", help="lake folder: events/, sources/, tags/, evidence/, relations/, problems/ (replaced)")
    parser.add_argument("--no-evidence", dest="evidence", action="store_false", help="write no evidence table")
    parser.add_argument("--partition-mb", type=float, default=8.0, help="input MiB per Spark task (default 8)")
    parser.add_argument("--format", choices=("json", "parquet"), default=None, help="input format (default: from the path)")
    parser.add_argument("--master", default=None,
                        help="Spark master (default: the one spark-submit gives, else local[*])")
    return parser


def _error(message: str) -> int:
    print("error: " + " ".join(message.split()), file=sys.stderr)
    return 1


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module's doc); returns the exit code."""
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM and this driver
    args = _parser(under_submit).parse_args(argv)
    if args.partition_mb <= 0:
        return _error("--partition-mb must be positive")
    master = args.master or (None if under_submit else "local[*]")
    if master is not None and master.startswith("local"):  # paths are on this machine (on a cluster, in its file system)
        if not is_uri(args.input) and not Path(args.input).exists():
            return _error(f"input not found: {args.input}")
        if not is_uri(args.input) and not is_uri(args.output):
            source, target = Path(args.input).resolve(), Path(args.output).resolve()
            if target == source or target in source.parents:
                return _error(f"the output {args.output} holds the input: it would be deleted")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return _error(f"pyspark is not installed: {SPARK_EXTRA}")
    if not under_submit and (problem := java_problem()):
        return _error(problem)
    from pyspark.errors import AnalysisException, PySparkRuntimeError

    try:
        spark = session(master)
    except PySparkRuntimeError as exc:
        return _error(f"Spark did not start ({_first_line(exc)}); is a Java 17+ runtime installed and JAVA_HOME right?")
    try:
        counts = spark_tag(spark, args.input, args.output, evidence=args.evidence,
                           partition_bytes=int(args.partition_mb * 1024 * 1024), fmt=args.format)
    except InputError as exc:
        return _error(str(exc))
    except AnalysisException as exc:  # a path Spark cannot find or read
        return _error(f"{args.input}: {_first_line(exc)}")
    except Exception as exc:  # a job that fails on the cluster (a missing connector, a refused write, a worker error)
        return _error(f"the Spark job failed: {_first_line(exc)}")
    finally:
        if not under_submit:
            spark.stop()
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    if not __package__:  # run as a file (spark-submit core/spark_job.py): import the package, not the folder core/
        here = Path(__file__).resolve().parent
        sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
        sys.path.insert(0, str(here.parent))
        from core.spark_job import main as package_main

        sys.exit(package_main())
    sys.exit(main())
