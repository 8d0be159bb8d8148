"""GDELT DOC 2.0 API, article lists: headlines matching a query, seen in a time window.

Each record becomes a titles-only article: text and title are the headline, published is
`seendate`, the source is the publisher's domain. `language` and `sourcecountry` are dropped
on purpose: the country is where the publisher sits, not what the article is about, and
must never become a country tag. `socialimage` and `url_mobile` are dropped too.

The API returns at most 250 articles per call, so a window that hits the cap is split in
halves, recursively, down to windows of one hour.
"""

from __future__ import annotations

import datetime as dt

import httpx

from core.ingest.records import check_date, make_article, safe_url
from core.sources.context import FetchContext
from core.sources.payload import decode_json
from core.sources.spec import SourceSpec

API_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250
MIN_WINDOW = dt.timedelta(hours=1)
DEFAULT_LOOKBACK = dt.timedelta(days=1)
STAMP = "%Y%m%d%H%M%S"
SEENDATE = "%Y%m%dT%H%M%SZ"


def crawl(context: FetchContext, source: SourceSpec, since: dt.date | None) -> None:
    """Emit every article GDELT lists for the source's query from `since` (else the last day) until now."""
    end = context.now().astimezone(dt.UTC).replace(microsecond=0)
    start = dt.datetime.combine(since, dt.time.min, dt.UTC) if since else end - DEFAULT_LOOKBACK
    if start >= end:
        return
    crawl_window(context, source, start, end)


def crawl_window(context: FetchContext, source: SourceSpec, start: dt.datetime, end: dt.datetime) -> None:
    """Emit one window's articles, or split it in halves when it returns the 250-article cap."""
    records = fetch_window(context, source, start, end)
    if len(records) >= MAX_RECORDS:
        if end - start >= 2 * MIN_WINDOW:
            middle = start + (end - start) // 2
            crawl_window(context, source, start, middle)
            crawl_window(context, source, middle, end)
            return
        context.warn(source.name, f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} UTC returned the {MAX_RECORDS}-article cap "
                                  "even at the smallest window; some articles may be missing")
    for n, record in enumerate(records, start=1):
        emit_record(context, source, record, n)


def fetch_window(context: FetchContext, source: SourceSpec, start: dt.datetime, end: dt.datetime) -> list[object]:
    """The article records of one API call (an empty result `{}` gives none)."""
    params: dict[str, str | int] = {
        "query": source.query or "", "mode": "artlist", "format": "json", "maxrecords": MAX_RECORDS,
        "startdatetime": start.strftime(STAMP), "enddatetime": end.strftime(STAMP), "sort": "datedesc",
    }
    data = decode_json(context, context.get(API_URL, params=params))
    if not isinstance(data, dict):
        raise context.fail("GDELT answered with JSON that is not an object", "report it if it persists")
    records = data.get("articles", [])
    if not isinstance(records, list):
        raise context.fail("GDELT's `articles` is not a list", "report it if it persists")
    return records


def emit_record(context: FetchContext, source: SourceSpec, record: object, n: int) -> None:
    """One article record as an article, or a warning naming the record and the field."""
    if not isinstance(record, dict):
        return context.warn(source.name, f"record {n}: not an object; skipped")
    title = record.get("title")
    url = safe_url(record.get("url"))
    if not isinstance(title, str) or not title.strip():
        return context.warn(source.name, f"record {n}: field `title` missing; skipped")
    if url is None:
        return context.warn(source.name, f"record {n}: field `url` missing or not http(s) ({str(record.get('url'))[:80]!r}); skipped")
    try:
        seen = check_date(dt.datetime.strptime(str(record.get("seendate", "")), SEENDATE).date())
    except ValueError:
        return context.warn(source.name, f"record {n}: field `seendate` {record.get('seendate')!r} is not like 20240410T123000Z; skipped")
    domain = record.get("domain")
    publisher = domain if isinstance(domain, str) and domain.strip() else httpx.URL(url).host
    context.emit(make_article(title, seen, title=title, url=url, source=publisher))
    return None
