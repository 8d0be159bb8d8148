"""Tagging time against text size, up to a 10 MB text: the tagger must scale linearly.

    python benchmarks/bench_linear.py [--max-mb 10]

Prints JSON: seconds and seconds per MB for texts of 1.25, 2.5, 5 and 10 MB, and the ratio
of the largest to the smallest per-MB cost (about 1.0 when linear; a quadratic step would
make it grow with the size).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import paragraphs

from core.tagging.tagger import Tagger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-mb", type=float, default=10.0)
    args = parser.parse_args()
    tagger = Tagger()
    block = " ".join(paragraphs())
    sizes = [args.max_mb / 8, args.max_mb / 4, args.max_mb / 2, args.max_mb]
    rows = []
    for mb in sizes:
        text = (block * (int(mb * 1e6 / len(block)) + 1))[: int(mb * 1e6)]
        start = time.perf_counter()
        result = tagger.tag(text)
        seconds = time.perf_counter() - start
        rows.append({"mb": round(len(text.encode()) / 1e6, 2), "seconds": round(seconds, 3),
                     "seconds_per_mb": round(seconds / mb, 3), "themes": len(result.values("theme"))})
    print(json.dumps({
        "runs": rows,
        "per_mb_ratio_largest_to_smallest": round(rows[-1]["seconds_per_mb"] / rows[0]["seconds_per_mb"], 3),
        "target": "per_mb_ratio close to 1.0 (linear); < 1.5",
    }, indent=2))


if __name__ == "__main__":
    main()
