"""Errors of the live sources.

GeoTechError
 +-- SourceError     a live source cannot be fetched or read; ends that source only
"""

from __future__ import annotations

from core.errors import GeoTechError


class SourceError(GeoTechError):
    """A live source failed; the message is one line: what failed, where, and what to do."""
