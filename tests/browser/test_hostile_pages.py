"""In a real browser, every page on a store full of hostile names makes no request beyond the app
itself (a markdown image in a source name would fetch from its host) and runs no injected script."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from browser.conftest import start_server, stop_server, wait_idle
from core.pipeline import ingest
from core.store import Store

HOSTILE = ("![t](http://tracker.example/p.png) :red[x] <img src=http://tracker.example/i.png onerror=\"window.__xss=1\"> "
           "[click](javascript:window.__xss=2)")
PAGES = ["/", "/events?event=tl-2024-05-01-hostile", "/relations", "/country?profile=JP", "/map", "/upcoming?past=true",
         "/instruments?instrument=xx-hostile", "/instruments", "/health"]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile-pages")
    record = {"id": "tl-2024-05-01-hostile", "date": "2024-05-01", "title": f"Japan and China {HOSTILE}",
              "summary": f"Japan restricted chip exports to China. {HOSTILE}", "themes": ["export_controls"], "countries": ["JP", "CN"],
              "orgs": [f"Org {HOSTILE}"], "relations": [{"source": "JP", "target": "CN", "type": "restriction"}],
              "sources": [{"url": "https://example.org/h", "name": f"Source {HOSTILE}"}],
              "instrument": {"id": "xx-hostile", "name": f"Act {HOSTILE}"}, "stage": "adopted"}
    (folder / "timeline.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "bad ![t](http:tracker.example) :red[x].jsonl").write_text("{oops\n", encoding="utf-8")
    store = folder / "s.duckdb"
    ingest([folder], Store(store))
    proc, url = start_server(store, folder / "streamlit.log")
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.mark.parametrize("path", PAGES)
def test_no_outbound_request_and_no_script_on_any_page(hostile_server: str, page, path: str) -> None:
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlparse(request.url).hostname not in ("127.0.0.1", "localhost") and not request.url.startswith("data:") else None)
    page.add_init_script("window.__xss = 0;")
    page.goto(hostile_server + path)
    wait_idle(page)
    page.wait_for_timeout(500)  # images and fonts a page would pull in after its script finished
    assert not outside, outside
    assert page.evaluate("window.__xss") == 0
    if path.startswith("/events"):
        assert "![t](http://tracker.example/p.png)" in page.inner_text("body")  # shown as text
