"""Errors of the live sources.

GeoTechError
 +-- SourceError     a live source cannot be fetched or read; ends that source only
"""

from __future__ import annotations

from typing import Literal

from core.errors import GeoTechError

FailureKind = Literal["network", "timeout", "rate_limited", "server_error", "http_status", "redirect", "too_large",
                      "deadline", "parse", "config", "unexpected"]
"""Why a source's run failed, stored with the run (`runs.failure_kind`) for every reader to use."""
UNREACHABLE: tuple[FailureKind, ...] = ("network", "timeout")
"""Failure kinds that mean the network or the source's server could not be reached."""


class SourceError(GeoTechError):
    """A live source failed; the message is one line: what failed, where, and what to do; `kind` says why."""

    def __init__(self, message: str, kind: FailureKind = "parse") -> None:
        super().__init__(message)
        self.kind: FailureKind = kind
