"""The flows run under the site's real Content-Security-Policy, and the watch that fails a flow
on any violation is live: a page of ours that gains inline script or style (a template
regression) is reported, with the site's own headers left as they are."""

from __future__ import annotations

from playwright.sync_api import Browser, Route

from catalog.web.guard import CSP
from tests.browser.conftest import watch_csp

REGRESSION = (
    '<button id="inline" onclick="window.clicked = true">inline handler</button>'
    '<p style="color: red">inline style</p><script>window.inlineRan = true</script>'
)


def test_every_page_is_sent_with_the_real_csp(page, live_server: str):
    for path in ("/", "/search?q=relay", "/items/youtube:smplIntrv01?t=134", "/browse", "/collections"):
        response = page.goto(live_server + path, wait_until="load")
        assert response.headers["content-security-policy"] == CSP, path


def test_the_watch_reports_inline_script_handlers_and_styles(browser: Browser, live_server: str):
    def with_regression(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace("</main>", REGRESSION + "</main>")
        route.fulfill(response=response, body=body)

    violations: list[str] = []
    context = browser.new_context()
    watch_csp(context, violations)
    page = context.new_page()
    page.route(f"{live_server}/browse", with_regression)
    page.goto(f"{live_server}/browse", wait_until="load")
    page.click("#inline")
    page.wait_for_timeout(200)
    assert page.evaluate("[window.inlineRan, window.clicked]") == [None, None]
    refused = "\n".join(violations)
    assert "script-src-elem refused inline" in refused  # the <script>
    assert "script-src-attr refused inline" in refused  # the onclick
    assert "style-src-attr refused inline" in refused  # the style=""
    context.close()
