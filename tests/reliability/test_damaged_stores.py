"""Damaged or foreign store files: every read says so in one line, nothing is written into them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from core.errors import StoreError
from core.pipeline import ingest
from core.queries import Filters, count, health
from core.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("good") / "s.duckdb"
    ingest([ROOT / "seeds"], Store(path))
    return path


def test_a_store_cut_in_half_is_reported_on_every_read(good_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.duckdb"
    shutil.copy(good_store, path)
    with path.open("r+b") as fh:
        fh.truncate(os.path.getsize(path) // 2)
    before = path.read_bytes()
    for read in (lambda: count(path, Filters()), lambda: health(path)):
        with pytest.raises(StoreError, match=r"is damaged .*cut off.*Move the file aside"):
            read()
    assert path.read_bytes() == before  # left as it was


def test_a_foreign_duckdb_file_is_never_written_to(tmp_path: Path) -> None:
    path = tmp_path / "theirs.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (id INTEGER, amount DOUBLE)")
    con.close()
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"text": "Japan tightened chip export controls.", "date": "2024-01-01"}) + "\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"is not a GeoTech Radar store .*invoices"):
        ingest([src], Store(path))
    with pytest.raises(StoreError, match="is not a GeoTech Radar store"):
        count(path, Filters())
    con = duckdb.connect(str(path), read_only=True)
    assert [t for (t,) in con.execute("SHOW TABLES").fetchall()] == ["invoices"]
    con.close()


def test_an_unknown_schema_version_is_never_rewritten(good_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "odd.duckdb"
    shutil.copy(good_store, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="unknown schema version 'abc'"):
        count(path, Filters())
    with pytest.raises(StoreError, match="unknown schema version 'abc'"):
        Store(path).upsert([])
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("abc",)
    con.close()
