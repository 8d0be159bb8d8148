"""The one way to find and read the packaged data files of core/data/ (vocabularies, registries,
sources): a path, a TOML table or CSV rows, with a DataError naming the file when it cannot be read."""

from __future__ import annotations

import csv
import tomllib
from importlib import resources
from pathlib import Path

from core.errors import DataError


def data_path(name: str) -> Path:
    """The path of a packaged data file (`name` relative to core/data/)."""
    return Path(str(resources.files("core") / "data" / name))


def read_toml(name: str) -> dict:
    """A packaged TOML data file; DataError naming the file when it cannot be read."""
    path = data_path(name)
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of a packaged CSV data file (header first); DataError naming the file when it cannot be read."""
    path = data_path(name)
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc
