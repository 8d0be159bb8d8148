from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.errors import StoreError
from core.pipeline import ensure_seeded, ingest
from core.queries import Filters, event_detail, events_page, stats, summary, theme_country, timeline, top_orgs
from core.store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[2]


def test_ingesting_seeds_twice_leaves_stats_unchanged(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    first = ingest([ROOT / "seeds"], store)
    before = stats(store.path)
    second = ingest([ROOT / "seeds"], store)
    assert first.new == before["events"] > 0
    assert (second.new, second.updated, second.unchanged) == (0, 0, first.new)
    assert stats(store.path) == before


def test_seed_store_holds_both_seed_events(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([ROOT / "seeds"], store)
    frame = events_page(store.path, Filters(q="openai"))
    assert any("OpenAI" in t for t in frame["title"])
    summit = events_page(store.path, Filters(q="kishida"))
    assert len(summit) >= 1


def test_ensure_seeded_builds_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "new" / "s.duckdb")
    report = ensure_seeded(store)
    assert report is not None and report.new > 0
    assert ensure_seeded(store) is None


def test_failed_write_changes_nothing(tmp_path: Path, fixture_store_path: Path) -> None:
    path = tmp_path / "copy.duckdb"
    path.write_bytes(fixture_store_path.read_bytes())
    before = stats(path)
    store = Store(path)

    class Boom(Exception):
        pass

    def events():
        from fixtures import fixture_articles

        from core.normalize import normalize
        from core.tagging.tagger import Tagger

        article = fixture_articles()[0]
        yield normalize(article.model_copy(update={"id": "brand-new", "text": article.text + " More."}), Tagger())
        raise Boom("disk full")

    with pytest.raises(StoreError, match="nothing was changed"):
        store.upsert(events())
    assert stats(path) == before


def test_filters_and_aggregates(fixture_store_path: Path) -> None:
    path = fixture_store_path
    everything = summary(path, Filters())
    ai = summary(path, Filters(themes=("ai",)))
    assert 0 < ai.events < everything.events
    assert summary(path, Filters(countries=("CN",))).events >= 2
    assert summary(path, Filters(q="gallium")).events == 1
    assert summary(path, Filters(q="no such words anywhere")).events == 0
    assert set(timeline(path, Filters()).columns) == {"period", "theme", "events"}
    assert set(theme_country(path, Filters()).columns) == {"theme", "country", "events"}
    assert "Nvidia" in set(top_orgs(path, Filters())["name"])


def test_event_detail_has_evidence_and_sources(fixture_store_path: Path) -> None:
    frame = events_page(fixture_store_path, Filters(q="gallium"))
    detail = event_detail(fixture_store_path, frame.iloc[0]["id"])
    assert detail is not None
    assert detail["sources"][0]["url"] == "https://example.org/news/gallium"
    themes = [t for t in detail["tags"] if t["kind"] == "theme" and t["tagged"]]
    assert themes and all(t["evidence"] for t in themes)
    assert {"critical_minerals", "export_controls"} <= {t["value"] for t in themes}


def test_unsafe_source_url_is_not_stored(fixture_store_path: Path) -> None:
    con = duckdb.connect(str(fixture_store_path), read_only=True)
    try:
        urls = [u for (u,) in con.execute("SELECT url FROM sources").fetchall()]
    finally:
        con.close()
    assert all(u is None or u.startswith("https://") for u in urls)


def test_country_relations_merge_both_directions(tmp_path: Path) -> None:
    from core.queries import country_relations

    store = Store(tmp_path / "s.duckdb")
    ingest([ROOT / "seeds"], store)
    jp = country_relations(store.path, Filters(), "JP")
    us = jp[jp["other"] == "US"]
    assert set(us["type"]) >= {"cooperation"}
    assert len(us[us["type"] == "cooperation"]) == 1  # JP-US and US-JP count as one partnership
    cn = country_relations(store.path, Filters(), "CN")
    assert "acted on by" in set(cn[cn["other"] == "US"]["direction"])


def test_synthetic_events_are_marked_and_filterable(tmp_path: Path) -> None:
    from core.errors import StoreError
    from core.synth import write_synthetic

    path = tmp_path / "synth.duckdb"
    assert write_synthetic(path, 500, seed=3) == 500
    assert summary(path, Filters()).events == 500
    frame = events_page(path, Filters(themes=("ai",)), limit=1000)
    assert 0 < len(frame) < 500 and all(i.startswith("synth-") for i in frame["id"])
    with pytest.raises(StoreError, match="already holds"):
        write_synthetic(path, 10, seed=3)


def test_store_of_schema_1_is_migrated_with_its_data(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([ROOT / "seeds"], store)
    before = stats(store.path)
    with duckdb.connect(str(store.path)) as con:  # what version 1 wrote: no n_sources column
        con.execute("ALTER TABLE events DROP COLUMN n_sources")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert store.count() == before["events"]  # a write connection migrates
    with duckdb.connect(str(store.path), read_only=True) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (SCHEMA_VERSION,)
        assert con.execute("SELECT count(*) FROM events WHERE n_sources IS NULL").fetchone() == (0,)
        stored = con.execute("SELECT sum(n_sources) FROM events").fetchone()
        joined = con.execute("SELECT count(*) FROM sources").fetchone()
    assert stored == joined
    assert stats(store.path) == before


def test_reading_a_store_of_schema_1_migrates_it_first(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([ROOT / "seeds"], store)
    before = stats(store.path)
    with duckdb.connect(str(store.path)) as con:
        con.execute("ALTER TABLE events DROP COLUMN n_sources")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert stats(store.path) == before  # a read-only query, first thing after the old version wrote


def test_a_store_from_a_newer_version_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([ROOT / "seeds"], store)
    with duckdb.connect(str(store.path)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer version"):
        stats(store.path)
    with pytest.raises(StoreError, match="newer version"):
        store.count()


def test_pair_totals_join_both_directions_strongest_first() -> None:
    import pandas as pd

    from core.queries import pair_rows, pair_totals

    pairs = pd.DataFrame({"source": ["US", "CN", "JP", "US"], "target": ["CN", "US", "US", "CN"],
                          "type": ["restriction", "restriction", "cooperation", "competition"], "events": [5, 2, 4, 1]})
    assert pair_totals(pairs) == {"CN-US": 8, "JP-US": 4}
    assert len(pair_rows(pairs, "CN", "US")) == 3 and list(pair_rows(pairs, "US", "JP")["type"]) == ["cooperation"]


def test_top_organizations_name_each_id_rightly_on_curated_events(tmp_path: Path) -> None:
    # A curated record lists its organizations in the curator's order, which is not the order of the
    # stored ids: names must come from the ids, and a click on a bar must filter by the same name.
    store = Store(tmp_path / "s.duckdb")
    ingest([ROOT / "seeds"], store)
    top = top_orgs(store.path, Filters(), limit=40)
    with duckdb.connect(str(store.path), read_only=True) as con:
        labels = dict(con.execute("SELECT value, any_value(label) FROM tags WHERE kind = 'org' GROUP BY value").fetchall())
        for org, name, n in top.itertuples(index=False):
            assert name == labels[org], org
            assert n == con.execute("SELECT count(*) FROM events WHERE list_contains(orgs, ?)", [org]).fetchone()[0]
    assert {"White House", "Bureau of Industry and Security", "European Commission"} <= set(top["name"])
    for name, n in top.set_index("name")["events"].head(10).items():
        assert summary(store.path, Filters(orgs=(name,))).events >= n, name  # the bar's click filter finds its events
