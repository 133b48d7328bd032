"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright.

There is no skip: if chromium cannot start, every browser test fails and says why.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]


@pytest.fixture(scope="session")
def live_server(sample_data) -> Iterator[str]:
    from app import create_app

    server = make_server("127.0.0.1", 0, create_app({"DATA_DIR": str(sample_data)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # the message must reach CI: browser tests fail, never skip
            pytest.fail(f"cannot start {CHROMIUM} (install Debian's chromium: make browser): {exc}", pytrace=False)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
