"""Every visitor and coach flow of the pages, in Debian's chromium."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import axe_violations

SEARCH_BOX = "Search videos, podcasts, articles and workouts"


def test_instant_search_updates_results_and_url_without_a_page_load(page: Page, live_server: str):
    page.goto(live_server + "/")
    page.evaluate("window.loadedOnce = true")
    page.get_by_label(SEARCH_BOX).press_sequentially("4x400 rel", delay=20)
    expect(page.get_by_role("status").first).to_contain_text("for “4x400 rel”")
    page.get_by_label(SEARCH_BOX).press_sequentially("ay", delay=20)
    expect(page).to_have_url(re.compile(r"/search\?q=4x400\+relay$"))
    expect(page.locator("#results .result").first).to_contain_text("Harold Okafor")
    expect(page.locator("#results .result").first.locator(".moment", has_text="2:14")).to_be_visible()
    assert page.evaluate("window.loadedOnce") is True, "the page was reloaded"
    expect(page.locator("#latest")).to_be_hidden()


def test_a_search_url_reproduces_its_page_and_works_without_javascript(new_context, live_server: str):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    page.get_by_label(SEARCH_BOX).fill("strides")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search\?q=strides"))
    expect(page.locator("#results .result").first).to_contain_text("Strides")
    page.locator("#facets a[data-facet=kind][data-value=workout]").click()
    expect(page).to_have_url(re.compile(r"kind=workout"))
    expect(page.locator("#results .badge").first).to_have_text("Workout")
    context.close()


def test_facets_keep_the_url_in_step_and_back_works(page: Page, live_server: str):
    page.goto(live_server + "/search?q=strides")
    total = page.locator("#results .result").count()
    page.evaluate("window.loadedOnce = true")
    page.locator("#facets a[data-facet=kind][data-value=workout]").click()
    expect(page).to_have_url(re.compile(r"/search\?q=strides&kind=workout$"))
    expect(page.locator("#results .badge")).to_have_text(["Workout"] * page.locator("#results .result").count())
    assert page.locator("#results .result").count() < total
    assert page.evaluate("window.loadedOnce") is True
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?q=strides$"))
    expect(page.locator("#results .result")).to_have_count(total)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"kind=workout$"))
    expect(page.locator("#facets a[aria-current=true]")).to_contain_text("Workout")


def test_keyboard_slash_arrows_and_enter(page: Page, live_server: str):
    page.goto(live_server + "/search?q=strides")
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("/")
    expect(page.get_by_label(SEARCH_BOX)).to_be_focused()
    page.keyboard.press("ArrowDown")
    links = page.locator("#results .result-link")
    expect(links.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(links.nth(1)).to_be_focused()
    outline = links.nth(1).evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none", "focus must stay visible"
    page.keyboard.press("ArrowUp")
    expect(links.nth(0)).to_be_focused()
    href = links.nth(0).get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))


def current_time(page: Page) -> float:
    return page.locator("#player").evaluate("media => media.currentTime")


def test_transcript_click_seeks_the_html5_player(page: Page, media_site: str):
    page.goto(media_site + "/items/generic:riverbend-ep-041")
    page.locator("#player").evaluate(
        "media => new Promise(ok => media.readyState > 0 ? ok() : media.onloadedmetadata = ok)"
    )
    line = page.locator("#transcript p[data-start]").nth(5)
    start = float(line.get_attribute("data-start"))
    line.locator("a.seek").click()
    page.wait_for_function("s => Math.abs(document.getElementById('player').currentTime - s) < 1.5", arg=start)
    expect(page).to_have_url(re.compile(rf"\?t={int(start)}$"))
    page.wait_for_function("() => document.querySelector('#transcript .cue.current') !== null")
    chapter = page.locator("ol.chapters a.seek").nth(1)
    chapter_start = float(chapter.get_attribute("data-start"))
    chapter.click()
    page.wait_for_function("s => Math.abs(document.getElementById('player').currentTime - s) < 1.5", arg=chapter_start)


def test_t_starts_the_player_and_end_stops_the_clip(page: Page, media_site: str):
    page.goto(media_site + "/items/generic:riverbend-ep-041?t=120&end=122")
    page.wait_for_function("() => document.getElementById('player').readyState > 0")
    assert abs(current_time(page) - 120) < 1
    page.locator("#player").evaluate("media => media.play()")
    page.wait_for_function("() => document.getElementById('player').dataset.clipEnded === 'true'", timeout=15_000)
    assert page.locator("#player").evaluate("media => media.paused") is True
    assert 121.5 <= current_time(page) <= 122.6


def test_find_in_transcript_marks_hits_on_the_timeline(page: Page, media_site: str):
    page.goto(media_site + "/items/generic:riverbend-ep-041")
    page.get_by_label("Find in transcript").fill("carb")
    expect(page.locator("#find-count")).to_contain_text("match")
    hits = page.locator("#transcript mark.find").count()
    assert hits >= 1
    markers = page.locator("#timeline .marker")
    assert 1 <= markers.count() <= hits
    markers.first.click()
    first_line_start = float(page.locator("#transcript .cue:has(mark.find)").first.get_attribute("data-start"))
    page.wait_for_function(
        "s => Math.abs(document.getElementById('player').currentTime - s) < 1.5", arg=first_line_start
    )


def test_copy_link_to_a_moment(page: Page, live_server: str):
    page.goto(live_server + "/search?q=4x400+relay")
    page.get_by_role("button", name="Copy link to this moment (2:14)").first.click()
    expect(page.locator("#toast")).to_contain_text("Link copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server}/items/youtube:smplIntrv01?t=134"
    page.get_by_role("button", name="Copy the original's link instead").click()
    assert page.evaluate("navigator.clipboard.readText()") == "https://www.youtube.com/watch?v=smplIntrv01&t=134s"


AXE_PAGES = [
    "/",
    "/search?q=4x400+relay",
    "/search?q=zzzzqqq",
    "/items/youtube:smplIntrv01?t=134&q=4x400+relay",
    "/items/generic:riverbend-ep-041?t=240",
    "/items/article:masters-running-800m-after-50",
    "/items/workout:race-week-strides-session",
    "/browse",
    "/items/youtube:nope",
]
WIDTHS = {390: 844, 1280: 800}


def axe_context(new_context: Callable[..., BrowserContext], width: int, scheme: str) -> BrowserContext:
    context = new_context(
        viewport={"width": width, "height": WIDTHS[width]}, color_scheme=scheme, is_mobile=width < 700
    )
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
    return context


@pytest.mark.parametrize("path", AXE_PAGES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(new_context, live_server: str, path: str, width: int, scheme: str):
    context = axe_context(new_context, width, scheme)
    page = context.new_page()
    page.goto(live_server + path, wait_until="load")
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_the_suggestions_and_the_filters_dialog_open(new_context, live_server: str, width: int, scheme: str):
    context = axe_context(new_context, width, scheme)
    page = context.new_page()
    page.goto(live_server + "/search?q=strides", wait_until="load")
    page.get_by_label(SEARCH_BOX).fill("")
    page.get_by_label(SEARCH_BOX).press_sequentially("stri", delay=40)
    expect(page.get_by_role("listbox", name="Suggestions").get_by_role("option").first).to_be_visible()
    page.get_by_label(SEARCH_BOX).press("ArrowDown")
    assert axe_violations(page) == []
    if width < 700:
        page.get_by_label(SEARCH_BOX).press("Escape")
        page.get_by_role("link", name="Filters").click()
        dialog = page.get_by_role("dialog", name="Filters")
        expect(dialog).to_be_visible()
        expect(dialog.locator("a.chip").first).to_be_visible()
        assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("path", ["/", "/search?q=4x400+relay", "/items/youtube:smplIntrv01?t=134", "/browse"])
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_are_light_and_do_not_shift(page: Page, live_server: str, path: str, width: int):
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.add_init_script(
        "window.shift = 0; new PerformanceObserver(list => list.getEntries()"
        ".forEach(e => { if (!e.hadRecentInput) window.shift += e.value; })).observe({type: 'layout-shift', buffered: true});"
    )
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())  # no thumbnails, no YouTube
    page.goto(live_server + path, wait_until="load")
    page.wait_for_timeout(300)
    own_bytes = page.evaluate(
        "() => performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))"
        ".filter(e => e.name.startsWith(location.origin)).reduce((sum, e) => sum + e.decodedBodySize, 0)"
    )
    assert 0 < own_bytes < 100_000
    assert page.evaluate("window.shift") < 0.01
