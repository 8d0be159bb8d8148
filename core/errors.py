"""The library's exceptions. Each boundary (CLI, dashboard) translates them once.

GeoTechError
 +-- InputError          bad user input: a file, a line, a field
 |    +-- ParseError     a record that cannot be read (names file and line)
 +-- StoreError          the event store cannot be opened or written
 +-- DataError           a packaged data file (cues, countries, orgs) is broken
"""

from __future__ import annotations


class GeoTechError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(GeoTechError):
    """Input that cannot be used as given."""


class ParseError(InputError):
    """A record that cannot be read; says where and why."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = reason
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class StoreError(GeoTechError):
    """The store cannot be opened, read or written."""


class DataError(GeoTechError):
    """A packaged data file is malformed."""


def one_line(message: str, limit: int = 300) -> str:
    """A message on one line, at most `limit` characters."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
