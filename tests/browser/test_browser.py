"""What only a browser shows: URL sync, rendered tables, and that data never runs as code."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from .conftest import box_tool, wait_idle

pytestmark = pytest.mark.browser


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_deep_link_shows_tokyo_event_and_filter_changes_url(server: str, page) -> None:
    page.goto(f"{server}/events?theme=ai&q=OpenAI")
    wait_idle(page)
    assert page.get_by_role("heading", name="Events").is_visible()
    grid = page.get_by_test_id("stDataFrame")
    grid.wait_for()
    page.wait_for_function("document.body.innerText.includes('1 event')")
    # The grid draws on a canvas; its accessible table holds the cell text once drawn.
    page.wait_for_function(
        "document.querySelector('[data-testid=stDataFrame]').textContent.includes('OpenAI opens its first Asian office in Tokyo')"
    )
    assert query(page.url) == {"theme": ["ai"], "q": ["OpenAI"]}
    link = page.get_by_test_id("stSidebar").get_by_test_id("stCode").first.inner_text()
    assert urlparse(link.replace("\n", "")).path == "/events" and query(link.replace("\n", "")) == query(page.url)

    search = page.get_by_label("Search titles and text")
    search.fill("gallium")
    search.press("Enter")
    page.wait_for_function("() => new URL(location.href).searchParams.get('q') === 'gallium'")
    wait_idle(page)
    assert query(page.url)["q"] == ["gallium"]
    assert query(page.url)["theme"] == ["ai"]


def test_overview_renders_charts(server: str, page) -> None:
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    assert page.locator(".js-plotly-plot").count() == 3
    assert page.get_by_test_id("stMetric").first.is_visible()


def test_injected_markup_is_inert_text(server: str, page) -> None:
    from fixtures import XSS_TITLE, fixture_articles  # the fixture article with markup in title, text, url, source

    xss = next(a for a in fixture_articles() if a.title == " ".join(XSS_TITLE.split()))
    page.add_init_script("window.__xss = 0; window.alert = () => { window.__xss = 99; };")
    page.goto(f"{server}/events?q=Sweden&event={xss.id}")
    wait_idle(page)
    page.wait_for_function("document.body.innerText.includes('window.__xss=1')", timeout=60_000)
    body = page.inner_text("body")
    assert "<script>window.__xss=1</script>" in body
    assert '<img src=x onerror="window.__xss=2">' in body
    assert "**bold** :red[alert]" in body
    assert page.evaluate("window.__xss") == 0
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0


def test_selecting_bars_narrows_the_filters_and_the_url(server: str, page) -> None:
    page.goto(server)
    wait_idle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    orgs = page.locator(".js-plotly-plot").nth(2)
    orgs.scroll_into_view_if_needed()
    box_tool(orgs)
    area = orgs.locator("rect.nsewdrag").first.bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + 5, area["y"] + 5)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] - 5, area["y"] + area["height"] - 5, steps=8)
    page.mouse.up()
    page.wait_for_function("() => new URL(location.href).searchParams.getAll('org').length > 0", timeout=60_000)
    chosen = page.evaluate("() => new URL(location.href).searchParams.getAll('org')")
    assert "Nvidia" in chosen


def assert_inert(page) -> None:
    """Nothing from the data ran or became markup."""
    assert page.evaluate("window.__xss") == 0
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.evaluate("Array.from(document.scripts).filter(s => s.textContent.includes('__xss')).length") == 0
    assert page.locator("b", has_text="Nordic").count() == 0


@pytest.mark.parametrize(("url", "shown"), [
    # Upcoming: the scheduled article (conftest.XSS_SCHEDULED) in the table and on the chart
    ("/upcoming?past=true&theme=telecom", "upcoming"),
    # Country profile: both injected titles among the latest events
    ("/country?profile=SE", "country"),
    # Relations shows no titles, only the pair the scheduled article states
    ("/relations?pair=FI-SE", "relations"),
    # Events: the scheduled article's own view
    ("/events?theme=telecom&event={nordic}", "events"),
])
def test_injected_markup_is_inert_on_other_pages(server: str, page, browser_store_path, url: str, shown: str) -> None:
    from fixtures import XSS_TITLE
    from playwright.sync_api import expect

    from core.queries import Filters, events_page

    from .conftest import XSS_SCHEDULED_TITLE

    frame = events_page(browser_store_path, Filters(themes=("telecom",)))
    nordic = frame[frame["title"] == XSS_SCHEDULED_TITLE]["id"].iloc[0]
    page.add_init_script("window.__xss = 0; window.alert = () => { window.__xss = 99; };")
    page.goto(server + url.format(nordic=nordic))
    wait_idle(page)
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame")
    if shown == "upcoming":
        expect(grid.first).to_contain_text(XSS_SCHEDULED_TITLE)
        marker = page.locator(".js-plotly-plot .scatterlayer .point").first
        box = marker.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        # the hover label shows the title's markup as text (escaped for Plotly's few HTML tags)
        expect(page.locator(".hoverlayer .hovertext")).to_contain_text("<b>Nordic</b> summit")
    elif shown == "country":
        expect(page.get_by_role("heading", name="Sweden", exact=True)).to_be_visible()
        expect(grid.last).to_contain_text(XSS_SCHEDULED_TITLE)
        expect(grid.last).to_contain_text(" ".join(XSS_TITLE.split()))
    elif shown == "relations":
        expect(page.get_by_role("combobox", name="Pair")).to_have_value("Finland – Sweden (1 events)")  # names on screen
        assert query(page.url)["pair"] == ["FI-SE"]  # codes in the URL
        expect(page.get_by_text("Finland ↔ Sweden: cooperation, 1 events")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name=XSS_SCHEDULED_TITLE)).to_be_visible()
        expect(page.get_by_test_id("stMain")).to_contain_text("<script>window.__xss=3</script>")
    assert_inert(page)
