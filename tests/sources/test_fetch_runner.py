"""fetch(): every source runs on its own; failures become one-line messages; counts are checked."""

from __future__ import annotations

import httpx
import pytest
from payload_replay import NOW, Router, raise_, reply

from core.sources import runner
from core.sources.runner import fetch
from core.sources.spec import SourceSpec

GDELT = SourceSpec(name="GDELT: chips", kind="gdelt_doc", query='"export controls"')
FEED = SourceSpec(name="Ministry feed", kind="rss", url="https://www.tech-ministry.example.gov/press/rss.xml")
FR = SourceSpec(name="Federal Register", kind="federal_register", agencies=("industry-and-security-bureau",))


def run(mock_client, sleeps, routes, specs, **kwargs):
    return fetch(specs, None, client=mock_client(Router(routes)), sleep=sleeps.append, now=lambda: NOW, **kwargs)


def test_one_failing_source_does_not_stop_the_others(mock_client, sleeps) -> None:
    routes = {"api.gdeltproject.org": reply(429, "Too many requests"), "www.tech-ministry.example.gov": reply(file="rss/feed.xml")}
    report = run(mock_client, sleeps, routes, [GDELT, FEED])
    failed, ok = report.sources
    assert (failed.name, failed.status, ok.name, ok.status) == ("GDELT: chips", "failed", "Ministry feed", "ok")
    assert failed.message == ("GDELT: chips: HTTP 429 Too Many Requests from api.gdeltproject.org after 3 attempts; "
                              "try again later or lower the cadence")
    assert "\n" not in failed.message
    assert len(failed.articles) == 0 and len(ok.articles) == 3
    assert ok.message == "3 articles"
    assert [p.severity for p in ok.problems] == ["warning"] * 3
    assert (failed.failure_kind, ok.failure_kind) == ("rate_limited", None)
    assert failed.started <= failed.finished
    assert sleeps == [2.0, 4.0]


def test_a_timeout_fails_only_its_source(mock_client, sleeps) -> None:
    routes = {"api.gdeltproject.org": raise_(httpx.ReadTimeout), "www.tech-ministry.example.gov": reply(file="rss/feed.xml")}
    report = run(mock_client, sleeps, routes, [GDELT, FEED])
    assert [r.status for r in report.sources] == ["failed", "ok"]
    assert report.sources[0].message.startswith("GDELT: chips: timed out waiting for api.gdeltproject.org after 3 attempts")
    assert report.sources[0].failure_kind == "timeout"


def test_unexpected_value_errors_become_one_line_messages(mock_client, sleeps, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(context, source, since) -> None:
        raise ValueError("bad value\non two lines")

    monkeypatch.setitem(runner.CRAWLERS, "rss", broken)
    report = run(mock_client, sleeps, {}, [FEED])
    assert report.sources[0].status == "failed"
    assert report.sources[0].message == "Ministry feed: ValueError: bad value on two lines; report it if it persists"
    assert report.sources[0].failure_kind == "unexpected"


def test_documents_are_collected_for_the_pipeline(mock_client, sleeps) -> None:
    report = run(mock_client, sleeps, {"www.federalregister.gov": reply(file="federal_register/page2.json")}, [FR])
    [run_] = report.sources
    assert [d.document_number for d in run_.documents] == ["2024-06822"]
    assert [d.url for d in run_.documents] == [a.url for a in run_.articles]


def test_counts_outside_the_expected_range_are_warnings(mock_client, sleeps) -> None:
    few = FEED.model_copy(update={"expected_min": 10})
    many = FEED.model_copy(update={"name": "Ministry again", "expected_max": 1})
    report = run(mock_client, sleeps, {"www.tech-ministry.example.gov": reply(file="rss/feed.xml")}, [few, many])
    assert report.sources[0].problems[-1].reason == "3 articles, fewer than the expected 10; check the query or url"
    assert report.sources[1].problems[-1].reason == "3 articles, more than the expected 1; check the query"
    assert all(r.status == "ok" for r in report.sources)


def test_progress_is_called_after_each_source(mock_client, sleeps) -> None:
    seen: list[str] = []
    routes = {"www.tech-ministry.example.gov": reply(file="rss/feed.xml")}
    run(mock_client, sleeps, routes, [FEED, FEED.model_copy(update={"name": "Second"})], progress=lambda r: seen.append(r.name))
    assert seen == ["Ministry feed", "Second"]


def test_every_kind_has_a_crawler() -> None:
    assert set(runner.CRAWLERS) == {"gdelt_doc", "federal_register", "rss", "gdelt_events", "csv"}
