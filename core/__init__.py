"""GeoTech Radar's library: the public surface that pages, routes and the command line use.

    from core import Filters, Store, ensure_seeded, understand

Names are loaded on first use, so `import core` stays cheap (the tagger, DuckDB and HTTP are
imported only by what needs them). Besides these names, the modules `core.queries` (read-only
queries over the store), `core.api` (feed and API documents), `core.export` (export files) and
`core.instruments` (policy instruments) are public as whole modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, tuple[str, str]] = {
    # the store and what builds it
    "Store": ("core.store", "Store"),
    "default_store_path": ("core.location", "default_store_path"),
    "LAKE_ENV": ("core.location", "LAKE_ENV"),
    "ensure_seeded": ("core.pipeline", "ensure_seeded"),
    "ingest_paths": ("core.pipeline", "ingest"),
    "refresh": ("core.pipeline", "refresh"),
    "RefreshOutcome": ("core.pipeline", "RefreshOutcome"),
    # views of the store
    "Filters": ("core.queries", "Filters"),
    "Options": ("core.queries", "Options"),
    "Freshness": ("core.queries", "Freshness"),
    "parse_params": ("core.params", "parse"),
    "to_params": ("core.params", "to_params"),
    "Ignored": ("core.params", "Ignored"),
    "RELATION_TYPES": ("core.params", "RELATION_TYPES"),
    "understand": ("core.question", "understand"),
    "Understood": ("core.question", "Understood"),
    "lookup": ("core.question", "lookup"),
    # the shared vocabulary and the models
    "THEME_IDS": ("core.taxonomy", "THEME_IDS"),
    "KIND_TITLES": ("core.taxonomy", "KIND_TITLES"),
    "theme_label": ("core.taxonomy", "theme_label"),
    "country_name": ("core.taxonomy", "country_name"),
    "is_country_code": ("core.taxonomy", "is_country_code"),
    "STAGES": ("core.models", "STAGES"),
    "Article": ("core.models", "Article"),
    "Event": ("core.models", "Event"),
    "STAGE_LABELS": ("core.instruments", "STAGE_LABELS"),
    "STATUSES": ("core.instruments", "STATUSES"),
    "InstrumentView": ("core.instruments", "InstrumentView"),
    "safe_url": ("core.ingest.records", "safe_url"),
    "EARLIEST": ("core.ingest.records", "EARLIEST"),
    "LATEST": ("core.ingest.records", "LATEST"),
    # tagging
    "Tagger": ("core.tagging.tagger", "Tagger"),
    "tag_line": ("core.tagoutput", "tag_line"),
    "result_json": ("core.tagoutput", "result_json"),
    # live sources and the background refresh
    "SourceSpec": ("core.sources.spec", "SourceSpec"),
    "load_sources": ("core.sources.spec", "load_sources"),
    "RefreshSummary": ("core.sources.schedule", "RefreshSummary"),
    "source_states": ("core.sources.schedule", "source_states"),
    "summarize": ("core.sources.schedule", "summarize"),
    "Refresher": ("core.refresher", "Refresher"),
    "RefreshState": ("core.refresher", "RefreshState"),
    "activate": ("core.refresher", "activate"),
    "configured_sources": ("core.refresher", "configured_sources"),
    "usable_sources": ("core.refresher", "usable_sources"),
    # errors
    "GeoTechError": ("core.errors", "GeoTechError"),
    "InputError": ("core.errors", "InputError"),
    "StoreError": ("core.errors", "StoreError"),
}
__all__ = [  # the names of _EXPORTS
    "EARLIEST",
    "KIND_TITLES",
    "LAKE_ENV",
    "LATEST",
    "RELATION_TYPES",
    "STAGES",
    "STAGE_LABELS",
    "STATUSES",
    "THEME_IDS",
    "Article",
    "Event",
    "Filters",
    "Freshness",
    "GeoTechError",
    "Ignored",
    "InputError",
    "InstrumentView",
    "Options",
    "RefreshOutcome",
    "RefreshState",
    "RefreshSummary",
    "Refresher",
    "SourceSpec",
    "Store",
    "StoreError",
    "Tagger",
    "Understood",
    "activate",
    "configured_sources",
    "country_name",
    "default_store_path",
    "ensure_seeded",
    "ingest_paths",
    "is_country_code",
    "load_sources",
    "lookup",
    "parse_params",
    "refresh",
    "result_json",
    "safe_url",
    "source_states",
    "summarize",
    "tag_line",
    "theme_label",
    "to_params",
    "understand",
    "usable_sources",
]


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'core' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value  # the next access is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if TYPE_CHECKING:  # the same names, for type checkers and editors
    from core.errors import GeoTechError, InputError, StoreError
    from core.ingest.records import EARLIEST, LATEST, safe_url
    from core.instruments import STAGE_LABELS, STATUSES, InstrumentView
    from core.location import default_store_path
    from core.models import STAGES, Article, Event
    from core.params import RELATION_TYPES, Ignored, to_params
    from core.params import parse as parse_params
    from core.pipeline import RefreshOutcome, ensure_seeded, refresh
    from core.pipeline import ingest as ingest_paths
    from core.queries import Filters, Freshness, Options
    from core.question import Understood, lookup, understand
    from core.refresher import Refresher, RefreshState, activate, configured_sources, usable_sources
    from core.sources.schedule import RefreshSummary, source_states, summarize
    from core.sources.spec import SourceSpec, load_sources
    from core.store import Store
    from core.tagging.tagger import Tagger
    from core.tagoutput import result_json, tag_line
    from core.taxonomy import KIND_TITLES, THEME_IDS, country_name, is_country_code, theme_label
