"""The one test command also checks lint (ruff) and types (mypy on core)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_is_clean_on_core() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_documents_the_two_commands_and_every_cli_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && streamlit run streamlit_app.py" in readme
    assert 'pip install -e ".[dev,spark]" && pytest' in readme
    assert "GEOTECH_STORE" in readme
    for command in ("tag", "explain", "ingest", "stats", "eval", "fetch", "synth", "feed", "export", "tag-shards", "spark-tag",
                    "lake merge", "lake import", "lake export"):
        assert f"geotech {command}" in readme, command
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[dev,spark]" && pytest' in ci
