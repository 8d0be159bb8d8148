"""The one module that caches store queries. Cached functions take small hashable
values (the store path, its modification time, the filters), never big frames."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core import (
    Filters,
    GeoTechError,
    InstrumentView,
    RefreshSummary,
    SourceSpec,
    Store,
    default_store_path,
    ensure_seeded,
    queries,
    source_states,
    summarize,
    usable_sources,
)
from core import instruments as core_instruments

TTL = 600


def store_path() -> Path:
    return default_store_path()


def store_version(path: Path) -> float:
    """Changes whenever the store file is written, so caches refresh after an ingest."""
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_resource(show_spinner="Building the event store from seeds/ (first run only)…")
def ensure_store(path_str: str) -> int:
    """Build the store from seeds/ when missing or empty; returns the number of events."""
    store = Store(Path(path_str))
    ensure_seeded(store)
    return store.count()


@st.cache_data(ttl=TTL, show_spinner=False)
def options(path_str: str, version: float) -> queries.Options:
    return queries.options(Path(path_str))


@st.cache_data(ttl=TTL, show_spinner=False)
def summary(path_str: str, version: float, f: Filters) -> queries.Summary:
    return queries.summary(Path(path_str), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def timeline(path_str: str, version: float, f: Filters, period: str) -> pd.DataFrame:
    return queries.timeline(Path(path_str), f, period)


@st.cache_data(ttl=TTL, show_spinner=False)
def theme_country(path_str: str, version: float, f: Filters) -> pd.DataFrame:
    return queries.theme_country(Path(path_str), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def top_orgs(path_str: str, version: float, f: Filters, limit: int = 15) -> pd.DataFrame:
    return queries.top_orgs(Path(path_str), f, limit)


@st.cache_data(ttl=TTL, show_spinner=False)
def events_page(path_str: str, version: float, f: Filters, limit: int, offset: int, sort: str = "newest") -> pd.DataFrame:
    return queries.events_page(Path(path_str), f, limit, offset, sort)


@st.cache_data(ttl=TTL, show_spinner=False)
def compare(path_str: str, version: float, f: Filters, last: dt.date | None) -> queries.Comparison | None:
    """Counts in the current period and the previous one of equal length (None without dates)."""
    periods = queries.windows(f, last)
    return queries.compare(Path(path_str), f, *periods) if periods else None


@st.cache_data(ttl=TTL, show_spinner=False)
def related(path_str: str, version: float, event_id: str) -> pd.DataFrame:
    return queries.related(Path(path_str), event_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def pair_themes(path_str: str, version: float, f: Filters, source: str, target: str, period: str) -> pd.DataFrame:
    return queries.pair_themes(Path(path_str), f, source, target, period)


@st.cache_data(ttl=TTL, show_spinner=False)
def count(path_str: str, version: float, f: Filters) -> int:
    return queries.count(Path(path_str), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def event_detail(path_str: str, version: float, event_id: str) -> dict[str, Any] | None:
    return queries.event_detail(Path(path_str), event_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def health(path_str: str, version: float) -> dict[str, pd.DataFrame]:
    return queries.health(Path(path_str))


@st.cache_data(ttl=TTL, show_spinner=False)
def upcoming(path_str: str, version: float, f: Filters, today: dt.date, past: bool = False,
             after: dt.date | None = None) -> pd.DataFrame:
    return queries.upcoming(Path(path_str), f, today, past=past, after=after)


@st.cache_data(ttl=TTL, show_spinner="Preparing the export…")
def export_rows(path_str: str, version: float, f: Filters) -> list[dict[str, Any]]:
    return queries.export_rows(Path(path_str), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def relation_pairs(path_str: str, version: float, f: Filters) -> pd.DataFrame:
    return queries.relation_pairs(Path(path_str), f)


@st.cache_data(ttl=TTL, show_spinner=False)
def country_counts(path_str: str, version: float, f: Filters) -> dict[str, int]:
    return queries.value_counts(Path(path_str), f, "countries")


@st.cache_data(ttl=TTL, show_spinner=False)
def country_relations(path_str: str, version: float, f: Filters, code: str) -> pd.DataFrame:
    return queries.country_relations(Path(path_str), f, code)


@st.cache_data(ttl=TTL, show_spinner=False)
def live_sources(extra: str) -> tuple[list[SourceSpec], str]:
    """The live sources in use and '', or (when a sources file is invalid) the default sources and
    the reason, or no sources and the reason when even the defaults cannot be read."""
    try:
        return usable_sources(extra)
    except GeoTechError as exc:
        return [], str(exc)


@st.cache_data(ttl=TTL, show_spinner=False)
def refresh_summary(path_str: str, version: float, extra: str, ttl: int | None) -> RefreshSummary:
    """Per configured source: last run, status, last successful run, time-to-live; and the overall picture."""
    specs, _ = live_sources(extra)
    return summarize(source_states(Path(path_str), specs, ttl))


@st.cache_data(ttl=TTL, show_spinner=False)
def instruments(path_str: str, version: float, f: Filters, today: dt.date) -> list[InstrumentView]:
    return core_instruments.instruments(Path(path_str), f, today)


@st.cache_data(ttl=TTL, show_spinner=False)
def freshness(path_str: str, version: float, today: dt.date) -> queries.Freshness:
    return queries.freshness(Path(path_str), today)


@st.cache_data(ttl=TTL, show_spinner=False)
def rises(path_str: str, version: float, f: Filters, last: dt.date | None) -> list[queries.Rise]:
    """What rose most against the previous period of equal length (empty without dates)."""
    periods = queries.windows(f, last)
    return queries.rises(Path(path_str), f, *periods) if periods else []
