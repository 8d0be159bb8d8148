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


def _imports(path: Path, module: str, known: set[str]) -> set[str]:
    """The project modules a file imports, anywhere in it (function-level imports count too);
    `from package import submodule` is an import of the submodule."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names} & known
            found |= subs if len(subs) == len(node.names) else subs | {base}
    return found


def import_graph() -> dict[str, set[str]]:
    """Project module -> the project modules it imports (core, dashboard and the two entry files)."""
    files = {p: ".".join(p.relative_to(ROOT).with_suffix("").parts) for d in ("core", "dashboard")
             for p in (ROOT / d).rglob("*.py")}
    files = {p: m.removesuffix(".__init__") for p, m in files.items()}
    files.update({ROOT / "router.py": "router", ROOT / "streamlit_app.py": "streamlit_app"})
    known = set(files.values())
    return {m: {i for i in _imports(p, m, known) if i in known and i != m} for p, m in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (an import circle), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle() -> None:
    graph = import_graph()
    assert len(graph) > 40 and graph["core.pipeline"]
    assert cycles(graph) == []


PUBLIC_MODULES = {"core.queries", "core.api", "core.export", "core.instruments"}


def test_every_public_name_resolves_and_import_core_stays_cheap() -> None:
    code = ("import sys, core\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('duckdb', 'httpx', 'pandas', 'pycountry'))\n"
            "missing = [n for n in core.__all__ if getattr(core, n, None) is None]\n"
            "print(heavy, missing, len(core.__all__))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.split("] [")[0] == "[" and proc.stdout.strip().endswith(f"[] {len(core.__all__)}"), proc.stdout
    assert set(core.__all__) == set(core._EXPORTS) and len(core.__all__) > 30


def test_pages_and_routes_use_the_public_surface() -> None:
    import ast

    files = [*(ROOT / "dashboard").glob("*.py"), ROOT / "router.py", ROOT / "streamlit_app.py"]
    outside: list[str] = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "core":
                if node.module == "core":
                    bad = [a.name for a in node.names if a.name not in core.__all__ and f"core.{a.name}" not in PUBLIC_MODULES]
                else:
                    bad = [] if node.module in PUBLIC_MODULES else [node.module]
                outside += [f"{path.name}: {b}" for b in bad]
            elif isinstance(node, ast.Import):
                outside += [f"{path.name}: {a.name}" for a in node.names if a.name.startswith("core.")]
    assert outside == []


def test_no_public_name_is_also_a_submodule() -> None:
    # `from core import x` would give the module once something has imported core.x
    submodules = {m.name for m in pkgutil.iter_modules(core.__path__)}
    assert not submodules & set(core.__all__), submodules & set(core.__all__)
