"""Layering: core never imports the UI stack; the Community Cloud dependency file matches pyproject."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_neither_streamlit_nor_plotly() -> None:
    modules = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert len(modules) > 10
    assert proc.stdout.strip() == ""


def _name(spec: str) -> str:
    for sep in "=<>!~[; ":
        spec = spec.split(sep)[0]
    return spec.strip().lower().replace("_", "-")


def test_requirements_txt_agrees_with_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(d): d.replace(" ", "") for d in project["dependencies"]}
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    listed = {_name(ln): ln.replace(" ", "") for ln in lines if ln}
    assert listed == declared
    assert any(spec.startswith("streamlit==") for spec in listed.values())


def test_exactly_one_cloud_dependency_file() -> None:
    present = [n for n in ("uv.lock", "Pipfile", "environment.yml", "requirements.txt") if (ROOT / n).exists()]
    assert present == ["requirements.txt"]
