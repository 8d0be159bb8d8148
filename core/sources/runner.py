"""Run every live source on its own: one failing source never stops the others.

`fetch()` returns a `FetchReport` with, per source, its status, articles, problems and a
one-line message, its failure kind, and the Federal Register documents it found. A failed source keeps the articles
it emitted before it failed (each is whole and has a stable id). Nothing is written to the store
here; the pipeline stores what the report holds.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from core.clock import utc_now
from core.errors import one_line
from core.ingest.records import Problem
from core.models import Article
from core.primary import PrimaryDocument
from core.sources import csv_events, federal_register, gdelt_doc, gdelt_events, rss
from core.sources.context import FetchContext, Network, build_client
from core.sources.errors import FailureKind, SourceError
from core.sources.spec import SourceSpec

Crawler = Callable[[FetchContext, SourceSpec, dt.date | None], None]
CRAWLERS: dict[str, Crawler] = {
    "gdelt_doc": gdelt_doc.crawl, "federal_register": federal_register.crawl, "rss": rss.crawl,
    "gdelt_events": gdelt_events.crawl, "csv": csv_events.crawl,
}


@dataclass
class SourceRun:
    """What one source returned in one run."""

    name: str
    kind: str
    status: str  # ok | failed
    started: dt.datetime
    finished: dt.datetime
    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    documents: list[PrimaryDocument] = field(default_factory=list)
    message: str = ""
    failure_kind: FailureKind | None = None
    """Why the run failed (None when it did not)."""


@dataclass
class FetchReport:
    """Every source's run."""

    sources: list[SourceRun] = field(default_factory=list)


def fetch(specs: list[SourceSpec], since: dt.date | None, client: httpx.Client | None = None,
          sleep: Callable[[float], None] = time.sleep, progress: Callable[[SourceRun], None] | None = None,
          now: Callable[[], dt.datetime] = utc_now, stop: Callable[[], bool] | None = None) -> FetchReport:
    """Run every source; `progress` is called after each with its SourceRun; when `stop()` turns
    true, the sources not yet started are left out."""
    own = client is None
    http = client or build_client()
    report = FetchReport()
    network = Network()
    try:
        for spec in specs:
            if stop is not None and stop():
                break
            run = run_source(spec, since, FetchContext(spec.name, http, sleep=sleep, now=now, network=network))
            report.sources.append(run)
            if progress:
                progress(run)
    finally:
        if own:
            http.close()
    return report


def run_source(spec: SourceSpec, since: dt.date | None, context: FetchContext) -> SourceRun:
    """One source's crawl, its failure turned into a one-line message, its count checked against the expected range."""
    started = context.now()
    status, message, kind = "ok", "", None
    try:
        CRAWLERS[spec.kind](context, spec, since)
    except SourceError as exc:
        status, message, kind = "failed", one_line(str(exc)), exc.kind
    except Exception as exc:  # last resort: a failure no ingester anticipated fails this source only
        status, message, kind = "failed", one_line(f"{spec.name}: {type(exc).__name__}: {exc}; report it if it persists"), "unexpected"
        context.error(spec.name, "unexpected failure (for maintainers): " + one_line(
            " | ".join(traceback.format_exception(exc)[-3:]), 1500))
    if status == "ok":
        check_count(context, spec)
        message = f"{len(context.articles)} articles"
    return SourceRun(spec.name, spec.kind, status, started, context.now(), list(context.articles),
                     list(context.problems), list(context.documents), message, kind)


def check_count(context: FetchContext, spec: SourceSpec) -> None:
    """A warning when a run returned fewer or more articles than the source usually gives."""
    count = len(context.articles)
    if count < spec.expected_min:
        context.warn(spec.name, f"{count} articles, fewer than the expected {spec.expected_min}; check the query or url")
    elif spec.expected_max is not None and count > spec.expected_max:
        context.warn(spec.name, f"{count} articles, more than the expected {spec.expected_max}; check the query")
