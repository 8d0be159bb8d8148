"""AppTest of every page against the fixture store built by code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "router.py")


def app(**params: list[str] | str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def on_page(page: str, **params: list[str] | str) -> AppTest:
    """The app run on one page with these URL parameters; it must render without an exception."""
    at = app(**params)
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_counts_and_charts(store_env: Path) -> None:
    at = app().run()
    assert not at.exception
    assert metrics(at)["Events"] == "5"
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in charts]
    assert titles == ["Events over time by theme", "Themes by country", "Top organizations"]


def test_overview_filters_from_url(store_env: Path) -> None:
    at = app(theme=["ai"]).run()
    assert not at.exception
    assert at.multiselect(key="theme").value == ["ai"]
    assert 0 < int(metrics(at)["Events"]) < 5


def test_overview_empty_state(store_env: Path) -> None:
    at = app(q="words that appear nowhere").run()
    assert not at.exception
    assert any("No events match" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_events_page_table_and_filters(store_env: Path) -> None:
    at = on_page("dashboard/events.py", theme=["ai"], q="OpenAI")
    frame = at.dataframe[0].value
    assert list(frame["title"]) == ["OpenAI opens its first Asian office in Tokyo"]
    assert frame.iloc[0]["url"] == "https://example.org/news/openai-tokyo"


def test_events_page_never_links_unsafe_urls(store_env: Path) -> None:
    at = on_page("dashboard/events.py", q="Sweden")
    frame = at.dataframe[0].value
    assert len(frame) == 1
    assert frame.iloc[0]["url"] is None


def test_events_page_empty_state(store_env: Path) -> None:
    at = on_page("dashboard/events.py", country=["JP"], q="gallium")
    assert any("No events match" in i.value for i in at.info)


def test_invalid_url_values_are_dropped(store_env: Path) -> None:
    at = app(theme=["not-a-theme", "ai"]).run()
    assert not at.exception
    assert at.multiselect(key="theme").value == ["ai"]


def test_first_run_builds_store_from_seeds(empty_store_env: Path) -> None:
    at = app().run(timeout=120)
    assert not at.exception
    assert empty_store_env.exists()
    # every curated record and seed article is an event, except the summit preview (2024-03-30), which
    # merges into the curated record of the summit it announces
    assert metrics(at)["Events"] == f"{len(list((ROOT / 'seeds').glob('*.txt'))) + _timeline_count() - 1:,}"


def _timeline_count() -> int:
    count = 0
    for path in (ROOT / "seeds").glob("*.jsonl"):
        count += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return count


def page_on_store(page: str, lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Run one page on a store of its own, ingested from the given JSON Lines."""
    from core.pipeline import ingest
    from core.store import Store

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = tmp_path / "own.duckdb"
    ingest([src], Store(store))
    monkeypatch.setenv("GEOTECH_STORE", str(store))
    at = app()
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def on_store(page: str, lines: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    """Run one page, with URL parameters, on a store of its own ingested from the given JSON Lines."""
    from core.pipeline import ingest
    from core.store import Store

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest([src], Store(tmp_path / "own.duckdb"))
    monkeypatch.setenv("GEOTECH_STORE", str(tmp_path / "own.duckdb"))
    return on_page(page, **params)


def test_health_page_lists_runs_and_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ['{"text": "The EU adopted the AI Act.", "date": "2024-03-13"}', "{oops"]
    at = page_on_store("dashboard/health.py", lines, tmp_path, monkeypatch)
    live, runs, issues = (d.value for d in at.dataframe)
    assert set(live["status"]) == {"never run"}
    assert len(runs) == 1 and runs.iloc[0]["errors"] == 1
    assert issues.iloc[0]["line"] == 2 and "invalid JSON" in issues.iloc[0]["reason"]


def test_upcoming_lists_future_events_nearest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    far, near = dt.date.today() + dt.timedelta(days=90), dt.date.today() + dt.timedelta(days=10)
    rows = [
        {"text": "The EU AI Act obligations for general-purpose AI models take effect.", "date": str(far),
         "title": "AI Act obligations take effect"},
        {"text": "Japan and the US hold a summit on semiconductors and AI.", "date": str(near), "title": "Japan-US chip summit"},
        {"text": "Past event on chips export controls by the US.", "date": "2020-01-01", "title": "Old rule"},
    ]
    at = page_on_store("dashboard/upcoming.py", [json.dumps(r) for r in rows], tmp_path, monkeypatch)
    assert list(at.dataframe[0].value["title"]) == ["Japan-US chip summit", "AI Act obligations take effect"]


@pytest.mark.parametrize("page", ["dashboard/overview.py", "dashboard/events.py", "dashboard/health.py", "dashboard/upcoming.py",
                                  "dashboard/relations.py", "dashboard/map.py", "dashboard/country.py",
                                  "dashboard/instruments.py"])
def test_every_page_renders(store_env: Path, page: str) -> None:
    at = app()
    at.switch_page(page)
    at.run()
    assert not at.exception
    assert at.title


def test_unavailable_store_shows_one_clear_error(fixture_store_path: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import duckdb

    path = tmp_path / "locked.duckdb"  # a store of its own, so no cached query hides the failure
    path.write_bytes(fixture_store_path.read_bytes())
    monkeypatch.setenv("GEOTECH_STORE", str(path))
    holder = duckdb.connect(str(path))  # a writer holds the file with another configuration
    try:
        at = app().run()
    finally:
        holder.close()
    assert not at.exception
    assert at.error and "store" in at.error[0].value


def test_relations_page_draws_the_network(store_env: Path) -> None:
    at = on_page("dashboard/relations.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Relations between countries"
    assert len(at.dataframe[0].value) >= 1


def test_map_page_draws_countries(store_env: Path) -> None:
    at = on_page("dashboard/map.py")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["type"] == "choropleth"
    assert "CHN" in spec["data"][0]["locations"] and "EU" not in spec["data"][0]["locations"]
    # The outlines come from the app's own static folder, not Plotly's CDN.
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    outlines = ROOT / "static" / "topojson" / "world_110m.json"
    assert config["topojsonURL"] == "app/static/topojson/" and outlines.exists()
    ids = {g.get("id") for g in json.loads(outlines.read_text())["objects"]["countries"]["geometries"]}
    assert {"CHN", "USA", "JPN"} <= ids


def test_country_profile_from_the_url(store_env: Path) -> None:
    at = on_page("dashboard/country.py", profile="CN")
    assert at.selectbox(key="profile").value == "CN"
    assert int({m.label: m.value for m in at.metric}["Events"]) >= 2
    latest = at.dataframe[-1].value
    assert any("gallium" in t for t in latest["title"])


def test_overview_counts_change_against_previous_period(store_env: Path) -> None:
    # The fixture's events fall between 2023-07-03 and 2024-04-01: all of them in the 365 days up to
    # the newest, none in the 365 days before.
    at = app().run()
    assert not at.exception
    events = next(m for m in at.metric if m.label == "Events")
    assert (events.value, events.delta) == ("5", "5")
    # A chosen period (both dates) is compared with the period of equal length just before it.
    at = app(dates=["2023-11-01", "2024-04-01"]).run()
    events = next(m for m in at.metric if m.label == "Events")
    assert (events.value, events.delta) == ("3", "1")  # 3 from Nov 1, against 2 from 2023-06-03 to 2023-10-31


def test_events_sorted_in_the_store_from_the_url(store_env: Path) -> None:
    at = on_page("dashboard/events.py", sort="oldest")
    assert at.selectbox(key="sort").value == "oldest"
    frame = at.dataframe[0].value
    dates = list(frame["date"])
    assert dates == sorted(dates) and "gallium" in frame.iloc[0]["title"]  # the controls took effect 2023-08-01
    at.selectbox(key="sort").set_value("title").run()
    titles = list(at.dataframe[0].value["title"])
    assert titles == sorted(titles)


def test_event_view_lists_related_events(store_env: Path, fixture_store_path: Path) -> None:
    from core.queries import Filters, events_page

    rule = events_page(fixture_store_path, Filters(q="chipmaking equipment")).iloc[0]["id"]
    at = on_page("dashboard/events.py", event=rule)
    related = at.dataframe[-1].value
    assert "China to control exports of gallium and germanium" in list(related["title"])
    assert rule not in list(related.get("id", []))


def test_relations_pair_over_time_from_the_url(store_env: Path) -> None:
    at = app()
    at.switch_page("dashboard/relations.py")
    at.run()
    pairs = at.selectbox(key="pair").options
    assert pairs, "the fixture states at least one relation"
    first = at.selectbox(key="pair").value
    assert first is not None
    at = on_page("dashboard/relations.py", pair=first)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.endswith("events by theme") for t in titles)


def test_cross_filter_state_narrows_the_page(store_env: Path) -> None:
    # (AppTest has no browser URL; the URL side of cross-filtering is covered in tests/browser.)
    at = app()
    at.switch_page("dashboard/map.py")
    at.run()
    before = len(at.dataframe[0].value)
    at.session_state["country"] = ["JP"]  # what a click on Japan's shape or table row does (filters.narrow)
    at.run()
    assert not at.exception
    assert at.multiselect(key="country").value == ["JP"]
    assert 1 <= len(at.dataframe[0].value) < before
    assert any(b.label == "Clear filters" for b in at.button)
    next(b for b in at.button if b.label == "Clear filters").click().run()
    assert at.multiselect(key="country").value == []
    assert len(at.dataframe[0].value) == before


def test_chart_selection_values_come_from_customdata() -> None:
    from dashboard.filters import customdata_values

    points = [{"customdata": ["JP"], "x": 1}, {"customdata": ["CN"]}, {"customdata": ["JP"]}, {"x": 3}]
    assert customdata_values(points) == ["CN", "JP"]
    assert customdata_values([]) == []


def test_upcoming_can_include_past_scheduled_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    soon = dt.date.today() + dt.timedelta(days=10)
    rows = [
        {"text": "Japan and the US hold a summit on semiconductors and AI.", "date": str(soon), "title": "Chip summit"},
        {"text": "The leaders of Japan and the United States will meet at a summit on April 10 to discuss AI "
                 "and semiconductors.", "date": "2024-03-30", "title": "Leaders to meet on April 10"},
        {"text": "The US tightened export controls on chips.", "date": "2020-01-01", "title": "Old rule"},
    ]
    at = page_on_store("dashboard/upcoming.py", [json.dumps(r) for r in rows], tmp_path, monkeypatch)
    assert list(at.dataframe[0].value["title"]) == ["Chip summit"]
    at.toggle(key="past").set_value(True).run()
    frame = at.dataframe[0].value
    assert list(frame["title"]) == ["Chip summit", "Leaders to meet on April 10"]  # nearest to today first
    assert str(frame.iloc[1]["date"])[:10] == "2024-04-10" and frame.iloc[1]["in_days"] < 0
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"] == "Scheduled events"


def test_default_dates_follow_newer_events_in_an_open_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.pipeline import ingest
    from core.store import Store

    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"text": "Japan and the US agreed to cooperate on chips.", "date": "2024-01-10"}) + "\n",
                     encoding="utf-8")
    store = tmp_path / "own.duckdb"
    ingest([first], Store(store))
    monkeypatch.setenv("GEOTECH_STORE", str(store))
    at = app().run()
    assert at.date_input(key="dates").value == (dt.date(2024, 1, 10), dt.date(2024, 1, 10))
    later = tmp_path / "b.jsonl"  # what a refresh does while the session is open
    later.write_text(json.dumps({"text": "The EU adopted rules on AI models.", "date": "2024-06-01"}) + "\n",
                     encoding="utf-8")
    ingest([later], Store(store))
    at.run()
    assert not at.exception
    assert at.date_input(key="dates").value == (dt.date(2024, 1, 10), dt.date(2024, 6, 1))
    assert metrics(at)["Events"] == "2"
    assert not any(b.label == "Clear filters" for b in at.button)  # the whole span is not a filter


def test_event_view_says_where_a_label_without_a_cue_comes_from() -> None:
    def view() -> None:
        from dashboard.event_view import show_event

        evidence = [{"cue": "5G", "field": "text", "start": 0, "end": 2, "sentence": "5G networks lose a vendor.",
                     "layer": "strong"}]
        show_event({
            "title": "A vendor is dropped", "date": "2024-01-02", "date_precision": "day", "scheduled": False,
            "summary": "5G networks lose a vendor.", "relations": [], "sources": [],
            "tags": [
                {"kind": "theme", "value": "telecom", "label": "Telecom", "score": 4.5, "tagged": True,
                 "reason": "score 4.5 >= 3.5", "evidence": evidence},
                {"kind": "theme", "value": "cybersecurity", "label": "Cybersecurity", "score": 0.0, "tagged": True,
                 "reason": "curated label (no cue in the summary)", "evidence": []},
            ],
        })

    at = AppTest.from_function(view, default_timeout=30).run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert "Cybersecurity · curated" in labels
    assert any(label.startswith("Telecom · score 4") for label in labels)  # markdown-escaped "4\\.5"
    assert any(c.value.startswith("curated label") and "no cue in the summary" in c.value for c in at.caption)


def _stage(day: str, stage: str, title: str, iid: str = "xx-chip-rule", name: str = "Chip rule", **extra: object) -> str:
    return json.dumps({"id": f"tl-{day}-{iid}-{stage}", "date": day, "title": title, "summary": f"{title}, by the ministry.",
                       "themes": ["export_controls"], "countries": ["US"], "orgs": ["Bureau of Industry and Security"],
                       "relations": [], "sources": [{"url": f"https://example.org/{iid}/{stage}", "name": "Example"}],
                       "instrument": {"id": iid, "name": name}, "stage": stage, **extra})


def test_instruments_page_lists_instruments_with_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    later = dt.date.today() + dt.timedelta(days=200)
    lines = [
        _stage("2023-01-05", "adopted", "A chip rule is issued"), _stage("2023-05-01", "rescinded", "The chip rule is rescinded"),
        _stage("2024-02-01", "in_force", "A data law enters into force", "yy-data-law", "Data law"),
        _stage(str(later), "applies", "Data law duties apply", "yy-data-law", "Data law", scheduled=True),
    ]
    at = page_on_store("dashboard/instruments.py", lines, tmp_path, monkeypatch)
    table = at.dataframe[0].value
    rows = dict(zip(table["name"], table["status"], strict=True))
    assert rows == {"Chip rule": "rescinded", "Data law": "in force"}
    assert list(table["name"]) == ["Data law", "Chip rule"]  # most recently active first
    assert table.set_index("name").loc["Data law", "next"].startswith("Applies")


def test_one_instrument_in_the_url_shows_its_stages_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [_stage("2024-08-01", "in_force", "The act enters into force", "eu-act", "The act"),
             _stage("2021-04-21", "proposed", "The act is proposed", "eu-act", "The act"),
             _stage("2025-02-02", "applies", "The act's bans apply", "eu-act", "The act"),
             _stage("2023-01-05", "adopted", "Another rule", "zz-other", "Other")]
    at = on_store("dashboard/instruments.py", lines, tmp_path, monkeypatch, instrument="eu-act")
    frame = at.dataframe[0].value
    assert list(frame["stage"]) == ["Proposed", "In force", "Applies"]
    assert all(link.startswith("events?event=tl-") for link in frame["open"])
    assert any("Status today: in force since 2024-08-01" in c.value.replace("\\", "") for c in at.caption)


def test_event_view_links_to_its_instrument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [_stage("2024-08-01", "in_force", "The act enters into force", "eu-act", "The act")]
    at = on_store("dashboard/events.py", lines, tmp_path, monkeypatch, event="tl-2024-08-01-eu-act-in_force")
    links = at.get("page_link")
    assert any("instrument" in str(link.proto) and "eu-act" in str(link.proto) for link in links)


def test_old_data_is_said_plainly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"text": "The US tightened export controls on chips to China.", "date": "2020-01-01"})]
    at = page_on_store("dashboard/overview.py", lines, tmp_path, monkeypatch)
    assert any("The data is old" in w.value for w in at.warning)
    assert any("Newest event 2020-01-01" in c.value for c in at.sidebar.caption)


def test_fresh_data_has_no_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"text": "The US tightened export controls on chips to China.", "date": str(dt.date.today())})]
    at = page_on_store("dashboard/overview.py", lines, tmp_path, monkeypatch)
    assert not [w for w in at.warning if "The data is old" in w.value]
    assert any("(today)" in c.value for c in at.caption)


def test_upcoming_falls_back_to_what_followed_the_newest_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [_stage("2021-03-01", "adopted", "A law is adopted", "ww-law", "A law"),
             _stage("2021-09-01", "applies", "The law's duties apply", "ww-law", "A law", scheduled=True),
             json.dumps({"text": "Japan and Korea agreed to cooperate on chips.", "date": "2021-06-01"})]
    at = page_on_store("dashboard/upcoming.py", lines, tmp_path, monkeypatch)
    assert any("Nothing under these filters is scheduled after today" in i.value for i in at.info)
    assert list(at.dataframe[0].value["title"]) == ["The law's duties apply"]


def test_invalid_url_values_are_named_in_a_notice(store_env: Path) -> None:
    at = on_page("dashboard/events.py", country=["XX", "JP"], theme="foo", rel="hugs", dates=["2024-13-01"])
    (warning,) = [w.value for w in at.warning if "could not be used" in w.value]
    plain = warning.replace("\\", "")
    for shown in ("country='XX'", "theme='foo'", "rel='hugs'", "dates='2024-13-01'"):
        assert shown in plain
    assert "country='JP'" not in plain  # a good value is not reported


def record(rid: str, day: str, rels: list[tuple[str, str, str]], themes: tuple[str, ...] = ("export_controls",)) -> str:
    """A curated record line whose countries and directed relations are `rels` (source, target, type)."""
    return json.dumps({"id": rid, "date": day, "title": rid, "summary": f"{rid}: an act on chips between the countries.",
                       "themes": list(themes), "countries": sorted({c for r in rels for c in r[:2]}),
                       "relations": [{"source": a, "target": b, "type": t} for a, b, t in rels],
                       "sources": [{"url": f"https://example.org/{rid}", "name": "Example"}]})


def test_directed_filters_list_exactly_the_matching_relations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [record("tl-2023-02-01-a", "2023-02-01", [("US", "CN", "restriction")]),
             record("tl-2023-03-01-b", "2023-03-01", [("CN", "US", "restriction")]),          # the other direction
             record("tl-2023-04-01-c", "2023-04-01", [("US", "CN", "cooperation")]),          # another type
             record("tl-2022-05-01-d", "2022-05-01", [("US", "CN", "restriction")]),          # another year
             record("tl-2023-06-01-e", "2023-06-01", [("US", "JP", "restriction"), ("JP", "CN", "restriction")])]
    at = page_on_store("dashboard/events.py", lines, tmp_path, monkeypatch)
    at = app(actor="US", target="CN", rel="restriction", dates=["2023-01-01", "2023-12-31"])
    at.switch_page("dashboard/events.py")
    at.run()
    assert not at.exception
    assert list(at.dataframe[0].value["id"]) == ["tl-2023-02-01-a"]


@pytest.mark.parametrize("page", ["dashboard/overview.py", "dashboard/events.py", "dashboard/instruments.py", "dashboard/upcoming.py"])
def test_the_share_link_stays_on_an_empty_state(store_env: Path, page: str) -> None:
    at = on_page(page, q="no event says this", theme="quantum")
    assert any("No " in i.value or "Nothing" in i.value for i in at.info)  # the empty state
    assert at.sidebar.code and "q=no+event+says+this" in at.sidebar.code[0].value


def test_a_question_becomes_filters_chips_and_the_matching_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chips = ("semiconductors", "export_controls")
    lines = [record("tl-2023-09-01-nl", "2023-09-01", [("NL", "CN", "restriction")], chips),
             record("tl-2022-09-01-nl", "2022-09-01", [("NL", "CN", "restriction")], chips),
             record("tl-2024-01-01-cn", "2024-01-01", [("CN", "NL", "restriction")], chips)]
    at = page_on_store("dashboard/events.py", lines, tmp_path, monkeypatch)
    at.sidebar.text_input(key="ask").set_value("Dutch chip export controls on China since 2023").run()
    assert not at.exception
    assert at.multiselect(key="actor").value == ["NL"] and at.multiselect(key="target").value == ["CN"]
    assert at.multiselect(key="rel").value == ["restriction"]
    assert list(at.dataframe[0].value["id"]) == ["tl-2023-09-01-nl"]
    (pills,) = at.get("button_group")
    labels = [o.content for o in pills.proto.options]
    assert any("Actor: Netherlands" in label.replace("\\", "") and "Dutch" in label for label in labels)


def test_the_overview_leads_with_the_newest_events_and_what_rose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    today = dt.date.today()
    texts = ["Japan tightened export controls on chip tools.", "Japan listed lithography parts under its export licensing.",
             "Japanese officials expanded the export control list for equipment."]
    lines = [json.dumps({"text": t, "date": str(today - dt.timedelta(days=10 + 5 * i)), "url": f"https://example.org/jp/{i}",
                         "title": f"Japan step {i}"}) for i, t in enumerate(texts)]
    lines += [json.dumps({"text": "Brazil adopted an AI law.", "date": str(today - dt.timedelta(days=500)),
                          "url": "https://example.org/br", "title": "Brazil AI law"})]
    at = page_on_store("dashboard/overview.py", lines, tmp_path, monkeypatch)
    text = [m.value for m in at.markdown]
    newest = text.index("**Newest events**")
    assert "Japan step 0" in text[newest + 1].replace("\\", "") and "events?event=" in text[newest + 1]
    rising = [t for t in text if "up from" in t]
    assert any("Japan" in t and "country=JP" in t for t in rising)
    assert any("Export controls" in t and "theme=export_controls" in t for t in rising)
