"""Hostile or broken input: one clear line naming the file and line, the rest still stored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.pipeline import ingest
from core.store import Store

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"text": "The United States added Chinese chipmakers to the Entity List.", "date": "2024-05-01", "title": "Good line"}


def cli(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.parametrize("line", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000],
                         ids=["arrays", "objects"])
def test_deeply_nested_json_is_one_bad_line_and_the_file_beside_it_lands(tmp_path: Path, line: str) -> None:
    bad, good = tmp_path / "a_bad.jsonl", tmp_path / "b_good.jsonl"
    second = {**GOOD, "text": "Japan added export controls on chipmaking tools.", "title": "Second line of the bad file"}
    bad.write_text(line + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    good.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    report = ingest([tmp_path], Store(tmp_path / "s.duckdb"))
    assert [str(p) for p in report.problems] == [f"{bad}:1: invalid JSON (nested too deeply); a line is one flat object"]
    assert report.new == 2


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_dates_outside_1900_2100_are_bad_input(tmp_path: Path, day: str) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({**GOOD, "date": day, "text": "Last year the EU adopted chip rules."}) + "\n" + json.dumps(GOOD) + "\n",
                   encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    report = ingest([src], store)
    assert [str(p) for p in report.problems] == [
        f"{src}:1: field `date`: date {day} is outside 1900-01-01 .. 2100-12-31; correct the date"]
    assert store.count() == 1


def test_seed_text_with_an_impossible_date_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 0001-01-02 Last year the US tightened chip export controls.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("date 2024-01-02 Japan tightened chip export controls.", encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    report = ingest([tmp_path], store)
    assert len(report.problems) == 1 and "outside 1900-01-01" in str(report.problems[0])
    assert store.count() == 1


def test_tag_reports_deep_json_and_numeric_dates_on_their_own_lines() -> None:
    lines = [json.dumps(GOOD), "[" * 100_000 + "]" * 100_000, json.dumps({**GOOD, "date": 20240101}), json.dumps(GOOD)]
    proc = cli("tag", stdin="\n".join(lines) + "\n")
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert proc.returncode == 1 and len(out) == 4
    assert out[1] == {"line": 2, "error": "invalid JSON (nested too deeply); an article is a flat object with `text` and `date`"}
    assert out[2]["line"] == 3 and "is a number" in out[2]["error"]
    assert out[0]["themes"] and out[3]["themes"]
    assert "Traceback" not in proc.stderr
