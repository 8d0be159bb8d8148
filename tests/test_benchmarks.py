"""The benchmark scripts run (as a smoke test on small inputs; their figures are not checked here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> dict:
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def test_dashboard_benchmark_smoke(tmp_path: Path) -> None:
    out = run("benchmarks/bench_dashboard.py", "--small", "200", "--large", "2000", "--workdir", str(tmp_path))
    assert out["large"]["events"] == 2000 and out["summary"]["rerun_large_seconds"] > 0


def test_tagger_benchmark_smoke() -> None:
    out = run("benchmarks/bench_tagger.py", "--docs", "300", "--rounds", "1")
    assert out["documents"] == 300 and out["tagger_rss_mb"] > 0
    assert out["cpu_seconds"]["tag"] > out["cpu_seconds"]["floor"] > 0 and out["tag_over_floor"] > 1


def test_first_start_benchmark_smoke() -> None:
    from browser.conftest import chromium_path

    chromium_path()  # skips with the install command on a machine without Chromium (fails under CI)
    out = run("benchmarks/bench_first_start.py", "--rounds", "1")
    assert out["first_start_median_seconds"] > out["bare_page_median_seconds"] > 0
    assert out["store_build"]["events"] >= 1000


def test_hostile_benchmark_smoke() -> None:
    out = run("benchmarks/bench_hostile.py", "--lines", "300")
    assert out["one_megabyte"]["no_breaks_1mb"]["tag"]["peak_rss_mb"] > 0
    assert out["ingest_while_serving"]["page_loads_with_an_error"] == 0


def test_scale_benchmark_smoke(tmp_path: Path) -> None:
    out = run("benchmarks/bench_scale.py", "--sizes", "300", "3000", "--skip-tagging", "--workdir", str(tmp_path))
    summary = out["summary"]
    assert summary["every_page_ok"] is True
    assert summary["rerun_3000"] > 0 and summary["rerun_3000_lake"] > 0 and summary["rerun_3000_without_rollups"] > 0
    assert set(out["dashboard"]) == {"store_300", "store_3000", "lake_3000", "store_3000_without_rollups", "naive_3000"}
