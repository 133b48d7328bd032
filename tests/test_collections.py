"""The coach's collections of moments: a folder of Markdown files, each a page, searchable, cited
on the item pages it links to, and every link that stops resolving reported by the run."""

from __future__ import annotations

import json
import re

import pytest

from indexer.sources.collections import split_moments, target

from .coach_tools import catalog, client_for, notes, reindexed, sample_copy

SAMPLE_COLLECTION = "/items/collection:race-week-questions"


def test_the_sample_collection_has_a_player_and_a_note_for_every_moment(client):
    page = client.get(SAMPLE_COLLECTION)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Race-week questions</h1>" in html
    # our own page's link, a podcast clip with its media fragment, and the original's YouTube URL
    assert 'src="https://www.youtube-nocookie.com/embed/smplDrill02?start=81&amp;end=129&amp;rel=0"' in html
    assert "riverbend-ep-041.mp3#t=146,166" in html
    assert 'src="https://www.youtube-nocookie.com/embed/smplIntrv01?start=494&amp;end=512&amp;rel=0"' in html
    assert 'href="/items/youtube:smplIntrv01?t=494&amp;end=512"' in html
    assert 'href="/items/workout:race-week-strides-session"' in html
    assert '<div class="note"><p>Lena\'s rule: two to three hours before the start' in html
    assert len(re.findall(r'<li id="p-\d+" class="collection-moment"', html)) == 4
    assert "no longer available" not in html


def test_collections_are_listed(client):
    html = client.get("/collections").get_data(as_text=True)
    assert f'<a href="{SAMPLE_COLLECTION}">Race-week questions</a>' in html and "4 moments" in html


def test_a_collection_is_found_by_its_title_and_by_its_notes(runner, sample_data):
    by_title = json.loads(catalog(runner, sample_data, "search", "--json", "race-week questions").output)
    assert by_title["results"][0]["id"] == "collection:race-week-questions"
    assert by_title["results"][0]["kind"] == "collection"
    by_note = json.loads(catalog(runner, sample_data, "search", "--json", "--kind", "collection", "Lena's rule").output)
    moment = by_note["results"][0]["moments"][0]
    assert moment["url"] == f"{SAMPLE_COLLECTION}#p-1" and "<mark>rule</mark>" in moment["text_html"]


def test_an_item_page_says_which_collections_cite_it(client):
    """Needs `{% include "_collections.html" %}` in templates/item.html (see the report)."""
    html = client.get("/items/youtube:smplDrill02").get_data(as_text=True)
    assert f'In collection <a href="{SAMPLE_COLLECTION}">Race-week questions</a>' in html
    assert '<a class="chip-time" href="/items/youtube:smplDrill02?t=81&amp;end=129">1:21–2:09</a>' in html
    assert "In collection" not in client.get("/items/youtube:smplPlyo003").get_data(as_text=True)


def test_the_partial_lists_the_citing_collections(app):
    with app.test_request_context():
        from flask import render_template

        html = render_template("_collections.html", item={"id": "generic:riverbend-ep-041"})
    assert f'In collection <a href="{SAMPLE_COLLECTION}">Race-week questions</a>' in html
    assert 'href="/items/generic:riverbend-ep-041?t=146&amp;end=166">2:26–2:46</a>' in html


@pytest.fixture
def guides(tmp_path):
    """The sample with a second collection, whose moments cite the plyometrics video (gone after
    one missing run), a time past its end, and an item the catalog never had."""
    config = sample_copy(tmp_path / "media")
    text = config.read_text().replace('path = "videos"', 'path = "videos"\ngone_after = 1')
    config.write_text(text)
    (tmp_path / "media" / "collections" / "plyo.md").write_text(
        "---\ntitle: Everything on plyometrics\n---\n"
        "- [Pogo hops](https://youtu.be/smplPlyo003?t=2m34s)\n  Start here.\n"
        "- /items/youtube:smplDrill02?t=9000\n  Past the end of a 5:55 video.\n"
        "- [A talk we never had](/items/youtube:neverThere1?t=10)\n"
    )
    return config


def test_a_collection_citing_an_item_that_disappears_upstream_is_reported_not_dropped(runner, tmp_path, guides):
    data = tmp_path / "data"
    first = reindexed(runner, data, guides)
    assert first.exit_code == 0, first.output  # notes are not failures
    assert sorted(notes(first.output)) == [
        "note: collections: collection:plyo: moment 2 (/items/youtube:smplDrill02?t=9000) does not resolve: "
        "2:30:00 is past the end of youtube:smplDrill02 (5:55)",
        "note: collections: collection:plyo: moment 3 (/items/youtube:neverThere1?t=10) does not resolve: "
        "no item youtube:neverThere1 in the catalog",
    ]
    html = client_for(data).get("/items/collection:plyo").get_data(as_text=True)
    assert "embed/smplPlyo003?start=154&amp;rel=0" in html and "Start here." in html

    for path in (tmp_path / "media" / "videos").glob("smplPlyo003.*"):
        path.unlink()  # gone upstream
    second = reindexed(runner, data, guides)

    assert "videos: 0 new, 0 updated, 2 unchanged, 1 unavailable, 0 failed — ok" in second.output
    assert (
        "note: collections: collection:plyo: moment 1 (https://youtu.be/smplPlyo003?t=2m34s) does not resolve: "
        "youtube:smplPlyo003 is gone from its source"
    ) in notes(second.output)
    client = client_for(data)
    html = client.get("/items/collection:plyo").get_data(as_text=True)
    assert "Pogo hops" in html and "Start here." in html  # the moment and its note stay on the page
    assert "This moment is no longer available: youtube:smplPlyo003 is gone from its source." in html
    assert "embed/smplPlyo003" not in html
    status = client.get("/status").get_data(as_text=True)
    assert (
        "collection:plyo: moment 1 (https://youtu.be/smplPlyo003?…) does not resolve: youtube:smplPlyo003 is gone"
        in (status)
    )


def test_a_link_to_a_video_read_later_in_the_same_run_resolves(runner, tmp_path):
    """Links are settled after every source is read, whatever the order of sources.toml."""
    config = sample_copy(tmp_path / "media")
    text = config.read_text()
    collections = '[sources.collections]\nkind = "collections"\npath = "collections"\n'
    config.write_text(collections + "\n" + text.replace(collections, ""))
    result = reindexed(runner, tmp_path / "data", config)
    assert result.exit_code == 0 and notes(result.output) == [], result.output
    assert result.output.splitlines()[0].startswith("collections: 1 new")


def test_a_collection_without_a_title_or_links_fails_alone(runner, tmp_path):
    config = sample_copy(tmp_path / "media")
    folder = tmp_path / "media" / "collections"
    (folder / "untitled.md").write_text("---\ndescription: no title\n---\n- /items/youtube:smplDrill02\n")
    (folder / "empty.md").write_text("---\ntitle: Nothing yet\n---\nJust words, no links.\n")
    result = reindexed(runner, tmp_path / "data", config)
    assert result.exit_code == 1
    assert "error: collections: untitled.md: front matter has no title" in result.output
    assert "error: collections: empty.md: no moment links: put each link on a line of its own, its note under it" in (
        result.output
    )
    assert "collections: 1 new, 0 updated, 0 unchanged, 0 unavailable, 2 failed — ok" in result.output


@pytest.mark.parametrize(
    "link, named",
    [
        ("/items/youtube:smplIntrv01?t=134&end=153", {"item": "youtube:smplIntrv01", "start": 134, "end": 153}),
        ("https://coach.example/items/podcast:ep%2F1?t=5", {"item": "podcast:ep/1", "start": 5, "end": None}),
        ("https://www.youtube.com/watch?v=smplIntrv01&t=2m14s", {"youtube": "smplIntrv01", "start": 134, "end": None}),
        ("https://youtu.be/smplIntrv01?t=1h2m3s", {"youtube": "smplIntrv01", "start": 3723, "end": None}),
        (
            "https://www.youtube.com/embed/smplIntrv01?start=10&end=20",
            {"youtube": "smplIntrv01", "start": 10, "end": 20},
        ),
        ("https://cdn.example/ep41.mp3#t=146,166", {"url": "https://cdn.example/ep41.mp3", "start": 146, "end": 166}),
        ("https://club.example/post?id=3&t=12", {"url": "https://club.example/post?id=3", "start": 12, "end": None}),
    ],
)
def test_what_a_link_names(link, named):
    assert target(link) == named


def test_moments_are_lines_holding_only_a_link_with_the_note_below():
    intro, moments = split_moments(
        "Intro words.\n\n## [One](/items/a:1?t=3)\nFirst note,\nsecond line.\n\n"
        "1. <https://youtu.be/smplIntrv01>\n* See [this](/items/a:2) inline: not a moment line.\n"
    )
    assert intro == "Intro words."
    assert [(m["label"], m["link"], m["note"]) for m in moments] == [
        ("One", "/items/a:1?t=3", "First note,\nsecond line."),
        ("", "https://youtu.be/smplIntrv01", "* See [this](/items/a:2) inline: not a moment line."),
    ]


def test_markup_in_a_collection_is_shown_as_text_or_cleaned(runner, tmp_path):
    config = sample_copy(tmp_path / "media")
    (tmp_path / "media" / "collections" / "hostile.md").write_text(
        '---\ntitle: "<script>alert(1)</script> picks"\n---\n<img src=x onerror=alert(2)> intro\n\n'
        "## [<b onmouseover=alert(3)>strides</b>](/items/youtube:smplDrill02?t=81)\n"
        '<a href="javascript:alert(4)">see</a> and <script>alert(5)</script>\n'
    )
    reindexed(runner, tmp_path / "data", config)
    page = client_for(tmp_path / "data").get("/items/collection:hostile").get_data(as_text=True)
    page = page[page.index("<main") :]  # what the collection put there
    assert "&lt;script&gt;alert(1)&lt;/script&gt; picks" in page
    for attack in ("<script>alert", "onerror", "<b onmouseover", "javascript:"):
        assert attack not in page, attack
