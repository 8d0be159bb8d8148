"""Hostile input, measured: peak memory and time of `geotech ingest` and `geotech tag` on a 1 MB
article without sentence breaks against an ordinary 1 MB of articles (the baseline, same run); and a
large ingest while the app serves pages (every page load must show data, none a lock error), with
the ingest's peak memory and time. Printed as JSON.

    python benchmarks/bench_hostile.py [--lines 200000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNIT = "The United States and Japan agreed on export controls for chips with Nvidia and TSMC while China curbed rare earths "
SENTENCES = ["Japan tightened export controls on chipmaking tools.", "The EU adopted rules for AI models.",
             "Korea announced a subsidy for chip plants.", "China restricted exports of gallium.",
             "The US added firms to the Entity List.", "India approved a semiconductor fab."]
PEAK = ("import atexit, sys; atexit.register(lambda: sys.stderr.write(next(line for line in open('/proc/self/status') "
        "if line.startswith('VmHWM')))); ")


def cli(args: list[str], store: Path) -> dict[str, float]:
    """Wall seconds and own peak memory (MB) of one `geotech` command in a child process."""
    code = PEAK + f"sys.argv = ['geotech', *{args!r}]; from core.cli import main; main()"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"GEOTECH_STORE": str(store), "PATH": "/usr/bin:/bin", "GEOTECH_REFRESH": "off"})
    seconds = time.perf_counter() - start
    peak = [int(line.split()[1]) for line in proc.stderr.splitlines() if line.startswith("VmHWM")]
    if proc.returncode not in (0, 1) or not peak:
        sys.exit(f"geotech {' '.join(args)} failed: {proc.stderr[-1000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": round(peak[-1] / 1024, 1)}


def one_megabyte(work: Path) -> dict[str, object]:
    nobreak = work / "nobreak.jsonl"
    nobreak.write_text(json.dumps({"text": UNIT * (1_000_000 // len(UNIT)), "date": "2024-01-01"}) + "\n", encoding="utf-8")
    ordinary = work / "ordinary.jsonl"
    rng = random.Random(1)
    with ordinary.open("w", encoding="utf-8") as fh:
        for i in range(1_000):  # 1,000 articles of about 1 KB
            fh.write(json.dumps({"text": " ".join(rng.choice(SENTENCES) for _ in range(20)), "date": "2024-01-01",
                                 "url": f"https://example.org/{i}"}) + "\n")
    out: dict[str, object] = {}
    for name, src in (("no_breaks_1mb", nobreak), ("ordinary_1mb", ordinary)):
        out[name] = {"ingest": cli(["ingest", str(src)], work / f"{name}.duckdb"), "tag": cli(["tag", str(src)], work / "x.duckdb")}
    out["tag_time_ratio_no_breaks_to_ordinary"] = round(
        out["no_breaks_1mb"]["tag"]["seconds"] / out["ordinary_1mb"]["tag"]["seconds"], 2)  # type: ignore[index]
    return out


def ingest_while_serving(work: Path, lines: int) -> dict[str, object]:
    from streamlit.testing.v1 import AppTest

    store = work / "serving.duckdb"
    src = work / "large.jsonl"
    rng = random.Random(2)
    countries = ["Japan", "Korea", "Germany", "France", "India", "Brazil", "Canada", "Mexico", "Australia", "Italy", "China",
                 "the United States", "Vietnam", "Poland", "Kenya", "Chile"]
    words = [f"w{n}" for n in range(2_000)]  # filler words, so that distinct lines are distinct stories
    first = dt.date(2000, 1, 1)
    with src.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            a, b = rng.sample(countries, 2)
            text = f"{a} and {b} {rng.choice(SENTENCES)} {' '.join(rng.sample(words, 12))}."
            fh.write(json.dumps({"text": text, "date": (first + dt.timedelta(days=rng.randrange(9_000))).isoformat(),
                                 "url": f"https://example.org/l/{i}"}) + "\n")
    subprocess.run([sys.executable, "-m", "core.cli", "ingest", str(ROOT / "seeds"), "--store", str(store)], cwd=ROOT,
                   check=True, capture_output=True)
    import os

    os.environ["GEOTECH_STORE"] = str(store)
    os.environ["GEOTECH_REFRESH"] = "off"
    code = PEAK + f"sys.argv = ['geotech', 'ingest', {str(src)!r}, '--store', {str(store)!r}]; from core.cli import main; main()"
    start = time.perf_counter()
    writer = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    loads, with_data, errors = 0, 0, []
    pages = ["dashboard/overview.py", "dashboard/events.py"]
    while writer.poll() is None:
        at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
        at.switch_page(pages[loads % 2])
        at.run()
        loads += 1
        shown = [e.value for e in at.error] + [str(e.value) for e in at.exception]
        if shown:
            errors.append(shown[0][:200])
        elif any(m.label == "Events" for m in at.metric) or at.dataframe:
            with_data += 1
    _, err = writer.communicate()
    seconds = time.perf_counter() - start
    peak = [int(line.split()[1]) for line in err.splitlines() if line.startswith("VmHWM")]
    return {"lines": lines, "ingest_seconds": round(seconds, 1), "ingest_peak_rss_mb": round(peak[-1] / 1024, 1) if peak else None,
            "page_loads_during_ingest": loads, "page_loads_with_data": with_data, "page_loads_with_an_error": len(errors),
            "first_errors": errors[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000, help="lines of the large ingest")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        result = {"one_megabyte": one_megabyte(work), "ingest_while_serving": ingest_while_serving(work, args.lines)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
