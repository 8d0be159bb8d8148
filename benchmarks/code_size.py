"""Module and function sizes of core/ and dashboard/, as JSON (for structure reviews).

    python benchmarks/code_size.py [ROOT]

Lines are non-blank source lines; a function's size is its span from `def` to its last line.
"""

from __future__ import annotations

import ast
import json
import statistics
import sys
from pathlib import Path


def quantile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))]) if ordered else 0.0


def sizes(root: Path) -> dict[str, object]:
    modules: dict[str, int] = {}
    functions: list[tuple[int, str]] = []
    for package in ("core", "dashboard"):
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            name = str(path.relative_to(root))
            modules[name] = sum(1 for line in source.splitlines() if line.strip())
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    functions.append((node.end_lineno - node.lineno + 1, f"{name}:{node.name}"))  # type: ignore[operator]
    module_lines = list(modules.values())
    function_lines = [n for n, _ in functions]
    return {
        "modules": len(modules),
        "lines": sum(module_lines),
        "module_lines": {"median": statistics.median(module_lines), "p90": quantile(module_lines, 0.9), "max": max(module_lines)},
        "functions": len(functions),
        "function_lines": {"median": statistics.median(function_lines), "p90": quantile(function_lines, 0.9),
                           "max": max(function_lines)},
        "largest_modules": sorted(modules.items(), key=lambda kv: -kv[1])[:5],
        "longest_functions": [f"{name} ({n})" for n, name in sorted(functions, reverse=True)[:5]],
    }


if __name__ == "__main__":
    print(json.dumps(sizes(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent), indent=2))
