"""The rollups answer exactly what the events answer, and stay exact through every kind of write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core import queries, rollups
from core.models import Event, Relation, SourceRef, Tag
from core.queries import Filters
from core.store import Store, connect

THEMES = ["ai", "semiconductors", "export_controls", "trade", "energy"]
COUNTRIES = ["US", "CN", "EU", "JP", "NL", "KR"]
ORGS = [("us-bis", "Bureau of Industry and Security"), ("nl-asml", "ASML"), ("x:acme", "Acme Works")]
TYPES = ["cooperation", "restriction", "competition"]


def make_event(rng: random.Random, i: int, version: int = 0) -> Event:
    day = None if rng.random() < 0.05 else dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(800))
    themes = tuple(sorted(rng.sample(THEMES, rng.choice((0, 1, 1, 2, 3)))))
    countries = tuple(sorted(rng.sample(COUNTRIES, rng.choice((0, 1, 2, 2, 3)))))
    orgs = rng.sample(ORGS, rng.choice((0, 1, 2)))
    relations = []
    if len(countries) >= 2:
        for _ in range(rng.choice((0, 1, 2))):
            a, b = rng.sample(countries, 2)
            relations.append(Relation(source=a, target=b, type=rng.choice(TYPES)))
    relations = list({(r.source, r.target, r.type): r for r in relations}.values())
    eid = f"ev-{i}"
    # a name the tagger writes differently from one version of a text to the next: the names shown follow the tags
    orgs = [(o, name.upper() if version == 1 and o.startswith("x:") else name) for o, name in orgs]
    tags = [Tag(kind="org", value=o, label=name, score=2.0, tagged=True) for o, name in orgs]
    tags += [Tag(kind="theme", value=t, label=t, score=3.0, tagged=True) for t in themes]
    sources = tuple(SourceRef(article_id=f"{eid}-{k}", url=None, name="test", title="t", published=day)
                    for k in range(rng.choice((1, 1, 2, 3))))
    return Event(id=eid, date=day, title=f"Event {i} v{version}", summary="s", themes=themes, countries=countries,
                 organizations=tuple(name for _, name in orgs), tags=tuple(tags), relations=tuple(relations), sources=sources)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store written through every kind of write (new, replaced, removed events), and a copy of it
    whose rollups are switched off, so its queries read the events."""
    folder = tmp_path_factory.mktemp("rollups")
    path = folder / "s.duckdb"
    store = Store(path)
    rng = random.Random(11)
    store.upsert([make_event(rng, i) for i in range(700)])
    store.upsert([make_event(rng, i) for i in range(700, 1200)])
    store.upsert([make_event(rng, i, version=1) for i in range(0, 400, 3)], remove=[f"ev-{i}" for i in range(1, 300, 7)])
    store.upsert([make_event(rng, i, version=2) for i in range(600, 900, 5)])  # new dates, themes, countries
    plain = folder / "plain.duckdb"
    shutil.copy(path, plain)
    con = duckdb.connect(str(plain))
    con.execute("DELETE FROM meta WHERE key = ?", [rollups.META_KEY])
    con.close()
    return path, plain


def test_maintained_rollups_equal_a_rebuild(stores: tuple[Path, Path]) -> None:
    path, _ = stores
    with connect(path, read_only=True) as con:
        kept = {r: con.execute(f"SELECT * FROM {r} ORDER BY ALL").fetchall() for r in [*rollups.ROLLUPS, rollups.ORG_LABELS]}
    copy = path.with_name("rebuilt.duckdb")
    shutil.copy(path, copy)
    con = duckdb.connect(str(copy))
    rollups.rebuild(con)
    rebuilt = {r: con.execute(f"SELECT * FROM {r} ORDER BY ALL").fetchall() for r in [*rollups.ROLLUPS, rollups.ORG_LABELS]}
    con.close()
    for name in [*rollups.ROLLUPS, rollups.ORG_LABELS]:
        assert kept[name], name
        assert kept[name] == rebuilt[name], name


FILTERS = [
    Filters(),
    Filters(themes=("ai",)),
    Filters(countries=("CN",)),
    Filters(start=dt.date(2023, 3, 15)),
    Filters(end=dt.date(2024, 6, 10)),
    Filters(themes=("trade",), start=dt.date(2023, 2, 1), end=dt.date(2024, 5, 31)),
    Filters(countries=("US",), start=dt.date(2023, 2, 9), end=dt.date(2024, 11, 3)),
    Filters(themes=("energy",), start=dt.date(2024, 3, 5), end=dt.date(2024, 3, 20)),  # inside one month
    Filters(countries=("JP",), start=dt.date(2024, 3, 5), end=dt.date(2024, 4, 20)),  # two cut months
    Filters(start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 30)),  # one whole month
    Filters(start=dt.date(2024, 5, 1), end=dt.date(2024, 4, 1)),  # nothing
    Filters(themes=("nothing-here",)),
    Filters(themes=("ai",), countries=("US",)),  # a country profile under a theme filter
    Filters(themes=("trade",), countries=("JP",), start=dt.date(2023, 2, 9), end=dt.date(2024, 11, 3)),  # and cut months
    Filters(themes=("energy",), countries=("CN",), start=dt.date(2024, 3, 5), end=dt.date(2024, 3, 20)),
    Filters(start=dt.date(2022, 12, 20), end=dt.date(2025, 6, 3)),  # past both ends of the data: whole months
    Filters(themes=("ai",), countries=("US",), start=dt.date(2022, 12, 20), end=dt.date(2024, 6, 10)),
]


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    key = list(a.columns)
    pd.testing.assert_frame_equal(a.sort_values(key).reset_index(drop=True), b.sort_values(key).reset_index(drop=True),
                                  check_dtype=False)


def same_order(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@pytest.mark.parametrize("f", FILTERS, ids=[str(i) for i in range(len(FILTERS))])
def test_every_page_query_reads_the_same_counts_from_the_rollups(stores: tuple[Path, Path], f: Filters) -> None:
    path, plain = stores
    assert rollups.key(f) is not None
    assert queries.summary(path, f) == queries.summary(plain, f)
    for column in ("themes", "countries", "orgs"):
        assert queries.value_counts(path, f, column) == queries.value_counts(plain, f, column)
    for period in ("month", "quarter", "year"):
        same(queries.timeline(path, f, period), queries.timeline(plain, f, period))
        same(queries.pair_themes(path, f, "US", "CN", period), queries.pair_themes(plain, f, "US", "CN", period))
    same(queries.theme_country(path, f), queries.theme_country(plain, f))
    same(queries.top_orgs(path, f), queries.top_orgs(plain, f))
    same(queries.relation_pairs(path, f), queries.relation_pairs(plain, f))
    for code in ("US", "JP"):
        same(queries.country_relations(path, f, code), queries.country_relations(plain, f, code))
    assert queries.count(path, f) == queries.count(plain, f)
    for sort in queries.SORTS:
        for limit, offset in ((5, 0), (50, 30), (2000, 0)):
            same_order(queries.events_page(path, f, limit, offset, sort), queries.events_page(plain, f, limit, offset, sort))
    periods = ((dt.date(2024, 2, 10), dt.date(2024, 9, 9)), (dt.date(2023, 7, 14), dt.date(2024, 2, 9)))
    assert queries.compare(path, f, *periods) == queries.compare(plain, f, *periods)
    assert queries.rises(path, f, *periods) == queries.rises(plain, f, *periods)


def test_a_view_the_rollups_cannot_answer_reads_the_events(stores: tuple[Path, Path]) -> None:
    path, plain = stores
    for f in (Filters(themes=("ai", "trade")), Filters(countries=("US", "CN")), Filters(themes=("ai", "trade"), countries=("US",)),
              Filters(q="event 1"), Filters(orgs=("ASML",)), Filters(actors=("US",))):
        assert rollups.key(f) is None
        assert queries.summary(path, f) == queries.summary(plain, f)
        same(queries.theme_country(path, f), queries.theme_country(plain, f))


def test_the_rollups_really_answer(stores: tuple[Path, Path]) -> None:
    """The rolled-up path is taken (not the events): a rollup row changed by hand shows in the answer."""
    path, _ = stores
    copy = path.with_name("poked.duckdb")
    shutil.copy(path, copy)
    con = duckdb.connect(str(copy))
    con.execute("UPDATE rollup_totals SET events = events + 1000 WHERE fk = 'theme' AND fv = 'ai' AND bucket = "
                "(SELECT max(bucket) FROM rollup_totals WHERE fk = 'theme' AND fv = 'ai')")
    con.close()
    f = Filters(themes=("ai",))
    assert queries.summary(copy, f).events == queries.summary(path, f).events + 1000
    assert queries.summary(copy, dataclasses.replace(f, q="x")).events < 1000


def test_a_theme_and_a_country_together_read_the_pair_keyed_rollups(stores: tuple[Path, Path]) -> None:
    """A profile under a theme filter reads the rollups kept by theme and country ('tc'); the charts
    whose rollups hold no such key (theme x country, pairs) read the events."""
    path, plain = stores
    f = Filters(themes=("ai",), countries=("US",))
    assert rollups.key(f) == ("tc", "ai|US")
    assert {name for name in rollups.ROLLUPS if rollups.rows(f, name) is not None} == {
        "rollup_totals", "rollup_themes", "rollup_countries", "rollup_orgs", "rollup_sides"}
    copy = path.with_name("poked-tc.duckdb")
    shutil.copy(path, copy)
    con = duckdb.connect(str(copy))
    con.execute("UPDATE rollup_totals SET events = events + 1000 WHERE fk = 'tc' AND fv = 'ai|US' AND bucket = "
                "(SELECT max(bucket) FROM rollup_totals WHERE fk = 'tc' AND fv = 'ai|US')")
    con.execute("UPDATE rollup_theme_country SET events = events + 1000")  # never read for this view
    con.close()
    assert queries.summary(copy, f).events == queries.summary(plain, f).events + 1000
    same(queries.theme_country(copy, f), queries.theme_country(plain, f))


def test_a_date_filter_past_the_data_reads_no_days_from_the_events(stores: tuple[Path, Path]) -> None:
    """The date widget starts at the store's first and last dates: the first and last months are
    then whole, and no page reads their days from the events."""
    path, plain = stores
    with connect(path, read_only=True) as con:
        first, last = rollups.span(con)
        assert con.execute("SELECT min(date), max(date) FROM events").fetchall()[0] == (first, last)
    month_end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    assert last != month_end  # the last month is cut by a filter ending at the last event
    f = Filters(themes=("ai",), start=first - dt.timedelta(days=9), end=last)
    assert len(rollups.edge_days(f)) == 2
    assert rollups.edge_days(f, (first, last)) == []
    assert rollups.edge_days(dataclasses.replace(f, end=last - dt.timedelta(days=1)), (first, last)) != []
    assert queries.summary(path, f) == queries.summary(plain, f)
    assert queries.summary(path, f).events < queries.summary(path, Filters(themes=("ai",))).events  # undated left out
