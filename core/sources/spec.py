"""The sources list: `core/data/sources.toml`, extended by an optional user file of the same schema.

Each `[[source]]` table has `name`, `kind`, `url` or `query`, `agencies` (Federal Register
only), `cadence_minutes`, `expected_min` and `expected_max` (the expected number of articles
per run), and optionally `enabled = false`. A user source with the name of a default replaces it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.datafiles import data_path
from core.errors import InputError, field_error
from core.ingest.records import safe_url
from core.sources.errors import SourceError

DEFAULT_SOURCES = data_path("sources.toml")
SourceKind = Literal["gdelt_doc", "federal_register", "rss", "gdelt_events", "csv"]
NEEDS: dict[str, str] = {
    "gdelt_doc": "query", "federal_register": "agencies", "rss": "url", "gdelt_events": "url", "csv": "url",
}


class SourceSpec(BaseModel):
    """One live source as configured in a sources file."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)

    name: str = Field(min_length=1)
    """Unique name, shown on the Data health page."""
    kind: SourceKind
    """Which ingester reads it."""
    url: str | None = None
    """Feed or file URL (http(s)); for rss, gdelt_events and csv."""
    query: str | None = None
    """GDELT DOC query; for gdelt_doc."""
    agencies: tuple[str, ...] = ()
    """Federal Register agency slugs; for federal_register."""
    cadence_minutes: int = Field(default=60, gt=0)
    """How often the source should be fetched."""
    expected_min: int = Field(default=0, ge=0)
    """Fewest articles a normal run returns; fewer gives a warning."""
    expected_max: int | None = Field(default=None, ge=0)
    """Most articles a normal run returns; more gives a warning."""
    enabled: bool = True
    """False leaves the source out (a user file can switch a default off)."""

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and safe_url(value) is None:
            raise ValueError("must be an http(s) URL")
        return value

    @model_validator(mode="after")
    def _complete(self) -> SourceSpec:
        needed = NEEDS[self.kind]
        if not getattr(self, needed):
            raise ValueError(f"a {self.kind} source needs `{needed}`")
        if self.expected_max is not None and self.expected_max < self.expected_min:
            raise ValueError("`expected_max` is less than `expected_min`")
        return self


def required_url(spec: SourceSpec) -> str:
    """The source's url; SourceError when it has none (validation normally guarantees one)."""
    if not spec.url:
        raise SourceError(f"{spec.name}: no `url` configured; add one to the source in the sources file", "config")
    return spec.url


def load_sources(path: Path | None = None, *, defaults: Path = DEFAULT_SOURCES) -> list[SourceSpec]:
    """The enabled default sources plus those of the user file `path` (same names replace defaults)."""
    specs = {s.name: s for s in read_sources(defaults)}
    if path is not None:
        specs.update((s.name, s) for s in read_sources(path))
    return [s for s in specs.values() if s.enabled]


def read_sources(path: Path) -> list[SourceSpec]:
    """Every `[[source]]` of one TOML file; raises InputError naming the file, source and field."""
    tables = _source_tables(path)
    specs: list[SourceSpec] = []
    for n, table in enumerate(tables, start=1):
        label = f"source #{n}" + (f" ({table['name']!r})" if isinstance(table, dict) and "name" in table else "")
        try:
            spec = SourceSpec.model_validate(table)
        except ValidationError as exc:
            raise InputError(f"{path}: {label}: {field_error(exc)}") from None
        if any(s.name == spec.name for s in specs):
            raise InputError(f"{path}: {label}: field `name`: {spec.name!r} is used twice; names must be unique")
        specs.append(spec)
    return specs


def _source_tables(path: Path) -> list[object]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the sources file ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: invalid TOML ({exc})") from None
    extra = sorted(set(data) - {"source"})
    if extra:
        raise InputError(f"{path}: unknown top-level keys {extra}; expected only [[source]] tables")
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise InputError(f"{path}: `source` must be an array of tables: write each one as [[source]]")
    return tables

