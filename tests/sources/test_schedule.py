"""Which sources are due, from the runs table; a fetch with no network ends quickly; store_run times are UTC."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
from payload_replay import NOW, Router, raise_, reply

from core.pipeline import store_run
from core.sources.runner import fetch
from core.sources.schedule import due, source_states, summarize
from core.sources.spec import SourceSpec
from core.store import Store, connect

FEED = SourceSpec(name="Ministry feed", kind="rss", url="https://www.tech-ministry.example.gov/press/rss.xml", cadence_minutes=60)
GDELT = SourceSpec(name="GDELT: chips", kind="gdelt_doc", query='"export controls"', cadence_minutes=15)
FR = SourceSpec(name="Federal Register", kind="federal_register", agencies=("industry-and-security-bureau",))
NAIVE_NOW = NOW.replace(tzinfo=None)


def record(store: Store, name: str, status: str, finished: dt.datetime, message: str = "",
           failure_kind: str | None = None) -> None:
    store.record_run({"source": name, "kind": "rss", "started": finished, "finished": finished, "status": status,
                      "message": message, "failure_kind": failure_kind})


def test_states_and_due_from_the_runs_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    record(store, "Ministry feed", "ok", NAIVE_NOW - dt.timedelta(minutes=90))
    record(store, "Ministry feed", "failed", NAIVE_NOW - dt.timedelta(minutes=30), "Ministry feed: cannot connect")
    record(store, "GDELT: chips", "ok", NAIVE_NOW - dt.timedelta(minutes=20))
    record(store, "ingest: seeds", "ok", NAIVE_NOW)
    feed, gdelt, fr = source_states(store.path, [FEED, GDELT, FR])
    assert (feed.status, feed.last_run, feed.last_ok) == ("failed", NAIVE_NOW - dt.timedelta(minutes=30),
                                                          NAIVE_NOW - dt.timedelta(minutes=90))
    assert feed.next_due == NAIVE_NOW + dt.timedelta(minutes=30) and feed.message == "Ministry feed: cannot connect"
    assert (gdelt.status, fr.status, fr.last_run, fr.next_due) == ("ok", None, None, None)
    assert [s.name for s in due([FEED, GDELT, FR], [feed, gdelt, fr], NOW)] == ["GDELT: chips", "Federal Register"]
    summary = summarize([feed, gdelt, fr])
    assert (summary.ok, summary.last_attempt, summary.last_success) == (1, NAIVE_NOW - dt.timedelta(minutes=20),
                                                                        NAIVE_NOW - dt.timedelta(minutes=20))
    assert not summary.offline


def test_one_time_to_live_for_every_source(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    record(store, "GDELT: chips", "ok", NAIVE_NOW - dt.timedelta(minutes=20))
    states = source_states(store.path, [GDELT], ttl_minutes=240)
    assert states[0].ttl_minutes == 240 and due([GDELT], states, NOW) == []


def test_a_missing_store_has_every_source_due(tmp_path: Path) -> None:
    states = source_states(tmp_path / "none.duckdb", [FEED])
    assert states[0].last_run is None and due([FEED], states, NOW) == [FEED]
    assert summarize(states).last_attempt is None


def test_no_network_fails_every_source_quickly_with_one_line_each(mock_client, sleeps, tmp_path: Path) -> None:
    routes = {h: raise_(httpx.ConnectError) for h in ("www.tech-ministry.example.gov", "api.gdeltproject.org",
                                                      "www.federalregister.gov")}
    report = fetch([FEED, GDELT, FR], None, client=mock_client(Router(routes)), sleep=sleeps.append, now=lambda: NOW)
    assert [r.status for r in report.sources] == ["failed"] * 3
    assert sleeps == [2.0, 4.0]  # only the first source waits through its retries
    assert report.sources[1].message == ("GDELT: chips: cannot connect to api.gdeltproject.org (ConnectError); the network "
                                         "looks down (earlier sources could not connect either); check the network "
                                         "connection and the proxy settings (HTTPS_PROXY)")
    store = Store(tmp_path / "s.duckdb")
    for run in report.sources:
        store_run(run, store)
    summary = summarize(source_states(store.path, [FEED, GDELT, FR]))
    assert summary.offline and summary.ok == 0 and summary.last_success is None
    assert store.count() == 0


def test_the_network_coming_back_restores_retries(mock_client, sleeps) -> None:
    routes = {"www.tech-ministry.example.gov": raise_(httpx.ConnectError), "api.gdeltproject.org": reply(file="gdelt_doc/artlist.json"),
              "www.federalregister.gov": raise_(httpx.ConnectError)}
    report = fetch([FEED, GDELT, FR], None, client=mock_client(Router(routes)), sleep=sleeps.append, now=lambda: NOW)
    assert [r.status for r in report.sources] == ["failed", "ok", "failed"]
    assert sleeps == [2.0, 4.0, 2.0, 4.0]  # GDELT answered, so the network was up again for the Federal Register


def test_store_run_records_utc_whatever_the_session_time_zone(mock_client, sleeps, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    report = fetch([FEED], None, client=mock_client(Router({"www.tech-ministry.example.gov": reply(file="rss/feed.xml")})),
                   sleep=sleeps.append, now=lambda: NOW)
    store = Store(tmp_path / "s.duckdb")
    store_run(report.sources[0], store)
    with connect(store.path, read_only=True) as con:
        assert con.execute("SELECT finished FROM runs").fetchone() == (NAIVE_NOW,)


def test_offline_is_read_from_the_failure_kind_not_the_message(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    advice = "check the network connection and the proxy settings (HTTPS_PROXY)"
    record(store, "Ministry feed", "failed", NAIVE_NOW, f"Ministry feed: bad feed; {advice}", "parse")
    assert not summarize(source_states(store.path, [FEED])).offline
    record(store, "Ministry feed", "failed", NAIVE_NOW + dt.timedelta(minutes=1), "Ministry feed: no answer", "timeout")
    assert summarize(source_states(store.path, [FEED])).offline
