"""The physical floor of tagging, for benchmarks/bench_tagger.py: JSON Lines in, two Aho-Corasick
scans over the whole text with every vocabulary string of core/data (one scan folded to lower case,
one as written), JSON Lines out (the number of hits of each scan). Nothing else.

    python benchmarks/floor_tag.py corpus.jsonl > out.jsonl
"""

from __future__ import annotations

import csv
import sys
import tomllib
from pathlib import Path

import ahocorasick_rs
import orjson

DATA = Path(__file__).resolve().parent.parent / "core" / "data"


def strings(value: object) -> list[str]:
    """Every string inside a TOML value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def vocabulary() -> list[str]:
    """Every cue, name and alias of core/data (CSV cells split on '|'), without duplicates."""
    words: set[str] = set()
    for path in DATA.glob("*.toml"):
        words.update(strings(tomllib.loads(path.read_text(encoding="utf-8"))))
    for path in DATA.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                words.update(part for cell in row for part in cell.split("|"))
    return sorted(w.strip().rstrip("*") for w in words if len(w.strip().rstrip("*")) > 1)


def main() -> None:
    words = vocabulary()
    folded = ahocorasick_rs.AhoCorasick(sorted({w.lower() for w in words}), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    exact = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    out = sys.stdout.buffer
    with open(sys.argv[1], "rb") as fh:
        for line in fh:
            if not line.strip():
                continue
            doc = orjson.loads(line)
            text = f"{doc.get('title') or ''}\n{doc.get('text') or ''}"
            hits = folded.find_matches_as_indexes(text.lower()), exact.find_matches_as_indexes(text)
            out.write(orjson.dumps({"id": doc.get("id"), "folded": len(hits[0]), "exact": len(hits[1])}) + b"\n")


if __name__ == "__main__":
    main()
