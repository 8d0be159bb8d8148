"""The Parquet lake: batch output from the local runner, merge, the catalog the app reads, import."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from core import queries, rollups
from core.errors import GeoTechError, StoreError
from core.lake import LakeError, catalog, import_lake, merge, tag_shards
from core.queries import Filters
from core.store import Store
from core.tagging.tagger import Tagger
from core.tagoutput import tag_line

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["dashboard/overview.py", "dashboard/events.py", "dashboard/relations.py", "dashboard/country.py", "dashboard/map.py",
         "dashboard/upcoming.py", "dashboard/instruments.py", "dashboard/health.py"]


def articles(n: int, seed: int, moved: int = 0) -> list[dict[str, str]]:
    """Articles made of the curated timeline's summaries (the project's own text), spread over
    several years; `moved` shifts every date by that many days (the same ids in other months)."""
    rows = [json.loads(line) for line in (ROOT / "seeds" / "timeline.jsonl").read_text(encoding="utf-8").splitlines() if line]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = rows[rng.randrange(len(rows))]
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(1500) + moved)
        out.append({"id": f"a-{i:05d}", "date": day.isoformat(), "title": r["title"], "text": r["summary"],
                    "url": f"https://example.org/{i}", "source": "test"})
    return out


def write_jsonl(path: Path, rows: list[dict[str, str]], extra: list[str] = ()) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "".join(x + "\n" for x in extra), encoding="utf-8")
    return path


def table_rows(root: Path, table: str) -> list[tuple]:
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT * FROM read_parquet('{root}/{table}/*/*/*.parquet', hive_partitioning = true) "
                           "ORDER BY ALL").fetchall()
    finally:
        con.close()


def rollup_rows(lake: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect()
    try:
        return {r: con.execute(f"SELECT * FROM read_parquet('{lake}/rollups/{r}.parquet') ORDER BY ALL").fetchall()
                for r in [*rollups.ROLLUPS, rollups.ORG_LABELS]}
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("lake")
    first = write_jsonl(folder / "first.jsonl", articles(900, 1), ['{"id": "bad-1", "date": "2024-01-01"}', "not json"])
    out = folder / "out1"
    counts = tag_shards([first], out, jobs=2)
    assert counts == {**counts, "articles": 902, "events": 900, "problems": 2}
    lake = folder / "lake"
    merge(out, lake)
    return {"folder": folder, "first": first, "out": out, "lake": lake}


@pytest.fixture
def lake_env(built: dict[str, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("GEOTECH_LAKE", str(built["lake"]))
    monkeypatch.delenv("GEOTECH_STORE", raising=False)
    return built["lake"]


def test_the_local_runner_tags_as_the_cli_does(built: dict[str, Path]) -> None:
    tagger = Tagger()
    lines = built["first"].read_text(encoding="utf-8").splitlines()[:900]
    expected = {}
    for n, line in enumerate(lines, start=1):
        out = tag_line(tagger, line, n, evidence=False)
        expected[out["id"]] = (sorted(out["themes"]), sorted(out["countries"]), sorted(out["orgs"]),
                               sorted((r["source"], r["target"], r["type"]) for r in out["relations"]))
    con = duckdb.connect()
    events = con.execute(f"SELECT id, themes, countries, org_names FROM read_parquet('{built['out']}/events/*/*/*.parquet')").fetchall()
    relations = con.execute(f"SELECT event_id, source, target, type FROM read_parquet('{built['out']}/relations/*/*/*.parquet')"
                            ).fetchall()
    problems = con.execute(f"SELECT id, reason FROM read_parquet('{built['out']}/problems/*.parquet') ORDER BY ALL").fetchall()
    got = {i: (sorted(t), sorted(c), sorted(o), sorted((s, tg, ty) for e, s, tg, ty in relations if e == i)) for i, t, c, o in events}
    assert got == expected
    assert [p[0] for p in problems] == ["bad-1", "first.jsonl:902"]


def test_merge_is_idempotent(built: dict[str, Path], tmp_path: Path) -> None:
    lake = built["lake"]
    before = {t: table_rows(lake, t) for t in ("events", "sources", "tags", "evidence", "relations")}
    rolled = rollup_rows(lake)
    version = json.loads((lake / "_lake.json").read_text())["version"]
    counts = merge(built["out"], lake)
    assert counts["events_in_lake"] == 900
    assert {t: table_rows(lake, t) for t in before} == before
    assert rollup_rows(lake) == rolled
    assert json.loads((lake / "_lake.json").read_text())["version"] == version + 1


def test_a_merge_replaces_moved_events_and_never_duplicates(built: dict[str, Path], tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    merge(built["out"], lake)
    second = write_jsonl(tmp_path / "second.jsonl", articles(300, 1, moved=45) + articles(1000, 2)[900:])
    out = tmp_path / "out2"
    tag_shards([second], out, jobs=1)
    counts = merge(out, lake)
    assert counts["events_in_lake"] == 1000  # 900 first, 300 of them moved in time, 100 new
    con = duckdb.connect()
    ids = con.execute(f"SELECT id, count(*) FROM read_parquet('{lake}/events/*/*/*.parquet') GROUP BY id HAVING count(*) > 1"
                      ).fetchall()
    assert ids == []
    moved = con.execute(f"SELECT date FROM read_parquet('{lake}/events/*/*/*.parquet') WHERE id = 'a-00000'").fetchall()
    assert moved == con.execute(f"SELECT date FROM read_parquet('{out}/events/*/*/*.parquet') WHERE id = 'a-00000'").fetchall()
    children = con.execute(f"SELECT count(*) FROM read_parquet('{lake}/sources/*/*/*.parquet')").fetchall()[0][0]
    assert children == 1000
    # the merged rollups equal rollups counted afresh from the lake's events
    store = tmp_path / "s.duckdb"
    import_lake(str(lake), store)
    with duckdb.connect(str(store), read_only=True) as s:
        for name in rollups.ROLLUPS:
            assert s.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == rollup_rows(lake)[name], name


def test_partition_pruning_reads_one_month(built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query of one month reads no other month's rows: with every other partition's file made
    unreadable (but the first, whose schema DuckDB reads to name the columns), it still answers,
    and a query of the whole lake fails."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lake = tmp_path / "lake"
    shutil.copytree(built["lake"], lake)
    parts = sorted((lake / "events").glob("year=*/month=*"))
    assert len(parts) > 30
    keep = parts[len(parts) // 2]
    year, month = (int(p.name.split("=")[1]) for p in (keep.parent, keep))
    con = duckdb.connect(str(catalog(str(lake))), read_only=True)
    expected = con.execute(f"SELECT count(*) FROM events WHERE year = {year} AND month = {month}").fetchall()[0][0]
    con.close()
    for part in parts:
        if part not in (keep, parts[0]):
            for file in part.glob("*.parquet"):
                file.write_bytes(b"not parquet")
    con = duckdb.connect(str(catalog(str(lake))), read_only=True)
    try:
        assert con.execute(f"SELECT count(*) FROM events WHERE year = {year} AND month = {month}").fetchall()[0][0] == expected > 0
        with pytest.raises(duckdb.Error):
            con.execute("SELECT count(*) FROM events").fetchall()
    finally:
        con.close()


FILTERS = [Filters(), Filters(themes=("semiconductors",)), Filters(countries=("CN",), start=dt.date(2022, 3, 9)),
           Filters(q="export"), Filters(themes=("ai", "trade"), end=dt.date(2023, 6, 30))]


def test_the_lake_answers_as_the_store_it_imports_into(lake_env: Path, tmp_path: Path) -> None:
    path = catalog(str(lake_env))
    store = tmp_path / "imported.duckdb"
    assert import_lake(str(lake_env), store)["events_in_store"] == 900
    for f in FILTERS:
        assert queries.summary(path, f) == queries.summary(store, f)
        assert queries.value_counts(path, f, "orgs") == queries.value_counts(store, f, "orgs")
        assert queries.timeline(path, f).equals(queries.timeline(store, f))
        assert queries.relation_pairs(path, f).equals(queries.relation_pairs(store, f))
        assert queries.events_page(path, f, 50, 0).equals(queries.events_page(store, f, 50, 0))
        assert queries.export_rows(path, f, 100) == queries.export_rows(store, f, 100)
    first = queries.events_page(path, Filters(), 1, 0)["id"][0]
    lake_event, store_event = queries.event_detail(path, first), queries.event_detail(store, first)
    assert lake_event and store_event
    assert lake_event["tags"] == store_event["tags"] and lake_event["tags"][0]["evidence"]


def test_a_lake_is_never_written_and_bad_lakes_say_what_to_do(lake_env: Path, tmp_path: Path) -> None:
    path = catalog(str(lake_env))
    with pytest.raises(StoreError, match="catalog of the Parquet lake"):
        Store(path).upsert([])
    with pytest.raises(LakeError, match="no such folder"):
        catalog(str(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(LakeError, match="holds no events"):
        catalog(str(tmp_path / "empty"))
    with pytest.raises(LakeError, match="holds no events"):
        merge(tmp_path / "empty", tmp_path / "lake2")
    assert issubclass(LakeError, GeoTechError)


def test_cli_lake_commands(built: dict[str, Path], tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "core.cli", *a], cwd=ROOT, capture_output=True, text=True,  # noqa: E731
                                    env=env, timeout=300)
    done = run("lake", "merge", str(built["out"]), str(tmp_path / "lake"))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events_in_lake"] == 900
    imported = run("lake", "import", str(tmp_path / "lake"), "--store", str(tmp_path / "s.duckdb"))
    assert imported.returncode == 0 and json.loads(imported.stdout)["events_in_store"] == 900
    stats = subprocess.run([sys.executable, "-m", "core.cli", "stats", "--json"], cwd=ROOT, capture_output=True, text=True,
                           env={**env, "GEOTECH_LAKE": str(tmp_path / "lake")}, timeout=300)
    assert stats.returncode == 0 and json.loads(stats.stdout)["events"] == 900
    bad = run("lake", "merge", str(tmp_path / "nothing"), str(tmp_path / "lake"))
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    writes = subprocess.run([sys.executable, "-m", "core.cli", "ingest", str(built["first"])], cwd=ROOT, capture_output=True,
                            text=True, env={**env, "GEOTECH_LAKE": str(tmp_path / "lake")}, timeout=300)
    assert writes.returncode == 1 and "lake merge" in writes.stderr and "Traceback" not in writes.stderr


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_a_lake(lake_env: Path, page: str) -> None:
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.query_params["theme"] = "semiconductors"
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    text = " ".join(c.value for c in at.caption)
    assert "Parquet lake" in text
    if page == "dashboard/overview.py":
        shown = {m.label: m.value for m in at.metric}["Events"]
        assert int(shown.replace(",", "")) == queries.summary(catalog(str(lake_env)), Filters(themes=("semiconductors",))).events


def test_the_catalog_follows_the_lake(built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lake = tmp_path / "lake"
    merge(built["out"], lake)
    first = catalog(str(lake))
    stamp = hashlib.sha256(first.read_bytes()).hexdigest()
    assert catalog(str(lake)) == first and hashlib.sha256(first.read_bytes()).hexdigest() == stamp  # unchanged lake: kept
    extra = write_jsonl(tmp_path / "more.jsonl", articles(1010, 2)[1000:])
    tag_shards([extra], tmp_path / "out3", jobs=1)
    merge(tmp_path / "out3", lake)
    assert queries.summary(catalog(str(lake)), Filters()).events == 910


def test_duplicate_and_repeated_inputs_never_duplicate_events(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    counts = tag_shards([built["first"], built["first"], built["folder"] / "first.jsonl"], out, jobs=1)
    assert counts["events"] == 900  # one file named three times is tagged once
    part = next((out / "events").glob("year=*/month=*"))
    copy = next(part.glob("*.parquet"))
    shutil.copy(copy, part / "again-0.parquet")  # the same rows written twice: kept once
    lake = tmp_path / "lake"
    assert merge(out, lake)["events_in_lake"] == 900
    rows = table_rows(lake, "tags")
    assert len(rows) == len(set(rows))
    with pytest.raises(LakeError, match="holds an input"):
        tag_shards([out], out)


def test_a_merge_into_a_lake_without_rollups_counts_every_month(built: dict[str, Path], tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    shutil.copytree(built["out"], lake)  # a batch output used as a lake: no rollups yet
    extra = write_jsonl(tmp_path / "more.jsonl", articles(1010, 2)[1000:])
    tag_shards([extra], tmp_path / "out3", jobs=1)
    merge(tmp_path / "out3", lake)
    store = tmp_path / "s.duckdb"
    import_lake(str(lake), store)
    with duckdb.connect(str(store), read_only=True) as s:
        for name in [*rollups.ROLLUPS, rollups.ORG_LABELS]:
            assert s.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == rollup_rows(lake)[name], name


def test_rollups_counted_by_another_version_are_never_read_and_a_merge_counts_them_again(
        built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lake = tmp_path / "lake"
    shutil.copytree(built["lake"], lake)
    manifest = json.loads((lake / "_lake.json").read_text())
    assert manifest["rollups"] == rollups.VERSION
    fresh = rollup_rows(lake)
    con = duckdb.connect()  # files as an older version counted them: no theme-and-country rows
    path = lake / "rollups" / "rollup_totals.parquet"
    con.execute(f"COPY (SELECT * FROM read_parquet('{path}') WHERE fk <> 'tc') TO '{path}.old' (FORMAT parquet)")
    con.close()
    Path(f"{path}.old").replace(path)
    (lake / "_lake.json").write_text(json.dumps({"version": manifest["version"]}))  # written before versions were recorded
    f = Filters(themes=("ai",), countries=("US",))
    with duckdb.connect(str(catalog(str(lake))), read_only=True) as c:
        assert not rollups.active(c)  # the pages read the events, so every figure stays right
    assert queries.summary(catalog(str(lake)), f).events == queries.summary(catalog(str(built["lake"])), f).events > 0
    extra = write_jsonl(tmp_path / "more.jsonl", articles(1010, 2)[1000:])
    tag_shards([extra], tmp_path / "out3", jobs=1)
    merge(tmp_path / "out3", lake)  # every month counted again, the version recorded
    assert json.loads((lake / "_lake.json").read_text())["rollups"] == rollups.VERSION
    with duckdb.connect(str(catalog(str(lake))), read_only=True) as c:
        assert rollups.active(c)
    store = tmp_path / "s.duckdb"
    import_lake(str(lake), store)
    with duckdb.connect(str(store), read_only=True) as s:
        for name in rollups.ROLLUPS:
            assert s.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == rollup_rows(lake)[name], name
    assert len(rollup_rows(lake)["rollup_totals"]) > len([r for r in fresh["rollup_totals"] if r[1] != "tc"])


def test_a_failed_merge_leaves_the_lake_as_it_was(built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import core.lake

    lake = tmp_path / "lake"
    merge(built["out"], lake)
    before = {t: table_rows(lake, t) for t in ("events", "sources", "tags", "evidence", "relations")}
    rolled = rollup_rows(lake)
    second = write_jsonl(tmp_path / "second.jsonl", articles(300, 1, moved=45))
    tag_shards([second], tmp_path / "out2", jobs=1)

    def broken(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(core.lake, "_merge_rollups", broken)
    with pytest.raises(LakeError, match=r"No space left on device.*left as it was"):
        merge(tmp_path / "out2", lake)
    assert {t: table_rows(lake, t) for t in before} == before
    assert rollup_rows(lake) == rolled
    assert not list(lake.glob(".merge-*"))
    with pytest.raises(LakeError, match="object-storage URI"):
        merge(tmp_path / "out2", Path("s3://bucket/lake"))
