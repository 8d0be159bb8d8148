"""The sidebar's feed and data links, followed in a real browser against the app's own server."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import feedparser
import pytest

from core.queries import Filters, events_page

from .conftest import wait_idle

pytestmark = pytest.mark.browser


def test_the_sidebars_feed_link_serves_the_views_feed(server: str, page, browser_store_path: Path) -> None:
    page.goto(f"{server}/events?country=JP")
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    feed = sidebar.get_by_role("link", name="Feed")
    href = feed.get_attribute("href")
    assert href is not None
    assert urlparse(href).path == "/feed.atom" and parse_qs(urlparse(href).query) == {"country": ["JP"]}
    assert href in sidebar.inner_text().replace("\n", "")  # the same address, copyable
    response = page.goto(href)
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.body())
    assert not parsed.bozo
    newest = [str(i) for i in events_page(browser_store_path, Filters(countries=("JP",)), limit=50)["id"]]
    assert newest
    assert [e.id.rsplit("/", 1)[-1] for e in parsed.entries] == newest
    assert parsed.entries[0].link.startswith(f"{server}/events?event=")


def test_the_sidebars_json_link_lists_the_views_rows(server: str, page, browser_store_path: Path) -> None:
    page.goto(f"{server}/events?theme=ai")
    wait_idle(page)
    href = page.get_by_test_id("stSidebar").get_by_role("link", name="JSON").get_attribute("href")
    assert href is not None
    body = page.request.get(href).json()
    assert [e["id"] for e in body["events"]] == [str(i) for i in events_page(browser_store_path, Filters(themes=("ai",)))["id"]]
