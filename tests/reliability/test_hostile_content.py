"""Text from data never reaches markdown or HTML: every page, run on a store whose titles, summaries,
source names, organizations, instruments and file names are hostile, renders each of them as
literal text (every markdown-rendering element carries it escaped)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from core.pipeline import ingest
from core.store import Store

ROOT = Path(__file__).resolve().parents[2]
TRACKER = "![t](http://tracker.example/p.png) :red[x] <img src=x onerror=alert(1)> [click](javascript:alert(1))"
# Markdown that would act if rendered: an image, a coloured directive, a link (unescaped, i.e. no
# backslash before the bracket).
ACTIVE = re.compile(r"(?<!\\)!(?<!\\)\[t|(?<!\\):red(?<!\\)\[|(?<!\\)\[click(?<!\\)\]")
PLAIN_FIELDS = ("options", "default", "value", "rawValue", "rawValues", "setValue", "formattedOptions")
PAGES = ["dashboard/overview.py", "dashboard/events.py", "dashboard/relations.py", "dashboard/country.py", "dashboard/map.py",
         "dashboard/upcoming.py", "dashboard/instruments.py", "dashboard/health.py"]


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    record = {
        "id": "tl-2024-05-01-hostile", "date": "2024-05-01", "title": f"Japan and China {TRACKER}",
        "summary": f"Japan restricted chip exports to China. {TRACKER}", "themes": ["export_controls"], "countries": ["JP", "CN"],
        "orgs": [f"Org {TRACKER}"], "relations": [{"source": "JP", "target": "CN", "type": "restriction"}],
        "sources": [{"url": "https://example.org/h", "name": f"Source {TRACKER}"},
                    {"url": "https://example.org/h2", "name": f"Second {TRACKER}"}],
        "instrument": {"id": "xx-hostile", "name": f"Act {TRACKER}"}, "stage": "adopted",
    }
    later = {**record, "id": "tl-2030-01-01-hostile", "date": "2030-01-01", "stage": "applies", "scheduled": True}
    (folder / "timeline.jsonl").write_text(json.dumps(record) + "\n" + json.dumps(later) + "\n", encoding="utf-8")
    (folder / "bad ![t](tracker) :red[x].jsonl").write_text("{oops\n", encoding="utf-8")  # a problem naming a hostile file
    article = {"date": "2024-05-02", "title": f"Korea and the US {TRACKER}", "text": f"Korea and the US agreed on AI chips. {TRACKER}",
               "url": "https://example.org/k", "source": f"Wire {TRACKER}"}
    (folder / "articles.jsonl").write_text(json.dumps(article) + "\n", encoding="utf-8")
    path = folder / "s.duckdb"
    ingest([folder], Store(path))
    return path


def texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, every string in its protobuf) for every element on the page."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            fields = MessageToDict(proto)
            for plain in PLAIN_FIELDS:  # a widget's options and values are drawn as plain text; its label and help are markdown
                fields.pop(plain, None)
            for value in _strings(fields):
                yield node.type, value


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_data_as_markdown(hostile_store: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    monkeypatch.setenv("GEOTECH_STORE", str(hostile_store))
    at = AppTest.from_file(str(ROOT / "router.py"), default_timeout=60)
    if page.endswith("events.py"):
        at.query_params["event"] = "tl-2024-05-01-hostile"
    if page.endswith("instruments.py"):
        at.query_params["instrument"] = "xx-hostile"
    if page.endswith("country.py"):
        at.query_params["profile"] = "JP"
    at.switch_page(page)
    at.run()
    assert not at.exception
    found = [(kind, text) for kind, text in texts(at) if "tracker" in text or "click" in text]
    active = [(kind, text[:120]) for kind, text in found if ACTIVE.search(text)
              and kind not in ("arrow_data_frame", "plotly_chart", "code", "json")]  # tables, charts and code show text as text
    assert not active, active
    if page.endswith("events.py"):
        kinds = {kind for kind, _ in found}
        assert {"markdown", "link_button"} <= kinds  # the hostile text is on the page, escaped
