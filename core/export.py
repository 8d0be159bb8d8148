"""Exports of filtered events: JSON (nested, with evidence) and CSV (one row per event)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from core.errors import StoreError
from core.queries import Filters

CSV_COLUMNS = ("id", "date", "date_precision", "scheduled", "title", "summary", "themes", "countries", "organizations",
               "relations", "source_urls", "instrument_id", "instrument_name", "stage", "evidence")


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1, default=str)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (the OWASP rule): text that starts with =, +, -,
    @, a tab or a carriage return gets a leading apostrophe; other values are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Lists joined with '; ', relations as 'US>CN:restriction', evidence as JSON in its cell; no cell
    starts with a formula prefix."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralize(v) for k, v in _cells(row).items()})
    return out.getvalue()


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("id", "date", "date_precision", "scheduled", "title", "summary")},
        "themes": "; ".join(row["themes"] or []), "countries": "; ".join(row["countries"] or []),
        "organizations": "; ".join(row["organizations"] or []),
        "relations": "; ".join(f"{r['source']}>{r['target']}:{r['type']}" for r in row["relations"]),
        "source_urls": "; ".join(row["source_urls"]),
        **{k: row.get(k) or "" for k in ("instrument_id", "instrument_name", "stage")},
        "evidence": json.dumps(row["evidence"], ensure_ascii=False),
    }


def to_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    """The export as a Parquet file: lists stay lists, relations a list of structs, evidence JSON text."""
    import duckdb
    import pandas as pd

    frame = pd.DataFrame([{**{k: row[k] for k in ("id", "date", "date_precision", "scheduled", "title", "summary", "themes",
                                                  "countries", "organizations", "relations", "source_urls")},
                           **{k: row.get(k) for k in ("instrument_id", "instrument_name", "stage")},
                           "evidence": json.dumps(row["evidence"], ensure_ascii=False)} for row in rows],
                         columns=list(CSV_COLUMNS))
    con = duckdb.connect()
    try:
        con.register("export_rows", frame)
        target = str(path).replace("'", "''")
        con.execute(f"""COPY (SELECT * REPLACE (CAST(date AS DATE) AS date, themes::VARCHAR[] AS themes,
                                  countries::VARCHAR[] AS countries, organizations::VARCHAR[] AS organizations,
                                  source_urls::VARCHAR[] AS source_urls) FROM export_rows)
                        TO '{target}' (FORMAT parquet)""")
    except duckdb.Error as exc:
        raise StoreError(f"writing {path} failed: {exc}") from exc
    finally:
        con.close()


def file_name(f: Filters, today: dt.date, extension: str) -> str:
    """A name that says the filters and the date: geotech-events_theme-ai_country-JP_2026-11-23.csv."""
    parts = [f"{key}-{'+'.join(values)}" for key, values in (("theme", f.themes), ("country", f.countries), ("org", f.orgs),
                                                            ("instrument", f.instruments), ("stage", f.stages)) if values]
    if f.start or f.end:
        parts.append(f"from-{f.start or ''}-to-{f.end or ''}")
    if f.q:
        parts.append(f"q-{f.q}")
    stem = "_".join(["geotech-events", *parts, today.isoformat()])
    return re.sub(r"[^\w.+-]+", "-", stem)[:180] + f".{extension}"
