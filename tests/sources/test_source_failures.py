"""The same failures for every ingester, through fetch(): timeouts, 429, 500 and HTML error pages with status 200."""

from __future__ import annotations

import httpx
import pytest
from payload_replay import NOW, Script, raise_, reply

from core.sources.runner import SourceRun, fetch
from core.sources.spec import SourceSpec

# kind -> (spec, success payload, articles it yields)
SOURCES: dict[str, tuple[SourceSpec, str, int]] = {
    "gdelt_doc": (SourceSpec(name="gdelt", kind="gdelt_doc", query='"export controls"'), "gdelt_doc/artlist.json", 3),
    "federal_register": (SourceSpec(name="fr", kind="federal_register", agencies=("industry-and-security-bureau",)),
                         "federal_register/page2.json", 1),
    "rss": (SourceSpec(name="feed", kind="rss", url="https://www.tech-ministry.example.gov/rss.xml"), "rss/feed.xml", 3),
    "gdelt_events": (SourceSpec(name="events", kind="gdelt_events", url="http://data.gdeltproject.org/gdeltv2/x.export.CSV"),
                     "gdelt_events/20240410120000.export.CSV", 4),
    "csv": (SourceSpec(name="csv", kind="csv", url="https://example.org/events.csv"), "csv_events/events.csv", 2),
}
KINDS = sorted(SOURCES)


def run(mock_client, sleeps, kind: str, script: Script) -> SourceRun:
    spec = SOURCES[kind][0]
    report = fetch([spec], None, client=mock_client(script), sleep=sleeps.append, now=lambda: NOW)
    [result] = report.sources
    assert "\n" not in result.message
    return result


@pytest.mark.parametrize("kind", KINDS)
def test_success(mock_client, sleeps, kind: str) -> None:
    _, file, count = SOURCES[kind]
    result = run(mock_client, sleeps, kind, Script(reply(file=file)))
    assert (result.status, len(result.articles)) == ("ok", count)


@pytest.mark.parametrize("kind", KINDS)
def test_timeout_every_time_fails_the_source(mock_client, sleeps, kind: str) -> None:
    result = run(mock_client, sleeps, kind, Script(raise_(httpx.ReadTimeout)))
    assert result.status == "failed"
    assert "timed out waiting for" in result.message and "after 3 attempts" in result.message
    assert result.message.startswith(f"{SOURCES[kind][0].name}: ")


@pytest.mark.parametrize("kind", KINDS)
def test_429_then_success(mock_client, sleeps, kind: str) -> None:
    _, file, count = SOURCES[kind]
    result = run(mock_client, sleeps, kind, Script(reply(429, headers={"Retry-After": "1"}), reply(file=file)))
    assert (result.status, len(result.articles)) == ("ok", count)
    assert sleeps == [1.0]


@pytest.mark.parametrize("kind", KINDS)
def test_429_every_time_fails_with_a_clear_message(mock_client, sleeps, kind: str) -> None:
    result = run(mock_client, sleeps, kind, Script(reply(429)))
    assert result.status == "failed"
    assert "HTTP 429 Too Many Requests" in result.message and result.message.endswith("try again later or lower the cadence")


@pytest.mark.parametrize("kind", KINDS)
def test_500_fails_the_source(mock_client, sleeps, kind: str) -> None:
    result = run(mock_client, sleeps, kind, Script(reply(500, "<html><body>Internal error</body></html>")))
    assert result.status == "failed"
    assert "HTTP 500 Internal Server Error" in result.message


@pytest.mark.parametrize("kind", KINDS)
def test_html_error_page_with_status_200_fails_the_source(mock_client, sleeps, kind: str) -> None:
    result = run(mock_client, sleeps, kind, Script(reply(200, file="gdelt_doc/error_page.html", headers={"Content-Type": "text/html"})))
    assert result.status == "failed"
    assert result.articles == []
    assert "503 Service Temporarily Unavailable" in result.message or "header lacks" in result.message
