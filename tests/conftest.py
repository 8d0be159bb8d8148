from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# No test refreshes live sources in the background unless it asks to (dashboard/refresh.py),
# and the app started by the browser tests inherits this too.
os.environ["GEOTECH_REFRESH"] = "off"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fixtures import build_store  # noqa: E402


@pytest.fixture(scope="session")
def fixture_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "fixture.duckdb"
    build_store(path)
    return path


@pytest.fixture
def store_env(fixture_store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GEOTECH_STORE", str(fixture_store_path))
    return fixture_store_path


@pytest.fixture
def empty_store_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("GEOTECH_STORE", str(path))
    return path
