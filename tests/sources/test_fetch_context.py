"""FetchContext: client settings, retries with backoff and Retry-After, one-line errors, emitting and problems."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from payload_replay import NOW, Script, raise_, reply

from core.errors import GeoTechError
from core.ingest.records import make_article
from core.sources.context import USER_AGENT, build_client
from core.sources.errors import SourceError

GDELT = "https://api.gdeltproject.org/api/v2/doc/doc"


def test_client_has_timeouts_user_agent_and_honours_proxy_environment() -> None:
    with build_client() as client:
        assert client.timeout.connect == 10.0
        assert client.timeout.read == 30.0
        assert client.headers["User-Agent"] == USER_AGENT
        assert client.trust_env is True


def test_source_error_belongs_to_the_library_tree() -> None:
    assert issubclass(SourceError, GeoTechError)


def test_timeout_is_retried_then_succeeds(make_context, sleeps) -> None:
    script = Script(raise_(httpx.ReadTimeout), reply(200, "ok"))
    response = make_context(script).get(GDELT, params={"query": "chips"})
    assert response.text == "ok"
    assert len(script.requests) == 2
    assert sleeps == [2.0]
    assert script.requests[0].url.params["query"] == "chips"


def test_429_then_success_waits_as_retry_after_says(make_context, sleeps) -> None:
    script = Script(reply(429, "slow down", {"Retry-After": "7"}), reply(200, "ok"))
    assert make_context(script).get(GDELT).text == "ok"
    assert sleeps == [7.0]


def test_retry_after_is_capped_at_a_minute(make_context, sleeps) -> None:
    script = Script(reply(429, headers={"Retry-After": "3600"}), reply(200, "ok"))
    make_context(script).get(GDELT)
    assert sleeps == [60.0]


def test_retry_after_as_an_http_date(make_context, sleeps) -> None:
    when = email.utils.format_datetime(NOW.replace(second=30), usegmt=True)
    script = Script(reply(503, headers={"Retry-After": when}), reply(200, "ok"))
    make_context(script).get(GDELT)
    assert sleeps == [30.0]


def test_429_every_time_fails_with_a_one_line_message_saying_what_to_do(make_context, sleeps) -> None:
    script = Script(reply(429, "Too many"))
    with pytest.raises(SourceError) as caught:
        make_context(script, name="gdelt_doc").get(GDELT)
    assert str(caught.value) == ("gdelt_doc: HTTP 429 Too Many Requests from api.gdeltproject.org after 3 attempts; "
                                 "try again later or lower the cadence")
    assert len(script.requests) == 3
    assert sleeps == [2.0, 4.0]


def test_500_every_time_fails_after_three_attempts(make_context) -> None:
    script = Script(reply(500, "<html>oops</html>"))
    with pytest.raises(SourceError, match=r"HTTP 500 Internal Server Error from api.gdeltproject.org after 3 attempts; "
                                          r"the server is failing"):
        make_context(script).get(GDELT)
    assert len(script.requests) == 3


def test_timeout_every_time_fails_with_advice(make_context) -> None:
    with pytest.raises(SourceError, match=r"timed out waiting for api.gdeltproject.org after 3 attempts; .*proxy"):
        make_context(Script(raise_(httpx.ReadTimeout))).get(GDELT)


def test_connection_errors_are_retried(make_context, sleeps) -> None:
    script = Script(raise_(httpx.ConnectError), reply(200, "ok"))
    assert make_context(script).get(GDELT).text == "ok"
    assert sleeps == [2.0]


def test_client_errors_are_not_retried_and_quote_the_body(make_context) -> None:
    script = Script(reply(400, '{"errors":{"agencies":"invalid value"}}'))
    with pytest.raises(SourceError) as caught:
        make_context(script, name="fr").get("https://www.federalregister.gov/api/v1/documents.json")
    message = str(caught.value)
    assert message.startswith("fr: HTTP 400 Bad Request from www.federalregister.gov")
    assert "invalid value" in message and "check the source's url, query or agencies" in message
    assert "\n" not in message
    assert len(script.requests) == 1


def test_emit_collapses_articles_with_the_same_id(make_context) -> None:
    context = make_context(Script(reply()))
    first = make_article("Text one.", NOW.date(), url="https://example.org/a")
    again = make_article("Text two.", NOW.date(), url="https://example.org/a")
    assert context.emit(first) is True
    assert context.emit(again) is False
    assert context.articles == [first]


def test_warn_and_error_record_problems_with_severity(make_context) -> None:
    context = make_context(Script(reply()))
    context.warn("feed", "entry 2: no date", line=4)
    context.error("file.csv", "field `date`: bad", 7)
    assert [(p.source, p.line, p.severity) for p in context.problems] == [("feed", 4, "warning"), ("file.csv", 7, "error")]


def test_make_id_is_deterministic(make_context) -> None:
    context = make_context(Script(reply()))
    assert context.make_id("rss", "x") == context.make_id("RSS", " x ")
    assert context.make_id("rss", "x") != context.make_id("rss", "y")
