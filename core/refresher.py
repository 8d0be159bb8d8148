"""The background refresh of live sources: a scheduler and one daemon thread, for any host.

`Refresher` runs the enabled sources (`core/data/sources.toml` plus an extra sources file) whose last
recorded run is older than their time-to-live, through `core.pipeline.refresh`, so runs, problems
and events are recorded exactly as `geotech fetch` records them. It never blocks a reader: readers
use the store between its short write transactions (see `core.store.connect`). Any failure is kept
in its state (for the app's Data health page); stored events are never removed. The app keeps one
per server process (dashboard/refresh.py holds only its cache and its status line).
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

from core.clock import naive_utc
from core.errors import GeoTechError
from core.pipeline import RefreshOutcome, refresh
from core.sources.schedule import due, source_states
from core.sources.spec import SourceSpec, load_sources
from core.store import Store
from core.tagging.tagger import Tagger

POLL_SECONDS = 60.0
log = logging.getLogger(__name__)


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
            todo = specs if force else due(specs, source_states(self.path, specs, self.ttl), naive_utc())
            if not todo:
                return []
            with self._lock:
                self._state.planned, self._state.outcomes, self._state.started = tuple(s.name for s in todo), [], naive_utc()
            writing = _store_lock(self.path)
            if not writing.acquire(blocking=False):  # another refresher of this store is merging: its runs will show
                return []
            client = self.client_factory() if self.client_factory else None
            try:
                return refresh(todo, Store(self.path), client=client, sleep=self._sleep, tagger=self._get_tagger(),
                               progress=self._record, stop=self._stop.is_set)
            finally:
                writing.release()
                if client is not None:
                    client.close()
        except Exception as exc:  # the thread must survive anything: record it for the Data health page
            log.exception("background refresh failed")
            with self._lock:
                self._state.error = f"{type(exc).__name__}: {exc}"
            return []
        finally:
            with self._lock:
                self._state.running, self._state.finished = False, naive_utc()

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


_ACTIVE: dict[str, Refresher] = {}  # per store file, the one refresher allowed to run
_ACTIVE_GUARD = threading.Lock()
_STORE_LOCKS: dict[str, threading.Lock] = {}  # per store file, held while a refresh merges into it


def _store_lock(path: Path) -> threading.Lock:
    with _ACTIVE_GUARD:
        return _STORE_LOCKS.setdefault(os.path.realpath(path), threading.Lock())


def activate(refresher: Refresher) -> Refresher:
    """Make `refresher` the one that runs for its store file, stopping the one before it (if another),
    so that two threads never merge into the same store at once; start its thread when auto is on."""
    key = os.path.realpath(refresher.path)
    with _ACTIVE_GUARD:
        previous = _ACTIVE.get(key)
        _ACTIVE[key] = refresher
        if previous is not None and previous is not refresher:
            previous.stop(timeout=0)  # it leaves out the sources it has not started; the store lock keeps the rest apart
        if refresher.state().auto:
            refresher.start()
    return refresher
