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
