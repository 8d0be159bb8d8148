"""One event per happening: wire copies merge, distinct happenings stay apart, re-runs never duplicate."""

from __future__ import annotations

import json
from pathlib import Path

from core.pipeline import ingest
from core.queries import Filters, event_detail, events_page, stats
from core.store import Store

STORY = ("The Netherlands will require export licences for advanced chipmaking tools from September, the Dutch trade "
         "minister told parliament on Friday. The measure targets deep ultraviolet lithography systems and follows talks "
         "with Washington and Tokyo about curbing shipments of semiconductor equipment to China.")
REWRITE = ("The Dutch trade minister told parliament on Friday that the Netherlands will require export licences for "
           "advanced chipmaking tools from September. The measure targets deep ultraviolet lithography systems and follows "
           "talks with Washington and Tokyo on curbing shipments of semiconductor equipment to China.")
OTHER = ("Japan's trade ministry said on Monday it would subsidise a second chip plant in Kumamoto, adding to support "
         "for the first fab that opened this year.")


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_two_wire_versions_become_one_event_with_two_sources(tmp_path: Path) -> None:
    src = write(tmp_path / "wire.jsonl", [
        {"date": "2023-06-30", "title": "Dutch to require licences for chip tools", "text": STORY,
         "url": "https://wire-a.example/dutch-chips", "source": "Wire A"},
        {"date": "2023-07-01", "title": "Netherlands tightens rules on lithography exports", "text": REWRITE,
         "url": "https://wire-b.example/nl-lithography", "source": "Wire B"},
        {"date": "2023-07-01", "title": "Japan backs second Kumamoto fab", "text": OTHER,
         "url": "https://wire-a.example/kumamoto", "source": "Wire A"},
    ])
    store = Store(tmp_path / "s.duckdb")
    report = ingest([src], store)
    assert report.new == 2
    frame = events_page(store.path, Filters(q="lithography"))
    assert len(frame) == 1
    detail = event_detail(store.path, frame.iloc[0]["id"])
    assert detail is not None
    assert sorted(s["name"] for s in detail["sources"]) == ["Wire A", "Wire B"]
    before = stats(store.path)
    again = ingest([src], store)
    assert (again.new, again.updated) == (0, 0)
    assert stats(store.path) == before


def test_a_later_copy_joins_the_stored_event(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([write(tmp_path / "a.jsonl", [{"date": "2023-06-30", "title": "Dutch to require licences for chip tools",
                                           "text": STORY, "url": "https://wire-a.example/dutch-chips"}])], store)
    report = ingest([write(tmp_path / "b.jsonl", [{"date": "2023-07-01", "title": "Netherlands tightens export rules",
                                                    "text": REWRITE, "url": "https://wire-b.example/nl"}])], store)
    assert (report.new, report.updated) == (0, 1)
    assert stats(store.path)["events"] == 1
    assert stats(store.path)["sources"] == 2


def test_merge_candidates_are_the_similar_stored_events_only(tmp_path: Path) -> None:
    """A dense store (many stories on one day about one country) gives a new copy just the stored
    event it repeats, so a batch's cost does not grow with the store's density."""
    store = Store(tmp_path / "s.duckdb")
    def filler(n: int) -> str:  # words no other story shares
        return " ".join(f"x{n}y{k}" for k in range(8))

    others = [{"date": "2023-06-30", "title": f"Netherlands {filler(n)}", "text": f"The Netherlands {filler(n)} {filler(n + 99)}.",
               "url": f"https://example.org/notice/{n}"} for n in range(40)]
    ingest([write(tmp_path / "a.jsonl", [*others, {"date": "2023-06-30", "title": "Dutch to require licences for chip tools",
                                                   "text": STORY, "url": "https://wire-a.example/dutch-chips"}])], store)
    assert store.count() == 41
    rewrite = ingest([write(tmp_path / "b.jsonl", [{"date": "2023-07-01", "title": "Netherlands tightens export rules",
                                                     "text": REWRITE, "url": "https://wire-b.example/nl"}])], Store(tmp_path / "t.duckdb"))
    assert rewrite.new == 1
    from core.store import connect, load_events
    with connect(tmp_path / "t.duckdb") as con:
        (fresh,) = load_events(con, [r for (r,) in con.execute("SELECT id FROM events").fetchall()])
    candidates = store.merge_candidates([fresh])
    assert [c.title for c in candidates] == ["Dutch to require licences for chip tools"]


def test_a_store_from_before_stored_words_still_merges_later_copies(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    ingest([write(tmp_path / "a.jsonl", [{"date": "2023-06-30", "title": "Dutch to require licences for chip tools",
                                           "text": STORY, "url": "https://wire-a.example/dutch-chips"}])], store)
    import duckdb
    con = duckdb.connect(str(store.path))
    con.execute("ALTER TABLE events DROP COLUMN title_words")
    con.execute("ALTER TABLE events DROP COLUMN text_words")
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    report = ingest([write(tmp_path / "b.jsonl", [{"date": "2023-07-01", "title": "Netherlands tightens export rules",
                                                    "text": REWRITE, "url": "https://wire-b.example/nl"}])], store)
    assert (report.new, report.updated) == (0, 1)
    assert stats(store.path)["sources"] == 2
