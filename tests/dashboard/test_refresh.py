"""The background refresh and the data-status line, offline only.

"No network" routes every request to a closed local port through the proxy variables, as a
machine with no connection behaves; "network" replays recorded payloads through an
httpx.MockTransport. No test here touches the real network.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from core import queries
from core.queries import Filters
from core.refresher import Refresher
from core.sources.context import USER_AGENT
from core.sources.spec import load_sources
from core.store import Store, connect
from dashboard import refresh

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from payload_replay import Router, reply

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "router.py")
PAGES = ["dashboard/overview.py", "dashboard/events.py", "dashboard/health.py", "dashboard/upcoming.py",
         "dashboard/relations.py", "dashboard/map.py", "dashboard/country.py"]
CLOSED_PORT = "http://127.0.0.1:9"
SOURCES = load_sources()


def routes() -> Router:
    """Recorded payloads for every default source."""
    return Router({
        "api.gdeltproject.org": reply(file="gdelt_doc/artlist.json"),
        "www.federalregister.gov/documents.json": reply(file="federal_register/page2.json"),
        "www.federalregister.gov/documents.rss": reply(file="rss/feed.xml"),
        "news.google.com": reply(file="rss/google_news.xml"),
    })


def replay_client() -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(routes()), headers={"User-Agent": USER_AGENT})


def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def store(fixture_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture store of its own, as GEOTECH_STORE."""
    path = tmp_path / "store.duckdb"
    path.write_bytes(fixture_store_path.read_bytes())
    monkeypatch.setenv("GEOTECH_STORE", str(path))
    for name in (refresh.SOURCES, refresh.MINUTES):
        monkeypatch.delenv(name, raising=False)
    return path


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request goes to a closed local port."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, CLOSED_PORT)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def refreshers() -> Iterator[list[Refresher]]:
    """Refreshers to stop after the test; the app's cached refreshers are stopped and forgotten too."""
    made: list[Refresher] = []
    yield made
    for r in made:
        r.stop()
    refresh.refresher.clear()


def snapshot(path: Path) -> list[tuple]:
    with connect(path, read_only=True) as con:
        return con.execute("SELECT id, content_hash FROM events ORDER BY id").fetchall()


def run_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(page)
    at.run()
    assert not at.exception, page
    return at


def status_text(at: AppTest) -> str:
    captions = [c.value for c in at.sidebar.caption]
    # the status line (not the freshness line, which starts with the clock icon)
    [line] = [c for c in captions if ("refresh" in c.lower() or "stored events" in c) and not c.startswith(":material/schedule:")]
    icon, _, text = line.partition(" ")
    assert icon.startswith(":material/")
    return text


def test_offline_refresh_records_failures_keeps_events_and_the_app_says_so(
        store: Path, offline: None, refreshers: list[Refresher]) -> None:
    before = snapshot(store)
    r = Refresher(store, auto=False, sleep=no_sleep)
    refreshers.append(r)
    outcomes = r.run_once(force=True)
    assert [o.name for o in outcomes] == [s.name for s in SOURCES]
    assert all(o.status == "failed" and "cannot connect" in o.message and "\n" not in o.message for o in outcomes)
    assert snapshot(store) == before
    with connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'failed'").fetchone() == (len(SOURCES),)
    for page in PAGES:
        at = run_page(page)
        line = status_text(at)
        assert line.startswith("Offline: the last refresh (")
        assert "Showing the stored events (the curated timeline and any ingest); no live refresh has succeeded yet" in line
    health = run_page("dashboard/health.py")
    live = health.dataframe[0].value
    assert set(live["status"]) == {"failed"} and live["last_ok"].isna().all()
    assert health.warning and "could not reach the sources" in health.warning[0].value


def test_refresh_with_recorded_payloads_adds_events_and_the_status_is_ok(
        store: Path, refreshers: list[Refresher]) -> None:
    before = queries.count(store, Filters())
    r = Refresher(store, auto=False, sleep=no_sleep, client_factory=replay_client)
    refreshers.append(r)
    outcomes = r.run_once(force=True)
    assert [o.status for o in outcomes] == ["ok"] * len(SOURCES), [o.message for o in outcomes]
    assert queries.count(store, Filters()) > before
    assert sum(o.new for o in outcomes) == queries.count(store, Filters()) - before
    assert r.run_once() == []  # nothing is due again before its cadence
    at = run_page("dashboard/overview.py")
    assert status_text(at).startswith("Data from the last refresh: ")
    assert status_text(at).endswith(f"({len(SOURCES)} of {len(SOURCES)} sources ok).")
    live = run_page("dashboard/health.py").dataframe[0].value
    assert set(live["status"]) == {"ok"}
    assert (live["next_due"] - live["last_run"]).dt.total_seconds().tolist() == [60 * s.cadence_minutes for s in SOURCES]


def test_offline_after_a_good_refresh_shows_stored_data_from_that_refresh(
        store: Path, monkeypatch: pytest.MonkeyPatch, refreshers: list[Refresher]) -> None:
    good = Refresher(store, auto=False, sleep=no_sleep, client_factory=replay_client)
    refreshers.append(good)
    good.run_once(force=True)
    after_good = snapshot(store)
    for name in ("HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.setenv(name, CLOSED_PORT)
    monkeypatch.delenv("NO_PROXY", raising=False)
    bad = Refresher(store, auto=False, sleep=no_sleep)
    refreshers.append(bad)
    assert {o.status for o in bad.run_once(force=True)} == {"failed"}
    assert snapshot(store) == after_good
    line = status_text(run_page("dashboard/overview.py"))
    assert line.startswith("Offline: ") and "Showing stored data from the last successful refresh, 20" in line


def test_a_store_without_live_runs_says_it_is_the_curated_timeline(store: Path, refreshers: list[Refresher]) -> None:
    at = run_page("dashboard/overview.py")
    assert status_text(at).startswith(
        "Data: the stored events (the curated timeline from seeds/ and any ingest); no live refresh has run yet.")
    assert "Automatic refresh is off" in status_text(at)  # tests run with GEOTECH_REFRESH=off
    r = refresh.refresher(str(store), "", None, False)
    refreshers.append(r)
    assert not r.state().thread_alive  # off: no thread until "Refresh now"


def test_pages_render_while_the_background_thread_writes(store: Path, refreshers: list[Refresher]) -> None:
    slow = routes()

    def handler(request: httpx.Request) -> httpx.Response:
        time.sleep(0.05)  # a slow network, so the pages below read while sources are being stored
        return slow(request)

    def factory() -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(handler))

    before = queries.count(store, Filters())
    r = Refresher(store, auto=True, sleep=no_sleep, client_factory=factory, poll_seconds=3600)
    refreshers.append(r)
    errors: list[BaseException] = []
    reads = 0
    r.start()  # auto: every source is due, so the thread starts a refresh at once
    deadline = time.monotonic() + 60
    while not r.state().running and time.monotonic() < deadline:
        time.sleep(0.01)
    while r.state().running:
        try:
            queries.count(store, Filters())
            queries.health(store)
            reads += 1
        except BaseException as exc:
            errors.append(exc)
    for page in PAGES:
        run_page(page)
    assert not errors and reads > 0
    assert queries.count(store, Filters()) > before
    assert r.state().thread_alive  # the thread stays, waiting for the next due source


def test_refresh_now_runs_in_the_background_with_feedback(store: Path, refreshers: list[Refresher]) -> None:
    r = refresh.refresher(str(store), "", None, False)  # the instance the app uses (GEOTECH_REFRESH=off)
    refreshers.append(r)
    gate = threading.Event()
    replay = routes()

    def handler(request: httpx.Request) -> httpx.Response:
        gate.wait(30)  # hold the refresh until the page has shown its progress
        return replay(request)

    r.client_factory = lambda: httpx.Client(transport=httpx.MockTransport(handler))
    r.sleep = no_sleep
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("dashboard/health.py")
    at.run()
    started = time.monotonic()
    at.button[0].click().run()
    assert time.monotonic() - started < 30 and not at.exception  # the click did not wait for the sources
    assert [t.value for t in at.toast] == ["Refresh started in the background; the page stays usable."]
    assert at.status and at.status[0].label.startswith("Refreshing live sources")
    at.button[0].click().run()
    assert [t.value for t in at.toast] == ["A refresh is already running."]
    gate.set()
    assert r.wait(60)
    at.run()
    assert not at.exception
    assert set(at.dataframe[0].value["status"]) == {"ok"}


def test_a_broken_sources_file_never_crashes_the_refresh_or_the_app(
        store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refreshers: list[Refresher]) -> None:
    bad = tmp_path / "mine.toml"
    bad.write_text("[[source]]\nname = 'x'\nkind = 'nope'\n", encoding="utf-8")
    r = Refresher(store, extra_sources=str(bad), auto=False, sleep=no_sleep, client_factory=replay_client)
    refreshers.append(r)
    outcomes = r.run_once(force=True)  # the default sources still refresh (from recorded payloads here)
    assert sorted(o.name for o in outcomes) == sorted(s.name for s in SOURCES if s.enabled)
    assert "mine.toml" in r.state().error and "default sources" in r.state().error and not r.state().running
    monkeypatch.setenv(refresh.SOURCES, str(bad))
    at = run_page("dashboard/health.py")
    assert any("sources file cannot be used" in e.value for e in at.error)


@pytest.mark.parametrize(("value", "auto"), [(None, True), ("on", True), ("off", False), ("0", False), ("OFF", False)])
def test_the_switch(monkeypatch: pytest.MonkeyPatch, value: str | None, auto: bool) -> None:
    if value is None:
        monkeypatch.delenv(refresh.SWITCH, raising=False)
    else:
        monkeypatch.setenv(refresh.SWITCH, value)
    assert refresh.auto_enabled() is auto


@pytest.mark.parametrize(("value", "ttl"), [(None, None), ("30", 30), ("0", None), ("soon", None)])
def test_the_time_to_live(monkeypatch: pytest.MonkeyPatch, value: str | None, ttl: int | None) -> None:
    if value is None:
        monkeypatch.delenv(refresh.MINUTES, raising=False)
    else:
        monkeypatch.setenv(refresh.MINUTES, value)
    assert refresh.ttl_minutes() == ttl


def test_a_store_error_during_refresh_is_recorded_not_raised(tmp_path: Path, refreshers: list[Refresher],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> Callable:
        raise RuntimeError("disk on fire")

    import core.refresher

    monkeypatch.setattr(core.refresher, "refresh", broken)
    r = Refresher(tmp_path / "s.duckdb", auto=False, sleep=no_sleep)
    refreshers.append(r)
    assert r.run_once(force=True) == []
    assert r.state().error == "RuntimeError: disk on fire"
    Store(tmp_path / "s.duckdb")  # nothing else to check: the call returned


def test_only_one_refresher_runs_per_store(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Fake:
        def __init__(self, path: str) -> None:
            self.path = Path(path)
            self.stopped = self.started = False

        def state(self) -> object:
            return type("S", (), {"auto": True})()

        def start(self) -> None:
            self.started = True

        def stop(self, timeout: float = 0) -> None:
            self.stopped = True

    made: dict[tuple, Fake] = {}
    monkeypatch.setattr(refresh, "refresher", lambda *key: made.setdefault(key, Fake(key[0])))
    monkeypatch.setenv(refresh.MINUTES, "30")
    first = refresh.current(store)
    monkeypatch.setenv(refresh.MINUTES, "90")  # new settings: a new refresher replaces the running one
    second = refresh.current(store)
    assert first is not second and first.stopped and second.started and not second.stopped
    assert refresh.current(store) is second and not second.stopped


def test_clearing_the_cache_stops_the_refresh_thread(store: Path) -> None:
    import streamlit as st

    r = refresh.refresher(str(store), "", None, False)
    r.start()
    assert r.state().thread_alive
    st.cache_resource.clear()  # what the app menu's "Clear caches" does
    deadline = time.monotonic() + 10
    while r.state().thread_alive and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not r.state().thread_alive
