"""GDELT 2.0 event exports: 61 text columns, FIPS and CAMEO codes to ISO, QuadClass to relations, duplicates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from payload_replay import Router, Script, payload, reply

from core.sources import gdelt_events
from core.sources.countrycodes import cameo_to_iso, fips_table, fips_to_iso
from core.sources.errors import SourceError
from core.sources.spec import SourceSpec
from core.taxonomy import is_country_code

EXPORT = "gdelt_events/20240410120000.export.CSV"
SPEC = SourceSpec(name="gdelt_events", kind="gdelt_events", url="http://data.gdeltproject.org/gdeltv2/20240410120000.export.CSV")
US_CN = "https://www.example-news.com/2024/04/10/us-sanctions-chinese-chipmakers"


def crawl(make_context, handler, spec: SourceSpec = SPEC):
    context = make_context(handler, name=spec.name)
    gdelt_events.crawl(context, spec, None)
    return context


def by_url(context) -> dict:
    return {a.url: a for a in context.articles}


def test_the_export_has_61_columns() -> None:
    assert len(gdelt_events.COLUMNS) == 61
    assert gdelt_events.COLUMNS[:2] == ("GLOBALEVENTID", "SQLDATE") and gdelt_events.COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert gdelt_events.COLUMNS.index("QuadClass") == 29 and gdelt_events.COLUMNS.index("ActionGeo_CountryCode") == 53


def test_rows_become_articles_with_countries_and_relations(make_context) -> None:
    article = by_url(crawl(make_context, Script(reply(file=EXPORT))))[US_CN]
    assert article.title == "United States coerces China"
    assert article.text == "United States coerces China in United States. CAMEO event 172: Coerce (material conflict)."
    assert article.published == dt.date(2024, 4, 10)
    assert article.source == "www.example-news.com"
    assert article.curated is not None
    assert article.curated.countries == ("US", "CN")
    assert article.curated.relations == (("US", "CN", "restriction"),)
    assert article.curated.themes == ()


def test_fips_geo_codes_are_converted_so_as_is_australia(make_context) -> None:
    article = by_url(crawl(make_context, Script(reply(file=EXPORT))))[
        "https://www.sydney-example.com.au/politics/australia-japan-minerals-pact"]
    assert article.curated.countries == ("AU", "JP")  # not American Samoa
    assert article.curated.relations == (("AU", "JP", "cooperation"),)
    assert article.title == "Government engages in diplomatic cooperation with Minister"


def test_cameo_region_codes_fall_back_to_the_actors_place(make_context) -> None:
    article = by_url(crawl(make_context, Script(reply(file=EXPORT))))[
        "https://www.joburg-example.co.za/news/minister-criticises-russia-deal"]
    assert article.curated.countries == ("ZA", "RU")
    assert article.curated.relations == (("ZA", "RU", "restriction"),)


def test_duplicates_collapse_and_bad_rows_are_skipped_with_warnings(make_context) -> None:
    context = crawl(make_context, Script(reply(file=EXPORT)))
    assert len(context.articles) == 4  # seven rows: one duplicate, one short row, one without a URL
    assert len({a.id for a in context.articles}) == 4
    assert [a.url for a in context.articles].count(US_CN) == 1
    problems = [(p.line, p.severity, p.reason) for p in context.problems]
    assert problems == [
        (5, "warning", "expected 61 tab-separated columns, got 60; skipped"),
        (6, "warning", "SOURCEURL 'BBC Monitoring' is not http(s); skipped"),
    ]


def test_zipped_exports_are_opened(make_context) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("20240410120000.export.CSV", payload(EXPORT))
    spec = SPEC.model_copy(update={"url": SPEC.url + ".zip"})
    context = crawl(make_context, Script(reply(body=buffer.getvalue())), spec)
    assert len(context.articles) == 4


def test_lastupdate_names_the_latest_export(make_context) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("20240410120000.export.CSV", payload(EXPORT))
    router = Router({"data.gdeltproject.org/lastupdate.txt": reply(file="gdelt_events/lastupdate.txt"),
                     "data.gdeltproject.org/20240410120000.export.CSV.zip": reply(body=buffer.getvalue())})
    spec = SPEC.model_copy(update={"url": "http://data.gdeltproject.org/gdeltv2/lastupdate.txt"})
    context = crawl(make_context, router, spec)
    assert [r.url.path for r in router.requests] == ["/gdeltv2/lastupdate.txt", "/gdeltv2/20240410120000.export.CSV.zip"]
    assert len(context.articles) == 4


def test_a_broken_zip_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError, match="broken zip"):
        crawl(make_context, Script(reply(body=b"PK\x03\x04 not really a zip")))


def test_an_html_page_is_not_an_export(make_context) -> None:
    with pytest.raises(SourceError, match=r"did not send a GDELT 2.0 event export .*'Page moved'"):
        crawl(make_context, Script(reply(file="rss/not_a_feed.html")))


@pytest.mark.parametrize(("fips", "iso"), [
    ("AS", "AU"), ("UP", "UA"), ("RP", "PH"), ("SF", "ZA"), ("JA", "JP"), ("CH", "CN"), ("GM", "DE"), ("UK", "GB"),
    ("KS", "KR"), ("KN", "KP"), ("TW", "TW"), ("IN", "IN"), ("RS", "RU"), ("US", "US"), ("FR", "FR"), ("NL", "NL"),
    ("EI", "IE"), ("SZ", "CH"), ("SW", "SE"), ("AQ", "AS"), ("KV", "XK"), ("ES", "SV"), ("SP", "ES"), ("ri", "RS"),
])
def test_fips_to_iso(fips: str, iso: str) -> None:
    assert fips_to_iso(fips) == iso


def test_unknown_fips_codes_give_none() -> None:
    assert fips_to_iso("") is None
    assert fips_to_iso("ZZ") is None


def test_the_fips_table_maps_only_to_country_codes() -> None:
    table = fips_table()
    assert len(table) > 230
    assert all(is_country_code(iso) for iso in table.values())


@pytest.mark.parametrize(("cameo", "iso"), [
    ("USA", "US"), ("CHN", "CN"), ("JPN", "JP"), ("RUS", "RU"), ("GBR", "GB"), ("DEU", "DE"), ("twn", "TW"),
    ("AFR", None), ("EUR", None), ("", None), ("US", None), ("GOV", None),
])
def test_cameo_to_iso(cameo: str, iso: str | None) -> None:
    assert cameo_to_iso(cameo) == iso


@pytest.mark.parametrize(("quad", "relation"), [("1", "cooperation"), ("2", "cooperation"), ("3", "restriction"), ("4", "restriction")])
def test_quadclass_gives_the_relation_type(quad: str, relation: str) -> None:
    row = dict.fromkeys(gdelt_events.COLUMNS, "")
    row.update(Actor1CountryCode="JPN", Actor2CountryCode="KOR", QuadClass=quad)
    assert gdelt_events.event_labels(row).relations == (("JP", "KR", relation),)


def test_an_unknown_quadclass_keeps_no_relation(make_context) -> None:
    row = payload(EXPORT).decode().splitlines()[0].split("\t")
    row[gdelt_events.COLUMNS.index("QuadClass")] = "9"
    context = make_context(Script(reply()))
    gdelt_events.emit_row(context, SPEC, row, 1)
    assert context.articles[0].curated.relations == ()
    assert context.problems[0].reason == "QuadClass '9' is not 1-4; no relation kept"
