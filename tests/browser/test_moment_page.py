"""The page a shared or searched moment opens, at a phone's width and a laptop's, in chromium.

Arriving at `/items/ID?t=N&q=…` must show the player, the cue being said at second N with the
query's words marked, and the share bar, all inside the window, and nothing may move after load.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

WIDTHS = {390: 844, 1280: 800}
SHIFTS = (
    "window.shift = 0; new PerformanceObserver(list => list.getEntries()"
    ".forEach(e => { if (!e.hadRecentInput) window.shift += e.value; })).observe({type: 'layout-shift', buffered: true});"
)
MOMENTS = [
    ("live_server", "/items/youtube:smplIntrv01", 134, "4x400 relay", {"four by four hundred", "relay"}),
    ("media_site", "/items/generic:riverbend-ep-041", 240, "fuelling", {"fuelling"}),
    ("media_site", "/items/generic:riverbend-ep-042", 134, "hill repeats", {"hill", "repeats"}),
]


def open_at(new_context: Callable[..., BrowserContext], width: int, url: str) -> Page:
    context = new_context(viewport={"width": width, "height": WIDTHS[width]}, is_mobile=width < 700)
    context.route(lambda target: not target.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.add_init_script(SHIFTS)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(400)  # anything that would move after load has moved
    return page


def inside_window(page: Page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }"
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("site", "path", "second", "query", "marked"), MOMENTS)
def test_a_moment_link_lands_on_the_player_the_cue_and_the_share_bar(
    request, new_context, width, site, path, second, query, marked
):
    base = request.getfixturevalue(site)
    page = open_at(new_context, width, f"{base}{path}?t={second}&q={query.replace(' ', '+')}")
    assert inside_window(page, ".stage .player"), "the player is out of view"
    assert inside_window(page, "form.share-bar"), "the share bar is out of view"
    expect(page.locator("form.share-bar .share-from")).to_have_text(
        re.compile(rf"From {second // 60}:{second % 60:02}")
    )
    cue = page.locator("#transcript .cue.current")
    expect(cue).to_have_count(1)
    assert inside_window(page, "#transcript .cue.current"), "the cue said at the second is out of view"
    seen = cue.evaluate(
        """cue => { const panel = document.getElementById('transcript').getBoundingClientRect();
                    const r = cue.getBoundingClientRect(); return r.top >= panel.top && r.bottom <= panel.bottom; }"""
    )
    assert seen, "the cue is scrolled out of the transcript panel"
    starts = page.locator("#transcript .cue[data-start]").evaluate_all("cues => cues.map(c => Number(c.dataset.start))")
    start = float(cue.get_attribute("data-start"))
    after = [s for s in starts if s > start]
    assert int(start) <= second < (after[0] if after else float("inf")), (start, after[:1])
    words = {text.lower() for text in page.locator("#transcript mark").all_text_contents()}
    assert words and all(word[:4] in {m[:4] for m in marked} for word in words), words  # forms of the query's words
    assert page.evaluate("window.scrollY") == 0, "the page itself was scrolled"
    assert page.evaluate("window.shift") < 0.01
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_player_stays_in_view_while_the_transcript_scrolls(new_context, media_site: str, width: int):
    page = open_at(new_context, width, f"{media_site}/items/generic:riverbend-ep-041?t=30")
    page.locator("#transcript").hover()
    page.mouse.wheel(0, 900)
    page.wait_for_timeout(300)
    assert inside_window(page, ".stage .player")
    if width < 700:  # a phone: scrolling the page itself keeps the player stuck to the top
        page.evaluate("window.scrollBy(0, 600)")
        page.wait_for_timeout(200)
        top = page.locator(".stage").evaluate("el => el.getBoundingClientRect().top")
        assert abs(top) < 1 and inside_window(page, ".stage .player")
    page.context.close()


def test_clicking_a_cue_seeks_and_moves_the_share_bar(new_context, media_site: str):
    page = open_at(new_context, 1280, f"{media_site}/items/generic:riverbend-ep-041?t=30")
    page.wait_for_function("() => document.getElementById('player').readyState > 0")
    cue = page.locator("#transcript .cue[data-start]").nth(40)
    second = float(cue.get_attribute("data-start"))
    cue.click()
    page.wait_for_function("s => Math.abs(document.getElementById('player').currentTime - s) < 1.5", arg=second)
    expect(page).to_have_url(re.compile(rf"\?t={int(second)}$"))
    share = page.locator("form.share-bar")
    expect(share.locator(".share-from a")).to_have_text(f"{int(second) // 60}:{int(second) % 60:02}")
    expect(share.locator(".copy-link")).to_have_attribute(
        "data-link", f"/items/generic:riverbend-ep-041?t={int(second)}"
    )
    expect(page.locator("#transcript .cue.current")).to_have_attribute("data-start", cue.get_attribute("data-start"))
    page.context.close()


def test_the_clip_end_picker_sets_end_and_stops_the_audio(new_context, media_site: str):
    page = open_at(new_context, 1280, f"{media_site}/items/generic:riverbend-ep-041?t=100")
    page.wait_for_function("() => document.getElementById('player').readyState > 0")
    end_select = page.locator("form.share-bar select[name=end]")
    end = int(end_select.locator("option[value]:not([value=''])").first.get_attribute("value"))
    end_select.select_option(str(end))
    expect(page).to_have_url(re.compile(rf"\?t=100&end={end}$"))
    link = f"/items/generic:riverbend-ep-041?t=100&end={end}"
    expect(page.locator("form.share-bar .copy-link")).to_have_attribute("data-link", link)
    page.locator("#player").evaluate(f"media => {{ media.currentTime = {end - 1.5}; return media.play(); }}")
    page.wait_for_function("() => document.getElementById('player').dataset.clipEnded === 'true'", timeout=15_000)
    assert page.locator("#player").evaluate("media => media.paused") is True
    page.context.close()


def test_copy_link_works_without_the_clipboard_api(new_context, live_server: str):
    """Plain http on a LAN has no navigator.clipboard: the link is still copied, or offered selected."""
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    context.route(lambda target: not target.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });")
    page.goto(f"{live_server}/items/youtube:smplIntrv01?t=134", wait_until="load")
    assert page.evaluate("navigator.clipboard") is None
    page.locator("form.share-bar .copy-link").click()
    toast = page.locator("#toast")
    expect(toast).to_be_visible()
    link = f"{live_server}/items/youtube:smplIntrv01?t=134"
    if "Link copied" in toast.inner_text():  # execCommand("copy") did it
        reader = context.new_page()
        reader.goto(live_server + "/", wait_until="load")
        assert reader.evaluate("navigator.clipboard.readText()") == link
    else:  # nothing could copy: the link is shown selected for the visitor's own copy
        field = toast.get_by_role("textbox", name="Link to this moment")
        expect(field).to_have_value(link)
        expect(field).to_be_focused()
    assert not errors, errors
    context.close()


def test_a_thumbnail_that_fails_leaves_the_placeholder_not_a_broken_image(new_context, live_server: str):
    context = new_context(viewport={"width": 1280, "height": 800})
    context.route(lambda target: not target.startswith("http://127.0.0.1"), lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{live_server}/search?q=relay", wait_until="load")
    image = page.locator("#results .thumb img").first
    image.scroll_into_view_if_needed()
    expect(image).to_have_class(re.compile(r"\bimg-failed\b"))
    assert image.evaluate("img => getComputedStyle(img).visibility") == "hidden"
    glyph = page.locator("#results .thumb").first.evaluate("a => getComputedStyle(a, '::before').content")
    assert glyph == '"▶"'
    context.close()


def test_an_article_moment_opens_at_its_paragraph_highlighted(new_context, live_server: str):
    page = open_at(new_context, 390, f"{live_server}/search?q=4x400+relay")
    link = page.locator("#results a.moment[href*='article:']").first
    href = link.get_attribute("href")
    assert "?q=4x400+relay#p-" in href
    link.click()
    paragraph = page.locator(href[href.index("#") :])
    expect(paragraph.locator("mark").first).to_be_visible()
    assert inside_window(page, href[href.index("#") :])
    assert paragraph.evaluate("p => getComputedStyle(p).backgroundColor") != "rgba(0, 0, 0, 0)"  # :target
    page.context.close()
