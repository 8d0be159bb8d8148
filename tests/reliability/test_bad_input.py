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


def test_tag_reports_a_bad_byte_on_its_own_line_and_tags_the_others(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"text": "bad \xff byte", "date": "2024-01-01"}\n'
                    + json.dumps({**GOOD, "id": "third"}).encode() + b"\n")
    proc = cli("tag", str(src))
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o.get("line") for o in out] == [None, 2, None] and out[2]["id"] == "third"
    assert out[1]["error"].startswith("not valid UTF-8 (byte 15 of the line)")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_lone_surrogates_are_tagged_not_a_traceback() -> None:
    line = json.dumps({"text": "Japan \ud800 tightened export controls on chips to China.", "title": "t \udc00", "date": "2024-01-01"})
    proc = cli("tag", stdin=line + "\n")
    (out,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert proc.returncode == 0 and "export_controls" in out["themes"] and "JP" in out["countries"]


def test_ingest_keeps_the_good_lines_of_a_file_with_a_bad_byte_and_reads_utf16(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"text": "bad \xff", "date": "2024-01-01"}\n'
                                       + json.dumps({**GOOD, "text": "The EU adopted the Chips Act."}).encode() + b"\n")
    (tmp_path / "b.jsonl").write_bytes(b"\xff\xfe" + (json.dumps({**GOOD, "text": "Korea passed a chips law."}) + "\n")
                                       .encode("utf-16-le"))
    (tmp_path / "c.jsonl").symlink_to(tmp_path / "gone.jsonl")
    store = Store(tmp_path / "s.duckdb")
    report = ingest([tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"], store)
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'a.jsonl'}:2: not valid UTF-8 (byte 15 of the line); save the file as UTF-8",
        f"{tmp_path / 'c.jsonl'}: a link to a file that does not exist"]
    assert store.count() == 3


def test_an_article_longer_than_the_limit_is_cut_with_a_warning(tmp_path: Path) -> None:
    from core.ingest.records import MAX_TEXT_CHARS

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({**GOOD, "text": "Chips and AI rules. " * (MAX_TEXT_CHARS // 19)}) + "\n", encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    report = ingest([src], store)
    (problem,) = report.problems
    assert problem.severity == "warning" and problem.line == 1 and "cut to the first 1,000,000" in problem.reason
    assert store.count() == 1


def test_the_event_page_of_a_long_article_without_sentence_breaks_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    unit = "the United States and Japan agreed on export controls for chips with Nvidia while China curbed rare earths "
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "long", "text": unit * (100_000 // len(unit)), "date": "2024-01-01",
                               "url": "https://example.org/long", "title": "Long"}) + "\n", encoding="utf-8")
    store = Store(tmp_path / "s.duckdb")
    ingest([src], store)
    monkeypatch.setenv("GEOTECH_STORE", str(store.path))
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=120)
    at.query_params["event"] = store_ids(store)[0]
    at.switch_page("dashboard/events.py")
    at.run()
    assert not at.exception
    longest = max(len(m.value) for m in at.markdown)
    assert longest < 5_000  # evidence shows a window around each cue, not the 100 KB sentence


def store_ids(store: Store) -> list[str]:
    from core.store import connect

    with connect(store.path, read_only=True) as con:
        return [i for (i,) in con.execute("SELECT id FROM events").fetchall()]
