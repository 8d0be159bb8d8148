"""Synthetic events for benchmarks: realistic shapes (themes, countries, organizations,
relations, ten years of dates), skewed like real news, written in bulk into a store.

Synthetic events are marked: their ids start with `synth-` and their source is
"synthetic", so nobody mistakes them for real events.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pandas as pd

from core import rollups
from core.errors import StoreError
from core.store import connect
from core.taxonomy import THEME_IDS

COUNTRIES = ["US", "CN", "EU", "JP", "GB", "KR", "TW", "DE", "IN", "RU", "FR", "NL", "AU", "CA", "UA", "IL", "SG", "AE",
             "SA", "BR", "IT", "SE", "FI", "VN", "MX", "ID", "TR", "PL", "ES", "ZA"]
ORGS = ["Bureau of Industry and Security", "European Commission", "TSMC", "Nvidia", "Huawei", "ASML", "Ministry of Commerce of China",
        "Intel", "Samsung Electronics", "OpenAI", "NATO", "Ministry of Economy, Trade and Industry", "Microsoft", "Google",
        "SMIC", "Federal Communications Commission", "NASA", "Rosatom", "CATL", "Micron"]
RELATIONS = ("cooperation", "restriction", "competition")


def _zipf(n: int, s: float = 1.1) -> list[float]:
    return [1 / (i + 1) ** s for i in range(n)]


def synth_frames(n: int, seed: int = 7, end: dt.date = dt.date(2026, 11, 1),
                 span: tuple[float, float] = (0.0, 1.0)) -> dict[str, pd.DataFrame]:
    """Rows for the events, sources, tags and relations tables, in date order: the events of the
    `span` slice of the ten years' distribution (0-1, oldest first), as a feed read over time
    brings them."""
    rng = random.Random(seed)
    draws = sorted(span[0] + (span[1] - span[0]) * rng.random() for _ in range(n))
    cw, ow, tw = _zipf(len(COUNTRIES)), _zipf(len(ORGS)), _zipf(len(THEME_IDS), 0.6)
    days = 3650
    events, sources, tags, relations = [], [], [], []
    now = dt.datetime(2026, 11, 1)
    for i in range(n):
        eid = f"synth-{seed}-{i:08d}"
        # more news in recent years: the square root skews days toward the end of the span
        date = end - dt.timedelta(days=int(days * (1 - draws[i] ** 0.5)))
        themes = sorted(set(rng.choices(THEME_IDS, tw, k=rng.choice((1, 1, 2, 2, 3)))))
        countries = sorted(set(rng.choices(COUNTRIES, cw, k=rng.choice((1, 2, 2, 3)))))
        orgs = sorted(set(rng.choices(ORGS, ow, k=rng.choice((0, 1, 1, 2)))))
        title = f"{' and '.join(countries)} act on {', '.join(t.replace('_', ' ') for t in themes)} ({i})"
        n_sources = rng.choice((1, 1, 1, 1, 2, 2, 3))  # most happenings have one report, some are covered widely
        events.append((eid, date, "day", False, title, title + ".", title + ".", themes, countries,
                       [o.lower() for o in orgs], orgs, f"synth{i}", now, n_sources, False, None, None, None))
        for k in range(n_sources):
            sources.append((eid, f"{eid}-{k}", None, "synthetic", title, date + dt.timedelta(days=k)))
        for t in themes:
            tags.append((eid, "theme", t, t, 4.0, True, "synthetic", json.dumps([])))
        for o in orgs:
            tags.append((eid, "org", o.lower(), o, 2.0, True, "synthetic", json.dumps([])))
        if len(countries) >= 2 and rng.random() < 0.5:
            relations.append((eid, countries[0], countries[1], rng.choice(RELATIONS), json.dumps([])))
    return {
        "events": pd.DataFrame(events, columns=["id", "date", "date_precision", "scheduled", "title", "summary", "text", "themes",
                                                "countries", "orgs", "org_names", "content_hash", "updated_at",
                                                "n_sources", "curated", "instrument_id", "instrument_name", "stage"]),
        "sources": pd.DataFrame(sources, columns=["event_id", "article_id", "url", "name", "title", "published"]),
        "tags": pd.DataFrame(tags, columns=["event_id", "kind", "value", "label", "score", "tagged", "reason", "evidence"]),
        "relations": pd.DataFrame(relations, columns=["event_id", "source", "target", "type", "evidence"]),
    }


def write_synthetic(path: Path, n: int, seed: int = 7, batch: int = 100_000) -> int:
    """Add n synthetic events to the store at `path` in bulk; returns the number written."""
    written = 0
    with connect(path) as con:
        first = f"synth-{seed}-{0:08d}"
        if con.execute("SELECT count(*) FROM events WHERE id = ?", [first]).fetchone() != (0,):
            raise StoreError(f"{path} already holds synthetic events of seed {seed}; use another --seed or a new --store")
        con.execute("DELETE FROM meta WHERE key = ?", [rollups.META_KEY])  # until counted again below: an interrupted run is rebuilt
        for start in range(0, n, batch):
            size = min(batch, n - start)
            frames = synth_frames(size, seed=seed + start, span=(start / n, (start + size) / n))
            con.execute("BEGIN TRANSACTION")
            for table, frame in frames.items():
                con.register("frame", frame)
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
                con.unregister("frame")
            con.execute("COMMIT")
            written += len(frames["events"])
        con.execute("BEGIN TRANSACTION")
        rollups.rebuild(con)  # bulk rows bypass the store's writes: count them once, at the end
        con.execute("COMMIT")
    return written
