"""Writers and readers of one store across processes: readers keep answering while a large ingest
writes, a second writer waits its turn, two ingests of one story merge, and a writer killed at any
moment leaves a consistent store."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import StoreError
from core.queries import Filters, count
from core.store import connect

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES = ["Japan", "Korea", "Germany", "France", "India", "Brazil", "Canada", "Mexico", "Australia", "Italy"]


def articles(path: Path, n: int, seed: int = 1) -> Path:
    """n distinct happenings five days apart (none merges with another): from 1990 for seed 1, from
    1900 for other seeds (at most 2,000 of them, so two files never share a period)."""
    rng = random.Random(seed)
    first = dt.date(1990, 1, 1) if seed == 1 else dt.date(1900, 1, 1) + dt.timedelta(days=10_000 * (seed - 2))
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = rng.sample(COUNTRIES, 2)
            fh.write(json.dumps({
                "id": f"a{seed}-{i}", "date": (first + dt.timedelta(days=5 * i)).isoformat(), "title": f"{a} and {b} item {i}",
                "text": f"{a} and {b} agreed on semiconductor export controls and AI rules, item {i} of the batch.",
                "url": f"https://example.org/{seed}/{i}"}) + "\n")
    return path


def ingest_process(src: Path, store: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "core.cli", "ingest", str(src), "--store", str(store), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def consistent(store: Path) -> int:
    """The number of events, after checking that every event has a source and every row an event."""
    with connect(store, read_only=True) as con:
        events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        orphans = con.execute("SELECT count(*) FROM sources s WHERE s.event_id NOT IN (SELECT id FROM events)").fetchone()[0]
        sourceless = con.execute("SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM sources)").fetchone()[0]
        mismatched = con.execute("SELECT count(*) FROM events e WHERE n_sources <> "
                                 "(SELECT count(*) FROM sources s WHERE s.event_id = e.id)").fetchone()[0]
    assert (orphans, sourceless, mismatched) == (0, 0, 0)
    return int(events)


def test_readers_keep_answering_while_a_large_ingest_writes(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    src = articles(tmp_path / "big.jsonl", 6_000)
    writer = ingest_process(src, store)
    seen, errors = [], []
    while writer.poll() is None:
        if store.exists():
            try:
                seen.append(count(store, Filters()))
            except StoreError as exc:
                errors.append(str(exc))
        time.sleep(0.05)
    _out, err = writer.communicate()
    assert writer.returncode == 0, err
    assert not errors, errors[:3]
    assert len(seen) >= 5 and seen == sorted(seen)  # each read saw a whole batch, never a half-written one
    assert consistent(store) == 6_000


def test_a_second_writer_waits_and_says_so(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    first = ingest_process(articles(tmp_path / "a.jsonl", 4_000, seed=1), store)
    time.sleep(1.0)
    second = ingest_process(articles(tmp_path / "b.jsonl", 200, seed=2), store)
    _out1, err1 = first.communicate()
    _out2, err2 = second.communicate()
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    assert "Traceback" not in err1 + err2 and "Conflicting lock" not in err1 + err2
    assert consistent(store) == 4_200


def test_a_writer_that_waits_too_long_gets_one_clear_line(tmp_path: Path) -> None:
    import fcntl

    store = tmp_path / "s.duckdb"
    with open(f"{store}.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = ingest_process(articles(tmp_path / "a.jsonl", 5), store, "--wait", "1")
        _out, err = proc.communicate()
    assert proc.returncode == 1
    assert "waiting for another program that is writing to the store" in err
    assert "still writing to the store" in err and "Traceback" not in err


@pytest.mark.parametrize("attempt", range(4))
def test_two_ingests_of_one_story_from_two_urls_make_one_event(tmp_path: Path, attempt: int) -> None:
    store = tmp_path / "s.duckdb"
    story = "Japan and the Netherlands agreed to tighten export controls on chipmaking tools sold to China, officials said."
    for name, url in (("a", "https://one.example/story"), ("b", "https://two.example/story")):
        (tmp_path / f"{name}.jsonl").write_text(json.dumps({"date": "2024-03-01", "title": "Japan, Netherlands tighten chip tool controls",
                                                            "text": story, "url": url}) + "\n", encoding="utf-8")
    procs = [ingest_process(tmp_path / f"{name}.jsonl", store) for name in ("a", "b")]
    for p in procs:
        _, err = p.communicate()
        assert p.returncode == 0, err
    with connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*), max(n_sources) FROM events").fetchone() == (1, 2)


def test_kill_minus_nine_at_random_moments_leaves_a_consistent_store(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    src = articles(tmp_path / "big.jsonl", 3_000)
    rng = random.Random(7)
    counts = []
    for _ in range(20):
        proc = ingest_process(src, store)
        time.sleep(rng.uniform(0.3, 2.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        if store.exists():
            counts.append(consistent(store))
    assert counts == sorted(counts)  # what was committed stays; nothing is ever half written
    finish = ingest_process(src, store)
    _, err = finish.communicate()
    assert finish.returncode == 0, err
    assert consistent(store) == 3_000
