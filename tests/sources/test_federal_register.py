"""Federal Register API: documents of the agencies, pages followed, documents kept for the store."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from payload_replay import Script, payload, reply

from core.primary import PrimaryDocument
from core.sources import federal_register
from core.sources.errors import SourceError
from core.sources.spec import SourceSpec

AGENCIES = ("industry-and-security-bureau", "foreign-assets-control-office",
            "trade-representative-office-of-united-states", "federal-communications-commission")
SPEC = SourceSpec(name="federal_register", kind="federal_register", agencies=AGENCIES)
SINCE = dt.date(2024, 4, 1)


def two_pages(request: httpx.Request) -> httpx.Response:
    page = "page2.json" if request.url.params.get("page") == "2" else "page1.json"
    return httpx.Response(200, content=payload(f"federal_register/{page}"), request=request)


def crawl(make_context, handler, since: dt.date | None = SINCE):
    context = make_context(handler, name=SPEC.name)
    federal_register.crawl(context, SPEC, since)
    return context


def test_request_asks_for_the_agencies_since_the_date_newest_first(make_context) -> None:
    script = Script(two_pages)
    crawl(make_context, script)
    first = script.requests[0].url
    assert str(first).startswith(federal_register.API_URL)
    assert first.params.get_list("conditions[agencies][]") == list(AGENCIES)
    assert first.params["conditions[publication_date][gte]"] == "2024-04-01"
    assert (first.params["order"], first.params["per_page"]) == ("newest", "100")
    assert set(first.params.get_list("fields[]")) >= {"effective_on", "comments_close_on", "action", "dates", "agencies"}


def test_documents_become_articles_and_next_page_is_followed(make_context) -> None:
    script = Script(two_pages)
    context = crawl(make_context, script)
    assert len(script.requests) == 2 and script.requests[1].url.params["page"] == "2"
    rule = context.articles[0]
    assert rule.title == "Export Administration Regulations: Additions to the Entity List"
    assert rule.url == "https://www.federalregister.gov/documents/2024/04/10/2024-07004/export-administration-regulations-additions-to-the-entity-list"
    assert rule.published == dt.date(2024, 4, 10)
    assert rule.source == "Commerce Department, Industry and Security Bureau"
    assert rule.text.startswith("Export Administration Regulations: Additions to the Entity List\n\nIn this rule, the Bureau")
    assert "Action: Final rule.\n\nDates: This rule is effective April 10, 2024." in rule.text
    assert [a.published for a in context.articles] == [dt.date(2024, 4, 10), dt.date(2024, 4, 4), dt.date(2024, 4, 2)]


def test_documents_keep_their_dates_for_scheduled_events(make_context) -> None:
    context = crawl(make_context, Script(two_pages))
    rule, proposed, notice = context.documents
    assert rule == PrimaryDocument(
        "2024-07004", "Export Administration Regulations: Additions to the Entity List", "Rule",
        "https://www.federalregister.gov/documents/2024/04/10/2024-07004/export-administration-regulations-additions-to-the-entity-list",
        ("Commerce Department", "Industry and Security Bureau"), dt.date(2024, 4, 10), dt.date(2024, 4, 10), None)
    assert (proposed.type, proposed.comments_close_on, proposed.effective_on) == ("Proposed Rule", dt.date(2024, 5, 6), None)
    assert notice.effective_on is None  # "not a date" is dropped with a warning
    assert context.articles[0].url == rule.url  # the article and the document are the same rule


def test_records_missing_fields_are_warnings_and_the_rest_is_kept(make_context) -> None:
    context = crawl(make_context, Script(two_pages))
    reasons = [p.reason for p in context.problems]
    assert all(p.severity == "warning" for p in context.problems)
    assert reasons == [
        "page 2, result 1: field `effective_on` 'not a date' is not a date; dropped",
        "page 2, result 2: field `html_url` missing; skipped",
        "page 2, result 3: field `title` missing; skipped",
    ]
    assert len(context.articles) == 3


def test_page_bound_stops_an_endless_next_page_chain(make_context) -> None:
    script = Script(reply(file="federal_register/page1.json"))
    context = crawl(make_context, script)
    assert len(script.requests) == federal_register.MAX_PAGES
    assert len(context.articles) == 2  # the same two documents every page
    assert "stopped after 10 pages" in context.problems[-1].reason


def test_an_envelope_without_results_gives_nothing(make_context) -> None:
    context = crawl(make_context, Script(reply(file="federal_register/empty.json")))
    assert context.articles == [] and context.documents == [] and context.problems == []


def test_an_empty_object_gives_nothing(make_context) -> None:
    context = crawl(make_context, Script(reply(body="{}")))
    assert context.articles == [] and context.problems == []


def test_without_since_the_last_week_is_asked(make_context) -> None:
    script = Script(reply(file="federal_register/empty.json"))
    crawl(make_context, script, since=None)
    assert script.requests[0].url.params["conditions[publication_date][gte]"] == "2024-04-03"


def test_html_maintenance_page_with_status_200_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError) as caught:
        crawl(make_context, Script(reply(200, file="federal_register/maintenance.html")))
    message = str(caught.value)
    assert message.startswith("federal_register: www.federalregister.gov answered with an error instead of JSON:")
    assert "FederalRegister.gov is down for maintenance" in message


def test_invalid_escapes_are_repaired(make_context) -> None:
    context = crawl(make_context, Script(reply(file="federal_register/bad_escapes.json")))
    [article] = context.articles
    assert article.title == "Secure Equipment Act: Prohibition on 'Covered' Equipment Authorizations"
    assert "section 2(a)\\(1)" in article.text
    assert article.source == "Federal Communications Commission"
    assert [p.severity for p in context.problems] == ["warning"]


def test_unrepairable_json_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError, match=r"invalid JSON from www\.federalregister\.gov"):
        crawl(make_context, Script(reply(file="federal_register/broken.json")))


def test_results_that_are_not_a_list_end_the_source(make_context) -> None:
    with pytest.raises(SourceError, match="`results` is not a list"):
        crawl(make_context, Script(reply(body=json.dumps({"results": {"a": 1}}))))
