"""The one object every ingester works through: HTTP with retries, the clock, ids, and what it collects.

An ingester is `crawl(context, source, since)`: it calls `context.get(...)`, turns records into
articles with `context.emit(...)`, reports bad records with `context.warn(...)` or
`context.error(...)`, and raises `SourceError` when the source as a whole cannot be read.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import httpx

from core import ids
from core.ingest.records import Problem
from core.models import Article
from core.sources.errors import SourceError

if TYPE_CHECKING:
    from core.sources.federal_register import FederalDocument

USER_AGENT = "GeoTechRadar/0.1 (+https://github.com/geotech-radar)"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 2.0
RETRY_AFTER_CAP = 60.0
Params = Mapping[str, str | int] | None  # httpx.QueryParams for repeated keys
ADVICE = {
    "rate": "try again later or lower the cadence",
    "server": "the server is failing; try again later",
    "timeout": "the server did not answer in time; try again later or check the network and proxy settings",
    "network": "check the network connection and the proxy settings (HTTPS_PROXY)",
    "client": "check the source's url, query or agencies in the sources file",
}


def build_client() -> httpx.Client:
    """The HTTP client for live sources: timeouts, a User-Agent, and proxies from the environment."""
    return httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=True, trust_env=True)


class Network:
    """What one fetch has learnt about the network, shared by its sources' contexts.

    When a source could not connect on any attempt, the network is taken to be down and the next
    sources try once instead of waiting through every retry: with no network, a run of every
    source ends in seconds. Any answer from a server marks the network up again.
    """

    def __init__(self) -> None:
        self.down = False


def utc_now() -> dt.datetime:
    """The current time in UTC (timezone-aware)."""
    return dt.datetime.now(dt.UTC)


class FetchContext:
    """Owns the HTTP client, the clock and id-making for one source, and collects its output."""

    def __init__(self, name: str, client: httpx.Client | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], dt.datetime] = utc_now, max_attempts: int = MAX_ATTEMPTS,
                 network: Network | None = None) -> None:
        self.name = name
        self.network = network or Network()
        self.client = client or build_client()
        self._owns_client = client is None
        self.sleep = sleep
        self.now = now
        self.max_attempts = max_attempts
        self.articles: list[Article] = []
        self.documents: list[FederalDocument] = []
        self.problems: list[Problem] = []
        self._ids: set[str] = set()

    def close(self) -> None:
        """Close the HTTP client if this context created it."""
        if self._owns_client:
            self.client.close()

    def make_id(self, *parts: object) -> str:
        """A deterministic id from raw parts (see `core.ids.make_id`)."""
        return ids.make_id(*parts)

    def emit(self, article: Article) -> bool:
        """Collect an article; a second article with the same id is dropped (False)."""
        if article.id in self._ids:
            return False
        self._ids.add(article.id)
        self.articles.append(article)
        return True

    def warn(self, source: str, reason: str, line: int | None = None) -> None:
        """Record a warning: a record skipped or a field dropped; the source goes on."""
        self.problems.append(Problem(source, reason, line, severity="warning"))

    def error(self, source: str, reason: str, line: int | None = None) -> None:
        """Record an error: a record that could not be used; the source goes on."""
        self.problems.append(Problem(source, reason, line, severity="error"))

    def fail(self, what: str, advice: str) -> SourceError:
        """A SourceError with a one-line message `<name>: <what>; <advice>` (to raise)."""
        return SourceError(one_line(f"{self.name}: {what}; {advice}"))

    def get(self, url: str, params: Params = None) -> httpx.Response:
        """GET with up to `max_attempts` tries on timeouts, connection errors, HTTP 429 and 5xx.

        Waits grow exponentially (2 s, 4 s, ...), or follow Retry-After (capped at a minute).
        Raises SourceError when the attempts run out or on any other HTTP error status.
        """
        host = httpx.URL(url).host
        for attempt in range(1, self.max_attempts + 1):
            delay = BACKOFF_SECONDS * 2 ** (attempt - 1)
            try:
                response = self.client.get(url, params=params)
            except httpx.TimeoutException:
                what, advice = f"timed out waiting for {host}", ADVICE["timeout"]
            except httpx.NetworkError as exc:
                what, advice = f"cannot connect to {host} ({type(exc).__name__})", ADVICE["network"]
                if self.network.down:
                    raise self.fail(f"{what}; the network looks down (earlier sources could not connect either)",
                                    advice) from exc
            except httpx.TransportError as exc:
                raise self.fail(f"request to {host} failed ({type(exc).__name__}: {exc})", ADVICE["network"]) from exc
            else:
                self.network.down = False
                if not _retryable(response.status_code):
                    return self._checked(response, host)
                what = f"HTTP {response.status_code} {response.reason_phrase} from {host}"
                advice = ADVICE["rate"] if response.status_code == 429 else ADVICE["server"]
                delay = retry_after(response, default=delay, now=self.now)
            if attempt < self.max_attempts:
                self.sleep(delay)
        self.network.down = advice == ADVICE["network"]
        raise self.fail(f"{what} after {self.max_attempts} attempts", advice)

    def _checked(self, response: httpx.Response, host: str) -> httpx.Response:
        if response.is_error:
            said = response.text.strip()[:120]
            detail = f" ({said!r})" if said and not said.startswith("<") else ""
            raise self.fail(f"HTTP {response.status_code} {response.reason_phrase} from {host}{detail}", ADVICE["client"])
        return response


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def retry_after(response: httpx.Response, default: float, cap: float = RETRY_AFTER_CAP,
                now: Callable[[], dt.datetime] = utc_now) -> float:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped; else `default`."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return default
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return min(max((when - now()).total_seconds(), 0.0), cap)


def one_line(message: str, limit: int = 300) -> str:
    """A message on one line, at most `limit` characters."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
