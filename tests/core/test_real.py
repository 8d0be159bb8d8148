"""Quality floor on the real-text set (tests/data/real/real.jsonl, texts not written by this
project): `geotech eval` must not fall below these figures, so quality cannot silently regress."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from core.taxonomy import THEME_IDS, is_country_code

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real" / "real.jsonl"
FLOORS = {"themes": 0.87, "countries": 0.92, "orgs_recall": 0.88}


def rows() -> list[dict]:
    return [json.loads(line) for line in REAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_real_set_shape() -> None:
    records = rows()
    assert len(records) >= 250
    assert len({r["id"] for r in records}) == len(records) == len({r["source"] for r in records})
    languages = Counter(r["language"] for r in records)
    assert len(languages) >= 8 and sum(n for lang, n in languages.items() if lang != "en") >= 0.3 * len(records)
    assert sum(1 for r in records if not r["themes"]) >= 0.15 * len(records)  # negatives and traps
    themes = Counter(t for r in records for t in r["themes"])
    assert all(themes[t] >= 5 for t in THEME_IDS), themes
    for r in records:
        assert r["source"].startswith(("https://", "http://")) and r["licence"], r["id"]
        assert set(r["themes"]) <= set(THEME_IDS) and all(is_country_code(c) for c in r["countries"]), r["id"]


def test_eval_on_the_real_set_holds_the_floor() -> None:
    proc = subprocess.run([sys.executable, "-m", "core.cli", "eval", str(REAL), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["documents"] == len(rows())
    assert report["themes"]["micro"]["f1"] >= FLOORS["themes"], report["themes"]["micro"]
    assert report["countries"]["micro"]["f1"] >= FLOORS["countries"], report["countries"]["micro"]
    assert report["orgs"]["recall"] >= FLOORS["orgs_recall"], report["orgs"]
