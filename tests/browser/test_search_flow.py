"""In chromium: search from the home page, open a moment, land on the player at that second."""

import re

from playwright.sync_api import Page, expect


def test_search_then_open_a_moment(page: Page, live_server: str):
    page.goto(live_server + "/")
    page.get_by_label("Search videos, podcasts, articles and workouts").fill("4x400 relay")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("for “4x400 relay”")
    first_result = page.locator(".result").first
    expect(first_result.get_by_role("heading")).to_contain_text("Harold Okafor")
    spoken = first_result.locator("a.moment", has_text="2:14")
    spoken.click()
    expect(page).to_have_url(re.compile(r"/items/youtube:smplIntrv01\?t=134&q=4x400\+relay$"))
    player = page.locator("iframe#player")
    expect(player).to_have_attribute("src", re.compile(r"/embed/smplIntrv01\?start=134&"))
    expect(page.locator("#transcript .cue.current")).to_contain_text("four by four hundred relay")
    expect(page.locator("#transcript .cue.current mark")).to_have_text(["four by four hundred", "relay"])
