"""Country codes in GDELT: FIPS 10-4 for places, CAMEO (ISO alpha-3 based) for actors, both to ISO alpha-2.

The FIPS table is data (`core/data/fips_iso.csv`); beware that FIPS and ISO share letters with
different meanings (FIPS AS is Australia, ISO AS is American Samoa). Unknown codes give None.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pycountry

from core.datafiles import data_path
from core.errors import DataError
from core.taxonomy import is_country_code

FIPS_TABLE = data_path("fips_iso.csv")


@cache
def fips_table(path: Path = FIPS_TABLE) -> dict[str, str]:
    """FIPS 10-4 code -> ISO alpha-2 (or XK), checked on load."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table: dict[str, str] = {}
    for n, row in enumerate(rows, start=2):
        fips, iso = (row.get("fips") or "").strip(), (row.get("iso2") or "").strip()
        if len(fips) != 2 or not is_country_code(iso) or fips in table:
            raise DataError(f"{path.name}:{n}: expected a new two-letter FIPS code and an ISO alpha-2 code, got {fips!r},{iso!r}")
        table[fips] = iso
    return table


def fips_to_iso(code: str) -> str | None:
    """ISO alpha-2 for a FIPS 10-4 country code (AS -> AU, UP -> UA); None when unknown or empty."""
    return fips_table().get(code.strip().upper())


def cameo_to_iso(code: str) -> str | None:
    """ISO alpha-2 for a CAMEO actor country code (USA -> US); None for regions (AFR, EUR) and unknowns."""
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        return None
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country is not None else None
