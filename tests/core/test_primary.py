"""Primary documents: events link to the Federal Register rules they report; deadlines become events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from core.ingest.records import make_article
from core.pipeline import store_fetched
from core.primary import PrimaryDocument, deadline_id, document_numbers
from core.queries import Filters, event_detail, events_page, upcoming
from core.store import Store

RULE = PrimaryDocument(
    document_number="2031-01234", title="Export Controls on Example Computing Items", type="Rule",
    url="https://www.federalregister.gov/d/2031-01234", agencies=("Industry and Security Bureau",),
    publication_date=dt.date(2031, 3, 1), effective_on=dt.date(2031, 4, 1), comments_close_on=dt.date(2031, 5, 1),
)


def test_document_numbers_are_found_in_text() -> None:
    assert document_numbers("See FR Doc. 2024-07004 and 2023-23055; not 12-34567.") == {"2024-07004", "2023-23055"}


def test_article_linked_to_rule_and_deadlines_become_scheduled_events(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    article = make_article(
        "The Commerce Department's Bureau of Industry and Security published rule 2031-01234 tightening export controls "
        "on computing items for China.", dt.date(2031, 3, 1), title="New US export controls on computing items",
        url="https://news.example/rule", source="Example News")
    report = store_fetched([article], [], [RULE], store, source="test")
    assert report.failed == 0 and report.new == 3
    news = events_page(store.path, Filters(q="tightening export controls"))
    detail = event_detail(store.path, news.iloc[0]["id"])
    assert detail is not None
    assert [d["document_number"] for d in detail["documents"]] == ["2031-01234"]
    assert detail["documents"][0]["effective_on"] == dt.date(2031, 4, 1)
    deadlines = events_page(store.path, Filters(q="comment period closes"))
    assert len(deadlines) == 1
    closing = event_detail(store.path, deadlines.iloc[0]["id"])
    assert closing is not None and closing["date"] == dt.date(2031, 5, 1) and closing["scheduled"]
    assert "export_controls" in closing["themes"] and closing["countries"] == ["US"]


def test_upcoming_says_what_each_date_is_from_the_stored_kind(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store_fetched([], [], [RULE], store, source="test")
    rows = upcoming(store.path, Filters(), dt.date(2031, 3, 2))
    assert list(zip(rows["date"].dt.date, rows["kind"], strict=True)) == [
        (dt.date(2031, 4, 1), "effective date"), (dt.date(2031, 5, 1), "comment deadline")]
    with duckdb.connect(str(store.path)) as con:  # the kind is a field, not read back from the title
        con.execute("UPDATE events SET title = 'Renamed rule'")
    assert list(upcoming(store.path, Filters(), dt.date(2031, 3, 2))["kind"]) == ["effective date", "comment deadline"]


def test_a_store_of_schema_4_gets_the_kinds_of_its_rules_dates(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    store_fetched([], [], [RULE], store, source="test")
    with duckdb.connect(str(store.path)) as con:  # what version 4 wrote: no date_kind, no failure_kind
        con.execute("ALTER TABLE events DROP COLUMN date_kind")
        con.execute("ALTER TABLE runs DROP COLUMN failure_kind")
        con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    assert store.count() == 2  # a write connection migrates
    with duckdb.connect(str(store.path), read_only=True) as con:
        kinds = con.execute("SELECT id, date_kind FROM events ORDER BY date").fetchall()
    assert kinds == [(deadline_id("2031-01234", "effective_date"), "effective_date"),
                     (deadline_id("2031-01234", "comment_deadline"), "comment_deadline")]
