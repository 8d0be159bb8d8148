"""The `geotech` command line, run as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.cli", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})}, timeout=120,
    )


def test_tag_contract_one_object_per_line_in_order() -> None:
    lines = [
        json.dumps({"id": "a", "text": "The US imposed export controls on chips bound for China.", "date": "2024-01-05"}),
        "{not json",
        json.dumps({"id": "c", "title": "Kishida visits", "text": "Japan and the EU signed a deal on semiconductors."}),
        json.dumps({"id": "d"}),
    ]
    proc = run("tag", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 1
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["id"] == "a" and "export_controls" in out[0]["themes"] and {"US", "CN"} <= set(out[0]["countries"])
    assert out[1] == {"line": 2, "error": out[1]["error"]} and "invalid JSON" in out[1]["error"]
    assert out[2]["id"] == "c" and {"JP", "EU"} <= set(out[2]["countries"]) and "semiconductors" in out[2]["themes"]
    assert out[3]["line"] == 4 and "text" in out[3]["error"]
    for key in ("themes", "countries", "org_countries", "orgs", "relations", "evidence", "date"):
        assert key in out[0]
    ev = out[0]["evidence"]["themes"]["export_controls"][0]
    assert {"cue", "field", "start", "end", "sentence"} <= set(ev)


def test_tag_keeps_ids_of_any_json_type() -> None:
    big = 2**70
    lines = [f'{{"id": {big}, "text": "Japan and the US agreed on chips."}}',
             '{"id": 7, "text": "Japan and the US agreed on chips."}', '{"id": null, "text": "Chips."}']
    proc = run("tag", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == [str(big), 7, None]


def test_tag_seeds_file(tmp_path: Path) -> None:
    from core.ingest.readers import read_seed

    rows = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        (a,) = read_seed(path)
        rows.append(json.dumps({"id": path.name, "text": a.text, "date": str(a.published)}))
    src = tmp_path / "seeds.jsonl"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = run("tag", str(src))
    assert proc.returncode == 0, proc.stderr
    for obj in map(json.loads, proc.stdout.splitlines()):
        assert {"ai", "semiconductors"} <= set(obj["themes"])
        assert "export_controls" not in obj["themes"]  # the chip curbs are background in both seeds
        assert {"JP", "US", "CN"} <= set(obj["countries"])
        assert {"Nvidia", "Arm", "Amazon"} <= set(obj["orgs"])


def test_tag_missing_file_is_one_line_error() -> None:
    proc = run("tag", "no/such/file.jsonl")
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0 and "Traceback" not in proc.stderr


def counts(stdout: str) -> dict[str, int]:
    return {k: int(v) for k, v in (part.split("=") for part in stdout.split() if "=" in part and not part.startswith("store="))}


def test_ingest_twice_and_stats(tmp_path: Path) -> None:
    env = {"GEOTECH_STORE": str(tmp_path / "s.duckdb")}
    first = run("ingest", "seeds", env=env)
    assert first.returncode == 0, first.stderr
    made = counts(first.stdout)
    assert made["new"] >= 2 and made["failed"] == 0
    stats1 = json.loads(run("stats", "--json", env=env).stdout)
    second = run("ingest", "seeds", env=env)
    assert counts(second.stdout) == {"new": 0, "updated": 0, "unchanged": made["new"], "failed": 0}
    stats2 = json.loads(run("stats", "--json", env=env).stdout)
    assert stats1 == stats2
    assert {"events", "sources", "themes", "countries", "first_date", "last_date"} <= set(stats1)
    assert stats1["first_date"] == "2024-04-01" or stats1["first_date"] <= stats1["last_date"]


def test_ingest_bad_folder_reports_each_problem_and_keeps_good_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blob.bin").write_bytes(bytes(range(256)))
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "baddate.txt").write_text("date 2024-99-01 text", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("date 2024-01-01 Caf\xe9 policy".encode("latin-1"))
    (folder / "mixed.jsonl").write_text(
        '{"text": "The EU adopted its AI Act.", "date": "2024-03-13", "title": "EU adopts AI Act"}\n{"text": oops}\n',
        encoding="utf-8",
    )
    env = {"GEOTECH_STORE": str(tmp_path / "s.duckdb")}
    proc = run("ingest", str(folder), env=env)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    problem_lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(problem_lines) == 5
    for name in ("blob.bin", "empty.txt", "baddate.txt", "latin1.txt", "mixed.jsonl:2"):
        assert sum(name in ln for ln in problem_lines) == 1, name
    assert counts(proc.stdout) == {"new": 1, "updated": 0, "unchanged": 0, "failed": 5}
    stats = json.loads(run("stats", "--json", env=env).stdout)
    assert stats["events"] == 1


def test_stats_without_store_is_a_clear_error(tmp_path: Path) -> None:
    proc = run("stats", env={"GEOTECH_STORE": str(tmp_path / "none.duckdb")})
    assert proc.returncode == 1
    assert "no store" in proc.stderr and "Traceback" not in proc.stderr


def test_help_everywhere() -> None:
    for cmd in ([], ["tag"], ["ingest"], ["stats"], ["eval"], ["explain"]):
        proc = run(*cmd, "--help")
        assert proc.returncode == 0 and "Usage" in proc.stdout, cmd


def test_eval_runs_on_a_gold_file(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({
        "id": "x", "date": "2024-01-01", "title": "", "text": "Japan's METI announced export controls on 23 chipmaking tools.",
        "themes": ["export_controls", "semiconductors"], "countries": ["JP"], "orgs": ["Ministry of Economy, Trade and Industry (METI)"],
    }) + "\n", encoding="utf-8")
    proc = run("eval", str(gold), "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["documents"] == 1
    assert report["themes"]["micro"]["f1"] == 1.0
    assert report["countries"]["micro"]["f1"] == 1.0
    assert report["orgs"]["recall"] == 1.0


def test_explain_shows_cues_and_mentions() -> None:
    proc = run("explain", "Beyond AI and chips, the summit touched on energy, climate and defense. Washington and Tokyo agreed.",
               "--date", "2024-03-01")
    assert proc.returncode == 0, proc.stderr
    assert "Themes:" in proc.stdout and "mention" in proc.stdout and "Relations:" in proc.stdout


def test_fetch_without_network_reports_one_line_per_source_and_keeps_the_store(tmp_path: Path) -> None:
    """Every request goes to a closed local port: one line per source, exit 1, no traceback, store unchanged."""
    from core.sources.spec import load_sources

    env = {"GEOTECH_STORE": str(tmp_path / "s.duckdb"), "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "NO_PROXY": ""}
    assert run("ingest", "seeds", env=env).returncode == 0
    before = json.loads(run("stats", "--json", env=env).stdout)
    started = time.monotonic()
    proc = run("fetch", env=env)
    assert time.monotonic() - started < 60  # only the first source waits through its retries
    assert proc.returncode == 1 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    names = [s.name for s in load_sources()]
    assert len(lines) == len(names) > 1
    for line, name in zip(lines, names, strict=True):
        assert line.startswith(f"failed: {name}: cannot connect to ") and "HTTPS_PROXY" in line
    assert json.loads(run("stats", "--json", env=env).stdout) == before


def test_feed_and_export_take_the_apps_view_parameters(fixture_store_path: Path, tmp_path: Path) -> None:
    import csv
    import io

    import duckdb
    import feedparser

    from core import export
    from core.queries import Filters, events_page, export_rows

    env = {"GEOTECH_STORE": str(fixture_store_path)}
    feed = run("feed", "--country", "JP", "--base-url", "https://radar.example/app", env=env)
    assert feed.returncode == 0, feed.stderr
    parsed = feedparser.parse(feed.stdout)
    assert not parsed.bozo
    newest = [str(i) for i in events_page(fixture_store_path, Filters(countries=("JP",)), limit=50)["id"]]
    assert newest and [e.id.rsplit("/", 1)[-1] for e in parsed.entries] == newest
    assert parsed.entries[0].link.startswith("https://radar.example/app/events?event=")

    link = run("export", "http://localhost:8501/events?theme=ai&page=2", env=env)  # a page's own parameters too
    assert link.returncode == 2 and "page" in link.stderr and "Traceback" not in link.stderr
    got = run("export", "theme=ai", "--format", "csv", "-o", str(tmp_path / "view.csv"), env=env)
    assert got.returncode == 0, got.stderr
    assert (tmp_path / "view.csv").read_bytes() == export.to_csv(export_rows(fixture_store_path, Filters(themes=("ai",)))).encode()
    printed = run("export", "theme=ai", env=env).stdout  # to standard output without -o
    assert next(csv.reader(io.StringIO(printed)))[0] == "id" and printed.count("\n") > 1

    target = tmp_path / "view.parquet"
    parquet = run("export", "--theme", "ai", "--format", "parquet", "-o", str(target), env=env)
    assert parquet.returncode == 0, parquet.stderr
    rows = duckdb.sql(f"SELECT id, themes FROM '{target}' ORDER BY id").fetchall()
    assert sorted(r[0] for r in rows) == sorted(r["id"] for r in export_rows(fixture_store_path, Filters(themes=("ai",))))
    assert all("ai" in themes for _, themes in rows)

    bad = run("feed", "--theme", "foo", env=env)
    assert bad.returncode == 2 and "theme" in bad.stderr and "Traceback" not in bad.stderr
    assert run("export", "--format", "parquet", env=env).returncode == 2


def test_tag_without_evidence_matches_tag_with_it_less_the_evidence(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "text": f"Japan and the Netherlands tightened export controls on chip tools, step {i}."})
             for i in range(250)]  # more than the serial limit: the forked workers get the setting too
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    full = subprocess.run([sys.executable, "-m", "core.cli", "tag", str(src), "--jobs", "2"], capture_output=True, text=True, cwd=ROOT)
    bare = subprocess.run([sys.executable, "-m", "core.cli", "tag", str(src), "--jobs", "2", "--no-evidence"],
                          capture_output=True, text=True, cwd=ROOT)
    assert full.returncode == bare.returncode == 0
    want = [{k: v for k, v in json.loads(x).items() if k != "evidence"} for x in full.stdout.splitlines()]
    got = [json.loads(x) for x in bare.stdout.splitlines()]
    assert got == want and len(got) == 250 and all("evidence" not in g for g in got)


def test_tagging_in_parallel_stops_cleanly_when_its_reader_stops_early() -> None:
    # A caller that reads the first chunk and closes the generator must not leave the pool's feeder
    # waiting for room forever (the pool could not close).
    code = (
        "import json, time\n"
        "from core import cli\n"
        "lines = ((n, json.dumps({'text': f'Japan restricts chip tool exports, case {n}.'}), None) for n in range(1, 100_000))\n"
        "chunks = cli._tagged_chunks(lines, 2)\n"
        "next(chunks)\n"
        "time.sleep(1.5)\n"
        "chunks.close()\n"
        "print('closed')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "closed", proc.stderr[-2000:]
