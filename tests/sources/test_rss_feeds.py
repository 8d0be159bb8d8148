"""RSS and Atom through feedparser: links, dates, summaries as text, Google News titles, broken feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from payload_replay import Script, reply

from core.sources import rss
from core.sources.errors import SourceError
from core.sources.spec import SourceSpec

FEED = SourceSpec(name="ministry", kind="rss", url="https://www.tech-ministry.example.gov/press/rss.xml")
GOOGLE = SourceSpec(name="google", kind="rss", url="https://news.google.com/rss/search?q=%22export+controls%22&hl=en-US&gl=US&ceid=US:en")


def crawl(make_context, spec: SourceSpec, file: str):
    script = Script(reply(file=file, headers={"Content-Type": "application/rss+xml"}))
    context = make_context(script, name=spec.name)
    rss.crawl(context, spec, None)
    return context


def test_entries_become_articles_with_text_summaries(make_context) -> None:
    context = crawl(make_context, FEED, "rss/feed.xml")
    first = context.articles[0]
    assert first.title == "Ministry announces new rules on AI chip exports"
    assert first.text == "The ministry tightened licensing for advanced AI chips. Rules take effect on 1 May."
    assert first.url == "https://www.tech-ministry.example.gov/press/2024/04/ai-chip-exports"
    assert first.published == dt.date(2024, 4, 10)
    assert first.source == "Ministry of Tech Policy: Press Releases"


def test_html_in_summaries_is_stripped_and_scripts_dropped(make_context) -> None:
    context = crawl(make_context, FEED, "rss/feed.xml")
    for article in context.articles:
        assert "<" not in article.text and "<" not in article.title
        assert "alert" not in article.text
    assert context.articles[1].text == "Officials signed a memorandum on rare earth supply chains & processing."


def test_non_http_links_are_dropped(make_context) -> None:
    context = crawl(make_context, FEED, "rss/feed.xml")
    assert all(a.url is None or a.url.startswith("https://") for a in context.articles)
    script_link = context.articles[1]
    assert script_link.title == "Statement on critical minerals partnership"
    assert script_link.url is None  # kept through its guid, without the javascript: link
    assert script_link.id == context.make_id("rss", FEED.url, "press-2024-0412")
    titles = [a.title for a in context.articles]
    assert "Item with a data link and no guid" not in titles
    reasons = [p.reason for p in context.problems]
    assert "entry 2: link 'javascript:alert(document.cookie)' is not http(s); dropped" in reasons
    assert "entry 3: no http(s) link ('data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==') and no id; skipped" in reasons
    assert len(reasons) == 3  # with the undated entry 4


def test_an_entry_without_a_date_is_kept_with_a_warning(make_context) -> None:
    context = crawl(make_context, FEED, "rss/feed.xml")
    undated = context.articles[-1]
    assert undated.title == "Consultation on quantum computing export controls" and undated.published is None
    assert "entry 4: no published or updated date; kept without a date" in [p.reason for p in context.problems]
    assert all(p.severity == "warning" for p in context.problems)


def test_google_news_titles_give_the_publisher_as_source(make_context) -> None:
    context = crawl(make_context, GOOGLE, "rss/google_news.xml")
    first, second = context.articles
    assert (first.title, first.source) == ("US widens chip export curbs to more Chinese firms", "Example Times")
    assert (second.title, second.source) == ("Netherlands - Japan - US: what the new ASML rules mean", "Chip Weekly")
    assert first.text == first.title  # Google's description only repeats the headline
    assert first.url.startswith("https://news.google.com/rss/articles/")


def test_split_publisher_leaves_plain_titles_alone() -> None:
    assert rss.split_publisher("Chips - and more - Daily") == ("Chips - and more", "Daily")
    assert rss.split_publisher("No publisher here") == ("No publisher here", "")


def test_atom_feeds_use_updated_dates_and_html_summaries(make_context) -> None:
    spec = SourceSpec(name="standards", kind="rss", url="https://standards.example.org/news.atom")
    [article] = crawl(make_context, spec, "rss/atom.xml").articles
    assert article.published == dt.date(2024, 4, 8)
    assert article.text == "Three post-quantum algorithms are now standards."
    assert article.source == "Standards Agency News"


def test_a_malformed_feed_with_entries_is_read_with_a_warning(make_context) -> None:
    context = crawl(make_context, FEED, "rss/malformed.xml")
    [article] = context.articles
    assert article.url == "https://trade.example.gov/releases/ev-battery-tariff-review"
    [problem] = context.problems
    assert problem.severity == "warning" and problem.reason.startswith("the feed is malformed")


def test_a_malformed_feed_without_entries_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError, match=r"^ministry: www.tech-ministry.example.gov did not send a readable RSS or Atom feed"):
        crawl(make_context, FEED, "rss/truncated.xml")


def test_an_html_page_with_status_200_ends_the_source(make_context) -> None:
    with pytest.raises(SourceError, match=r"did not send an RSS or Atom feed \('Page moved'\); check the feed URL"):
        crawl(make_context, FEED, "rss/not_a_feed.html")


def test_a_body_that_looks_like_a_path_is_never_opened(make_context) -> None:
    script = Script(reply(body="/etc/hostname"))
    with pytest.raises(SourceError, match="did not send a readable RSS or Atom feed"):
        rss.crawl(make_context(script, name=FEED.name), FEED, None)
