"""The curated timeline in seeds/: every record valid, and the tagger agrees with its labels."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from core.ingest.readers import EventLine
from core.tagging.lexicon import THEME_IDS, is_country_code
from core.tagging.tagger import Tagger

TIMELINE = Path(__file__).resolve().parents[2] / "seeds" / "timeline.jsonl"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in TIMELINE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_record_is_valid(records: list[dict]) -> None:
    ids = Counter(r["id"] for r in records)
    assert not [i for i, n in ids.items() if n > 1]
    for r in records:
        EventLine.model_validate(r)
        day = dt.date.fromisoformat(r["date"])
        assert dt.date(2018, 1, 1) <= day <= dt.date(2026, 12, 31), r["id"]
        assert all(s["url"].startswith("https://") for s in r["sources"]), r["id"]
        assert set(r["themes"]) <= set(THEME_IDS) and r["themes"], r["id"]
        assert all(is_country_code(c) for c in r["countries"]), r["id"]
        assert len(r["title"]) <= 100, r["id"]


def test_coverage(records: list[dict]) -> None:
    themes = Counter(t for r in records for t in r["themes"])
    countries = {c for r in records for c in r["countries"]}
    years = {r["date"][:4] for r in records}
    assert len(records) >= 250
    assert min(themes[t] for t in THEME_IDS) >= 8
    assert len(countries - {"EU"}) >= 35 and "EU" in countries
    assert {str(y) for y in range(2018, 2027)} <= years


def test_tagger_agrees_with_curated_labels(records: list[dict]) -> None:
    """On at least 90% of records the tagger agrees with the curated labels: it tags every curated
    country, and finds evidence (a cue, tagged or a passing mention) for every curated theme in the
    record's short summary."""
    tagger = Tagger()
    agree = 0
    misses = []
    for r in records:
        result = tagger.tag(r["summary"], r["title"], dt.date.fromisoformat(r["date"]))
        found = {t.value for t in result.themes} | set(result.values("country"))
        if set(r["themes"]) | set(r["countries"]) <= found:
            agree += 1
        else:
            misses.append(r["id"])
    assert agree / len(records) >= 0.9, f"{agree}/{len(records)} agree; first misses: {misses[:10]}"
