"""Clock times, lengths and facet labels are formatted in one place, catalog.display: the pages'
filters, what the pages' scripts read (data attributes, /api/suggest) and `catalog search` say
what it says. (The browser half, the player reading them, is tests/browser/test_labels.py.)"""

from __future__ import annotations

import ast
import json
import re

from lxml import html

from catalog import display
from indexer.cli import cli
from tests.conftest import REPO

QUERY = "4x400 relay"
INTERVIEW = "youtube:smplIntrv01"
PRODUCT = [REPO / "app.py", *sorted((REPO / "catalog").rglob("*.py")), *sorted((REPO / "indexer").rglob("*.py"))]
SCRIPTS = sorted((REPO / "templates" / "static").glob("*.js"))


def test_clock_times_and_lengths_read_as_people_write_them():
    assert [display.clock(s) for s in (None, 0, 59.99, 134, 3723)] == ["", "0:00", "0:59", "2:14", "1:02:03"]
    assert [display.duration(s) for s in (None, 0, 574, 3900)] == ["", "", "10 min", "1 h 05 min"]


def test_nothing_else_formats_a_clock_time_or_a_label():
    """No other function splits seconds into minutes (the ISO 8601 durations of JSON-LD are data
    for crawlers, not a label), and the pages' scripts hold no clock arithmetic or label table."""
    splitting = {
        f"{path.relative_to(REPO)}:{function.name}"
        for path in PRODUCT
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(function, ast.FunctionDef)
        and any(
            isinstance(call, ast.Call) and ast.unparse(call.func) == "divmod" and ast.unparse(call.args[1]) == "60"
            for call in ast.walk(function)
        )
    }
    assert splitting == {"catalog/display.py:clock", "catalog/web/structured_data.py:_iso_duration"}
    labels = {*display.FACET_NAMES.values(), *display.KIND_NAMES.values(), *display.SUGGESTION_NAMES.values()}
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"padStart|[/%]\s*60\b", text), script.name
        assert not {label for label in labels if f'"{label}"' in text}, script.name


def test_result_cards_and_filters_read_as_display_writes_them(client):
    doc = client.get("/api/search", query_string={"q": QUERY}).get_json()
    page = html.fromstring(client.get("/search", query_string={"q": QUERY}).data)
    cards = page.xpath('//li[@class="result"]')
    assert len(cards) == len(doc["results"]) > 1
    for card, result in zip(cards, doc["results"], strict=True):
        clocks = [display.clock(moment["start"]) for moment in result["moments"] if moment["start"] is not None]
        assert card.xpath('.//*[@class="chip-time"]/text()') == clocks
        assert card.xpath('.//*[contains(@class, "badge")]/text()') == [display.value_label("kind", result["kind"])]
        lengths = card.xpath('.//p[@class="meta"]/span[not(@class)]/text()')
        assert lengths == ([display.duration(result["duration"])] if result["duration"] else [])
    labelled = 0
    for facet in page.xpath('//nav[@id="facets"]/section'):
        chips = facet.xpath(".//a[@data-facet]")
        name = chips[0].get("data-facet")
        assert facet.xpath("h2/text()") == [display.facet_label(name)]
        for chip in chips:
            label = display.value_label(name, chip.get("data-value"))
            assert label is None or chip.text.strip() == label
            labelled += label is not None
    assert labelled, "no facet value in the catalog's own words was shown"


def test_what_the_scripts_read_carries_the_labels(client):
    """player.js shows a seek target's data-clock (or its text, when that is its time) and
    app.js a suggestion's `label`: neither formats anything."""
    page = html.fromstring(client.get(f"/items/{INTERVIEW}?t=134").data)
    cues = page.xpath('//*[@id="transcript"]//span[contains(@class, "cue")][@data-start]')
    chapters = page.xpath('//ol[@class="chapters"]//a[@data-start]')
    assert cues and chapters
    for target in cues + chapters:
        assert target.get("data-clock") == display.clock(float(target.get("data-start")))
    timed = page.xpath('//a[contains(@class, "chip-time")][@data-start] | //*[@class="share-from"]/a')
    assert timed and all(a.text == display.clock(float(a.get("data-start"))) for a in timed)
    suggestions = client.get("/api/suggest", query_string={"q": "stri"}).get_json()["suggestions"]
    assert {"title", "tag", "chapter", "phrase"} <= {entry["kind"] for entry in suggestions}
    assert all(entry["label"] == display.suggestion_label(entry["kind"]) for entry in suggestions)


def test_catalog_search_lists_moments_at_the_pages_clock_times(runner, sample_data, client):
    listing = runner.invoke(cli, ["--data", str(sample_data), "search", QUERY])
    doc = json.loads(runner.invoke(cli, ["--data", str(sample_data), "search", QUERY, "--json"]).output)
    page = html.fromstring(client.get("/search", query_string={"q": QUERY}).data)
    moment_lines = [line.split() for line in listing.output.splitlines() if line.startswith("    ")]
    expected = [[display.clock(m["start"]) or "text", m["url"]] for r in doc["results"] for m in r["moments"]]
    assert listing.exit_code == 0 and moment_lines == expected
    assert [shown for shown, _ in moment_lines if shown != "text"] == page.xpath('//*[@class="chip-time"]/text()')
