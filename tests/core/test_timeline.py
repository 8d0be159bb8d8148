"""The curated timeline in seeds/: every record valid, and the tagger agrees with its labels."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from core.ingest.readers import EventLine
from core.tagging.tagger import Tagger
from core.taxonomy import THEME_IDS, is_country_code

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
        assert dt.date(2018, 1, 1) <= day <= dt.date(2030, 12, 31), r["id"]
        assert day <= dt.date(2026, 12, 31) or r.get("scheduled"), f"{r['id']}: a date ahead must be scheduled"
        # http(s) only; a few official pages are published at http:// addresses and are cited as they are
        assert all(s["url"].startswith(("https://", "http://")) for s in r["sources"]), r["id"]
        assert (r.get("instrument") is None) == (r.get("stage") is None), r["id"]
        assert set(r["themes"]) <= set(THEME_IDS) and r["themes"], r["id"]
        assert all(is_country_code(c) for c in r["countries"]), r["id"]
        assert len(r["title"]) <= 100, r["id"]


TRACKING = ("utm_", "_cldee", "recipientid", "esid", "fbclid", "gclid", "mc_cid", "mc_eid", "oly_enc_id")


def test_sources_carry_no_tracking_parameters_and_no_repeats(records: list[dict]) -> None:
    """A record's sources are distinct pages cited by their plain address (docs/curation.md)."""
    from urllib.parse import parse_qsl, urlsplit

    for r in records:
        urls = [s["url"] for s in r["sources"]]
        assert len(set(urls)) == len(urls), f"{r['id']}: a source is cited twice"
        for url in urls:
            keys = [k.lower() for k, _ in parse_qsl(urlsplit(url).query)]
            assert not [k for k in keys if k.startswith(TRACKING)], f"{r['id']}: tracking parameters in {url}"


G20 = ("AR", "AU", "BR", "CA", "CN", "FR", "DE", "IN", "ID", "IT", "JP", "KR", "MX", "RU", "SA", "ZA", "TR", "GB", "US", "EU")


def test_coverage(records: list[dict]) -> None:
    themes = Counter(t for r in records for t in r["themes"])
    countries = Counter(c for r in records for c in r["countries"])
    years = {r["date"][:4] for r in records}
    assert len(records) >= 1000
    assert min(themes[t] for t in THEME_IDS) >= 30, themes
    assert len(set(countries) - {"EU"}) >= 60 and "EU" in countries
    assert min(countries[c] for c in G20) >= 10, {c: countries[c] for c in G20}
    assert {str(y) for y in range(2018, 2027)} <= years
    reported = [r["date"] for r in records if not r.get("scheduled")]
    assert max(reported) >= "2026-06-01"  # the corpus reaches into the second half of 2026


def test_lifecycles(records: list[dict]) -> None:
    stages = Counter(r["instrument"]["id"] for r in records if r.get("instrument"))
    names = {(r["instrument"]["id"], r["instrument"]["name"]) for r in records if r.get("instrument")}
    assert sum(1 for n in stages.values() if n >= 2) >= 120
    assert len(names) == len(stages), "one name per instrument id"
    ai_act = sorted((r["date"], r["stage"]) for r in records if r.get("instrument", {}).get("id") == "eu-ai-act")
    assert {"proposed", "in_force", "applies"} <= {s for _, s in ai_act}


TUNED = Path(__file__).resolve().parents[1] / "data" / "timeline_tuned_ids.txt"


def agreement(records: list[dict]) -> tuple[float, list[str]]:
    """The share of records on which the tagger agrees with the curated labels: it tags every curated
    country, and finds evidence (a cue, tagged or a passing mention) for every curated theme in the
    record's short summary; and the ids where it does not."""
    tagger = Tagger()
    misses = []
    for r in records:
        result = tagger.tag(r["summary"], r["title"], dt.date.fromisoformat(r["date"]))
        found = {t.value for t in result.themes} | set(result.values("country"))
        if not set(r["themes"]) | set(r["countries"]) <= found:
            misses.append(r["id"])
    return 1 - len(misses) / len(records), misses


def test_tagger_agrees_with_curated_labels_it_was_tuned_on(records: list[dict]) -> None:
    """On the records the tagger was tuned against, it agrees with at least 90% of them."""
    tuned = {line.strip() for line in TUNED.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
    subset = [r for r in records if r["id"] in tuned]
    assert len(subset) >= 200
    share, misses = agreement(subset)
    assert share >= 0.9, f"{share:.3f} agree; first misses: {misses[:10]}"


def test_tagger_agreement_on_the_whole_timeline_does_not_regress(records: list[dict]) -> None:
    """A regression guard on every record, most of them never tuned on: 0.716 when the timeline grew to
    1,248 records (most misses: a company's home named as a curated country, as in "Huawei" for CN,
    and trade or investment read from context the summary does not spell out)."""
    share, misses = agreement(records)
    assert share >= 0.70, f"{share:.3f} agree; first misses: {misses[:10]}"
