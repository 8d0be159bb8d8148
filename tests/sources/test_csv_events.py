"""CSV of curated events: good rows load with their labels, bad rows are reported by line and field."""

from __future__ import annotations

import datetime as dt

import pytest
from payload_replay import Script, reply

from core.sources import csv_events
from core.sources.errors import SourceError
from core.sources.spec import SourceSpec

SPEC = SourceSpec(name="my events", kind="csv", url="https://example.org/events.csv")


def crawl(make_context, file: str):
    context = make_context(Script(reply(file=file, headers={"Content-Type": "text/csv"})), name=SPEC.name)
    csv_events.crawl(context, SPEC, dt.date(2030, 1, 1))  # `since` does not filter a curated list
    return context


def test_good_rows_load_with_curated_labels(make_context) -> None:
    context = crawl(make_context, "csv_events/events.csv")
    first, second = context.articles
    assert first.title == "US adds Chinese chip firms to Entity List"
    assert first.text.startswith("The Commerce Department added eleven Chinese entities")
    assert first.published == dt.date(2024, 4, 10)
    assert first.url.startswith("https://www.federalregister.gov/documents/2024/04/10/2024-07004/")
    assert first.source == "www.federalregister.gov"
    assert (first.curated.themes, first.curated.countries) == (("export_controls", "semiconductors"), ("US", "CN"))
    assert (second.curated.themes, second.curated.countries) == (("export_controls", "semiconductors"), ("JP", "NL", "EU"))
    assert second.text == "Tokyo and The Hague agreed to coordinate controls on chipmaking tools, officials said."


def test_bad_rows_are_reported_with_line_and_field(make_context) -> None:
    problems = [(p.line, p.severity, p.reason) for p in crawl(make_context, "csv_events/events.csv").problems]
    assert [line for line, _, _ in problems] == [3, 4, 5, 6, 7, 9]
    assert all(severity == "error" for _, severity, _ in problems)
    fields = [reason.split(":")[0] for _, _, reason in problems]
    assert fields == ["field `date`", "field `title`", "field `url`", "field `themes`", "field `countries`", "field `summary`"]
    assert problems[3][2] == "field `themes`: unknown ['chips']; expected theme ids such as ai, semiconductors"
    assert problems[4][2] == "field `countries`: unknown ['XX']; expected ISO 3166-1 alpha-2 codes or EU"
    assert "'javascript:alert(1)' is not an http(s) URL" in problems[2][2]


def test_a_wrong_header_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError) as caught:
        crawl(make_context, "csv_events/wrong_header.csv")
    assert str(caught.value) == ("my events: the CSV header lacks date, title, url, themes, countries "
                                 "(expected date,title,summary,url,themes,countries); fix the file's first line")


def test_extra_columns_are_dropped_with_a_warning(make_context) -> None:
    context = make_context(Script(reply()), name=SPEC.name)
    text = "date,title,summary,url,themes,countries,notes\n2024-04-10,T,S.,https://example.org/x,ai,US,private note\n"
    csv_events.read_rows(context, SPEC, text)
    assert len(context.articles) == 1
    assert [(p.line, p.severity) for p in context.problems] == [(1, "warning")]
    assert "notes" in context.problems[0].reason


def test_a_row_with_too_many_fields_is_an_error(make_context) -> None:
    context = make_context(Script(reply()), name=SPEC.name)
    csv_events.read_rows(context, SPEC, "date,title,summary,url,themes,countries\n2024-04-10,T,S,https://e.org/x,ai,US,extra\n")
    assert context.articles == []
    assert [(p.line, p.reason) for p in context.problems] == [(2, "more fields than columns in the header")]
