"""Where the app and the CLI read events: the Parquet lake GEOTECH_LAKE names, else the store file."""

from __future__ import annotations

import os
from pathlib import Path

from core.lake import catalog
from core.store import store_file

LAKE_ENV = "GEOTECH_LAKE"


def default_store_path() -> Path:
    """The catalog of the Parquet lake GEOTECH_LAKE names when it is set (core.lake: views over the
    lake, read only), else GEOTECH_STORE if set, else the user's data folder."""
    lake = os.environ.get(LAKE_ENV, "").strip()
    return catalog(lake) if lake else store_file()
