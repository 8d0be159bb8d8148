"""Replaying recorded payloads through httpx.MockTransport: scripted replies, recorded requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import httpx

PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "payloads"
NOW = dt.datetime(2024, 4, 10, 12, 0, tzinfo=dt.UTC)
Step = Callable[[httpx.Request], httpx.Response]


def payload(name: str) -> bytes:
    """The bytes of a recorded payload under tests/data/payloads/."""
    return (PAYLOADS / name).read_bytes()


def reply(status: int = 200, body: bytes | str = b"", headers: dict[str, str] | None = None, *,
          file: str | None = None) -> Step:
    """A step that answers with a fresh response (the body of `file` when given)."""
    content = payload(file) if file else body.encode("utf-8") if isinstance(body, str) else body

    def step(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers=headers, request=request)

    return step


def raise_(error: type[httpx.TransportError]) -> Step:
    """A step that fails like the network would (e.g. httpx.ReadTimeout)."""

    def step(request: httpx.Request) -> httpx.Response:
        raise error(f"{error.__name__} (mocked)", request=request)

    return step


class Script:
    """A MockTransport handler that plays its steps in order (the last one repeats) and keeps every request."""

    def __init__(self, *steps: Step) -> None:
        self.steps = steps
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.steps[min(len(self.requests), len(self.steps)) - 1](request)


class Router:
    """A MockTransport handler that picks a step by host (and optionally a path suffix), keeping every request."""

    def __init__(self, routes: dict[str, Step]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for key, step in self.routes.items():
            host, _, suffix = key.partition("/")
            if request.url.host == host and request.url.path.endswith(suffix):
                return step(request)
        return httpx.Response(404, text="no route", request=request)
