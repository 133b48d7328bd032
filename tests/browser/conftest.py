"""A live server on 127.0.0.1 and Debian's chromium driven by Playwright.

There is no skip: if chromium cannot start, every browser test fails and says why.
"""

from __future__ import annotations

import json
import shutil
import threading
import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives chromium: marked `browser` (so `make test-fast` leaves it out)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def serve(wsgi_app) -> tuple[str, object]:
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


@pytest.fixture(scope="session")
def live_server(sample_data) -> Iterator[str]:
    from app import create_app

    url, server = serve(create_app({"DATA_DIR": str(sample_data)}))
    yield url
    server.shutdown()


def silent_wav(path: Path, seconds: int) -> None:
    """A playable, silent WAV (8 kHz, 8-bit mono: 8 KB a second) for the HTML5 player."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(8000)
        out.writeframes(b"\x80" * 8000 * seconds)


@pytest.fixture(scope="session")
def media_server(tmp_path_factory) -> Iterator[str]:
    """Serves generated audio with Range support, as a podcast host would."""
    from werkzeug.utils import send_file

    folder = tmp_path_factory.mktemp("media")
    silent_wav(folder / "episode.wav", 480)

    def app(environ, start_response):
        response = send_file(folder / "episode.wav", environ, mimetype="audio/wav", conditional=True)
        return response(environ, start_response)

    url, server = serve(app)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def media_site(tmp_path_factory, media_server) -> Iterator[str]:
    """The sample podcast episodes with their audio on 127.0.0.1, indexed and served."""
    from app import create_app
    from indexer.config import load_config
    from indexer.run import reindex
    from tests.conftest import SAMPLE

    work = tmp_path_factory.mktemp("media-site")
    shutil.copytree(SAMPLE / "podcast", work / "podcast")
    for info_path in (work / "podcast").glob("*.info.json"):
        info = json.loads(info_path.read_text())
        info["url"] = f"{media_server}/{info['id']}.wav"
        info_path.write_text(json.dumps(info))
    (work / "sources.toml").write_text('[sources.podcast]\nkind = "ytdlp-folder"\npath = "podcast"\n')
    data = work / "data"
    assert reindex(load_config(work / "sources.toml"), data).exit_code == 0
    url, server = serve(create_app({"DATA_DIR": str(data)}))
    yield url
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


# Reports every violation of the site's Content-Security-Policy a page meets, with where it happened.
CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation(
  `${event.effectiveDirective} refused ${event.blockedURI} (${event.sourceFile || location.href}:${event.lineNumber})`
));
"""


def watch_csp(context: BrowserContext, violations: list[str]) -> None:
    """Collect into `violations` every CSP violation in the context's pages: the
    `securitypolicyviolation` events and chromium's console lines about them."""
    context.expose_function("__cspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_WATCH)
    context.on(
        "console",
        lambda message: (
            violations.append(f"console: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Opens browser contexts with the site's CSP in force (never bypassed, so a page that needs
    inline script or style fails here as it would for visitors), and fails the test if any page
    opened in them reported a CSP violation."""
    violations: list[str] = []
    contexts: list[BrowserContext] = []

    def open_context(**options) -> BrowserContext:
        context = browser.new_context(**options)
        watch_csp(context, violations)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()
    if violations:
        pytest.fail("the site's CSP was violated:\n" + "\n".join(dict.fromkeys(violations)), pytrace=False)


@pytest.fixture
def page(new_context) -> Page:
    tab = new_context(permissions=["clipboard-read", "clipboard-write"]).new_page()
    tab.set_default_timeout(10_000)
    return tab


def axe_violations(page: Page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make browser` (npm ci)", pytrace=False)
    page.evaluate(AXE.read_text(encoding="utf-8"))  # as the test's own script: a <script> tag would break the CSP
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
