"""A JSON Lines corpus for speed benchmarks: documents of about 1.3 KB made by joining
summaries from the project's curated timeline (seeds/timeline.jsonl), drawn at random
with a fixed seed, so the text reads like the policy news the tagger is built for."""

from __future__ import annotations

import json
import random
from pathlib import Path

TIMELINE = Path(__file__).resolve().parent.parent / "seeds" / "timeline.jsonl"


def paragraphs() -> list[str]:
    rows = [json.loads(line) for line in TIMELINE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["summary"] for r in rows]


def document(rng: random.Random, pool: list[str], i: int, size: int = 1300) -> dict[str, str]:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(rng.choice(pool))
    return {"id": f"doc-{i}", "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "text": " ".join(parts)}


def write_corpus(path: Path, n: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    pool = paragraphs()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(document(rng, pool, i), ensure_ascii=False) + "\n")
    return path
