"""Screenshots of every page in the light and the dark theme (a script, not a test: pytest does not collect it).

    GEOTECH_STORE=/tmp/shots-default.duckdb python tests/browser/screenshots.py --label default
    python tests/browser/screenshots.py --store /tmp/shots-1m.duckdb --label 1m

starts the app on the store, opens each page in headless Chromium (1280x900 viewport unless --width, the whole
page height), switches the theme in the app's menu (System / Light / Dark) and writes
docs/screenshots/<label>-<page>-<theme>.png, palette-quantized with Pillow to stay small.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import chromium_path, start_server, stop_server, wait_idle  # noqa: E402

# url path and query of each page's view; Upcoming also shows past scheduled events, so it has content
PAGES = {
    "overview": "/",
    "events": "/events",
    "relations": "/relations",
    "country": "/country",
    "map": "/map",
    "upcoming": "/upcoming?past=true",
    "instruments": "/instruments",
    "ai-act": "/instruments?instrument=eu-ai-act",
    "health": "/health",
}
THEMES = ("light", "dark")


def wait_drawn(page: object, timeout: float) -> None:
    """The script finished, no "Running…" widget, every chart drawn, every table painted, fonts loaded."""
    wait_idle(page, timeout)
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => !document.querySelector('[data-testid=stStatusWidget]')
            && Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))
                   .every(c => c.querySelector('.js-plotly-plot .main-svg'))
            && Array.from(document.querySelectorAll('[data-testid=stDataFrame]'))
                   .every(d => d.querySelector('canvas'))
            && document.fonts.status === 'loaded'""",
        timeout=timeout,
    )
    page.wait_for_timeout(600)  # type: ignore[attr-defined]  # plotly's and the grid's last paint


def set_theme(page: object, theme: str) -> None:
    """Pick the theme in the app's main menu and check that the page really changed colour."""
    page.get_by_test_id("stMainMenuButton").click()  # type: ignore[attr-defined]
    page.get_by_test_id(f"stMainMenuItem-theme-{theme.capitalize()}").click()  # type: ignore[attr-defined]
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    dark = theme == "dark"
    page.wait_for_function(  # type: ignore[attr-defined]
        """(dark) => {
            const [r, g, b] = getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor
                .match(/\\d+/g).map(Number);
            const light = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
            return dark ? light < 0.2 : light > 0.8;
        }""",
        arg=dark, timeout=10_000,
    )
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=stMainMenuPopover]')", timeout=10_000)


VIEWPORT = {"width": 1280, "height": 900}


def full_height(page: object, timeout: float) -> None:
    """Grow the viewport to the whole page: the app scrolls inside stMain, so a full-page shot alone stops at 900 px."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")  # type: ignore[attr-defined]
    page.mouse.move(0, 0)  # type: ignore[attr-defined]  # no hover label or focused button in the shot
    # The local server's "Deploy" button is not part of the app (Community Cloud does not show it).
    page.add_style_tag(content="[data-testid=stAppDeployButton] { display: none; }")  # type: ignore[attr-defined]
    height = page.evaluate(  # type: ignore[attr-defined]
        "() => Math.max(...['stMain', 'stSidebarContent'].map(id => "
        "document.querySelector(`[data-testid=${id}]`)?.scrollHeight || 0))")
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height), 8000)})  # type: ignore[attr-defined]
        wait_drawn(page, timeout)


def shrink(path: Path) -> None:
    """A 256-colour palette PNG: screenshots of flat UI keep their look at a fraction of the size."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=os.environ.get("GEOTECH_STORE"), help="event store (default: GEOTECH_STORE)")
    ap.add_argument("--label", required=True, help="the store's name in the file names, e.g. default or 1m")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    ap.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    ap.add_argument("--themes", nargs="*", default=list(THEMES), choices=list(THEMES))
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for one page to finish")
    ap.add_argument("--width", type=int, default=1280, help="viewport width in px (900 high), e.g. 1440 or 800")
    args = ap.parse_args(argv)
    VIEWPORT["width"] = args.width
    if not args.store:
        ap.error("give --store or set GEOTECH_STORE")
    store = Path(args.store)
    if not store.exists():
        ap.error(f"no store at {store}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="geotech-shots-")) / "streamlit.log"
    os.environ.setdefault("GEOTECH_REFRESH", "off")  # screenshots of the store as it is
    proc, url = start_server(store, log)
    written: list[Path] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
            for theme in args.themes:
                context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
                page = context.new_page()
                for name in args.pages:
                    started = time.monotonic()
                    page.goto(url + PAGES[name])
                    wait_drawn(page, args.timeout * 1000)
                    set_theme(page, theme)  # every page: a page load may start in the configured base theme
                    wait_drawn(page, args.timeout * 1000)
                    target = out / f"{args.label}-{name}-{theme}.png"
                    full_height(page, args.timeout * 1000)
                    page.screenshot(path=str(target))
                    page.set_viewport_size(VIEWPORT)
                    shrink(target)
                    written.append(target)
                    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: "
                          f"{target.stat().st_size // 1024} KB, {time.monotonic() - started:.1f} s", flush=True)
                context.close()
            browser.close()
    finally:
        stop_server(proc)
    print(f"{len(written)} screenshots, {sum(p.stat().st_size for p in written) // 1024} KB; server log {log}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
