"""Background refresh of the live sources: one daemon thread per server process.

The thread runs the enabled sources of `core/data/sources.toml` (plus the file named by
GEOTECH_SOURCES) whose last recorded run is older than their time-to-live, through
`core.pipeline.refresh`, so runs, problems and events are recorded exactly as `geotech fetch`
records them. It never blocks a page: pages read the store between its short write
transactions (see `core.store.connect`). Any failure is kept in its state and shown on the
Data health page; stored events are never removed.

Settings (environment variables, or root-level keys of st.secrets):
- GEOTECH_REFRESH: `on` (default) or `off` (no automatic refresh; "Refresh now" still works).
- GEOTECH_REFRESH_MINUTES: one time-to-live in minutes for every source (default: each
  source's `cadence_minutes`).
- GEOTECH_SOURCES: a TOML file of extra sources, as for `geotech fetch --sources`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import streamlit as st

from core.errors import GeoTechError
from core.pipeline import RefreshOutcome, refresh
from core.sources.schedule import RefreshSummary, due, source_states
from core.sources.spec import SourceSpec, load_sources
from core.store import Store
from core.tagging.tagger import Tagger
from dashboard.text import escape_markdown

SWITCH = "GEOTECH_REFRESH"
MINUTES = "GEOTECH_REFRESH_MINUTES"
SOURCES = "GEOTECH_SOURCES"
OFF = ("off", "0", "false", "no")
POLL_SECONDS = 60.0
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


def auto_enabled() -> bool:
    """Automatic refresh is on unless GEOTECH_REFRESH says off."""
    return (setting(SWITCH) or "on").lower() not in OFF


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


def configured_sources(extra: str) -> list[SourceSpec]:
    """The enabled sources: the defaults plus the extra file (InputError when a file is invalid)."""
    return load_sources(Path(extra).expanduser() if extra else None)


def usable_sources(extra: str) -> tuple[list[SourceSpec], str]:
    """The configured sources and '', or, when the extra file is invalid, the default sources and
    the reason (one bad user file must not stop the default sources from refreshing)."""
    try:
        return configured_sources(extra), ""
    except GeoTechError as exc:
        if not extra:
            raise
        return configured_sources(""), f"{exc}; refreshing the default sources only"


def now_utc() -> dt.datetime:
    """The current time as the store keeps times: UTC without tzinfo."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class RefreshState:
    """What the refresher is doing and what its last refresh gave (a copy is handed to pages)."""

    auto: bool
    running: bool = False
    planned: tuple[str, ...] = ()  # the sources of the refresh in progress (or the last one)
    outcomes: list[RefreshOutcome] = field(default_factory=list)
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    error: str = ""  # a refresh that could not run at all (an invalid sources file, a store error)
    pending: bool = False  # "Refresh now" was asked for and the thread has not picked it up yet
    thread_alive: bool = False

    @property
    def busy(self) -> bool:
        return self.running or self.pending


class Refresher:
    """Runs due sources in one daemon thread; `trigger()` asks for every source now."""

    def __init__(self, path: Path, *, extra_sources: str = "", ttl: int | None = None, auto: bool = True,
                 poll_seconds: float = POLL_SECONDS, client_factory: Callable[[], httpx.Client] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.path = path
        self.extra_sources = extra_sources
        self.ttl = ttl
        self.poll_seconds = poll_seconds
        self.client_factory = client_factory  # tests pass a MockTransport client; None: the real network
        self.sleep = sleep
        self._state = RefreshState(auto=auto)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._force = False
        self._thread: threading.Thread | None = None
        self._tagger: Tagger | None = None

    # -- control ---------------------------------------------------------------------------
    def start(self) -> None:
        """Start the thread (once); with auto off it only waits for `trigger()`."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, name=f"geotech-refresh:{self.path.name}", daemon=True)
                self._thread.start()

    def trigger(self) -> bool:
        """Refresh every source now, in the background; False when a refresh is already running."""
        with self._lock:
            if self._state.running or self._force:
                return False
            self._force = True
        self.start()
        self._wake.set()
        return True

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread after the source in progress (for tests and shutdown)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def state(self) -> RefreshState:
        """A copy of the current state."""
        with self._lock:
            copy = dataclasses.replace(self._state, outcomes=list(self._state.outcomes))
            copy.pending = self._force
        copy.thread_alive = self._thread is not None and self._thread.is_alive()
        return copy

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait until no refresh is running or asked for (tests); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._state.running and not self._force:
                    return True
            time.sleep(0.02)
        return False

    # -- work ------------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                force, self._force = self._force, False
            if force or self._state.auto:
                self.run_once(force=force)
            self._wake.wait(self.poll_seconds if self._state.auto else None)
            self._wake.clear()

    def run_once(self, force: bool = False) -> list[RefreshOutcome]:
        """One refresh of the due sources (every source when forced); never raises."""
        with self._lock:
            self._state.running, self._state.error = True, ""
        try:
            specs, problem = usable_sources(self.extra_sources)
            if problem:
                with self._lock:
                    self._state.error = problem
            todo = specs if force else due(specs, source_states(self.path, specs, self.ttl), now_utc())
            if not todo:
                return []
            with self._lock:
                self._state.planned, self._state.outcomes, self._state.started = tuple(s.name for s in todo), [], now_utc()
            client = self.client_factory() if self.client_factory else None
            try:
                return refresh(todo, Store(self.path), client=client, sleep=self._sleep, tagger=self._get_tagger(),
                               progress=self._record)
            finally:
                if client is not None:
                    client.close()
        except Exception as exc:  # the thread must survive anything: record it for the Data health page
            log.exception("background refresh failed")
            with self._lock:
                self._state.error = f"{type(exc).__name__}: {exc}"
            return []
        finally:
            with self._lock:
                self._state.running, self._state.finished = False, now_utc()

    def _get_tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = Tagger()
        return self._tagger

    def _sleep(self, seconds: float) -> None:
        """Backoff waits end early when the refresher is stopped."""
        if self.sleep is time.sleep:
            self._stop.wait(seconds)
        else:
            self.sleep(seconds)

    def _record(self, outcome: RefreshOutcome) -> None:
        with self._lock:
            self._state.outcomes.append(outcome)


def _release(r: Refresher) -> None:
    """A refresher dropped from the cache ("Clear caches") stops its thread."""
    r.stop(timeout=0)


@st.cache_resource(show_spinner=False, on_release=_release)
def refresher(path_str: str, extra_sources: str, ttl: int | None, auto: bool) -> Refresher:
    """The server process's refresher for one store and settings (created once, shared by every session)."""
    return Refresher(Path(path_str), extra_sources=extra_sources, ttl=ttl, auto=auto)


_ACTIVE: dict[str, Refresher] = {}  # per store file, the one refresher allowed to run
_ACTIVE_GUARD = threading.Lock()


def current(path: Path) -> Refresher:
    """The refresher for the store at `path` with the current settings; its thread runs when auto is on.

    Only one refresher runs per store: when the settings change (a new cached refresher), the
    previous one is stopped, so two threads never merge into the same store at once.
    """
    r = refresher(str(path), sources_file(), ttl_minutes(), auto_enabled())
    key = os.path.realpath(path)
    with _ACTIVE_GUARD:
        previous = _ACTIVE.get(key)
        _ACTIVE[key] = r
    if previous is not None and previous is not r:
        previous.stop(timeout=0)
    if r.state().auto:
        r.start()
    return r


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
    from dashboard import data  # data imports this module's settings helpers

    r = current(path)
    summary = data.refresh_summary(str(path), data.store_version(path), sources_file(), ttl_minutes())
    return r, summary, status_line(summary, r.state())


def status_caption(path: Path) -> None:
    """The always-visible line in the sidebar: where the data comes from and when it was refreshed."""
    try:
        _, _, (kind, text) = status(path)
    except GeoTechError as exc:  # the pages say what is wrong with the store; the status line stays quiet
        st.sidebar.caption(f":material/help: Refresh status unavailable: {escape_markdown(exc)}")
        return
    icon = {"ok": ":material/cloud_done:", "info": ":material/cloud_sync:", "offline": ":material/cloud_off:",
            "seed": ":material/inventory_2:"}[kind]
    st.sidebar.caption(f"{icon} {text}")
