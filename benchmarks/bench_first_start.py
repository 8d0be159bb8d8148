"""First start on a fresh machine: from `streamlit run streamlit_app.py` with no store to the
Overview drawn in headless Chromium (the store is built from seeds/ on the way), against the same
measure for a bare Streamlit page in the same run (the floor: Python, Streamlit and the browser).
Also the store build alone (wall and CPU seconds). Printed as JSON.

    python benchmarks/bench_first_start.py [--rounds 3] [--chromium /usr/bin/chromium]

"Drawn" means: the app's script has finished (`data-test-script-state=notRunning`), no skeleton is
left, the Events metric and the first Plotly chart are on the page.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_APP = '''
import streamlit as st
st.title("Bare page")
st.metric("Events", 0)
st.plotly_chart({"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}]})
'''
TARGET_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chromium(path: str | None) -> str:
    for candidate in (path, os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("Chromium is needed: `apt-get install chromium`, or pass --chromium PATH")


def first_draw(script: Path, store: Path, browser: object) -> float:
    """Seconds from starting the server to the page drawn in the browser."""
    port = free_port()
    env = {**os.environ, "GEOTECH_STORE": str(store), "GEOTECH_REFRESH": "off"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 900})  # type: ignore[attr-defined]
        deadline = time.monotonic() + 120
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded", timeout=5000)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        page.wait_for_selector("[data-testid=stMetric]", timeout=120_000)
        page.wait_for_selector(".js-plotly-plot", timeout=120_000)
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=120_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=120_000)
        elapsed = time.perf_counter() - start
        page.close()
        return elapsed
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def store_build(work: Path) -> dict[str, float]:
    """The store built from seeds/ in a child process: wall and CPU seconds, events."""
    store = work / "build.duckdb"
    code = ("import sys, time, resource; from pathlib import Path; from core.pipeline import ingest, SEEDS_DIR; "
            "from core.store import Store; t=time.perf_counter(); s=Store(Path(sys.argv[1])); ingest([SEEDS_DIR], s); "
            "u=resource.getrusage(resource.RUSAGE_SELF); print(time.perf_counter()-t, u.ru_utime+u.ru_stime, s.count())")
    out = subprocess.run([sys.executable, "-c", code, str(store)], cwd=ROOT, capture_output=True, text=True, check=True)
    wall, cpu, events = out.stdout.split()
    return {"wall_seconds": round(float(wall), 3), "process_cpu_seconds": round(float(cpu), 3), "events": int(events)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--chromium", default=None)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    app, bare = [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        work = Path(tmp)
        bare_script = work / "bare_app.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=chromium(args.chromium), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for r in range(args.rounds):  # alternate, so that load on the machine hits both alike
            bare.append(first_draw(bare_script, work / f"unused-{r}.duckdb", browser))
            app.append(first_draw(ROOT / "streamlit_app.py", work / f"fresh-{r}.duckdb", browser))  # no store yet
        browser.close()
        build = store_build(work)
    result = {
        "rounds": args.rounds,
        "first_start_seconds": [round(x, 2) for x in app],
        "bare_page_seconds": [round(x, 2) for x in bare],
        "first_start_median_seconds": round(statistics.median(app), 2),
        "bare_page_median_seconds": round(statistics.median(bare), 2),
        "ratio_to_bare_page": round(statistics.median(app) / statistics.median(bare), 2),
        "target_seconds": TARGET_SECONDS,
        "meets_target": statistics.median(app) <= TARGET_SECONDS,
        "store_build": build,
        "benchmark_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
