"""Speed and memory of the tagger against geotext, measured alternately in one run.

    python benchmarks/bench_tagger.py [--docs 13000] [--rounds 3]

Prints JSON: seconds per run of `geotech tag` and of the geotext baseline (same JSON Lines
in and out, each in its own process), their ratio (baseline / ours: >= 1.0 means we are at
least as fast), and the resident memory of a process that has loaded the tagger.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

MEMORY_PROBE = """
import resource, sys
from core.tagging.tagger import Tagger
tagger = Tagger()
tagger.tag("The US and Japan agreed on chips.", "", None)
rss_kb = int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS:')))
print(rss_kb)
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=13000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "corpus.jsonl", args.docs)
        ours_cmd = [sys.executable, "-m", "core.cli", "tag", str(corpus)]
        base_cmd = [sys.executable, str(HERE / "geotext_tag.py"), str(corpus)]
        ours, base = [], []
        for _ in range(args.rounds):
            ours.append(timed(ours_cmd))
            base.append(timed(base_cmd))
        size_mb = corpus.stat().st_size / 1e6
    rss_kb = int(subprocess.run([sys.executable, "-c", MEMORY_PROBE], check=True, capture_output=True, text=True,
                                cwd=ROOT).stdout.strip())
    ours_s, base_s = statistics.median(ours), statistics.median(base)
    print(json.dumps({
        "documents": args.docs,
        "corpus_mb": round(size_mb, 2),
        "rounds": args.rounds,
        "geotech_tag_seconds": round(ours_s, 3),
        "geotext_seconds": round(base_s, 3),
        "speed_ratio_vs_geotext": round(base_s / ours_s, 3),
        "docs_per_second": round(args.docs / ours_s, 1),
        "tagger_rss_mb": round(rss_kb / 1024, 1),
        "targets": {"speed_ratio_vs_geotext": ">= 1.0", "tagger_rss_mb": "< 150"},
    }, indent=2))


if __name__ == "__main__":
    main()
