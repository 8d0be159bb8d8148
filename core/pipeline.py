"""Ingest: read files, normalize each article into an event, upsert into the store."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.clock import naive_utc
from core.errors import GeoTechError, one_line
from core.ingest.readers import read_paths
from core.ingest.records import Problem
from core.merge import merge_events
from core.models import Article, Event
from core.normalize import normalize
from core.primary import PrimaryDocument, deadline_articles, links
from core.sources.runner import SourceRun, fetch
from core.store import WRITER_WAIT_SECONDS, Store, writer_lock
from core.tagging.tagger import Tagger

if TYPE_CHECKING:
    import httpx

    from core.sources.spec import SourceSpec

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed}


def build_events(items: Iterable[Article | Problem], tagger: Tagger, report: IngestReport,
                 progress: Callable[[], None] | None = None) -> list[Event]:
    """Events from readers' output; problems go into the report."""
    events: dict[str, Event] = {}
    for item in items:
        if isinstance(item, Problem):
            report.problems.append(item)
        else:
            events[item.id] = normalize(item, tagger)
        if progress:
            progress()
    return list(events.values())


BATCH = 1_000  # articles tagged, then merged and written in one short transaction


def ingest(paths: list[Path], store: Store, tagger: Tagger | None = None,
           progress: Callable[[], None] | None = None, wait: float = WRITER_WAIT_SECONDS,
           on_wait: Callable[[str], None] | None = None) -> IngestReport:
    """Ingest files and folders into the store; bad files and lines are reported, the rest lands.

    Articles are read and tagged in batches; each batch is merged with the store and written in one
    short transaction under the writer lock, so readers (the app) see the last good data between
    batches, memory stays bounded whatever the input's size, and a second writer waits its turn.
    """
    report = IngestReport()
    tagger = tagger or Tagger()
    started, articles = naive_utc(), 0
    items = iter(read_paths(paths))
    while batch := list(itertools.islice(items, BATCH)):
        seen = len(report.problems)
        events = build_events(batch, tagger, report, progress)
        articles += len(events)
        issues = [(p.source, p.line, p.severity, p.reason) for p in report.problems[seen:]]
        with writer_lock(store.path, wait, on_wait):
            merged, absorbed = merge_with_store(events, store)
            counts = store.upsert(merged, issues, remove=absorbed)
        report.new, report.updated, report.unchanged = (report.new + counts.new, report.updated + counts.updated,
                                                         report.unchanged + counts.unchanged)
    warnings = sum(1 for p in report.problems if p.severity == "warning")
    store.record_run({
        "source": "ingest: " + ", ".join(str(p) for p in paths), "kind": "ingest", "started": started, "finished": naive_utc(),
        "status": "failed" if report.failed else "ok", "articles": articles, "new": report.new, "updated": report.updated,
        "unchanged": report.unchanged, "warnings": warnings, "errors": report.failed, "message": "",
    })
    return report


def store_fetched(articles: list[Article], problems: list[Problem], documents: list[PrimaryDocument], store: Store,
                  source: str, tagger: Tagger | None = None) -> IngestReport:
    """Store what one live source returned: its articles as events (merged), the rules it
    reported with their deadline events, and the links from events to the rules they report."""
    tagger = tagger or Tagger()
    report = IngestReport(problems=list(problems))
    deadline = [a for d in documents for a in deadline_articles(d)]
    events = build_events([*articles, *deadline], tagger, report)
    with writer_lock(store.path):
        merged, absorbed = merge_with_store(events, store)
        counts = store.upsert(merged, [(p.source, p.line, p.severity, p.reason) for p in problems], remove=absorbed)
        known = [*store.documents(), *documents]
        store.save_documents(documents, [(e.id, n) for e in merged for n in links(e, known)])
    report.new, report.updated, report.unchanged = counts.new, counts.updated, counts.unchanged
    return report


def merge_with_store(events: list[Event], store: Store) -> tuple[list[Event], list[str]]:
    """New events merged with each other and with stored events of the same happening (only the
    events that the new ones made or changed); and the ids of stored events that merged into
    another event (their sources live on in it).

    Which stored events take part is decided on light copies (no tags); only those are then read
    whole, so a batch costs what it touches, not what the store holds near its dates.
    """
    fresh_articles = {s.article_id for e in events for s in e.sources}
    light = store.merge_candidates(events)
    involved = _involved(light, events, fresh_articles)
    return _merge(events, store.events(involved), fresh_articles)


def _involved(stored: list[Event], events: list[Event], fresh_articles: set[str]) -> list[str]:
    """The ids of stored events that merge with a new event (or are re-ingested)."""
    new_ids = {e.id for e in events}
    stored_ids = frozenset(s.id for s in stored)
    merged = merge_events([*stored, *(e for e in events if e.id not in stored_ids)], leaders=stored_ids)
    stored_by_article = {a.article_id: s.id for s in stored for a in s.sources}
    involved = {s.id for s in stored if s.id in new_ids}
    for event in merged:
        articles = {a.article_id for a in event.sources}
        if articles & fresh_articles:
            involved |= {stored_by_article[a] for a in articles if a in stored_by_article}
    return sorted(involved)


def _merge(events: list[Event], stored_events: list[Event], fresh_articles: set[str]) -> tuple[list[Event], list[str]]:
    fresh = {e.id: e for e in events}
    stored = []
    for old in stored_events:
        new = fresh.pop(old.id, None)
        if new is None:
            stored.append(old)
        else:  # a re-ingested article: its fresh tags win, sources merged earlier are kept
            known = {s.article_id for s in new.sources}
            stored.append(new.model_copy(update={"sources": (*new.sources, *(s for s in old.sources if s.article_id not in known))}))
    merged = merge_events([*stored, *fresh.values()], leaders=frozenset(e.id for e in stored))
    kept = {e.id for e in merged}
    touched = [e for e in merged if any(s.article_id in fresh_articles for s in e.sources)]
    return touched, sorted(e.id for e in stored if e.id not in kept)


def ensure_seeded(store: Store, seeds: Path = SEEDS_DIR) -> IngestReport | None:
    """Build the store from seeds/ when it is missing or empty; None when it has data."""
    if store.count() > 0:
        return None
    return ingest([seeds], store)


def store_run(run: SourceRun, store: Store, tagger: Tagger | None = None) -> IngestReport:
    """Store one live source's run (its articles, rules and problems) and record the run itself.

    A failed source changes nothing but the runs and issues tables: its partial articles are dropped.
    """
    if run.status == "ok":
        report = store_fetched(run.articles, run.problems, run.documents, store, run.name, tagger)
    else:
        report = IngestReport(problems=list(run.problems))
        store.upsert([], [(p.source, p.line, p.severity, p.reason) for p in report.problems])
    store.record_run({
        "source": run.name, "kind": run.kind, "started": naive_utc(run.started), "finished": naive_utc(run.finished),
        "status": run.status,
        "articles": len(run.articles), "new": report.new, "updated": report.updated, "unchanged": report.unchanged,
        "warnings": sum(1 for p in run.problems if p.severity == "warning"), "errors": int(run.status != "ok"),
        "message": run.message, "failure_kind": run.failure_kind,
    })
    return report


@dataclass
class RefreshOutcome:
    """One live source's run as stored by `refresh`."""

    name: str
    status: str  # ok | failed
    message: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: int = 0
    warnings: int = 0


def refresh(specs: list[SourceSpec], store: Store, *, since: dt.date | None = None, client: httpx.Client | None = None,
            sleep: Callable[[float], None] | None = None, tagger: Tagger | None = None,
            progress: Callable[[RefreshOutcome], None] | None = None,
            stop: Callable[[], bool] | None = None) -> list[RefreshOutcome]:
    """Run live sources and store each one's run as soon as it finishes, as `geotech fetch` does.

    A source that fails, or whose run cannot be stored, is reported in its outcome; the others go
    on, and stored events are never removed.
    """
    tagger = tagger or Tagger()
    outcomes: list[RefreshOutcome] = []

    def keep(run: SourceRun) -> None:
        try:
            stored = store_run(run, store, tagger)
            outcome = RefreshOutcome(run.name, run.status, run.message, stored.new, stored.updated, stored.unchanged,
                                     len(run.articles), sum(1 for p in run.problems if p.severity == "warning"))
        except GeoTechError as exc:
            outcome = RefreshOutcome(run.name, "failed", one_line(f"{run.name}: failed to store: {exc}"))
        outcomes.append(outcome)
        if progress:
            progress(outcome)

    fetch(specs, since, client=client, sleep=sleep or time.sleep, progress=keep, stop=stop)
    return outcomes
