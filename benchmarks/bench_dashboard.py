"""Dashboard speed at scale: cold start, the rerun after a filter change at 10,000 and at
1,000,000 events, the same rerun for the naive pattern (load every row into pandas, filter
there, send the whole table), and peak memory. All in one run, printed as JSON.

    python benchmarks/bench_dashboard.py [--small 10000] [--large 1000000] [--workdir DIR]

Stores are built with `geotech synth` (kept in --workdir between runs). Reruns go through
Streamlit's AppTest, which runs the real app script in this process.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

NAIVE_APP = '''
import duckdb, os, streamlit as st
con = duckdb.connect(os.environ["GEOTECH_STORE"], read_only=True)
frame = con.execute("SELECT id, date, title, themes, countries, org_names FROM events").df()
con.close()
theme = st.multiselect("Themes", ["ai", "semiconductors", "trade", "defense"], key="theme")
if theme:
    frame = frame[frame["themes"].map(lambda ts: any(t in ts for t in theme))]
st.metric("Events", len(frame))
st.dataframe(frame)
'''


def store_with(workdir: Path, n: int) -> Path:
    """A synthetic store of n events, written by `geotech synth` in its own process so that
    building it does not count in this process's peak memory."""
    path = workdir / f"synth-{n}.duckdb"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "core.cli", "synth", "--events", str(n), "--store", str(path)],
                       check=True, cwd=ROOT, stdout=sys.stderr)
    return path


def timed_runs(script: str, store: Path, themes: list[list[str]], page: str | None = None) -> dict[str, float]:
    """Cold start, then one rerun per filter value; returns seconds."""
    os.environ["GEOTECH_STORE"] = str(store)
    at = AppTest.from_file(script, default_timeout=600)
    if page:
        at.switch_page(page)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    assert not at.exception, at.exception
    reruns = []
    for value in themes:
        start = time.perf_counter()
        at.multiselect(key="theme").set_value(value).run()
        reruns.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return {"cold_start": round(cold, 3), "rerun": round(statistics.median(reruns), 3)}


PAGES = ["overview", "events", "relations", "country", "map", "upcoming", "health"]


def every_page(script: str, store: Path) -> dict[str, float]:
    """Each page rendered once on the store in a fresh session (the process-wide query cache may
    already hold some of its queries): seconds; an exception fails the run."""
    os.environ["GEOTECH_STORE"] = str(store)
    seconds = {}
    for name in PAGES:
        at = AppTest.from_file(script, default_timeout=600)
        at.switch_page(f"dashboard/{name}.py")
        start = time.perf_counter()
        at.run()
        seconds[name] = round(time.perf_counter() - start, 3)
        assert not at.exception, f"{name}: {at.exception}"
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "geotech-bench")
    args = parser.parse_args()
    os.environ["GEOTECH_REFRESH"] = "off"  # no live fetch writes into the stores being measured
    args.workdir.mkdir(parents=True, exist_ok=True)
    app = str(ROOT / "router.py")
    naive = args.workdir / "naive_app.py"
    naive.write_text(NAIVE_APP, encoding="utf-8")
    changes = [["ai"], ["semiconductors"], ["trade", "defense"]]
    result: dict[str, object] = {}
    for label, n in (("small", args.small), ("large", args.large)):
        store = store_with(args.workdir, n)
        result[label] = {"events": n, "overview": timed_runs(app, store, changes),
                         "events_page": timed_runs(app, store, changes, "dashboard/events.py"),
                         "every_page_render": every_page(app, store)}
    peak_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the naive app inflates it
    result["naive_large"] = timed_runs(str(naive), store_with(args.workdir, args.large), changes)
    small, large = result["small"], result["large"]
    rerun_large = max(large["overview"]["rerun"], large["events_page"]["rerun"])  # type: ignore[index]
    rerun_small = max(small["overview"]["rerun"], small["events_page"]["rerun"])  # type: ignore[index]
    result["summary"] = {
        "rerun_large_seconds": rerun_large,
        "rerun_large_over_small": round(rerun_large / rerun_small, 2) if rerun_small else None,
        "naive_over_ours_at_large": round(result["naive_large"]["rerun"] / rerun_large, 2),  # type: ignore[index]
        "peak_rss_mb": round(peak_ours, 1),
        "peak_rss_mb_with_naive": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "targets": {"rerun_large_seconds": "<= 0.6", "rerun_large_over_small": "<= 3", "naive_over_ours_at_large": ">= 5",
                    "peak_rss_mb": "<= 1536"},
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
