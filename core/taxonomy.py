"""The shared vocabulary of every layer: theme ids and labels, country codes and names.

Ingest, sources, queries and pages import these from here; the tagger builds its cues on them.
The 15 theme ids are a fixed contract.
"""

from __future__ import annotations

from functools import cache

import pycountry

from core.datafiles import read_toml

THEME_IDS: tuple[str, ...] = (
    "ai", "semiconductors", "export_controls", "trade", "investment", "critical_minerals", "energy",
    "climate", "defense", "cybersecurity", "telecom", "data_governance", "quantum", "biotech", "space",
)
KIND_TITLES = {"theme": "Themes", "country": "Countries", "org_country": "Home countries of organizations", "org": "Organizations"}
"""Display titles of the tag kinds, in the order they are shown."""
EXTRA_CODES = {"EU": "European Union", "XK": "Kosovo"}
"""Codes beyond ISO 3166-1 alpha-2: the European Union as an actor, and Kosovo."""


def is_country_code(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code, EU or XK."""
    return code in EXTRA_CODES or (len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None)


@cache
def theme_labels() -> dict[str, str]:
    """Theme id -> display name, in the taxonomy's order (themes.toml's `label`)."""
    data = read_toml("themes.toml")
    return {theme: str(data.get(theme, {}).get("label", theme)) for theme in THEME_IDS}


@cache
def country_names() -> dict[str, str]:
    """Country code -> display name (the common English name), EU and XK included."""
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    return {**names, **EXTRA_CODES}


def theme_label(theme: str) -> str:
    """A theme's display name; an unknown id as it is."""
    return theme_labels().get(theme, theme)


def country_name(code: str) -> str:
    """A country's display name; an unknown code as it is."""
    return country_names().get(code, code)
