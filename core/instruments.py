"""Policy instruments and their lifecycles: one law, rule, programme or sanction regime, several
dated stages (proposed, adopted, in force, suspended, rescinded ...), and its status as of a day.

Curated events carry `instrument` and `stage`; this module reads them back from the store as
small typed objects for the Instruments page, the CLI and the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from core.models import STAGES
from core.queries import Filters
from core.store import connect

STAGE_LABELS = {
    "proposed": "Proposed", "adopted": "Adopted", "published": "Published", "in_force": "In force",
    "applies": "Applies", "amended": "Amended", "suspended": "Suspended", "rescinded": "Rescinded",
    "expired": "Expired", "struck_down": "Struck down", "other": "Other step",
}
# What a stage that has happened says about the instrument; "other" (a consultation, a court
# challenge filed) says nothing, so the stage before it stands.
STATUS_AFTER = {
    "proposed": "pending", "adopted": "adopted", "published": "adopted", "in_force": "in force", "applies": "in force",
    "amended": "in force", "suspended": "suspended", "rescinded": "rescinded", "expired": "expired",
    "struck_down": "struck down",
}
STATUSES = ("pending", "adopted", "in force", "suspended", "rescinded", "expired", "struck down")


@dataclass(frozen=True)
class StageEvent:
    """One dated stage of an instrument: the event that records it."""

    event_id: str
    date: dt.date | None
    date_precision: str
    stage: str
    title: str
    scheduled: bool

    @property
    def label(self) -> str:
        return STAGE_LABELS.get(self.stage, self.stage)


@dataclass(frozen=True)
class InstrumentView:
    """An instrument with its stages in date order and its status as of a day."""

    id: str
    name: str
    stages: tuple[StageEvent, ...]
    status: str
    """pending, adopted, in force, suspended, rescinded, expired or struck down."""
    since: dt.date | None
    """The date of the stage that set the status."""
    as_scheduled: bool
    """True when the status comes from a stage that was announced in advance and that no later
    record confirms (the date has passed; whether it held, an extension say, is not recorded)."""
    next: StageEvent | None
    """The first stage dated after the day, if one is scheduled."""


def _order(s: StageEvent) -> tuple[dt.date, int, str]:
    return (s.date or dt.date.min, STAGES.index(s.stage) if s.stage in STAGES else len(STAGES), s.event_id)


def status(stages: list[StageEvent], today: dt.date) -> tuple[str, StageEvent | None, StageEvent | None]:
    """The status as of `today` (from the last stage on or before it that says something), the stage
    that began it (an instrument in force since 2024 stays "in force since 2024" when a later
    obligation applies), and the next stage after `today`."""
    done = [s for s in sorted(stages, key=_order) if s.date is not None and s.date <= today]
    ahead = [s for s in sorted(stages, key=_order) if s.date is not None and s.date > today]
    current, setter = "pending", None
    for s in done:
        if s.stage in STATUS_AFTER and STATUS_AFTER[s.stage] != current:  # the stage that began the current status
            current, setter = STATUS_AFTER[s.stage], s
    confirmed = [s for s in done if s.stage in STATUS_AFTER and not s.scheduled]
    if setter is not None and setter.scheduled and confirmed:  # a confirmed stage after it that keeps the status
        later = [s for s in confirmed if _order(s) > _order(setter) and STATUS_AFTER[s.stage] == current]
        setter = later[0] if later else setter
    return current, setter, (ahead[0] if ahead else None)


def instruments(path: Path, f: Filters, today: dt.date) -> list[InstrumentView]:
    """The instruments with at least one event under the filters, each with all its stages, the one
    with the latest stage on or before `today` first."""
    where, params = f.where()
    sql = f"""SELECT e.instrument_id, e.instrument_name, e.id, e.date, e.date_precision, e.stage, e.title, e.scheduled
              FROM events e
              WHERE e.instrument_id IN (SELECT DISTINCT e.instrument_id FROM events e WHERE {where} AND e.instrument_id IS NOT NULL)
              ORDER BY e.instrument_id, e.date, e.id"""
    with connect(path, read_only=True) as con:
        rows = con.execute(sql, params).fetchall()
    grouped: dict[str, tuple[str, list[StageEvent]]] = {}
    for iid, name, eid, day, precision, stage, title, scheduled in rows:
        grouped.setdefault(iid, (name, []))[1].append(StageEvent(eid, day, precision, stage, title, bool(scheduled)))
    views = []
    for iid, (name, stages) in grouped.items():
        ordered = tuple(sorted(stages, key=_order))
        state, setter, upcoming = status(list(ordered), today)
        views.append(InstrumentView(iid, name, ordered, state, setter.date if setter else None,
                                    bool(setter and setter.scheduled), upcoming))
    return sorted(views, key=lambda v: (-_last_active(v, today).toordinal(), v.name))


def _last_active(view: InstrumentView, today: dt.date) -> dt.date:
    """The date of the instrument's latest stage on or before today."""
    return max((s.date for s in view.stages if s.date is not None and s.date <= today), default=dt.date.min)
