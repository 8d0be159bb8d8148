"""docs/coverage.md stays true to the timeline: every cited event id and instrument exists, and the
happenings the coverage map must name are there with their ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "coverage.md").read_text(encoding="utf-8")
RECORDS = [json.loads(line) for line in (ROOT / "seeds" / "timeline.jsonl").read_text(encoding="utf-8").splitlines() if line]


def test_every_cited_id_and_instrument_exists() -> None:
    ids = {r["id"] for r in RECORDS}
    instruments = {r["instrument"]["id"] for r in RECORDS if r.get("instrument")}
    cited = set(re.findall(r"`(tl-[a-z0-9-]+)`", DOC))
    assert len(cited) >= 500
    assert not cited - ids, sorted(cited - ids)[:10]
    linked = set(re.findall(r"instrument=([a-z0-9-]+)", DOC)) | set(re.findall(r"instrument: `([a-z0-9-]+)`", DOC))
    assert not linked - instruments, sorted(linked - instruments)[:10]


def test_the_required_happenings_are_mapped() -> None:
    for instrument in ("jp-korea-export-curbs-2019", "jp-semiconductor-equipment-controls", "nl-semiconductor-equipment-controls",
                       "nl-nexperia-intervention", "us-nvidia-h20-licensing", "us-section-232-semiconductors",
                       "us-section-232-critical-minerals", "cn-nvidia-antitrust-probe", "cn-rare-earth-controls", "eu-chips-act",
                       "us-outbound-investment-rule", "eu-foreign-subsidies-regulation", "kr-chips-act", "tw-chips-act",
                       "in-semiconductor-mission", "eu-ai-act"):
        stages = [r["id"] for r in RECORDS if r.get("instrument", {}).get("id") == instrument]
        assert len(stages) >= 2, instrument
        assert any(f"`{i}`" in DOC for i in stages), instrument
