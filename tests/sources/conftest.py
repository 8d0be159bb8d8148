"""Fixtures for the live-source tests: contexts over a MockTransport, a fixed clock, recorded sleeps."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from payload_replay import NOW

from core.sources.context import USER_AGENT, FetchContext

MakeContext = Callable[..., FetchContext]


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the context asked for (nothing actually sleeps)."""
    return []


@pytest.fixture
def mock_client() -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], httpx.Client]]:
    """A factory of clients over a MockTransport handler; closed after the test."""
    clients: list[httpx.Client] = []

    def make(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.Client:
        client = httpx.Client(transport=httpx.MockTransport(handler), headers={"User-Agent": USER_AGENT})
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def make_context(mock_client: Callable, sleeps: list[float]) -> MakeContext:
    """A FetchContext named `name` over a handler, with the fixed clock and recorded sleeps."""

    def make(handler: Callable[[httpx.Request], httpx.Response], name: str = "test source") -> FetchContext:
        return FetchContext(name, mock_client(handler), sleep=sleeps.append, now=lambda: NOW)

    return make
