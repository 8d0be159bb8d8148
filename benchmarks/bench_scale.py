"""Beyond one machine, measured on this one: tagging runners and the dashboard at 10k, 1M and 10M events.

    python benchmarks/bench_scale.py [--sizes 10000 1000000 10000000] [--articles 200000] [--workdir DIR]
                                     [--skip-tagging] [--skip-dashboard] [--spark-master local[2]]

Tagging: the same articles (benchmarks/corpus.py) through `geotech tag` (the CLI, one JSON line
out per article), `geotech tag-shards` (a fork pool writing the Parquet batch output) and
`geotech spark-tag` in Spark local mode; throughput, and peak memory as the sum of the RSS of
the run's whole process tree (the JVM and the Python workers of Spark included), sampled every
0.2 s.

Dashboard: synthetic stores (`geotech synth`, kept in --workdir) with their rollups; each size
runs in its own process (so its peak RSS is its own) through Streamlit's AppTest: every page
rendered once, then on the Overview, Map, Relations and Country pages a cold run and reruns after
changing the theme filter (a new value each time, caches cleared between pages). At the largest
size also: the same store read without its rollups (what the pages cost without them), the store
written out as a Parquet lake read through GEOTECH_LAKE, and the naive pattern (every row into
pandas, filtered there) at 1M. Everything is printed as one JSON object.
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
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PAGES = ["overview", "map", "relations", "country"]
ALL_PAGES = ["overview", "events", "relations", "country", "map", "upcoming", "instruments", "health"]
CHANGES = [["ai"], ["semiconductors"], ["trade"], ["energy"]]
NAIVE_APP = '''
import duckdb, os, streamlit as st
con = duckdb.connect(os.environ["GEOTECH_STORE"], read_only=True)
frame = con.execute("SELECT id, date, title, themes, countries, org_names FROM events").df()
con.close()
theme = st.multiselect("Themes", ["ai", "semiconductors", "trade", "energy"], key="theme")
if theme:
    frame = frame[frame["themes"].map(lambda ts: any(t in ts for t in theme))]
st.metric("Events", len(frame))
st.dataframe(frame.head(1000))
'''


# -- measuring a command: wall time and the peak RSS of its process tree ----------------------------

def _tree_rss(pid: int) -> int:
    """The summed RSS (bytes) of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def measured(cmd: list[str], **kwargs: Any) -> dict[str, Any]:
    """Run a command; its wall seconds, peak process-tree RSS in MB, and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.2)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    out, err = proc.communicate()
    done.set()
    thread.join()
    result = {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": round(peak[0] / 2**20, 1), "stdout": out}
    if proc.returncode != 0:  # reported in the figures, and the other runs still go
        result["error"] = f"exit {proc.returncode}: {err.strip().splitlines()[-1][:300] if err.strip() else ''}"
    return result


def tagging(workdir: Path, n: int, master: str) -> dict[str, Any]:
    from corpus import write_corpus

    corpus = workdir / f"articles-{n}.jsonl"
    if not corpus.exists():
        write_corpus(corpus, n)
    cli = [sys.executable, "-m", "core.cli"]
    runs: dict[str, Any] = {}
    tagged = measured([*cli, "tag", str(corpus), "--no-evidence", "--jobs", "2"])
    runs["cli_tag"] = {k: v for k, v in tagged.items() if k != "stdout"} | {"articles": tagged["stdout"].count("\n")}
    del tagged
    for name, cmd in (("tag_shards", [*cli, "tag-shards", str(corpus), "-o", str(workdir / "out-shards"), "--jobs", "2",
                                      "--no-evidence"]),
                      ("spark_local", [*cli, "spark-tag", str(corpus), str(workdir / "out-spark"), "--master", master,
                                       "--no-evidence"])):
        done = measured(cmd)
        if "error" in done:
            runs[name] = {"error": done["error"], "seconds": done["seconds"], "peak_rss_mb": done["peak_rss_mb"]}
            continue
        counts = json.loads(done["stdout"].strip().splitlines()[-1])
        runs[name] = {"seconds": done["seconds"], "peak_rss_mb": done["peak_rss_mb"], "articles": counts["articles"],
                      "events": counts["events"]}
    for run in runs.values():
        if "articles" in run:
            run["articles_per_second"] = round(run["articles"] / run["seconds"], 1)
    for name in ("spark_local", "tag_shards"):
        if "articles" in runs[name]:
            runs[f"{name}_over_cli_seconds"] = round(runs[name]["seconds"] / runs["cli_tag"]["seconds"], 2)
    return runs


# -- the dashboard at one size (run in its own process) ---------------------------------------------

def one_size(target: str, mode: str) -> dict[str, Any]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["GEOTECH_REFRESH"] = "off"
    if mode == "lake":
        os.environ["GEOTECH_LAKE"] = target
        os.environ.pop("GEOTECH_STORE", None)
    else:
        os.environ["GEOTECH_STORE"] = target
        os.environ.pop("GEOTECH_LAKE", None)
    script = str(ROOT / "router.py") if mode != "naive" else target + ".py"
    result: dict[str, Any] = {"pages": {}}
    if mode == "naive":
        os.environ["GEOTECH_STORE"] = target
        pages = [None]
    else:
        pages = PAGES
    for page in pages:
        st.cache_data.clear()
        at = AppTest.from_file(script, default_timeout=1800)
        if page:
            at.switch_page(f"dashboard/{page}.py")
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        assert not at.exception, f"{page}: {at.exception}"
        reruns = []
        for value in CHANGES:
            start = time.perf_counter()
            at.multiselect(key="theme").set_value(value).run()
            reruns.append(time.perf_counter() - start)
            assert not at.exception, f"{page}: {at.exception}"
        result["pages"][page or "naive"] = {"cold": round(cold, 3), "rerun_median": round(statistics.median(reruns), 3),
                                            "rerun_max": round(max(reruns), 3)}
    if mode != "naive":
        st.cache_data.clear()
        renders = {}
        for page in ALL_PAGES:
            at = AppTest.from_file(script, default_timeout=1800)
            at.switch_page(f"dashboard/{page}.py")
            start = time.perf_counter()
            at.run()
            renders[page] = {"seconds": round(time.perf_counter() - start, 3), "ok": not at.exception and not at.error}
        result["every_page"] = renders
    result["rerun"] = max(p["rerun_median"] for p in result["pages"].values())
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return result


def dashboard(workdir: Path, sizes: list[int]) -> dict[str, Any]:
    import duckdb

    from core import rollups

    runs: dict[str, Any] = {}
    me = [sys.executable, str(Path(__file__).resolve())]
    for n in sizes:
        store = workdir / f"synth-{n}.duckdb"
        if not store.exists():
            subprocess.run([sys.executable, "-m", "core.cli", "synth", "--events", str(n), "--store", str(store)], check=True,
                           cwd=ROOT, stdout=sys.stderr)
        runs[f"store_{n}"] = json.loads(subprocess.run([*me, "--one", str(store), "--mode", "store"], check=True, cwd=ROOT,
                                                       capture_output=True, text=True).stdout)
    largest = workdir / f"synth-{max(sizes)}.duckdb"
    lake = workdir / f"lake-{max(sizes)}"
    if not lake.exists():
        subprocess.run([sys.executable, "-m", "core.cli", "lake", "export", str(lake), "--store", str(largest)], check=True, cwd=ROOT,
                       stdout=sys.stderr)
    runs[f"lake_{max(sizes)}"] = json.loads(subprocess.run([*me, "--one", str(lake), "--mode", "lake"], check=True, cwd=ROOT,
                                                           capture_output=True, text=True,
                                                           env={**os.environ, "XDG_CACHE_HOME": str(workdir / "cache")}).stdout)
    con = duckdb.connect(str(largest))  # the same store without its rollups: the pages read the events
    con.execute("DELETE FROM meta WHERE key = ?", [rollups.META_KEY])
    con.close()
    try:
        runs[f"store_{max(sizes)}_without_rollups"] = json.loads(subprocess.run(
            [*me, "--one", str(largest), "--mode", "store"], check=True, cwd=ROOT, capture_output=True, text=True).stdout)
    finally:
        con = duckdb.connect(str(largest))
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [rollups.META_KEY, rollups.VERSION])
        con.close()
    middle = [n for n in sizes if n <= 1_000_000]
    if middle:
        naive = workdir / f"synth-{max(middle)}.duckdb"
        Path(str(naive) + ".py").write_text(NAIVE_APP, encoding="utf-8")
        runs[f"naive_{max(middle)}"] = json.loads(subprocess.run([*me, "--one", str(naive), "--mode", "naive"], check=True, cwd=ROOT,
                                                                 capture_output=True, text=True).stdout)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "geotech-scale")
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--skip-tagging", action="store_true")
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="store", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one, args.mode)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {}
    if not args.skip_dashboard:
        runs = dashboard(args.workdir, sorted(args.sizes))
        out["dashboard"] = runs
        small, large = min(args.sizes), max(args.sizes)
        summary: dict[str, Any] = {
            f"rerun_{small}": runs[f"store_{small}"]["rerun"],
            f"rerun_{large}": runs[f"store_{large}"]["rerun"],
            f"rerun_{large}_over_{small}": round(runs[f"store_{large}"]["rerun"] / runs[f"store_{small}"]["rerun"], 2),
            f"rerun_{large}_lake": runs[f"lake_{large}"]["rerun"],
            f"rerun_{large}_without_rollups": runs[f"store_{large}_without_rollups"]["rerun"],
            f"peak_rss_mb_{large}": runs[f"store_{large}"]["peak_rss_mb"],
            "every_page_ok": all(p["ok"] for k, r in runs.items() if "every_page" in r for p in r["every_page"].values()),
            "targets": {f"rerun_{large}": "<= 1.0 s", f"rerun_{large}_over_{small}": "<= 2", "rerun_1000000": "<= 0.6 s",
                        f"peak_rss_mb_{large}": "<= 1536"},
        }
        if "store_1000000" in runs:
            summary["rerun_1000000"] = runs["store_1000000"]["rerun"]
        out["summary"] = summary
    if not args.skip_tagging:
        out["tagging"] = tagging(args.workdir, args.articles, args.spark_master)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
