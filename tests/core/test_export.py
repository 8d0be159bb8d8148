from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from core import export
from core.queries import Filters, count, export_rows


def test_export_rows_match_the_filter_and_keep_evidence(fixture_store_path: Path) -> None:
    f = Filters(countries=("CN",))
    rows = export_rows(fixture_store_path, f)
    assert len(rows) == count(fixture_store_path, f) >= 2
    assert all("CN" in r["countries"] for r in rows)
    gallium = next(r for r in rows if "gallium" in r["title"])
    assert gallium["source_urls"] == ["https://example.org/news/gallium"]
    assert any(e["value"] == "critical_minerals" and e["cues"] for e in gallium["evidence"])
    table = list(csv.DictReader(io.StringIO(export.to_csv(rows))))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert json.loads(table[0]["evidence"])
    assert json.loads(export.to_json(rows))[0]["id"] == rows[0]["id"]


def test_file_name_says_filters_and_date() -> None:
    name = export.file_name(Filters(themes=("ai",), countries=("JP", "US"), q="chips/AI"), dt.date(2026, 11, 23), "csv")
    assert name == "geotech-events_theme-ai_country-JP+US_q-chips-AI_2026-11-23.csv"
