"""Hostile content in a real browser: Debian's chromium with the site's CSP in force.

The catalog of tests/reliability/xss_vectors.py is served as the site serves it, and every
page is loaded with a dialog handler and a `window.__xss` marker watching. Nothing may fire,
the marker must stay unset, the CSP must report no violation (each one would be hostile
markup the policy had to stop), and the DOM may hold no event-handler attribute, scripting
URL, script that is not ours, foreign element or iframe. Results are also swapped in by app.js:
paged through /api/results and typed into (instant search and the suggestion listbox).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page

from app import create_app
from catalog.links import item_path
from tests.browser.conftest import serve
from tests.reliability.xss_vectors import VECTORS, build_hostile_catalog, item_ids

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""
# Violations that mean a script, plugin, frame, form or base URL tried to act; an image or
# audio file refused for its origin (a feed's http:// artwork, say) is no attempt to run code.
SCRIPTING_VIOLATION = re.compile(
    r"^(script-src|object-src|base-uri|form-action|frame-src|child-src|worker-src)|"
    r" (inline|eval|javascript|vbscript|data)\b"
)
# Everything a vector could have slipped into the DOM, as the browser built it.
PROBE = """() => {
  const scripting = (v) =>
    /^(javascript|vbscript):|^data:(?!image\\/)/i.test((v || "").replace(/[\\u0000-\\u0020]/g, ""));
  const urls = ["href", "src", "action", "formaction", "poster", "data", "xlink:href", "background", "srcdoc"];
  const ours = ["/static/app.js", "/static/player.js"];
  const foreign = "svg, math, object, embed, applet, base, frame, frameset, style, template, marquee, "
    + "meta[http-equiv]";
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      if (a.name.startsWith("on")) found.push(`${tag}[${a.name}]`);
      if (urls.includes(a.name) && scripting(a.value)) found.push(`${tag}[${a.name}=${a.value.slice(0, 60)}]`);
    }
    const ourScript = el.type === "application/ld+json" || ours.includes(new URL(el.src || "about:blank").pathname);
    if (tag === "script" && !ourScript) found.push(`script ${el.outerHTML.slice(0, 60)}`);
    const player = el.src && el.src.startsWith("https://www.youtube-nocookie.com/embed/");
    if (tag === "iframe" && !player) found.push(`iframe ${el.src}`);
    const ourForm = el.classList.contains("search")
      || (el.classList.contains("share-bar") && el.getAttribute("action") === location.pathname);
    if (tag === "form" && !ourForm) found.push(`form ${el.outerHTML.slice(0, 60)}`);
    if (el.matches(foreign)) found.push(`foreign <${tag}>`);
  }
  const csp = (window.__csp || []).splice(0);  // each violation is reported once
  return { xss: window.__xss === undefined ? null : String(window.__xss), csp, found };
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    data = build_hostile_catalog(tmp_path_factory.mktemp("hostile-browser"))
    url, server = serve(create_app({"DATA_DIR": str(data), "RATELIMIT_ENABLED": False}))
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A tab with the CSP in force (not bypassed), the watchers installed, nothing beyond 127.0.0.1."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    page, dialogs = context.new_page(), []
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    yield page, dialogs
    context.close()


def pages() -> Iterator[str]:
    """The path of every page that shows planted content."""
    yield from ("/", "/browse", "/status", "/feed.xml", "/sitemap.xml")
    for n, vector in enumerate(VECTORS):
        yield f"/search?q={quote(vector)}"
        for kind, item_id in item_ids(n).items():
            yield item_path(item_id) + ("?t=1" if kind in ("video", "podcast") else "")


def problems_now(page: Page, document: bool = True) -> list[str]:
    """What a vector did or left on the page; `document=False` for a feed shown by the XML viewer
    (chromium's own viewer styles it), where only an execution counts."""
    probe = page.evaluate(PROBE)
    marker = [f"window.__xss = {probe['xss']}"] if probe["xss"] is not None else []
    if not document:
        return marker
    return marker + [f"CSP violation: {v}" for v in probe["csp"] if SCRIPTING_VIOLATION.search(v)] + probe["found"]


def test_no_vector_runs_on_any_page(tab, site):
    page, dialogs = tab
    failed = {}
    for path in pages():
        page.goto(site + path, wait_until="load")
        if problems := problems_now(page, document=not path.endswith(".xml")):
            failed[path] = problems
    assert not dialogs, dialogs
    assert not failed, f"{len(failed)} pages: " + "\n".join(f"{p}: {f[:4]}" for p, f in list(failed.items())[:12])


def test_results_rendered_by_app_js_run_no_vector(tab, site):
    page, dialogs = tab
    failed, rendered = [], 0
    page.goto(f"{site}/search?q=tempo&sort=newest&per_page=50", wait_until="load")
    while page.locator('#pager a[rel="next"]').count():  # app.js fetches and renders each page
        rendered += 1
        with page.expect_response(lambda response: "/api/results" in response.url):
            page.click('#pager a[rel="next"]')
        page.wait_for_function("document.querySelectorAll('#results > li').length > 0")
        failed += [f"{page.url}: {problem}" for problem in problems_now(page)]
    for vector in VECTORS:  # typed in: autocomplete on input, instant search on Enter
        page.fill("#q", vector.replace("\x00", ""))
        with page.expect_response(lambda response: "/api/results" in response.url):
            page.press("#q", "Enter")
        failed += [f"typed {vector!r}: {problem}" for problem in problems_now(page)]
    pages_of_results = page.request.get(f"{site}/api/search?q=tempo&per_page=50").json()["pages"]
    assert rendered == pages_of_results - 1 > 0, "app.js did not page through every result"
    assert not dialogs, dialogs
    assert not failed, f"{len(failed)} problems: " + "\n".join(failed[:12])


def test_the_browser_check_catches_a_vector_that_runs(tab, site):
    """The watchers are live: a page that does run a vector is caught (served beside the site)."""
    page, dialogs = tab
    page.route(f"{site}/planted", lambda route: route.fulfill(content_type="text/html", body=VECTORS[4]))
    page.goto(f"{site}/planted", wait_until="load")
    assert dialogs and dialogs.pop().endswith(": 1")
    assert any(problem.startswith("img[onerror]") for problem in problems_now(page))
