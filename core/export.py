"""Exports of filtered events: JSON (nested, with evidence) and CSV (one row per event)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from core.queries import Filters

CSV_COLUMNS = ("id", "date", "date_precision", "scheduled", "title", "summary", "themes", "countries", "organizations",
               "relations", "source_urls", "evidence")


def to_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1, default=str)


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Lists joined with '; ', relations as 'US>CN:restriction', evidence as JSON in its cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({
            **{k: row[k] for k in ("id", "date", "date_precision", "scheduled", "title", "summary")},
            "themes": "; ".join(row["themes"] or []), "countries": "; ".join(row["countries"] or []),
            "organizations": "; ".join(row["organizations"] or []),
            "relations": "; ".join(f"{r['source']}>{r['target']}:{r['type']}" for r in row["relations"]),
            "source_urls": "; ".join(row["source_urls"]),
            "evidence": json.dumps(row["evidence"], ensure_ascii=False),
        })
    return out.getvalue()


def file_name(f: Filters, today: dt.date, extension: str) -> str:
    """A name that says the filters and the date: geotech-events_theme-ai_country-JP_2026-11-23.csv."""
    parts = [f"{key}-{'+'.join(values)}" for key, values in (("theme", f.themes), ("country", f.countries), ("org", f.orgs))
             if values]
    if f.start or f.end:
        parts.append(f"from-{f.start or ''}-to-{f.end or ''}")
    if f.q:
        parts.append(f"q-{f.q}")
    stem = "_".join(["geotech-events", *parts, today.isoformat()])
    return re.sub(r"[^\w.+-]+", "-", stem)[:180] + f".{extension}"
