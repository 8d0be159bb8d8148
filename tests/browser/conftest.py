"""A real Streamlit server on the fixture store, and headless Debian chromium via Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# Every browser wait is for a readiness signal (the script finished, an element appeared); this is
# only its upper bound, generous so that a machine with both cores busy passes too.
READY_TIMEOUT = 60_000


def chromium_path() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH", ""), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    message = ("Chromium is required for browser tests: `apt-get install chromium` (CI installs it), "
               "or set CHROMIUM_PATH to a Chromium binary.")
    if os.environ.get("CI"):  # in CI a missing browser is a failure, never a silent skip
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# A second article with markup in its title that reaches the pages the first one does not: it is
# scheduled (Upcoming, with past scheduled events) and states a relation (Relations, SE-FI).
XSS_SCHEDULED_TITLE = '<script>window.__xss=3</script><img src=x onerror="window.__xss=4"> <b>Nordic</b> summit'
XSS_SCHEDULED = {
    "date": "2024-03-05",
    "title": XSS_SCHEDULED_TITLE,
    "text": "Sweden and Finland agreed to cooperate on 5G telecom network security. Their ministers will meet at a "
            "summit on May 20 to sign the agreement.",
    "url": "https://example.org/news/nordic-summit",
    "source": "Example Wire",
}


@pytest.fixture(scope="session")
def browser_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture store (tests/fixtures.py) plus XSS_SCHEDULED."""
    import datetime as dt

    from fixtures import build_store

    from core.ingest.records import make_article
    from core.normalize import normalize
    from core.tagging.tagger import Tagger

    path = tmp_path_factory.mktemp("browser-store") / "fixture.duckdb"
    store = build_store(path)
    a = XSS_SCHEDULED
    article = make_article(a["text"], dt.date.fromisoformat(a["date"]), title=a["title"], url=a["url"], source=a["source"])
    store.upsert([normalize(article, Tagger())])
    return path


def start_server(store: Path, log_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run` on a free port with GEOTECH_STORE=store; returns the process and its URL once healthy.

    The file watcher is off: other people editing the source tree must not put a "File change" prompt
    in the page while a test (or a screenshot) runs.
    """
    port = free_port()
    log = log_path.open("w")
    env = {**os.environ, "GEOTECH_STORE": str(store)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *extra],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            stop_server(proc)
            raise RuntimeError(f"Streamlit exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError(f"Streamlit server did not start within 60 s; see {log_path}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def server(browser_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        proc, url = start_server(browser_store_path, tmp_path_factory.mktemp("server") / "streamlit.log")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a store built from seeds/ (the default data, over a thousand events)."""
    from core.pipeline import ensure_seeded
    from core.store import Store

    store = tmp_path_factory.mktemp("seeded") / "seeds.duckdb"
    ensure_seeded(Store(store))
    try:
        proc, url = start_server(store, tmp_path_factory.mktemp("seeded-server") / "streamlit.log")
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium_path(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A page in a new browser context: no cookies, storage or session shared with another test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=READY_TIMEOUT)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)  # type: ignore[attr-defined]
    context.set_default_timeout(READY_TIMEOUT)
    pg = context.new_page()
    yield pg
    context.close()


def wait_idle(pg: object, timeout: float = 60_000) -> None:
    """Wait until the script finished and no skeleton placeholders remain."""
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)  # type: ignore[attr-defined]
    pg.wait_for_function("!document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)  # type: ignore[attr-defined]


def box_tool(chart: object) -> None:
    """Pick the box-select tool of a Plotly chart's toolbar (a click selects by default)."""
    chart.hover()  # type: ignore[attr-defined]
    chart.locator(".modebar-btn[data-title='Box Select']").click()  # type: ignore[attr-defined]
