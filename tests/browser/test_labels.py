"""The player shows the times the server wrote (catalog.display.clock): the share bar after a
seek, and the matches found in the transcript on the timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from catalog import display

pytestmark = pytest.mark.browser
EPISODE = "/items/generic:riverbend-ep-041"


def test_the_share_bar_and_the_timeline_read_the_servers_clock(page: Page, media_site: str):
    page.goto(media_site + EPISODE)
    share = page.locator("form.share-bar")
    for target in (page.locator("ol.chapters a.seek").nth(1), page.locator("#transcript .cue[data-start]").nth(30)):
        target.click()
        time = display.clock(float(target.get_attribute("data-start")))
        expect(share.locator(".share-from a")).to_have_text(time)
        expect(share.locator(".share-original")).to_have_text(f"Open the original at {time}")
    page.get_by_label("Find in transcript").fill("carb")
    expect(page.locator("#find-count")).to_contain_text("match")
    hits = page.locator("#transcript .cue:has(mark.find)").evaluate_all("cues => cues.map(c => c.dataset.start)")
    markers = page.locator("#timeline .marker").evaluate_all("ms => ms.map(m => m.getAttribute('aria-label'))")
    assert hits and markers == [f"Match at {display.clock(float(start))}" for start in hits]
