"""RSS and Atom feeds through feedparser, fetched with the context's client (never feedparser's own HTTP).

Per entry: title, link (http(s) only), id (the article id when there is no usable link),
published or updated date, and summary as plain text. The source name is the feed's title;
Google News titles end with " - Publisher", which becomes the source name instead. `tags`,
`author` and enclosures are dropped on purpose (the tagger finds themes in the text).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import feedparser
import httpx

from core.errors import one_line
from core.ingest.records import EARLIEST, LATEST, cut_note, make_article, safe_url
from core.sources.context import FetchContext
from core.sources.markup import strip_tags
from core.sources.payload import first_line
from core.sources.spec import SourceSpec, required_url

GOOGLE_NEWS_HOST = "news.google.com"
MAX_ENTRIES = 2_000  # a feed holds its latest items; more than this is not a news feed


def crawl(context: FetchContext, source: SourceSpec, since: dt.date | None) -> None:
    """Emit the feed's entries (a feed holds only its latest items, so `since` is not needed)."""
    url = required_url(source)
    response = context.get(url)
    feed = read_feed(context, source, response)
    publisher = strip_tags(feed.feed.get("title", "")) or source.name
    google = httpx.URL(url).host == GOOGLE_NEWS_HOST
    if len(feed.entries) > MAX_ENTRIES:
        context.warn(source.name, f"the feed has {len(feed.entries):,} entries; read the first {MAX_ENTRIES:,}")
    for n, entry in enumerate(feed.entries[:MAX_ENTRIES], start=1):
        emit_entry(context, source, entry, n, publisher, google)


def read_feed(context: FetchContext, source: SourceSpec, response: httpx.Response) -> Any:
    """The parsed feed; a body that is no feed at all ends the source, a malformed one with entries warns."""
    feed = feedparser.parse(io.BytesIO(response.content))  # a stream: feedparser never opens paths or URLs
    host = response.url.host
    if feed.get("bozo"):
        reason = one_line(str(feed.get("bozo_exception") or "malformed feed"), 160)
        if not feed.entries:
            raise context.fail(f"{host} did not send a readable RSS or Atom feed ({reason}; it starts "
                               f"{first_line(response.text, 80)!r})", "check the feed URL")
        context.warn(source.name, f"the feed is malformed ({reason}); read {len(feed.entries)} entries anyway")
    elif not feed.entries and not feed.get("version"):
        raise context.fail(f"{host} did not send an RSS or Atom feed ({first_line(response.text)!r})", "check the feed URL")
    return feed


def emit_entry(context: FetchContext, source: SourceSpec, entry: Any, n: int, publisher: str, google: bool) -> None:
    """One entry as an article, or a warning naming the entry and the field."""
    title = strip_tags(entry.get("title", ""))
    if google:
        title, named = split_publisher(title)
        publisher = strip_tags(entry.get("source", {}).get("title", "")) or named or publisher
    summary = "" if google else strip_tags(entry.get("summary", ""))  # Google's summary repeats the headline
    if not title and not summary:
        return context.warn(source.name, f"entry {n}: no title and no summary; skipped")
    url, article_id = entry_link(context, source, entry, n)
    if url is None and article_id is None:
        link = str(entry.get("link") or "")[:80]
        return context.warn(source.name, f"entry {n}: no http(s) link ({link!r}) and no id; skipped")
    published = entry_date(entry)
    if published is not None and not EARLIEST <= published <= LATEST:
        return context.warn(source.name, f"entry {n}: date {published} is outside 1900-2100; skipped")
    if published is None:
        context.warn(source.name, f"entry {n}: no published or updated date; kept without a date")
    if note := cut_note(summary or title):
        context.warn(source.name, f"entry {n}: {note}")
    context.emit(make_article(summary or title, published, title=title, url=url, source=publisher, id=article_id))
    return None


def entry_link(context: FetchContext, source: SourceSpec, entry: Any, n: int) -> tuple[str | None, str | None]:
    """(url, None) for an http(s) link; else (None, an id from the entry's id) or, with neither, (None, None)."""
    link = entry.get("link")
    url = safe_url(link)
    if url is not None:
        return url, None
    entry_id = entry.get("id")
    if not entry_id:
        return None, None
    if link:
        context.warn(source.name, f"entry {n}: link {str(link)[:80]!r} is not http(s); dropped")
    return None, context.make_id("rss", source.url, entry_id)


def entry_date(entry: Any) -> dt.date | None:
    """The entry's published (else updated) day, in UTC as feedparser gives it."""
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def split_publisher(title: str) -> tuple[str, str]:
    """("Headline", "Publisher") from a Google News title "Headline - Publisher"; (title, "") otherwise."""
    head, sep, tail = title.rpartition(" - ")
    if sep and head.strip() and tail.strip():
        return head.strip(), tail.strip()
    return title, ""
