"""The app's side of the background refresh: its settings, one `core.refresher.Refresher` per
server process (cached), and the status line. The thread and the scheduler live in core.

Settings (environment variables, or root-level keys of st.secrets):
- GEOTECH_REFRESH: `on` (default) or `off` (no automatic refresh; "Refresh now" still works).
- GEOTECH_REFRESH_MINUTES: one time-to-live in minutes for every source (default: each
  source's `cadence_minutes`).
- GEOTECH_SOURCES: a TOML file of extra sources, as for `geotech fetch --sources`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

import streamlit as st

from core import LAKE_ENV, GeoTechError, Refresher, RefreshState, RefreshSummary, activate
from dashboard import data
from dashboard.text import escape_markdown

SWITCH = "GEOTECH_REFRESH"
MINUTES = "GEOTECH_REFRESH_MINUTES"
SOURCES = "GEOTECH_SOURCES"
OFF = ("off", "0", "false", "no")
log = logging.getLogger(__name__)


def setting(name: str) -> str | None:
    """An environment variable, else a root-level key of st.secrets, else None."""
    value = os.environ.get(name)
    if value is not None:
        return value.strip()
    try:
        secret = st.secrets.get(name)
    except Exception:  # no secrets file, or one that cannot be read: settings are optional
        return None
    return None if secret is None else str(secret).strip()


def reads_lake() -> str | None:
    """The Parquet lake the app reads (GEOTECH_LAKE), or None for a store. A lake is read only:
    nothing refreshes it from the app; `geotech lake merge` adds events."""
    return os.environ.get(LAKE_ENV, "").strip() or None


def auto_enabled() -> bool:
    """Automatic refresh is on unless GEOTECH_REFRESH says off, or the app reads a lake."""
    return (setting(SWITCH) or "on").lower() not in OFF and not reads_lake()


def ttl_minutes() -> int | None:
    """GEOTECH_REFRESH_MINUTES as a positive whole number, else None (each source's cadence)."""
    value = setting(MINUTES)
    try:
        minutes = int(value) if value else 0
    except ValueError:
        log.warning("%s=%r is not a whole number of minutes; using each source's cadence", MINUTES, value)
        return None
    return minutes if minutes > 0 else None


def sources_file() -> str:
    """The extra sources file (GEOTECH_SOURCES), '' when none."""
    return setting(SOURCES) or ""


def _release(r: Refresher) -> None:
    """A refresher dropped from the cache ("Clear caches") stops its thread."""
    r.stop(timeout=0)


@st.cache_resource(show_spinner=False, on_release=_release)
def refresher(path_str: str, extra_sources: str, ttl: int | None, auto: bool) -> Refresher:
    """The server process's refresher for one store and settings (created once, shared by every session)."""
    return Refresher(Path(path_str), extra_sources=extra_sources, ttl=ttl, auto=auto)


def current(path: Path) -> Refresher:
    """The refresher for the store at `path` with the current settings; its thread runs when auto is on.

    Only one refresher runs per store: when the settings change (a new cached refresher), the
    previous one is stopped, so two threads never merge into the same store at once.
    """
    return activate(refresher(str(path), sources_file(), ttl_minutes(), auto_enabled()))


def _when(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


def status_line(summary: RefreshSummary, state: RefreshState | None = None) -> tuple[str, str]:
    """(kind, text) saying where the data comes from; kind is `info`, `ok`, `offline` or `seed`."""
    running = ""
    if state is not None and state.running and state.planned:
        running = f" Refreshing in the background ({len(state.outcomes)} of {len(state.planned)} sources done)."
    if summary.last_attempt is None:
        off = "" if state is None or state.auto else " Automatic refresh is off (`GEOTECH_REFRESH=off`)."
        return "seed", ("Data: the stored events (the curated timeline from seeds/ and any ingest); "
                        f"no live refresh has run yet.{off}{running}")
    if summary.offline:
        shown = (f"Showing stored data from the last successful refresh, {_when(summary.last_success)}."
                 if summary.last_success
                 else "Showing the stored events (the curated timeline and any ingest); no live refresh has succeeded yet.")
        return "offline", (f"Offline: the last refresh ({_when(summary.last_attempt)}) could not reach the sources. "
                           f"{shown}{running}")
    total = len(summary.sources)
    return ("ok" if summary.ok == total else "info",
            f"Data from the last refresh: {_when(summary.last_attempt)} ({summary.ok} of {total} sources ok).{running}")


def status(path: Path) -> tuple[Refresher, RefreshSummary, tuple[str, str]]:
    """The refresher (started when auto is on), what the store says about refreshes, and the status line."""
    r = current(path)
    summary = data.refresh_summary(str(path), data.store_version(path), sources_file(), ttl_minutes())
    return r, summary, status_line(summary, r.state())


def status_caption(path: Path) -> None:
    """The always-visible line in the sidebar: where the data comes from and when it was refreshed."""
    if lake := reads_lake():
        st.sidebar.caption(f":material/database: Data: the Parquet lake at {escape_markdown(lake)}, read only; "
                           "new events arrive with `geotech lake merge`.")
        return
    try:
        _, _, (kind, text) = status(path)
    except GeoTechError as exc:  # the pages say what is wrong with the store; the status line stays quiet
        st.sidebar.caption(f":material/help: Refresh status unavailable: {escape_markdown(exc)}")
        return
    icon = {"ok": ":material/cloud_done:", "info": ":material/cloud_sync:", "offline": ":material/cloud_off:",
            "seed": ":material/inventory_2:"}[kind]
    st.sidebar.caption(f"{icon} {text}")
