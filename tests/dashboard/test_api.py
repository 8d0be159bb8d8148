"""The HTTP routes beside the app, through Starlette's test client (no network): the same rows as
the pages for the same URL parameters, bounded pages, 400 for what cannot be used, a feed that
parses and keeps hostile text as text."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from core import api, export
from core.params import parse
from core.pipeline import ingest
from core.queries import Filters, events_page, export_rows, stats
from core.store import Store
from dashboard.server import routes

HOSTILE = "<script>alert(1)</script> ]]> &amp; \x01\x0b end"
THEMES = ["Japan tightened export controls on chipmaking tools for China.", "The EU adopted rules for AI models.",
          "Korea announced a subsidy for chip plants.", "China restricted exports of gallium to the United States."]


@pytest.fixture(scope="module")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """620 distinct events (more than one page can hold) and one with a hostile title."""
    work = tmp_path_factory.mktemp("api")
    rows = [{"title": f"Story {n}: {THEMES[n % 4].rstrip('.')} in round {n}",
             "text": f"{THEMES[n % 4]} Officials described measure number {n} on day {n % 28 + 1}, item q{n}z.",
             "date": (dt.date(2020, 1, 1) + dt.timedelta(days=n * 3)).isoformat(), "url": f"https://example.org/a/{n}"}
            for n in range(620)]
    rows.append({"title": HOSTILE, "text": "China restricted exports of gallium. " + HOSTILE, "date": "2026-01-02",
                 "url": "https://example.org/hostile", "source": "=HYPERLINK(\"http://x\") ]]>"})
    src = work / "api.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    store = Store(work / "api.duckdb")
    report = ingest([src], store)
    assert report.failed == 0
    assert store.count() == 621
    return store.path


@pytest.fixture
def client(api_store: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("GEOTECH_STORE", str(api_store))
    return TestClient(Starlette(routes=routes()))


def all_pages(client: TestClient, query: str) -> list[str]:
    ids: list[str] = []
    offset: int | None = 0
    while offset is not None:
        got = client.get(f"/api/events?{query}&limit=100&offset={offset}")
        assert got.status_code == 200, got.text
        body = got.json()
        ids += [e["id"] for e in body["events"]]
        offset = body["next_offset"]
    return ids


def test_events_equal_the_events_page_rows_for_the_same_parameters(client: TestClient, api_store: Path) -> None:
    query = "theme=export_controls&country=CN"
    f, _ = parse({"theme": ["export_controls"], "country": ["CN"]})
    page = [str(i) for i in events_page(api_store, f, limit=10_000)["id"]]
    assert len(page) > 100  # several API pages
    assert all_pages(client, query) == page


def test_each_event_carries_what_the_page_shows(client: TestClient) -> None:
    body = client.get("/api/events?country=CN&limit=5&evidence=1").json()
    event = body["events"][0]
    for key in ("id", "date", "date_precision", "scheduled", "title", "summary", "themes", "countries", "organizations",
                "relations", "sources", "instrument_id", "stage", "url", "evidence", "updated_at"):
        assert key in event, key
    assert event["url"].startswith("http://testserver/events?event=")
    assert all(e["cues"] for e in event["evidence"])
    assert "evidence" not in client.get("/api/events?country=CN&limit=5").json()["events"][0]


def test_a_huge_page_is_capped(client: TestClient) -> None:
    body = client.get("/api/events?limit=1000000").json()
    assert body["limit"] == api.MAX_LIMIT
    assert body["count"] == api.MAX_LIMIT
    assert body["next_offset"] == api.MAX_LIMIT
    assert "more than 500" in body["note"]


@pytest.mark.parametrize(("query", "param"), [
    ("theme=foo", "theme"), ("country=XX", "country"), ("dates=2024-13-01", "dates"), ("bogus=1", "bogus"),
    ("limit=-3", "limit"), ("limit=ten", "limit"), ("offset=x", "offset"), ("sort=random", "sort"),
    ("evidence=maybe", "evidence"), ("rel=friendship", "rel"), ("stage=forgotten", "stage"),
])
def test_invalid_parameters_get_a_400_naming_them(client: TestClient, query: str, param: str) -> None:
    got = client.get(f"/api/events?{query}")
    assert got.status_code == 400
    assert got.headers["content-type"].startswith("application/json")
    assert param in [p["parameter"] for p in got.json()["parameters"]]
    assert "Traceback" not in got.text


def test_paging_parameters_belong_to_the_events_route_only(client: TestClient) -> None:
    assert client.get("/api/stats?limit=5").status_code == 400
    assert client.get("/feed.atom?sort=newest").status_code == 400


def test_csv_is_the_export_buttons_file(client: TestClient, api_store: Path) -> None:
    got = client.get("/api/events.csv?theme=semiconductors&dates=2021-01-01&dates=2022-12-31")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("text/csv")
    f = Filters(themes=("semiconductors",), start=dt.date(2021, 1, 1), end=dt.date(2022, 12, 31))
    assert got.text == export.to_csv(export_rows(api_store, f))
    assert got.text.count("\n") > 10


def test_csv_cells_never_start_with_a_formula_prefix(client: TestClient) -> None:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(client.get("/api/events.csv").text)))
    assert all(not cell.startswith(export.FORMULA_PREFIXES) for row in rows for cell in row)


def test_stats_are_the_cli_figures_for_the_view(client: TestClient, api_store: Path) -> None:
    body = client.get("/api/stats?theme=ai").json()
    expected = stats(api_store, None, Filters(themes=("ai",)))
    assert {k: body[k] for k in ("events", "sources", "themes", "countries", "first_date", "last_date")} == \
        {k: expected[k] for k in ("events", "sources", "themes", "countries", "first_date", "last_date")}
    assert 0 < body["events"] < stats(api_store)["events"]
    assert body["filters"] == {"theme": ["ai"]}


def test_the_feed_parses_and_lists_the_views_newest_events(client: TestClient, api_store: Path) -> None:
    got = client.get("/feed.atom?country=CN")
    assert got.status_code == 200
    assert got.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(got.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    newest = [str(i) for i in events_page(api_store, Filters(countries=("CN",)), limit=api.FEED_SIZE)["id"]]
    assert [e.id for e in parsed.entries] == [f"tag:geotech-radar,2026:event/{i}" for i in newest]
    assert len(parsed.entries) == api.FEED_SIZE
    first = parsed.entries[0]
    assert first.link == f"http://testserver/events?event={newest[0]}"
    assert first.updated_parsed is not None
    assert any(link.rel == "related" and link.href.startswith("https://example.org/") for link in first.links)
    again = feedparser.parse(client.get("/feed.atom?country=CN").content)
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries]  # stable ids


def test_hostile_titles_stay_text_in_the_feed(client: TestClient) -> None:
    got = client.get("/feed.atom?q=script")
    root = ET.fromstring(got.content)  # well-formed XML despite ]]>, < and control characters
    ns = {"a": api.ATOM}
    titles = [t.text for t in root.findall("a:entry/a:title", ns)]
    assert titles == ["<script>alert(1)</script> ]]> &amp;  end"]  # control characters removed, the rest kept as text
    assert not list(root.iter("script")) and not list(root.iter(f"{{{api.ATOM}}}script"))
    parsed = feedparser.parse(got.content)
    assert not parsed.bozo
    assert parsed.entries[0].title_detail.type == "text/plain"


def test_unknown_routes_and_methods(client: TestClient) -> None:
    assert client.post("/api/events").status_code == 405
    assert client.head("/api/stats").status_code == 200


def test_a_missing_store_is_built_from_seeds_before_answering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOTECH_STORE", str(tmp_path / "new.duckdb"))
    got = TestClient(Starlette(routes=routes())).get("/api/stats")
    assert got.status_code == 200
    assert got.json()["events"] > 1_000


def test_a_damaged_store_is_a_503_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("GEOTECH_STORE", str(bad))
    got = TestClient(Starlette(routes=routes())).get("/api/events")
    assert got.status_code == 503
    assert "store" in got.json()["error"]
    assert "Traceback" not in got.text
