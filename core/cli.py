"""The `geotech` command line: a thin shell over the library.

Expected errors print one line to stderr and exit non-zero; no traceback.
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from core.errors import GeoTechError
from core.ingest.records import parse_date
from core.tagoutput import dumps, result_json, tag_line, to_json

app = typer.Typer(
    help="GeoTech Radar: tag tech-policy texts, build the event store, measure the tagger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
if TYPE_CHECKING:
    from rich.progress import Progress


def say(message: str) -> None:
    """One unwrapped line on stderr."""
    typer.echo(" ".join(message.split()), err=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    say(f"error: {message}")
    return typer.Exit(code)


def _progress(enabled: bool) -> Progress:
    from rich.console import Console  # loaded by the commands that show progress, not by `tag`
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), disable=not enabled, transient=True,
    )


def _open_input(file: Path | None) -> BinaryIO:
    """The input as bytes (each line is decoded on its own, so one bad byte costs one line)."""
    if file is None or str(file) == "-":
        return sys.stdin.buffer
    try:
        return file.open("rb")
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from None


def _lines(handle: BinaryIO) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text or None, decode error or None) for every non-blank line."""
    for n, raw in enumerate(handle, start=1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield n, None, f"not valid UTF-8 (byte {exc.start + 1} of the line); save the file as UTF-8"
            continue
        if line.strip():
            yield n, line, None


_TAGGER: Any = None
_EVIDENCE = True  # set before the pool forks, so the workers inherit it
SERIAL_LINES = 200  # up to this many lines, a pool of processes costs more than it saves
CHUNK_LINES = 128  # lines per task of the pool
READ_AHEAD_CHUNKS = 4  # chunks per worker read from the input before their output is written


def _init_worker() -> None:
    """Load the tagger once per process (a forked worker inherits its parent's)."""
    global _TAGGER
    if _TAGGER is None:
        from core.tagging.tagger import Tagger

        _TAGGER = Tagger()
        # The lexicon lives as long as the process: keep the collector from scanning it
        # again and again (and, in forked workers, from touching its pages).
        gc.freeze()


def _tag_one(item: tuple[int, str | None, str | None]) -> bytes:
    n, raw, problem = item
    return dumps({"line": n, "error": problem} if raw is None else tag_line(_TAGGER, raw, n, _EVIDENCE))


def _tag_chunk(items: list[tuple[int, str | None, str | None]]) -> tuple[bytes, bool]:
    """Output lines of some input lines, each ending in a newline; and whether any of them is an error."""
    _init_worker()
    out = [_tag_one(item) for item in items]
    out.append(b"")
    return b"\n".join(out), any(line.startswith(b'{"line":') for line in out)


def _chunks(lines: Iterator[tuple[int, str | None, str | None]]) -> Iterator[list[tuple[int, str | None, str | None]]]:
    while chunk := list(itertools.islice(lines, CHUNK_LINES)):
        yield chunk


def _tagged_chunks(lines: Iterator[tuple[int, str | None, str | None]], jobs: int) -> Iterator[tuple[bytes, bool]]:
    """Output in input order: in this process for small inputs, else by `jobs` forked workers (which
    inherit the loaded tagger) through `Pool.imap`, with at most a few chunks per worker read ahead,
    so that memory stays bounded whatever the size of the input."""
    _init_worker()
    head = list(itertools.islice(lines, SERIAL_LINES))
    if jobs <= 1 or len(head) < SERIAL_LINES:
        yield from map(_tag_chunk, _chunks(itertools.chain(head, lines)))
        return
    room = threading.BoundedSemaphore(READ_AHEAD_CHUNKS * jobs)
    closing = threading.Event()

    def bounded(chunks: Iterator[list[tuple[int, str | None, str | None]]]) -> Iterator[list[tuple[int, str | None, str | None]]]:
        for chunk in chunks:  # the pool's feeder thread reads this: it waits while the read-ahead is full
            while not room.acquire(timeout=0.1):
                if closing.is_set():  # the consumer stopped early: let the feeder finish, so the pool can close
                    return
            yield chunk

    with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker) as pool:
        try:
            for done in pool.imap(_tag_chunk, bounded(_chunks(itertools.chain(head, lines)))):
                room.release()
                yield done
        finally:
            closing.set()


@app.command()
def tag(
    file: Annotated[Path | None, typer.Argument(help="JSON Lines file of {text, id?, title?, date?}; stdin when absent or '-'.")] = None,
    jobs: Annotated[int, typer.Option(help="Processes for large inputs (default: CPU count).")] = 0,
    evidence: Annotated[bool, typer.Option("--evidence/--no-evidence", help="Include the evidence of every tag.")] = True,
) -> None:
    """Tag texts: one JSON object out per input line, in the same order."""
    global _EVIDENCE
    _EVIDENCE = evidence
    handle = _open_input(file)
    failed = False
    out = sys.stdout
    # orjson writes UTF-8: straight to the byte stream when the text stream would encode alike.
    raw_out = out.buffer if getattr(out, "encoding", "").lower().replace("-", "") == "utf8" and hasattr(out, "buffer") else None
    workers = jobs or os.cpu_count() or 1
    for data, bad in _tagged_chunks(_lines(handle), workers):
        failed = failed or bad
        if raw_out is not None:
            raw_out.write(data)
        else:
            out.write(data.decode("utf-8"))
    out.flush()
    if failed:
        raise typer.Exit(1)


@app.command()
def explain(
    text: Annotated[str | None, typer.Argument(help="Text to explain; reads stdin when absent.")] = None,
    title: Annotated[str, typer.Option(help="Title of the text.")] = "",
    date: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD (for leaders' tenures and dates).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Show every tag with its cues, spans, sentences and score, and the mentions that did not count and why."""
    from core.explain import explain_text
    from core.tagging.tagger import Tagger

    body = text if text is not None else sys.stdin.read()
    try:
        published = parse_date(date) if date else None
    except ValueError as exc:
        raise fail(f"--date: {exc}") from None
    result = Tagger().tag(body, title, published)
    if as_json:
        typer.echo(json.dumps(result_json(result) | {"mentions": [t.model().model_dump() for t in result.all_tags() if not t.tagged]},
                              ensure_ascii=False, default=to_json, indent=2))
    else:
        typer.echo(explain_text(result))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files (.txt seed format, .jsonl) or folders.")],
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait while another program writes to the store.")] = 600.0,
) -> None:
    """Ingest articles into the store; prints new / updated / unchanged / failed counts. Writes go in
    short batches, so the dashboard keeps showing data while a large ingest runs."""
    from core.location import LAKE_ENV, default_store_path
    from core.pipeline import ingest as run_ingest
    from core.store import Store

    if store is None and os.environ.get(LAKE_ENV, "").strip():
        raise fail(f"{LAKE_ENV} is set: the app and the CLI read that Parquet lake and do not write to it; add events to it with "
                   "`geotech tag-shards` and `geotech lake merge`, or give --store (or unset GEOTECH_LAKE) to ingest into a store")
    target = Store(store or default_store_path())
    with _progress(sys.stderr.isatty()) as progress:
        task = progress.add_task("ingesting", total=None)
        try:
            report = run_ingest(paths, target, progress=lambda: progress.advance(task), wait=wait, on_wait=say)
        except GeoTechError as exc:
            raise fail(str(exc)) from None
    for problem in report.problems:
        say(f"{problem.severity}: {problem}")
    counts = report.as_dict()
    typer.echo(" ".join(f"{k}={v}" for k, v in counts.items()) + f"  store={target.path}")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Counts of events, sources, themes and countries, and the date span."""
    from core.location import default_store_path
    from core.queries import stats as store_stats

    path = store or default_store_path()
    if not path.exists():
        raise fail(f"no store at {path}; run `geotech ingest seeds/` first")
    try:
        data = store_stats(path)
    except GeoTechError as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"store      {path}\nevents     {data['events']}\nsources    {data['sources']}\n"
               f"span       {data['first_date']} .. {data['last_date']}\norgs       {data['orgs']}")
    typer.echo("themes     " + ", ".join(f"{k} {v}" for k, v in data["themes"].items()))
    typer.echo("countries  " + ", ".join(f"{k} {v}" for k, v in data["countries"].items()))


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSON Lines: {id, date, title, text, themes, countries, orgs}.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list each document's misses.")] = False,
) -> None:
    """Precision, recall and F1 for themes and countries, and recall for organizations."""
    from core.evaluate import evaluate as run_eval

    try:
        report = run_eval(gold)
    except GeoTechError as exc:
        raise fail(str(exc)) from None
    if not errors:
        report.pop("errors")
    if as_json:
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    typer.echo(f"documents {report['documents']}")
    for part in ("themes", "countries"):
        m = report[part]["micro"]
        typer.echo(f"{part:<10} micro P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}")
        for label, s in report[part]["per_label"].items():
            typer.echo(f"  {label:<18} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  n={s['support']}")
    o = report["orgs"]
    typer.echo(f"orgs       recall {o['recall']:.3f} ({o['found']}/{o['total']})")
    if errors:
        typer.echo(json.dumps(report["errors"], indent=1, ensure_ascii=False))


@app.command()
def fetch(
    source: Annotated[list[str] | None, typer.Option("--source", help="Only these sources (by name); repeatable.")] = None,
    since: Annotated[str | None, typer.Option(help="Fetch items published on or after YYYY-MM-DD.")] = None,
    sources_file: Annotated[Path | None, typer.Option("--sources", help="A TOML file of extra sources.")] = None,
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Run the live sources; one line per source; exit 1 if any failed. Stored events are never removed."""
    from core.location import LAKE_ENV, default_store_path
    from core.pipeline import RefreshOutcome, refresh
    from core.sources.spec import load_sources
    from core.store import Store

    if store is None and os.environ.get(LAKE_ENV, "").strip():
        raise fail(f"{LAKE_ENV} is set: the app and the CLI read that Parquet lake and do not write to it; give --store (or unset "
                   "GEOTECH_LAKE) to fetch into a store")
    try:
        day = parse_date(since) if since else None
        specs = [s for s in load_sources(sources_file) if s.enabled and (not source or s.name in source)]
    except (ValueError, GeoTechError) as exc:
        raise fail(str(exc)) from None
    if source and not specs:
        raise fail(f"no source named {', '.join(source)}; see core/data/sources.toml")

    def report(outcome: RefreshOutcome) -> None:
        if outcome.status != "ok":
            say(f"failed: {outcome.message}")
        else:
            typer.echo(f"{outcome.name}: ok  articles={outcome.articles} new={outcome.new} updated={outcome.updated} "
                       f"unchanged={outcome.unchanged} warnings={outcome.warnings}")

    outcomes = refresh(specs, Store(store or default_store_path()), since=day, progress=report)  # what the app's refresher runs too
    if any(o.status != "ok" for o in outcomes):
        raise typer.Exit(1)


@app.command()
def synth(
    events: Annotated[int, typer.Option("--events", help="How many synthetic events to write.", min=1)],
    seed: Annotated[int, typer.Option(help="Random seed (the same seed gives the same events).")] = 7,
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Write realistic synthetic events (ids start with `synth-`) into a store, for benchmarks."""
    import time

    from core.location import default_store_path
    from core.synth import write_synthetic

    path = store or default_store_path()
    started = time.perf_counter()
    try:
        written = write_synthetic(path, events, seed=seed)
    except GeoTechError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"wrote {written} synthetic events to {path} in {time.perf_counter() - started:.1f} s")


@app.command(name="tag-shards")
def tag_shards(
    inputs: Annotated[list[Path], typer.Argument(help="Parquet files (id, date, title, text, url, source), JSON Lines files, or folders.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder of the batch output (partitioned by year, month).")],
    jobs: Annotated[int, typer.Option(help="Processes (default: CPU count).")] = 0,
    evidence: Annotated[bool, typer.Option("--evidence/--no-evidence", help="Write the evidence table.")] = True,
) -> None:
    """Tag articles with a pool of processes, one shard (a Parquet row group, or 2,000 lines) at a time,
    into Parquet partitioned by year and month; fold it into a lake with `geotech lake merge`."""
    from core.lake import tag_shards as run

    with _progress(sys.stderr.isatty()) as progress:
        task = progress.add_task("tagging shards", total=None)
        try:
            counts = run(inputs, output, jobs, evidence, progress=lambda done, total: progress.update(task, completed=done, total=total))
        except GeoTechError as exc:
            raise fail(str(exc)) from None
    typer.echo(json.dumps(counts))
    if counts["problems"]:
        say(f"{counts['problems']} rows could not be tagged; see {output / 'problems'}")


@app.command(name="spark-tag")
def spark_tag(
    source: Annotated[str, typer.Argument(help="Articles: JSON Lines or Parquet, a local path or an s3a:// gs:// abfss:// URI.")],
    output: Annotated[str, typer.Argument(help="Folder or URI of the batch output.")],
    master: Annotated[str, typer.Option(help="Spark master (local[2], spark://host:7077, yarn...).")] = "local[*]",
    evidence: Annotated[bool, typer.Option("--evidence/--no-evidence", help="Write the evidence table.")] = True,
    partition_mb: Annotated[int, typer.Option(help="Input split size in MB (spark.sql.files.maxPartitionBytes).", min=1)] = 8,
) -> None:
    """Tag articles on Apache Spark (the `spark` extra and a Java runtime); writes what `tag-shards` writes."""
    from core.spark_job import main as spark_main

    args = [source, output, "--master", master, "--partition-mb", str(partition_mb)] + ([] if evidence else ["--no-evidence"])
    raise typer.Exit(spark_main(args))


lake_app = typer.Typer(help="The Parquet lake: merge batch outputs into it, import it into a store.", no_args_is_help=True)
app.add_typer(lake_app, name="lake")


@lake_app.command("merge")
def lake_merge(
    output: Annotated[Path, typer.Argument(help="A batch output of `tag-shards` or `spark-tag`.")],
    lake: Annotated[Path, typer.Argument(help="The lake folder (created when missing).")],
) -> None:
    """Fold a batch output into a lake: each event id once (the new copy wins), only touched
    partitions rewritten, rollups brought up to date. Running it twice changes nothing more."""
    from core.lake import merge

    try:
        counts = merge(output, lake, progress=say)
    except GeoTechError as exc:
        raise fail(str(exc)) from None
    typer.echo(json.dumps(counts))


@lake_app.command("export")
def lake_export(
    lake: Annotated[Path, typer.Argument(help="A new (empty) folder for the lake.")],
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Write a store's events as a lake (partitioned Parquet with its rollups), to share it among
    dashboards through GEOTECH_LAKE or to grow it with `geotech lake merge`."""
    from core.lake import export_store
    from core.location import default_store_path

    source = store or default_store_path()
    if not source.exists():
        raise fail(f"no store at {source}; run `geotech ingest seeds/` first")
    try:
        counts = export_store(source, lake)
    except GeoTechError as exc:
        raise fail(str(exc)) from None
    typer.echo(json.dumps(counts))


@lake_app.command("import")
def lake_import(
    lake: Annotated[str, typer.Argument(help="The lake: a folder or an object-storage URI.")],
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Load a lake into a store file (events with the same ids are replaced), in one transaction."""
    from core.lake import import_lake
    from core.store import store_file

    target = store or store_file()
    try:
        counts = import_lake(lake, target)
    except GeoTechError as exc:
        raise fail(str(exc)) from None
    typer.echo(json.dumps({**counts, "store": str(target)}))


FilterOption = Annotated[list[str] | None, typer.Option(help="Repeatable.", show_default=False)]


def _view_params(view: str | None, **options: list[str] | None) -> dict[str, list[str]]:
    """A view's URL parameters from a pasted app link or query string and from filter options."""
    from urllib.parse import parse_qs, urlsplit

    params: dict[str, list[str]] = {}
    if view:
        query = urlsplit(view).query if "://" in view or view.startswith("/") else view.lstrip("?")
        params = {k: list(v) for k, v in parse_qs(query, keep_blank_values=False).items()}
    for name, values in options.items():
        if values:
            params.setdefault(name, []).extend(values)
    return params


def _view_or_fail(params: dict[str, list[str]]) -> Any:
    from core.api import BadRequest, view

    try:
        return view(params)
    except BadRequest as exc:
        raise fail(f"{exc} (filters take the app's URL parameters: theme, country, org, dates, q, instrument, stage, "
                   "actor, target, rel)", code=2) from None


def _existing_store(store: Path | None) -> Path:
    from core.location import default_store_path

    path = store or default_store_path()
    if not path.exists():
        raise fail(f"no store at {path}; run `geotech ingest seeds/` first")
    return path


@app.command()
def feed(
    view: Annotated[str | None, typer.Argument(help="A view's link from the app, or its query string "
                                                    "('theme=ai&country=JP').", show_default=False)] = None,
    theme: FilterOption = None, country: FilterOption = None, org: FilterOption = None,
    dates: Annotated[list[str] | None, typer.Option(help="Start and end, YYYY-MM-DD (give it twice).",
                                                    show_default=False)] = None,
    q: Annotated[str | None, typer.Option(help="Text search.", show_default=False)] = None,
    instrument: FilterOption = None, stage: FilterOption = None, actor: FilterOption = None, target: FilterOption = None,
    rel: FilterOption = None,
    base_url: Annotated[str, typer.Option(help="The app's address, for the entries' links.")] = "http://localhost:8501/",
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Print the Atom feed of a view (its newest 50 events), as the app serves at /feed.atom:
    `geotech feed --theme export_controls --country CN > view.atom`."""
    from core import api

    params = _view_params(view, theme=theme, country=country, org=org, dates=dates, q=[q] if q else None,
                          instrument=instrument, stage=stage, actor=actor, target=target, rel=rel)
    _view_or_fail(params)
    path = _existing_store(store)
    try:
        typer.echo(api.feed(path, params, base_url.rstrip("/") + "/"))
    except GeoTechError as exc:
        raise fail(str(exc)) from None


@app.command()
def export(
    view: Annotated[str | None, typer.Argument(help="A view's link from the app, or its query string.",
                                               show_default=False)] = None,
    theme: FilterOption = None, country: FilterOption = None, org: FilterOption = None,
    dates: Annotated[list[str] | None, typer.Option(help="Start and end, YYYY-MM-DD (give it twice).",
                                                    show_default=False)] = None,
    q: Annotated[str | None, typer.Option(help="Text search.", show_default=False)] = None,
    instrument: FilterOption = None, stage: FilterOption = None, actor: FilterOption = None, target: FilterOption = None,
    rel: FilterOption = None,
    fmt: Annotated[str, typer.Option("--format", help="csv, json or parquet.")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (needed for parquet; "
                                                "csv and json go to standard output without it).")] = None,
    store: Annotated[Path | None, typer.Option(help="Store file (default: $GEOTECH_STORE or the user data folder).")] = None,
) -> None:
    """Export a view's events as the app's Export button does (CSV or JSON), or as Parquet:
    `geotech export --theme ai --country JP --format csv > ai-jp.csv`."""
    from core import export as exports
    from core.queries import export_rows

    if fmt not in ("csv", "json", "parquet"):
        raise fail(f"--format {fmt!r}: use csv, json or parquet", code=2)
    if fmt == "parquet" and output is None:
        raise fail("--format parquet needs --output FILE (Parquet is binary)", code=2)
    params = _view_params(view, theme=theme, country=country, org=org, dates=dates, q=[q] if q else None,
                          instrument=instrument, stage=stage, actor=actor, target=target, rel=rel)
    f = _view_or_fail(params)
    path = _existing_store(store)
    try:
        rows = export_rows(path, f)
        if fmt == "parquet":
            assert output is not None
            exports.to_parquet(rows, output)
        else:
            text = exports.to_csv(rows) if fmt == "csv" else exports.to_json(rows)
            if output is None:
                sys.stdout.write(text)
            else:
                output.write_text(text, encoding="utf-8")
    except (GeoTechError, OSError) as exc:
        raise fail(str(exc)) from None
    if output is not None:
        say(f"wrote {len(rows)} events to {output}")


def main() -> None:
    try:
        app()
    except GeoTechError as exc:
        say(f"error: {exc}")
        sys.exit(1)


if __name__ == "__main__":
    main()
