"""CPU cost of the tagger against the physical floor of this design, measured alternately in one run.

    python benchmarks/bench_tagger.py [--docs 13000] [--rounds 3]

The floor (benchmarks/floor_tag.py) reads the same JSON Lines, runs two Aho-Corasick scans with
every vocabulary string of core/data and writes JSON Lines. Each run's CPU seconds (user + system,
its worker processes included) are read from the kernel, so load from other programs does not
count. Prints JSON: the median CPU seconds of `geotech tag`, of `geotech tag --no-evidence` and of
the floor, their multiples of the floor, the start-up CPU of `geotech tag` on an empty input, and
the resident memory of a process that has loaded the tagger.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

MEMORY_PROBE = """
from core.tagging.tagger import Tagger
tagger = Tagger()
tagger.tag("The US and Japan agreed on chips.", "", None)
print(int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS:'))))
"""


def cpu_seconds(cmd: list[str], stdin: str | None = None) -> float:
    """User + system CPU seconds of a command and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, input=stdin, text=stdin is not None)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=13000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp) / "corpus.jsonl", args.docs)
        commands = {
            "tag": [sys.executable, "-m", "core.cli", "tag", str(corpus)],
            "tag_no_evidence": [sys.executable, "-m", "core.cli", "tag", "--no-evidence", str(corpus)],
            "floor": [sys.executable, str(HERE / "floor_tag.py"), str(corpus)],
        }
        runs: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):  # alternate, so that the machine's state hits all alike
            for name, cmd in commands.items():
                runs[name].append(cpu_seconds(cmd))
        start_up = statistics.median(cpu_seconds([sys.executable, "-m", "core.cli", "tag", "-"], stdin="")
                                     for _ in range(max(3, args.rounds)))
        size_mb = corpus.stat().st_size / 1e6
    rss_kb = int(subprocess.run([sys.executable, "-c", MEMORY_PROBE], check=True, capture_output=True, text=True,
                                cwd=ROOT).stdout.strip())
    cpu = {name: statistics.median(values) for name, values in runs.items()}
    print(json.dumps({
        "documents": args.docs,
        "corpus_mb": round(size_mb, 2),
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "cpu_seconds": {name: round(v, 3) for name, v in cpu.items()},
        "tag_over_floor": round(cpu["tag"] / cpu["floor"], 2),
        "tag_no_evidence_over_floor": round(cpu["tag_no_evidence"] / cpu["floor"], 2),
        "documents_per_cpu_second": round(args.docs / cpu["tag"], 1),
        "start_up_cpu_seconds": round(start_up, 3),
        "tagger_rss_mb": round(rss_kb / 1024, 1),
        "targets": {"tag_over_floor": "<= 4", "start_up_cpu_seconds": "< 0.5", "tagger_rss_mb": "< 150"},
    }, indent=2))


if __name__ == "__main__":
    main()
