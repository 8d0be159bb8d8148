"""Nothing curated is lost: every record of seeds/timeline.jsonl reaches the store whole."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from core.normalize import curated_orgs
from core.pipeline import ingest
from core.queries import Filters, events_page, export_rows
from core.store import Store, connect, load_events
from core.taxonomy import THEME_IDS

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    lines = (SEEDS / "timeline.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("timeline") / "events.duckdb"
    report = ingest([SEEDS], Store(path))
    assert report.failed == 0, [str(p) for p in report.problems]
    return path


@pytest.fixture(scope="module")
def stored(store: Path, records: list[dict]) -> dict:
    with connect(store, read_only=True) as con:
        return {e.id: e for e in load_events(con, [r["id"] for r in records])}


def test_every_record_is_an_event_with_every_label(records: list[dict], stored: dict) -> None:
    missing = [r["id"] for r in records if r["id"] not in stored]
    assert not missing, f"{len(missing)} curated records are not events: {missing[:5]}"
    for r in records:
        e = stored[r["id"]]
        where = r["id"]
        assert e.curated, where
        assert e.date == dt.date.fromisoformat(r["date"]) and e.date_precision == r.get("date_precision", "day"), where
        assert (e.title, e.summary) == (r["title"], r["summary"]), where
        assert e.themes == tuple(t for t in THEME_IDS if t in r["themes"]), where
        assert e.countries == tuple(sorted(r["countries"])), where
        assert e.organizations == tuple(curated_orgs(tuple(r.get("orgs", []))).values()), where
        if "relations" in r:  # a record that says nothing of relations takes the tagger's
            assert {(x.source, x.target, x.type) for x in e.relations} == \
                {(x["source"], x["target"], x["type"]) for x in r["relations"]}, where
        assert {(s["url"], s["name"]) for s in r["sources"]} <= {(s.url, s.name) for s in e.sources}, where
        assert e.sources[0].url == r["sources"][0]["url"], where
        instrument = r.get("instrument")
        assert (e.instrument.model_dump() if e.instrument else None) == instrument, where
        assert e.stage == r.get("stage"), where
        assert e.scheduled == (r.get("scheduled", False) or e.date > dt.date.today()), where


def test_every_curated_bis_event_is_under_the_bis_filter(records: list[dict], store: Path) -> None:
    bis = {r["id"] for r in records if "us-bis" in curated_orgs(tuple(r.get("orgs", [])))}
    assert len(bis) >= 20
    listed = set(events_page(store, Filters(orgs=("Bureau of Industry and Security",)), limit=10_000)["id"])
    assert bis <= listed, sorted(bis - listed)[:5]


def test_exports_carry_the_curated_organizations(records: list[dict], store: Path) -> None:
    rows = {row["id"]: row for row in export_rows(store, Filters())}
    for r in records:
        assert rows[r["id"]]["organizations"] == list(curated_orgs(tuple(r.get("orgs", []))).values()), r["id"]


def test_the_summit_preview_and_the_summit_are_one_event_with_both_sources(store: Path) -> None:
    with connect(store, read_only=True) as con:
        ids = [i for (i,) in con.execute("SELECT id FROM events WHERE date = DATE '2024-04-10' AND list_contains(countries, 'JP') "
                                         "AND list_contains(countries, 'US')").fetchall()]
        (summit,) = load_events(con, ids)
    assert summit.curated
    names = [s.name for s in summit.sources]
    assert "Seed article" in names and len(names) >= 2
