"""The one object every ingester works through: HTTP with retries, the clock, ids, and what it collects.

An ingester is `crawl(context, source, since)`: it calls `context.get(...)`, turns records into
articles with `context.emit(...)`, reports bad records with `context.warn(...)` or
`context.error(...)`, and raises `SourceError` when the source as a whole cannot be read.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import socket
import time
from collections.abc import Callable, Mapping

import httpx
import tenacity

from core import ids
from core.clock import utc_now
from core.errors import one_line
from core.ingest.records import Problem
from core.models import Article
from core.primary import PrimaryDocument
from core.sources.errors import FailureKind, SourceError

USER_AGENT = "GeoTechRadar/0.1 (+https://github.com/geotech-radar)"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 2.0
RETRY_AFTER_CAP = 60.0
MAX_BODY_BYTES = 32 * 1024 * 1024  # one response, after decompression (read as a stream, so never held beyond this)
MAX_REDIRECTS = 5
SOURCE_DEADLINE_SECONDS = 300.0  # one source's whole run, retries and slow bodies included
Params = Mapping[str, str | int] | None  # httpx.QueryParams for repeated keys
_DROPPED_HEADERS = ("content-encoding", "content-length", "transfer-encoding")  # the body kept is already decoded
ADVICE = {
    "rate": "try again later or lower the cadence",
    "server": "the server is failing; try again later",
    "timeout": "the server did not answer in time; try again later or check the network and proxy settings",
    "network": "check the network connection and the proxy settings (HTTPS_PROXY)",
    "client": "check the source's url, query or agencies in the sources file",
}


def build_client() -> httpx.Client:
    """The HTTP client for live sources: timeouts, a User-Agent, and proxies from the environment."""
    return httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=False, trust_env=True)


class RedirectRefused(Exception):
    """A redirect that is not followed (raised by the client's response hook, before httpx builds it)."""


def refuse_odd_redirects(response: httpx.Response) -> None:
    """Response hook: a redirect to an address that is not an http(s) URL ends the request here
    (httpx would otherwise fail while building it, with an error that names no cause)."""
    if not response.has_redirect_location:
        return
    location = response.headers.get("location", "")
    try:
        scheme = httpx.URL(location).scheme
    except httpx.InvalidURL:
        raise RedirectRefused(f"{response.url.host} redirected to an address that is not a URL") from None
    if scheme and scheme not in ("http", "https"):
        raise RedirectRefused(f"{response.url.host} redirected to an address that is not http(s) ({location[:60]!r}); not followed")


def _guard(client: httpx.Client) -> httpx.Client:
    hooks = client.event_hooks
    if refuse_odd_redirects not in hooks["response"]:
        client.event_hooks = {**hooks, "response": [*hooks["response"], refuse_odd_redirects]}
    return client


def internal(host: str) -> bool:
    """True when a host is, or resolves to, a loopback, private, link-local or otherwise non-public
    address (an upstream must not steer our requests there)."""
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(info[4][0]) for info in socket.getaddrinfo(host, None)]
        except (OSError, UnicodeError, ValueError):
            return False  # cannot resolve: the request will fail on its own
    return any(not a.is_global or a.is_multicast for a in addresses)


class Network:
    """What one fetch has learnt about the network, shared by its sources' contexts.

    When a source could not connect on any attempt, the network is taken to be down and the next
    sources try once instead of waiting through every retry: with no network, a run of every
    source ends in seconds. Any answer from a server marks the network up again.
    """

    def __init__(self) -> None:
        self.down = False


class FetchContext:
    """Owns the HTTP client, the clock and id-making for one source, and collects its output."""

    def __init__(self, name: str, client: httpx.Client | None = None, *, sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], dt.datetime] = utc_now, max_attempts: int = MAX_ATTEMPTS,
                 network: Network | None = None, deadline_seconds: float = SOURCE_DEADLINE_SECONDS,
                 max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.name = name
        self.deadline = time.monotonic() + deadline_seconds
        self.deadline_seconds = deadline_seconds
        self.max_body_bytes = max_body_bytes
        self.network = network or Network()
        self.client = _guard(client or build_client())
        self._owns_client = client is None
        self.sleep = sleep
        self.now = now
        self.max_attempts = max_attempts
        self.articles: list[Article] = []
        self.documents: list[PrimaryDocument] = []
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

    def fail(self, what: str, advice: str, kind: FailureKind = "parse") -> SourceError:
        """A SourceError with a one-line message `<name>: <what>; <advice>` and its failure kind (to raise)."""
        return SourceError(one_line(f"{self.name}: {what}; {advice}"), kind)

    def follow_up(self, url: str, origin: str) -> str:
        """A URL an upstream gave us to fetch next (a next page, a file listing's entry): http(s), on the
        origin's host; else SourceError."""
        try:
            target, base = httpx.URL(url), httpx.URL(origin)
        except httpx.InvalidURL:
            raise self.fail(f"{httpx.URL(origin).host} named a follow-up address that is not a URL", "report it",
                            "redirect") from None
        if target.scheme not in ("http", "https"):
            raise self.fail(f"{base.host} named a follow-up address that is not http(s) ({url[:80]!r})", "report it", "redirect")
        if target.host != base.host:
            raise self.fail(f"{base.host} named a follow-up address on another host ({target.host}); not followed",
                            "report it if the source moved", "redirect")
        return url

    def get(self, url: str, params: Params = None) -> httpx.Response:
        """GET with up to `max_attempts` tries on timeouts, connection errors, HTTP 429 and 5xx.

        The retry policy is tenacity's: waits grow exponentially (2 s, 4 s, ...), or follow
        Retry-After (capped at a minute), and stop early when the next wait would pass the source's
        deadline. Raises SourceError (with its failure kind) when the attempts run out or on any
        other HTTP error status. The body is read as a stream and bounded (`max_body_bytes` after
        decompression); redirects are followed by hand (http(s) only, at most MAX_REDIRECTS, never
        from a public host to a non-public one); the whole run of the source is bounded by its deadline.
        """
        host = httpx.URL(url).host
        retrying = tenacity.Retrying(
            stop=tenacity.stop_any(tenacity.stop_after_attempt(self.max_attempts), _PastDeadline(self.deadline)),
            wait=_wait, retry=tenacity.retry_if_exception_type(_Retryable), sleep=self.sleep, reraise=True)
        try:
            return retrying(self._attempt, url, params, host)
        except _Retryable as last:
            self.network.down = last.kind == "network"
            attempts = retrying.statistics.get("attempt_number", 1)
            raise self.fail(f"{last.what} after {attempts} attempts", last.advice, last.kind) from None

    def _attempt(self, url: str, params: Params, host: str) -> httpx.Response:
        """One try: the response, or _Retryable for a failure worth another try, or SourceError."""
        self._check_deadline()
        try:
            response = self._fetch(url, params)
        except httpx.TimeoutException:
            raise _Retryable(f"timed out waiting for {host}", ADVICE["timeout"], "timeout") from None
        except httpx.NetworkError as exc:
            what = f"cannot connect to {host} ({type(exc).__name__})"
            if self.network.down:
                raise self.fail(f"{what}; the network looks down (earlier sources could not connect either)",
                                ADVICE["network"], "network") from exc
            raise _Retryable(what, ADVICE["network"], "network") from None
        except httpx.TransportError as exc:
            raise self.fail(f"request to {host} failed ({type(exc).__name__}: {exc})", ADVICE["network"], "network") from exc
        except RedirectRefused as exc:
            raise self.fail(str(exc), "check the source's url", "redirect") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, httpx.DecodingError) as exc:
            raise self.fail(f"request to {host} failed ({type(exc).__name__})", ADVICE["client"], "config") from exc
        self.network.down = False
        if not _retryable(response.status_code):
            return self._checked(response, host)
        rate = response.status_code == 429
        raise _Retryable(f"HTTP {response.status_code} {response.reason_phrase} from {host}",
                         ADVICE["rate"] if rate else ADVICE["server"], "rate_limited" if rate else "server_error",
                         retry_after(response, default=None, now=self.now))

    def _check_deadline(self) -> None:
        if time.monotonic() > self.deadline:
            raise self.fail(f"took longer than {self.deadline_seconds:.0f} s, the limit for one source",
                            "the server is very slow; try again later", "deadline")

    def _fetch(self, url: str, params: Params) -> httpx.Response:
        """One request, its redirects followed by hand, its body read within the limits."""
        origin_internal = internal(httpx.URL(url).host)
        for _ in range(MAX_REDIRECTS + 1):
            with self.client.stream("GET", url, params=params, follow_redirects=False) as response:
                if not response.is_redirect:
                    body = self._read(response)
                    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _DROPPED_HEADERS]
                    return httpx.Response(response.status_code, headers=headers, content=body, request=response.request)
                url, params = self._redirect_target(response, origin_internal), None
        raise self.fail(f"more than {MAX_REDIRECTS} redirects from {httpx.URL(url).host}", "check the source's url", "redirect")

    def _redirect_target(self, response: httpx.Response, origin_internal: bool) -> str:
        location = response.headers.get("location", "")
        host = response.url.host
        try:
            target = response.url.join(location)
        except httpx.InvalidURL:
            raise self.fail(f"{host} redirected to an address that is not a URL", "check the source's url", "redirect") from None
        if target.scheme not in ("http", "https"):
            raise self.fail(f"{host} redirected to an address that is not http(s) ({location[:60]!r}); not followed",
                            "check the source's url", "redirect")
        if not origin_internal and internal(target.host):
            raise self.fail(f"{host} redirected to a private or local address; not followed", "check the source's url",
                            "redirect")
        return str(target)

    def _read(self, response: httpx.Response) -> bytes:
        """The decoded body, at most `max_body_bytes`; SourceError past that or past the deadline."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self.fail(f"the response from {response.url.host} is larger than {self.max_body_bytes // 2**20} MB "
                                "(after decompression); not read", "check the source's url", "too_large")
            chunks.append(chunk)
            self._check_deadline()
        return b"".join(chunks)

    def _checked(self, response: httpx.Response, host: str) -> httpx.Response:
        if response.is_error:
            said = response.text.strip()[:120]
            detail = f" ({said!r})" if said and not said.startswith("<") else ""
            raise self.fail(f"HTTP {response.status_code} {response.reason_phrase} from {host}{detail}", ADVICE["client"],
                            "http_status")
        return response


class _Retryable(Exception):
    """One attempt's failure that is worth another try: what failed, the advice, the failure kind and
    the wait the server asked for (Retry-After), if any."""

    def __init__(self, what: str, advice: str, kind: FailureKind, wait: float | None = None) -> None:
        super().__init__(what)
        self.what, self.advice, self.kind, self.wait = what, advice, kind, wait


class _PastDeadline(tenacity.stop.stop_base):
    """tenacity stop rule: the next wait would end after the source's deadline (a monotonic time)."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline

    def __call__(self, state: tenacity.RetryCallState) -> bool:
        return time.monotonic() + (state.upcoming_sleep or 0.0) > self.deadline


def _wait(state: tenacity.RetryCallState) -> float:
    """tenacity wait rule: the server's Retry-After when it gave one, else 2 s, 4 s, ..."""
    failure = state.outcome.exception() if state.outcome else None
    asked = failure.wait if isinstance(failure, _Retryable) else None
    return asked if asked is not None else BACKOFF_SECONDS * 2 ** (state.attempt_number - 1)


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def retry_after(response: httpx.Response, default: float | None, cap: float = RETRY_AFTER_CAP,
                now: Callable[[], dt.datetime] = utc_now) -> float | None:
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

