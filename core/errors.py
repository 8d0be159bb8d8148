"""The library's exceptions. Each boundary (CLI, dashboard) translates them once.

GeoTechError
 +-- InputError          bad user input: a file, a line, a field
 +-- StoreError          the event store cannot be opened or written
 +-- DataError           a packaged data file (cues, countries, orgs) is broken
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


class GeoTechError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(GeoTechError):
    """Input that cannot be used as given."""


class StoreError(GeoTechError):
    """The store cannot be opened, read or written."""


class DataError(GeoTechError):
    """A packaged data file is malformed."""


def one_line(message: str, limit: int = 300) -> str:
    """A message on one line, at most `limit` characters."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def field_error(exc: ValidationError, default_field: str = "") -> str:
    """The first problem of a pydantic ValidationError in one line: "field `x`: message"
    (`default_field` names a problem of the whole record; without it, the bare message)."""
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or default_field
    message = "missing" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
    return f"field `{where}`: {message}" if where else message
