"""Results as you type, from every search box: one key at a time, a word of the catalog never
blinks to "0 results" on its way (the last word is matched as a prefix), and the suggestions
are a listbox a keyboard can use."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

SEARCH_BOX = "Search videos, podcasts, articles and workouts"
WORDS = ["relay", "strides", "vo2max", "plyometrics", "hill repeats", "harold okafor"]
# Every text #count shows, as it changes: a zero state between two keys would be caught here.
COUNTS = """
window.counts = [];
new MutationObserver(() => {
  const count = document.getElementById('count');
  if (count && count.textContent.trim()) window.counts.push(count.textContent.trim());
  if (document.getElementById('no-results')) window.counts.push('no-results shown');
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


def asked_for(prefix: str):
    def matches(response) -> bool:
        url = urlparse(response.url)
        return url.path == "/api/results" and parse_qs(url.query).get("q", [""])[0] == prefix

    return matches


@pytest.mark.parametrize("path", ["/", "/items/youtube:smplIntrv01?t=134", "/browse"])
def test_typing_a_catalog_word_never_shows_zero_results(page: Page, live_server: str, path: str):
    page.add_init_script(COUNTS)
    page.goto(live_server + path, wait_until="load")
    box = page.get_by_label(SEARCH_BOX)
    for word in WORDS:
        box.fill("")
        typed = ""
        for key in word:
            typed += key
            with page.expect_response(asked_for(typed)):
                box.press(key if key != " " else "Space")
            expect(page.locator("#count")).to_contain_text(f"for “{typed.strip()}”")
        expect(page).to_have_url(f"{live_server}/search?q={word.replace(' ', '+')}")
    zeros = [text for text in page.evaluate("window.counts") if text.startswith("0 ") or text == "no-results shown"]
    assert not zeros, zeros


def test_a_word_nobody_said_still_says_nothing_matched(page: Page, live_server: str):
    """The check above can fail: a real zero is shown as one."""
    page.goto(live_server + "/", wait_until="load")
    with page.expect_response(asked_for("zzzqx")):
        page.get_by_label(SEARCH_BOX).press_sequentially("zzzqx", delay=30)
    expect(page.locator("#count")).to_have_text("0 results for “zzzqx”")
    expect(page.locator("#no-results")).to_contain_text("Nothing matched")


def test_the_suggestions_are_a_listbox_the_keyboard_can_use(page: Page, live_server: str):
    page.goto(live_server + "/browse", wait_until="load")
    box = page.get_by_role("combobox", name=SEARCH_BOX)
    expect(box).to_have_attribute("aria-expanded", "false")
    with page.expect_response(lambda response: "/api/suggest?q=stri" in response.url):
        box.press_sequentially("stri", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    assert options.count() >= 2
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = options.nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(box).to_be_focused()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Backspace")
    with page.expect_response(lambda response: "/api/suggest?q=stri" in response.url):
        box.press_sequentially("i", delay=40)
    expect(listbox).to_be_visible()
    box.press("ArrowDown")
    first = options.first
    title = first.locator("span").first.inner_text()
    url = first.get_attribute("data-url")
    box.press("Enter")
    expect(page).to_have_url(live_server + url)
    assert title
