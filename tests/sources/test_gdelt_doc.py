"""GDELT DOC 2.0 artlist: articles from titles, error bodies, invalid escapes, and windows split at the cap."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import httpx
import pytest
from payload_replay import NOW, Script, payload, reply

from core.sources import gdelt_doc
from core.sources.errors import SourceError
from core.sources.spec import SourceSpec

SPEC = SourceSpec(name="gdelt_doc", kind="gdelt_doc", query='("export controls" OR "entity list") (chip OR semiconductor)')
SINCE = dt.date(2024, 4, 9)


def crawl(make_context, handler, since: dt.date | None = SINCE):
    context = make_context(handler, name=SPEC.name)
    gdelt_doc.crawl(context, SPEC, since)
    return context


def test_artlist_becomes_titles_only_articles(make_context) -> None:
    script = Script(reply(file="gdelt_doc/artlist.json"))
    context = crawl(make_context, script)
    first, _, third = context.articles
    assert first.title == first.text == "US tightens chip export controls on China , adds firms to entity list"
    assert first.published == dt.date(2024, 4, 10)
    assert first.url == "https://www.example-news.com/2024/04/10/us-tightens-chip-export-controls-china"
    assert [a.source for a in context.articles] == ["example-news.com", "tokyo-daily.example.jp", "handelsblatt-example.de"]
    assert third.published == dt.date(2024, 4, 9)
    assert context.problems == []
    assert all(a.curated is None for a in context.articles)  # the publisher's country is never a label


def test_sourcecountry_and_language_are_dropped(make_context) -> None:
    context = crawl(make_context, Script(reply(file="gdelt_doc/artlist.json")))
    dumped = json.dumps([a.model_dump(mode="json") for a in context.articles])
    assert "United States" not in dumped and "Germany" not in dumped and "English" not in dumped


def test_request_parameters(make_context) -> None:
    script = Script(reply(file="gdelt_doc/artlist.json"))
    crawl(make_context, script)
    params = script.requests[0].url.params
    assert script.requests[0].url.host == "api.gdeltproject.org"
    assert params["query"] == SPEC.query
    assert (params["mode"], params["format"], params["maxrecords"], params["sort"]) == ("artlist", "json", "250", "datedesc")
    assert (params["startdatetime"], params["enddatetime"]) == ("20240409000000", "20240410120000")


def test_without_since_the_last_day_is_fetched(make_context) -> None:
    script = Script(reply(file="gdelt_doc/empty.json"))
    crawl(make_context, script, since=None)
    assert script.requests[0].url.params["startdatetime"] == "20240409120000"


def test_empty_object_means_no_articles(make_context) -> None:
    context = crawl(make_context, Script(reply(file="gdelt_doc/empty.json")))
    assert context.articles == [] and context.problems == []


def test_empty_body_means_no_articles(make_context) -> None:
    context = crawl(make_context, Script(reply(body=b"  \n")))
    assert context.articles == [] and context.problems == []


def test_records_missing_fields_are_warnings_and_the_rest_is_kept(make_context) -> None:
    context = crawl(make_context, Script(reply(file="gdelt_doc/missing_fields.json")))
    assert [a.source for a in context.articles] == ["example-news.com", "reuters-example.com"]
    reasons = [p.reason for p in context.problems]
    assert all(p.severity == "warning" for p in context.problems)
    assert reasons[0].startswith("record 2: field `url` missing")
    assert reasons[1].startswith("record 3: field `title` missing")
    assert reasons[2].startswith("record 4: field `url` missing or not http(s) ('javascript:alert(1)')")
    assert reasons[3].startswith("record 5: field `seendate` '2024-04-10 04:00'")


def test_invalid_escapes_are_repaired_with_a_warning(make_context) -> None:
    context = crawl(make_context, Script(reply(file="gdelt_doc/bad_escapes.json")))
    titles = [a.title for a in context.articles]
    assert titles == ["Raimondo: 'We will protect our chips' as Commerce readies rules",
                      'Rare earth prices climb on "supply fears" — miners \\& traders react']
    assert len(context.problems) == 1
    assert "repaired invalid JSON escapes" in context.problems[0].reason


def test_broken_json_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError, match=r"^gdelt_doc: invalid JSON from api.gdeltproject.org \(.* line 1 column \d+\); try again later"):
        crawl(make_context, Script(reply(file="gdelt_doc/broken.json")))


@pytest.mark.parametrize(("file", "line"), [
    ("gdelt_doc/rate_limit.txt", "Please limit requests to one every 5 seconds"),
    ("gdelt_doc/query_error.txt", "Your search contained a keyword that was too short or too common."),
    ("gdelt_doc/error_page.html", "503 Service Temporarily Unavailable"),
])
def test_text_or_html_error_bodies_end_the_source_with_their_first_line(make_context, file: str, line: str) -> None:
    with pytest.raises(SourceError) as caught:
        crawl(make_context, Script(reply(200, file=file, headers={"Content-Type": "text/html"})))
    message = str(caught.value)
    assert message.startswith("gdelt_doc: api.gdeltproject.org answered with an error instead of JSON:")
    assert line in message and "\n" not in message and "<" not in message


def _window(request: httpx.Request) -> tuple[dt.datetime, dt.datetime]:
    parse = lambda v: dt.datetime.strptime(v, gdelt_doc.STAMP).replace(tzinfo=dt.UTC)  # noqa: E731
    return parse(request.url.params["startdatetime"]), parse(request.url.params["enddatetime"])


def _records(n: int, tag: str) -> bytes:
    template = json.loads(payload("gdelt_doc/artlist.json"))["articles"][0]
    articles = [{**template, "url": f"https://www.example-news.com/{tag}/{i}", "title": f"Chip story {tag} {i}"} for i in range(n)]
    return json.dumps({"articles": articles}).encode()


def test_a_window_at_the_250_cap_is_split_in_halves(make_context) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        start, end = _window(request)
        count = 250 if end - start > dt.timedelta(hours=10) else 2
        return httpx.Response(200, content=_records(count, f"{start:%d%H%M}"), request=request)

    script = Script(handler)
    context = crawl(make_context, script)  # 36 hours -> 2 x 18 -> 4 x 9
    windows = [_window(r) for r in script.requests]
    assert len(windows) == 7
    leaves = sorted(w for w in windows if w[1] - w[0] == dt.timedelta(hours=9))
    assert len(leaves) == 4
    assert leaves[0][0] == windows[0][0] and leaves[-1][1] == windows[0][1]  # the halves tile the window
    assert all(a[1] == b[0] for a, b in itertools.pairwise(leaves))
    assert len(context.articles) == 8  # only the windows under the cap are kept
    assert context.problems == []


def test_splitting_stops_at_one_hour_windows_with_a_warning(make_context) -> None:
    script = Script(lambda request: httpx.Response(200, content=_records(250, "same"), request=request))
    context = crawl(make_context, script, since=NOW.date())  # 12 hours
    durations = [e - s for s, e in map(_window, script.requests)]
    assert min(durations) >= dt.timedelta(hours=1)
    assert len(script.requests) == 1 + 2 + 4 + 8  # 12 h, 6 h, 3 h, 1.5 h
    assert len(context.articles) == 250  # the same URLs collapse to one id each
    assert len(context.problems) == 8
    assert all("returned the 250-article cap" in p.reason and p.severity == "warning" for p in context.problems)
