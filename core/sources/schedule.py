"""When each live source last ran, whether that worked, and when it is due again.

A source is due when its last recorded run (the store's `runs` table, written by
`core.pipeline.store_run`) is older than its time-to-live: its `cadence_minutes`, or one
time-to-live for every source when given. This module only reads the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from core.clock import naive_utc, utc_now
from core.sources.errors import UNREACHABLE
from core.sources.spec import SourceSpec
from core.store import connect


@dataclass(frozen=True)
class SourceState:
    """One configured source as the runs table knows it (times are naive UTC, as stored)."""

    name: str
    kind: str
    ttl_minutes: int
    last_run: dt.datetime | None = None
    status: str | None = None  # of the last run: ok | failed; None when it never ran
    message: str = ""
    last_ok: dt.datetime | None = None
    failure_kind: str | None = None  # of the last run, when it failed (older stores keep none)

    @property
    def next_due(self) -> dt.datetime | None:
        """When the source should run again (None: now, it never ran)."""
        return self.last_run + dt.timedelta(minutes=self.ttl_minutes) if self.last_run else None

    def is_due(self, now: dt.datetime) -> bool:
        due = self.next_due
        return due is None or naive_utc(now) >= due

    @property
    def offline(self) -> bool:
        """The last run failed because the network or the source's server could not be reached."""
        return self.status == "failed" and self.failure_kind in UNREACHABLE


@dataclass(frozen=True)
class RefreshSummary:
    """What the store says about live refreshes, for the dashboard's status line."""

    sources: tuple[SourceState, ...]
    last_attempt: dt.datetime | None  # the latest run of any configured source
    last_success: dt.datetime | None  # the latest ok run of any configured source

    @property
    def ran(self) -> list[SourceState]:
        return [s for s in self.sources if s.last_run is not None]

    @property
    def ok(self) -> int:
        """Sources whose last run was ok."""
        return sum(s.status == "ok" for s in self.sources)

    @property
    def offline(self) -> bool:
        """Every source that ran last failed, and at least one could not reach the network."""
        ran = self.ran
        return bool(ran) and all(s.status == "failed" for s in ran) and any(s.offline for s in ran)


def source_states(path: Path, specs: list[SourceSpec], ttl_minutes: int | None = None) -> list[SourceState]:
    """Every configured source with its last run, last status and message, and last successful run."""
    rows: dict[str, tuple] = {}
    if path.exists() and specs:
        with connect(path, read_only=True) as con:
            tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            if "runs" in tables:
                rows = {r[0]: r[1:] for r in con.execute("""
                    SELECT source, max(finished), arg_max(status, finished), arg_max(message, finished),
                           max(finished) FILTER (WHERE status = 'ok'), arg_max(failure_kind, finished)
                    FROM runs WHERE source IN (SELECT unnest(?::VARCHAR[])) GROUP BY source""",
                    [[s.name for s in specs]]).fetchall()}
    states = []
    for spec in specs:
        last_run, status, message, last_ok, kind = rows.get(spec.name, (None, None, "", None, None))
        states.append(SourceState(spec.name, spec.kind, ttl_minutes or spec.cadence_minutes, last_run, status,
                                  message or "", last_ok, kind))
    return states


def summarize(states: list[SourceState]) -> RefreshSummary:
    runs = [s.last_run for s in states if s.last_run]
    oks = [s.last_ok for s in states if s.last_ok]
    return RefreshSummary(tuple(states), max(runs, default=None), max(oks, default=None))


def due(specs: list[SourceSpec], states: list[SourceState], now: dt.datetime | None = None) -> list[SourceSpec]:
    """The sources whose last run is older than their time-to-live (or that never ran)."""
    now = now or utc_now()
    by_name = {s.name: s for s in states}
    return [spec for spec in specs if spec.name not in by_name or by_name[spec.name].is_due(now)]
