"""The analyst's questions in a real browser: names in the selectors, who acts on whom, clicks that
filter or open a list, notices for what a link could not use, and a table that fits the screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from playwright.sync_api import Page, expect

from core.queries import Filters, events_page

from .conftest import READY_TIMEOUT, wait_idle

pytestmark = pytest.mark.browser


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def wait_params(page: Page, key: str, values: list[str]) -> None:
    page.wait_for_function(
        "([k, v]) => JSON.stringify(new URL(location.href).searchParams.getAll(k).sort()) === JSON.stringify(v)",
        arg=[key, sorted(values)], timeout=READY_TIMEOUT)


def test_a_bar_click_filters_by_its_theme(server: str, page: Page, browser_store_path: Path) -> None:
    page.goto(server)
    wait_idle(page)
    timeline = page.locator(".js-plotly-plot").first
    timeline.locator(".barlayer .trace").first.wait_for()
    themes = timeline.evaluate("el => el.data.map(t => t.customdata[0][0])")
    bar = timeline.locator(".barlayer .trace").nth(themes.index("telecom")).locator(".point path").first
    timeline.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.up()
    wait_params(page, "theme", ["telecom"])


def sidebar_chips(page: Page, label: str):
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True))
    return box.locator(".react-aria-ComboBox [data-tag] span[title]")


def type_into(page: Page, label: str, text: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name=label)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_typing_names_into_the_selectors_keeps_ids_in_the_url(server: str, page: Page) -> None:
    page.goto(f"{server}/events")
    wait_idle(page)
    type_into(page, "Countries", "China")
    wait_params(page, "country", ["CN"])
    type_into(page, "Countries", "Japan")
    wait_params(page, "country", ["CN", "JP"])
    expect(sidebar_chips(page, "Countries")).to_have_text(["China (CN)", "Japan (JP)"])
    type_into(page, "Themes", "chips")  # a word for a theme, not its label
    wait_params(page, "theme", ["semiconductors"])
    expect(sidebar_chips(page, "Themes")).to_have_text(["Semiconductors"])

    page.goto(f"{server}/country")
    wait_idle(page)
    box = page.get_by_role("combobox", name="Country")
    box.click()
    box.fill("Japon")  # another language's name
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('profile') === 'JP'", timeout=READY_TIMEOUT)
    expect(page.get_by_role("heading", name="Japan", exact=True)).to_be_visible()


def test_an_alias_or_demonym_finds_its_country(server: str, page: Page) -> None:
    page.goto(f"{server}/events")
    wait_idle(page)
    type_into(page, "Countries", "Chinese")
    wait_params(page, "country", ["CN"])
    type_into(page, "Countries", "Atlantis")
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Nothing known as 'Atlantis'; left out.")
    assert params(page.url)["country"] == ["CN"]


def grid_text(page: Page) -> str:
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    grid.wait_for()
    return grid.text_content() or ""


def test_us_restrictions_on_china_in_2023_list_exactly_the_stores_rows(server: str, page: Page,
                                                                        browser_store_path: Path) -> None:
    page.goto(f"{server}/events?actor=US&target=CN&rel=restriction&dates=2023-01-01&dates=2023-12-31")
    wait_idle(page)
    f = Filters(actors=("US",), targets=("CN",), rels=("restriction",), start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    want = list(events_page(browser_store_path, f)["title"])
    others = [t for t in events_page(browser_store_path, Filters())["title"] if t not in want]
    assert want and others
    expect(page.get_by_text(f"{len(want)} event{'s' if len(want) != 1 else ''}", exact=True)).to_be_visible()
    for title in want:
        expect(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first).to_contain_text(title[:40])
    text = grid_text(page)
    assert not [t for t in others if t[:40] in text]
    assert page.get_by_test_id("stSidebar").get_by_role("combobox", name="Actor").count() == 1
    expect(sidebar_chips(page, "Actor")).to_have_text(["United States (US)"])


def test_an_edge_click_opens_its_events(server: str, page: Page) -> None:
    page.goto(f"{server}/relations")
    wait_idle(page)
    network = page.locator(".js-plotly-plot").first
    network.locator(".scatterlayer .trace").first.wait_for()
    edges = network.evaluate("el => el.data.map((t, i) => [i, (t.customdata || [])])"
                             ".filter(([i, c]) => c.length && c[0].length === 3)")
    assert edges, "the network has edge handles"
    index, handles = edges[0]
    at = [h for h in handles].index(["US", "CN", "restriction"])
    point = network.locator(".scatterlayer .trace").nth(index).locator(".point").nth(at)
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(network.locator(".hoverlayer .hovertext")).to_contain_text("United States → China: restriction")
    page.mouse.down()
    page.mouse.up()
    page.wait_for_function("() => location.pathname.endsWith('/events') "
                           "&& new URL(location.href).searchParams.get('rel') === 'restriction'", timeout=READY_TIMEOUT)
    assert {k: v for k, v in params(page.url).items() if k in ("actor", "target", "rel")} == \
        {"actor": ["US"], "target": ["CN"], "rel": ["restriction"]}
    wait_idle(page)
    expect(page.get_by_text("1 event", exact=True)).to_be_visible()


def test_values_a_link_cannot_use_are_named(server: str, page: Page) -> None:
    page.goto(f"{server}/events?country=XX&theme=foo")
    wait_idle(page)
    alert = page.get_by_test_id("stAlert").filter(has_text="could not be used")
    expect(alert).to_contain_text("country='XX'")
    expect(alert).to_contain_text("theme='foo'")
    page.goto(f"{server}/country?profile=ZZ")
    wait_idle(page)
    expect(page.get_by_test_id("stAlert").filter(has_text="could not be used")).to_contain_text("profile='ZZ'")


def test_an_empty_state_keeps_the_share_link_and_clear_filters(server: str, page: Page) -> None:
    page.goto(f"{server}/relations?q=nothing-matches-this")
    wait_idle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("No relation between countries")
    sidebar = page.get_by_test_id("stSidebar")
    link = sidebar.get_by_test_id("stCode").first.inner_text().replace("\n", "")
    assert urlparse(link).path == "/relations" and params(link) == {"q": ["nothing-matches-this"]}
    sidebar.get_by_role("button", name="Clear filters").click()
    page.wait_for_function("() => !new URL(location.href).searchParams.has('q')", timeout=READY_TIMEOUT)


def test_the_overview_leads_with_the_newest_event_and_what_rose(server: str, page: Page, browser_store_path: Path) -> None:
    page.goto(server)
    wait_idle(page)
    main = page.get_by_test_id("stMain")
    newest = events_page(browser_store_path, Filters(end=dt.date.today()), 1).iloc[0]
    link = main.get_by_role("link", name=str(newest["title"])[:20]).first
    expect(link).to_be_visible()
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for()
    assert link.bounding_box()["y"] < chart.bounding_box()["y"]  # above the charts
    rising = main.locator("a", has_text="up from").first
    expect(rising).to_be_visible()
    assert rising.bounding_box()["y"] < chart.bounding_box()["y"]
    # Each opens its view (in a new tab, as links in the page text do): the filtered view, the event.
    for href, check in ((rising.get_attribute("href"), "rise"), (link.get_attribute("href"), "event")):
        assert href
        page.goto(urljoin(f"{server}/", href))
        wait_idle(page)
        if check == "event":
            assert params(page.url) == {"event": [str(newest["id"])]}
            expect(page.get_by_role("heading", name=str(newest["title"])[:20])).to_be_visible()
        else:
            got = params(page.url)
            assert got and set(got) <= {"theme", "country", "actor", "target", "rel"}
            expect(page.get_by_test_id("stAlert").filter(has_text="could not be used")).to_have_count(0)


def test_the_events_table_fits_a_1440_screen(seeded_server: str, browser) -> None:
    """At 1440 x 900 the Events table shows its six columns without horizontal scrolling, and at
    least 15 rows before it scrolls."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(READY_TIMEOUT)
    try:
        page.goto(f"{seeded_server}/events")
        wait_idle(page)
        grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
        grid.wait_for()
        frame = grid.bounding_box()
        assert frame is not None and frame["x"] + frame["width"] <= 1440
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame] "
                               "[role=columnheader]').length >= 6", timeout=READY_TIMEOUT)
        headers = grid.evaluate("el => Array.from(el.querySelectorAll('[role=columnheader]')).map(h => h.textContent)")
        assert {"Date", "Title", "Themes", "Countries", "Organizations", "Sources"} <= set(headers)
        scroller = grid.locator(".dvn-scroller").first
        width, visible = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert width <= visible + 1, (width, visible)  # no horizontal scrolling
        assert frame["height"] >= 36 * 16  # a header and at least 15 rows of 36 px
    finally:
        context.close()
