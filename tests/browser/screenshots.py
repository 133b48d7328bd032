"""`make screenshots`: every page at 390 px and 1280 px wide, light and dark.

Indexes the bundled sample into a temporary folder, serves it on 127.0.0.1 and saves PNGs into
the folder given (default `screenshots/`): `NAME-WIDTH-SCHEME.png` is what a visitor sees on
landing (the viewport), `…-full.png` the whole page. Two states are shot too: the suggestion
listbox while typing, and the filters dialog on a phone. Nothing is fetched beyond 127.0.0.1
(thumbnails and the YouTube embed show as they do when they cannot load).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from app import create_app
from indexer.config import load_config
from indexer.run import reindex
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[2]
PAGES = {
    "home": "/",
    "results": "/search?q=4x400+relay",
    "no-results": "/search?q=zzzzqqq",
    "item": "/items/youtube:smplIntrv01?t=134&q=4x400+relay",
    "podcast": "/items/generic:riverbend-ep-041?t=240&q=carb",
    "article": "/items/article:masters-running-800m-after-50",
    "workout": "/items/workout:race-week-strides-session",
    "browse": "/browse",
    "not-found": "/items/youtube:nope",
}
WIDTHS = (390, 1280)


def shoot(page: Page, target: Path, full: bool = False) -> None:
    page.wait_for_timeout(150)
    page.screenshot(path=str(target), full_page=full)
    print(target)


def states(page: Page, base: str, out: Path, suffix: str) -> None:
    """The suggestion listbox open while typing, and (on a phone) the filters dialog."""
    page.goto(base + "/search?q=strides", wait_until="load")
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("str", delay=60)
    page.locator("#q-suggestions [role=option]").first.wait_for()
    shoot(page, out / f"suggestions-{suffix}.png")
    if page.viewport_size["width"] < 700:
        page.goto(base + "/search?q=strides", wait_until="load")
        page.get_by_role("link", name="Filters").click()
        page.locator("dialog.filters-dialog").wait_for()
        shoot(page, out / f"filters-{suffix}.png")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        reindex(load_config(REPO / "data" / "sample" / "sources.toml"), Path(data))
        server = make_server("127.0.0.1", 0, create_app({"DATA_DIR": data}), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for scheme in ("light", "dark"):
                for width in WIDTHS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 844 if width < 700 else 900},
                        color_scheme=scheme,
                        has_touch=width < 700,
                        is_mobile=width < 700,
                    )
                    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(base + path, wait_until="load")
                        shoot(page, out / f"{name}-{width}-{scheme}.png")
                        shoot(page, out / f"{name}-{width}-{scheme}-full.png", full=True)
                    states(page, base, out, f"{width}-{scheme}")
                    context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "screenshots")
