"""`make screenshots`: the home, results, item and browse pages at 390 px and 1280 px wide.

Indexes the bundled sample into a temporary folder, serves it on 127.0.0.1 and saves
PNGs (light and dark) into the folder given (default `screenshots/`).
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from indexer.config import load_config
from indexer.run import reindex
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[2]
PAGES = {
    "home": "/",
    "results": "/search?q=4x400+relay",
    "item": "/items/youtube:smplIntrv01?t=134",
    "podcast": "/items/generic:riverbend-ep-041?t=240",
    "browse": "/browse",
}
WIDTHS = (390, 1280)


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
                    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(base + path, wait_until="load")
                        target = out / f"{name}-{width}-{scheme}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target)
                    context.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "screenshots")
