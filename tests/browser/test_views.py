"""Views in a real browser: deep links to every page, page links keeping the filters,
chart and table selections that filter, and exports that hold exactly the filtered events."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fixtures import fixture_articles
from playwright.sync_api import Page, expect

from core import export, queries
from core.queries import Filters

from .conftest import box_tool, wait_idle

pytestmark = pytest.mark.browser

TIMEOUT = 60_000  # an upper bound on waits for readiness signals, not a delay: a loaded machine needs room
TOKYO = "OpenAI opens its first Asian office in Tokyo"
BIS = "Commerce tightens export controls on advanced chips to China"
GALLIUM = "China to control exports of gallium and germanium"
BLETCHLEY = "Leaders sign declaration on frontier AI safety at Bletchley Park"


def article_id(title: str) -> str:
    return next(a.id for a in fixture_articles() if a.title == title)


# ---------------------------------------------------------------- helpers


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query, keep_blank_values=True)


def open_view(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def expect_params(page: Page, want: dict[str, list[str]], path: str | None = None) -> None:
    """Wait until the URL holds exactly these parameters (in any order of keys), on this path."""
    page.wait_for_function(
        """([want, path]) => {
            const u = new URL(location.href);
            if (path !== null && u.pathname !== path) return false;
            const got = {};
            for (const [k, v] of u.searchParams) (got[k] = got[k] || []).push(v);
            const keys = Object.keys(want);
            return keys.length === Object.keys(got).length
                && keys.every(k => JSON.stringify(got[k]) === JSON.stringify(want[k]));
        }""",
        arg=[want, path], timeout=TIMEOUT,
    )


def sidebar_tags(page: Page, label: str):
    """The chosen values shown in a sidebar multiselect (Themes, Countries, Organizations)."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True))
    return box.locator(".react-aria-ComboBox [data-tag] span[title]")


def expect_sidebar(page: Page, themes: list[str] = (), countries: list[str] = (), orgs: list[str] = (),
                   q: str = "") -> None:
    """The sidebar shows the chosen ids by name ("Artificial intelligence", "Japan (JP)")."""
    from dashboard.filters import country_option, theme_label

    for label, values in (("Themes", [theme_label(t) for t in themes]), ("Countries", [country_option(c) for c in countries]),
                          ("Organizations", list(orgs))):
        expect(sidebar_tags(page, label)).to_have_text(values, timeout=TIMEOUT)
    expect(page.get_by_label("Search titles and text")).to_have_value(q)


def same_page(a: str, b: str) -> bool:
    """Paths of one page: the default page answers at / and at /overview."""
    return {a, b} <= {"/", "/overview"} or a == b


def expect_share_link(page: Page) -> None:
    """The sidebar's "Link to this view" opens this view: same page, same parameters."""
    link = page.get_by_test_id("stSidebar").get_by_test_id("stCode").first
    expect(link).to_contain_text("?")
    text = link.inner_text().replace("\n", "").strip()
    assert same_page(urlparse(text).path, urlparse(page.url).path), (text, page.url)
    assert params(text) == params(page.url)


def grid(page: Page, nth: int = 0):
    if nth == -1:
        return page.get_by_test_id("stMain").get_by_test_id("stDataFrame").last
    return page.get_by_test_id("stMain").get_by_test_id("stDataFrame").nth(nth)


def expect_grid(page: Page, has: list[str], has_not: list[str] = (), nth: int = 0) -> None:
    """The grid draws on a canvas; its accessible table holds the cell text once drawn."""
    g = grid(page, nth)
    for text in has:
        expect(g).to_contain_text(text, timeout=TIMEOUT)
    for text in has_not:
        expect(g).not_to_contain_text(text)


def metric(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)) \
        .get_by_test_id("stMetricValue")


def nav(page: Page, title: str) -> None:
    page.get_by_test_id("stTopNavLink").filter(has_text=title).click()
    expect(page.get_by_test_id("stTopNavLink").filter(has_text=title)).to_have_attribute("aria-current", "page")
    wait_idle(page)


def store_titles(store: Path, f: Filters) -> list[str]:
    return list(queries.events_page(store, f, 1000, 0)["title"])


def all_titles(store: Path) -> list[str]:
    return store_titles(store, Filters())


# ---------------------------------------------------------------- deep links, one per page


def check_overview(page: Page, store: Path) -> None:
    expect(page.get_by_role("heading", name="GeoTech Radar")).to_be_visible()
    expect(metric(page, "Events")).to_have_text(str(queries.count(store, Filters(themes=("ai",), countries=("US",)))))
    timeline = page.locator(".js-plotly-plot").first
    expect(timeline.locator(".legendtext")).to_have_text(["Artificial intelligence", "Semiconductors"], timeout=TIMEOUT)


def check_events(page: Page, store: Path) -> None:
    expect(page.get_by_text("1 event", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Sort by")).to_have_value("oldest")
    expect_grid(page, [TOKYO], [BIS, GALLIUM, BLETCHLEY])
    # the selected event from the URL is open below the table
    expect(page.get_by_role("heading", name=TOKYO)).to_be_visible()
    expect(page.get_by_text("Related events")).to_be_visible()


def check_events_dates(page: Page, store: Path) -> None:
    expect(page.get_by_text("2 events", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Sort by")).to_have_value("title")
    dates = page.get_by_test_id("stSidebar").get_by_test_id("stDateInput").locator("input")
    expect(dates.first).to_have_value("2023-10-01")
    expect(dates.last).to_have_value("2023-12-31")
    expect_grid(page, [BIS, BLETCHLEY], [TOKYO, GALLIUM])
    expect(page.get_by_role("heading", name=BLETCHLEY)).to_be_visible()


def check_relations(page: Page, store: Path) -> None:
    expect(page.get_by_role("heading", name="Relations", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Pair")).to_have_value("United Kingdom – United States (1 events)")
    expect(page.get_by_text("United Kingdom ↔ United States: cooperation, 1 events")).to_be_visible()
    expect(page.locator(".js-plotly-plot").nth(1).locator(".gtitle")).to_have_text(
        "United Kingdom – United States: events by theme", timeout=TIMEOUT)
    expect_grid(page, ["United Kingdom", "European Union", "cooperation"], ["restriction"])


def check_country(page: Page, store: Path) -> None:
    expect(page.get_by_role("combobox", name="Country")).to_have_value("China (CN)")
    expect(page.get_by_role("heading", name="China", exact=True)).to_be_visible()
    expect(metric(page, "Events")).to_have_text("1")
    expect_grid(page, [GALLIUM], [BIS, TOKYO], nth=-1)  # the latest events, the last table


def check_map(page: Page, store: Path) -> None:
    expect(page.get_by_role("heading", name="Map", exact=True)).to_be_visible()
    expect_grid(page, ["Japan", "United States"], ["China", "Sweden"])


def check_upcoming(page: Page, store: Path) -> None:
    expect(page.get_by_role("switch", name="Also past scheduled events")).to_be_checked()
    expect_grid(page, [GALLIUM], [TOKYO])
    expect(page.locator(".js-plotly-plot")).to_have_count(1)


def check_health(page: Page, store: Path) -> None:
    expect(page.get_by_role("heading", name="Data health")).to_be_visible()
    expect(page.get_by_role("heading", name="Live sources")).to_be_visible()


DEEP_LINKS: list[tuple[str, str, dict[str, list[str]], dict[str, Any], Callable[[Page, Path], None]]] = [
    # id, path, URL parameters, sidebar state, page check
    ("overview", "/overview", {"theme": ["ai"], "country": ["US"]}, {"themes": ["ai"], "countries": ["US"]},
     check_overview),
    ("events", "/events", {"theme": ["ai"], "country": ["JP"], "q": ["Tokyo"], "sort": ["oldest"],
                           "event": [article_id(TOKYO)]},
     {"themes": ["ai"], "countries": ["JP"], "q": "Tokyo"}, check_events),
    ("events-dates", "/events", {"dates": ["2023-10-01", "2023-12-31"], "sort": ["title"],
                                 "event": [article_id(BLETCHLEY)]}, {}, check_events_dates),
    # pair=GB-US is not the first pair under theme=ai (CN-EU is): a bound widget's default value leaves the URL
    ("relations", "/relations", {"theme": ["ai"], "pair": ["GB-US"]}, {"themes": ["ai"]}, check_relations),
    ("country", "/country", {"profile": ["CN"], "theme": ["critical_minerals"]}, {"themes": ["critical_minerals"]},
     check_country),
    ("map", "/map", {"org": ["Nvidia"]}, {"orgs": ["Nvidia"]}, check_map),
    ("upcoming", "/upcoming", {"past": ["true"], "theme": ["critical_minerals"]}, {"themes": ["critical_minerals"]},
     check_upcoming),
    ("health", "/health", {"theme": ["ai"], "country": ["US"], "q": ["chips"]},
     {"themes": ["ai"], "countries": ["US"], "q": "chips"}, check_health),
]


@pytest.mark.parametrize(("path", "query", "sidebar", "check"), [d[1:] for d in DEEP_LINKS], ids=[d[0] for d in DEEP_LINKS])
def test_deep_link_reproduces_the_view(server: str, page: Page, browser_store_path: Path, path: str,
                                       query: dict[str, list[str]], sidebar: dict[str, Any],
                                       check: Callable[[Page, Path], None]) -> None:
    from urllib.parse import urlencode

    open_view(page, f"{server}{path}?{urlencode(query, doseq=True)}")
    expect_sidebar(page, **sidebar)
    check(page, browser_store_path)
    # the URL still holds every parameter after the page loaded (the default page is served at /)
    expect_params(page, query, "/" if path == "/overview" else path)
    expect_share_link(page)
    current = page.get_by_test_id("stTopNavLink").and_(page.locator("[aria-current=page]"))
    expect(current).to_have_count(1)


# ---------------------------------------------------------------- page links keep the filters


def test_page_links_keep_the_filters(server: str, page: Page, browser_store_path: Path) -> None:
    open_view(page, f"{server}/map?theme=semiconductors")
    search = page.get_by_label("Search titles and text")
    search.fill("Tokyo")
    search.press("Enter")
    want = {"theme": ["semiconductors"], "q": ["Tokyo"]}
    expect_params(page, want, "/map")
    wait_idle(page)
    expect_grid(page, ["Japan"], ["China"])

    for title, path in (("Events", "/events"), ("Relations", "/relations"), ("Country profile", "/country"),
                        ("Upcoming", "/upcoming"), ("Data health", "/health"), ("Overview", "/")):
        nav(page, title)
        expect_params(page, want, path)
        expect_sidebar(page, themes=["semiconductors"], q="Tokyo")
        if path == "/events":
            expect(page.get_by_text("1 event", exact=True)).to_be_visible()
            expect_grid(page, [TOKYO], [BIS, GALLIUM])
        if path == "/":
            expect(metric(page, "Events")).to_have_text("1")


# ---------------------------------------------------------------- selections that filter


def drag(page: Page, x0: float, y0: float, x1: float, y1: float) -> None:
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=8)
    page.mouse.up()


def test_timeline_bar_selection_filters_the_events_table(server: str, page: Page, browser_store_path: Path) -> None:
    """A box dragged over one theme's bar, with the toolbar's box tool."""
    open_view(page, server)
    timeline = page.locator(".js-plotly-plot").first
    timeline.locator(".barlayer .trace").first.wait_for(timeout=TIMEOUT)
    box_tool(timeline)
    themes = timeline.evaluate("el => el.data.map(t => t.customdata[0][0])")
    assert "telecom" in themes
    bar = timeline.locator(".barlayer .trace").nth(themes.index("telecom")).locator(".point path").first
    timeline.scroll_into_view_if_needed()
    box = bar.bounding_box()
    assert box is not None and box["height"] > 10
    # A box over the segment, from just above its top (a bar is selected by its end) to inside its bottom.
    drag(page, box["x"] + 4, box["y"] - 2, box["x"] + box["width"] - 4, box["y"] + box["height"] - 4)

    expect_params(page, {"theme": ["telecom"]}, "/")
    expect_sidebar(page, themes=["telecom"])
    wait_idle(page)
    telecom = store_titles(browser_store_path, Filters(themes=("telecom",)))
    expect(metric(page, "Events")).to_have_text(str(len(telecom)))

    nav(page, "Events")
    expect_params(page, {"theme": ["telecom"]}, "/events")
    expect(page.get_by_text(f"{len(telecom)} events", exact=True)).to_be_visible()
    others = [t for t in all_titles(browser_store_path) if t not in telecom]
    assert telecom and others
    expect_grid(page, telecom, others)


def test_relations_node_click_narrows_countries(server: str, page: Page, browser_store_path: Path) -> None:
    open_view(page, f"{server}/relations")
    network = page.locator(".js-plotly-plot").first
    nodes = network.locator(".scatterlayer .trace").last.locator(".point")
    nodes.first.wait_for(timeout=TIMEOUT)
    codes = network.evaluate("el => el.data[el.data.length - 1].customdata.map(c => c[0])")
    assert "GB" in codes
    box = nodes.nth(codes.index("GB")).bounding_box()
    assert box is not None
    # Plotly picks the clicked point from its hover: hover first, then click where the label came from.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(network.locator(".hoverlayer .hovertext")).to_contain_text("United Kingdom")
    page.mouse.down()
    page.mouse.up()
    expect_params(page, {"country": ["GB"]}, "/relations")
    expect_sidebar(page, countries=["GB"])
    wait_idle(page)
    # the pairs shown are those of events naming the United Kingdom
    expect_grid(page, ["United Kingdom", "United States"], ["Finland"])


def test_timeline_box_selection_narrows_themes(server: str, page: Page, browser_store_path: Path) -> None:
    """A box dragged over the last month's bar selects the themes of that month's events."""
    open_view(page, server)
    timeline = page.locator(".js-plotly-plot").first
    timeline.locator(".barlayer .trace").first.wait_for(timeout=TIMEOUT)
    box_tool(timeline)
    bars = timeline.locator(".barlayer .point path")
    timeline.scroll_into_view_if_needed()
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    right = max(b["x"] for b in boxes if b)
    last = [b for b in boxes if b and b["x"] == right]  # the stacked bars of the latest month
    top, bottom = min(b["y"] for b in last), max(b["y"] + b["height"] for b in last)
    drag(page, right - 4, top - 4, right + last[0]["width"] + 4, bottom - 2)

    month = queries.timeline(browser_store_path, Filters(), "month")
    latest = sorted(month[month["period"] == month["period"].max()]["theme"])
    expect_params(page, {"theme": latest}, "/")
    expect_sidebar(page, themes=latest)


def test_map_table_row_selection_narrows_countries(server: str, page: Page, browser_store_path: Path) -> None:
    """The map's outlines come from Plotly's CDN (no network in CI), so the counts table is used here."""
    open_view(page, f"{server}/map")
    counts = queries.value_counts(browser_store_path, Filters(), "countries")
    second = list(counts)[1]
    table = grid(page)
    expect_grid(page, ["United States", "China"])
    box = table.locator("canvas").first.bounding_box()
    assert box is not None
    # Row markers (checkboxes) are the first column; the header and each row are 35 px high.
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 35 * 1 + 17)
    expect_params(page, {"country": [second]}, "/map")
    expect_sidebar(page, countries=[second])
    wait_idle(page)
    nav(page, "Events")
    mine = store_titles(browser_store_path, Filters(countries=(second,)))
    expect(page.get_by_text(f"{len(mine)} event{'s' if len(mine) != 1 else ''}", exact=True)).to_be_visible()
    expect_grid(page, mine, [t for t in all_titles(browser_store_path) if t not in mine])


# ---------------------------------------------------------------- export


def test_export_downloads_hold_exactly_the_filtered_events(server: str, page: Page, browser_store_path: Path) -> None:
    open_view(page, f"{server}/events?theme=semiconductors&dates=2023-09-01&dates=2024-04-01&q=the")
    f = Filters(themes=("semiconductors",), start=dt.date(2023, 9, 1), end=dt.date(2024, 4, 1), q="the")
    want = queries.export_rows(browser_store_path, f)
    assert 0 < len(want) < queries.count(browser_store_path, Filters(themes=("semiconductors",)))
    expect(page.get_by_text(f"{len(want)} events", exact=True)).to_be_visible()
    today = dt.date.today()

    for fmt in ("CSV", "JSON"):
        page.get_by_test_id("stPopoverButton").filter(has_text="Export").click()
        body = page.get_by_test_id("stPopoverBody")
        expect(body).to_contain_text(f"The {len(want)} filtered events")
        if fmt == "CSV":  # the files are built once asked for
            body.get_by_role("button", name="Prepare the files").click()
        wait_idle(page)  # the click must reach a button of the finished run, not one being redrawn
        expect(body.get_by_role("button", name=fmt, exact=True)).to_be_enabled()
        with page.expect_download(timeout=TIMEOUT) as info:
            body.get_by_role("button", name=fmt, exact=True).click()
        download = info.value
        name = download.suggested_filename
        assert name == export.file_name(f, today, fmt.lower())
        for part in ("theme-semiconductors", "from-2023-09-01-to-2024-04-01", "q-the", today.isoformat()):
            assert part in name
        text = Path(download.path()).read_text(encoding="utf-8")
        if fmt == "CSV":
            rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(text)))
            assert [r["themes"].split("; ") for r in rows] == [list(r["themes"]) for r in want]
            assert all("semiconductors" in r["themes"].split("; ") for r in rows)
        else:
            rows = json.loads(text)
            assert [r["countries"] for r in rows] == [list(r["countries"]) for r in want]
            assert all(r["evidence"] for r in rows)
        assert [r["id"] for r in rows] == [r["id"] for r in want]
        assert [r["title"] for r in rows] == [r["title"] for r in want]
        assert all("2023-09-01" <= str(r["date"])[:10] <= "2024-04-01" for r in rows)
        page.keyboard.press("Escape")  # close the popover
        expect(body).to_be_hidden()
