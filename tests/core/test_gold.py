"""Quality floor on the project's own labelled gold set (tests/data/gold.jsonl, written for this
project): `geotech eval` must not fall below these figures, so quality cannot silently regress."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from core.taxonomy import THEME_IDS

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "gold.jsonl"
FLOORS = {"themes": 0.90, "countries": 0.97, "orgs_recall": 0.95}


def test_gold_set_shape() -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    themes = Counter(t for r in rows for t in r["themes"])
    assert all(themes[t] >= 8 for t in THEME_IDS), themes
    assert sum(1 for r in rows if not r["themes"]) >= 10  # negatives
    assert sum(1 for r in rows if not r["countries"]) >= 10  # no country named
    assert sum(1 for r in rows if not r["text"].isascii()) >= 15  # other languages


def test_eval_on_gold_holds_the_floor() -> None:
    proc = subprocess.run([sys.executable, "-m", "core.cli", "eval", str(GOLD), "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["themes"]["micro"]["f1"] >= FLOORS["themes"], report["themes"]["micro"]
    assert report["countries"]["micro"]["f1"] >= FLOORS["countries"], report["countries"]["micro"]
    assert report["orgs"]["recall"] >= FLOORS["orgs_recall"], report["orgs"]
