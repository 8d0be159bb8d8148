"""How old the data is, said plainly in the sidebar and on the Overview."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from core import GeoTechError
from core.queries import REFRESH_RECENT_DAYS, STALE_DAYS, Freshness
from dashboard import data


def _age(days: int | None) -> str:
    if days is None:
        return ""
    return "today" if days == 0 else "1 day ago" if days == 1 else f"{days:,} days ago"


def line(fresh: Freshness) -> str:
    """'Newest event 2026-01-15 (326 days ago) · last live refresh: never'."""
    newest = f"Newest event {fresh.newest_event} ({_age(fresh.age_days)})" if fresh.newest_event else "No dated event yet"
    refreshed = f"{fresh.last_refresh:%Y-%m-%d %H:%M} UTC" if fresh.last_refresh else "never"
    return f"{newest} · last successful live refresh: {refreshed}"


def warning(fresh: Freshness) -> str | None:
    """The plain warning when the data is old, or None."""
    if not fresh.stale:
        return None
    how_old = f"is {fresh.age_days:,} days old" if fresh.age_days is not None else "is missing"
    when = "has ever succeeded" if fresh.last_refresh is None else f"has succeeded in the last {REFRESH_RECENT_DAYS} days"
    return (f"The data is old: the newest event {how_old} (more than {STALE_DAYS}) and no live source {when}. "
            "Recent happenings are missing. Run `geotech fetch` where the sources can be reached, or see Data health.")


def get(path: Path) -> Freshness | None:
    try:
        return data.freshness(str(path), data.store_version(path), dt.date.today())
    except GeoTechError:
        return None  # the pages say what is wrong with the store


def sidebar(path: Path) -> None:
    fresh = get(path)
    if fresh is None:
        return
    st.sidebar.caption(f":material/schedule: {line(fresh)}")
    if fresh.stale:
        st.sidebar.warning("The data is old: see the Overview.", icon=":material/history:")


def banner(path: Path) -> None:
    fresh = get(path)
    if fresh is None:
        return
    text = warning(fresh)
    if text:
        st.warning(text, icon=":material/history:")
    else:
        st.caption(line(fresh))
