"""Primary documents: events link to the Federal Register rules they report; deadlines become events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core.ingest.records import make_article
from core.pipeline import store_fetched
from core.primary import PrimaryDocument, document_numbers
from core.queries import Filters, event_detail, events_page
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
