"""Being found: RSS, sitemap, OpenSearch, JSON-LD and share cards, on the indexed sample."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import feedparser
import pytest
from flask import render_template

from catalog.storage import store
from catalog.storage.models import Item
from catalog.web import discovery
from catalog.web.resources import get_db
from catalog.web.social_meta import moment_at
from catalog.web.structured_data import json_ld, json_ld_script

INTERVIEW = "youtube:smplIntrv01"
SAMPLE_COUNT = 12
HOSTILE = ["</script><script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def xml_of(client, url: str, content_type: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Type"] == f"{content_type}; charset=utf-8"
    return ET.fromstring(response.data)


def head_of(item_id: str, start: int | None = None, end: int | None = None) -> dict:
    """`item_head` for a sample item, as the item view would call it."""
    db = get_db()
    item = store.get_item(db, item_id)
    return discovery.item_head(item, store.item_chapters(db, item_id), store.item_segments(db, item_id), start, end)


def meta(head: dict) -> dict[str, str]:
    return {name: content for _, name, content in head["social_meta"]}


def ld_body(head: dict) -> dict:
    script = str(head["json_ld_script"])
    return json.loads(script.removeprefix('<script type="application/ld+json">').removesuffix("</script>"))


def test_feed_is_rss_of_every_sample_item_with_absolute_links_and_dates(client):
    channel = xml_of(client, "/feed.xml", "application/rss+xml").find("channel")
    items = channel.findall("item")
    assert len(items) == SAMPLE_COUNT
    for entry in items:
        link = entry.findtext("link")
        assert link.startswith("http://localhost/items/")
        assert entry.find("guid").text == link and entry.find("guid").get("isPermaLink") == "true"
        assert parsedate_to_datetime(entry.findtext("pubDate")).tzinfo is not None
    dates = [parsedate_to_datetime(entry.findtext("pubDate")) for entry in items]
    assert dates == sorted(dates, reverse=True)
    interview = next(e for e in items if e.findtext("link").endswith(INTERVIEW))
    assert interview.findtext("pubDate") == "Tue, 21 May 2024 00:00:00 +0000"
    assert "4x400 relay" in [c.text for c in interview.findall("category")]
    assert interview.find("enclosure") is None  # YouTube: no media file to enclose


def test_feed_reads_cleanly_in_feedparser_with_podcast_enclosures(client):
    parsed = feedparser.parse(client.get("/feed.xml").data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == SAMPLE_COUNT
    episode = next(e for e in parsed.entries if e.link.endswith("generic:riverbend-ep-041"))
    assert [(enc.href, enc.type) for enc in episode.enclosures] == [
        ("https://media.riverbendrunclub.example/episodes/riverbend-ep-041.mp3", "audio/mpeg")
    ]
    assert episode.published_parsed[:3] == (2024, 8, 13)


def test_sitemap_lists_home_browse_and_every_item(client):
    urlset = xml_of(client, "/sitemap.xml", "application/xml")
    urls = {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in urlset}
    items = {f"http://localhost/items/{item_id}" for item_id in _sample_ids(client)}
    assert set(urls) == {"http://localhost/", "http://localhost/browse"} | items
    assert urls[f"http://localhost/items/{INTERVIEW}"] == "2024-05-21"


def test_opensearch_description_has_search_and_suggestion_templates(client):
    root = xml_of(client, "/opensearch.xml", "application/opensearchdescription+xml")
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert 0 < len(root.findtext(f"{OPENSEARCH}ShortName")) <= 16
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{OPENSEARCH}Url")}
    assert templates["text/html"] == "http://localhost/search?q={searchTerms}"
    assert templates["application/x-suggestions+json"] == (
        "http://localhost/api/suggest?q={searchTerms}&format=opensearch"
    )


def test_site_url_config_wins_over_the_request_host(sample_data):
    from app import create_app

    client = create_app({"DATA_DIR": str(sample_data), "SITE_URL": "https://coach.example/"}).test_client()
    links = [e.findtext("link") for e in xml_of(client, "/feed.xml", "application/rss+xml").iter("item")]
    assert links and all(link.startswith("https://coach.example/items/") for link in links)
    locs = [url.findtext(f"{SITEMAP}loc") for url in xml_of(client, "/sitemap.xml", "application/xml")]
    assert locs[0] == "https://coach.example/"


def test_interview_json_ld_has_chapter_clips_and_a_seek_action(app):
    with app.test_request_context():
        data = ld_body(head_of(INTERVIEW))
    page = f"http://localhost/items/{INTERVIEW}"
    assert data["@type"] == "VideoObject" and data["duration"] == "PT9M34S"
    assert data["embedUrl"] == "https://www.youtube.com/embed/smplIntrv01"
    assert [(c["startOffset"], c["endOffset"]) for c in data["hasPart"]] == [
        (0, 44),
        (44, 255),
        (255, 393),
        (393, 460),
        (460, 574),
    ]
    assert data["hasPart"][3] == {
        "@type": "Clip",
        "name": "The 4x400 relay",
        "startOffset": 393,
        "endOffset": 460,
        "url": f"{page}?t=393",
    }
    assert data["potentialAction"] == {
        "@type": "SeekToAction",
        "target": f"{page}?t={{seek_to_second_number}}",
        "startOffset-input": "required name=seek_to_second_number",
    }


def test_a_link_at_134s_quotes_what_was_said_there(app):
    with app.test_request_context():
        head = head_of(INTERVIEW, start=134)
    tags = meta(head)
    quote = "they needed a fourth guy for the four by four hundred relay"
    assert tags["og:description"] == f"“{quote}” at 2:14"
    assert tags["og:title"].endswith(" and more at 2:14")
    assert tags["og:url"] == f"http://localhost/items/{INTERVIEW}?t=134"
    assert tags["twitter:card"] == "summary_large_image"
    assert ld_body(head)["hasPart"][-1] == {
        "@type": "Clip",
        "name": quote,
        "startOffset": 134,
        "endOffset": 153,
        "url": f"http://localhost/items/{INTERVIEW}?t=134",
    }


def test_punctuated_captions_quote_the_whole_sentence(app):
    with app.test_request_context():
        tags = meta(head_of("generic:riverbend-ep-041", start=62, end=65))
    assert tags["og:description"] == (
        "“Walking the last six miles is a great way to get interested in carbohydrates.” at 1:02"
    )
    assert tags["og:url"].endswith("?t=62&end=65")
    assert tags["og:type"] == "article"


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "We start easy. Then the hard part comes at the end of the session. Finally cool down.",
            "Then the hard part comes at the end of the session.",
        ),
        (
            "We start easy. Then the hard part " + "and more " * 30 + "comes at the end. Finally cool down.",
            "comes at the end.",
        ),
    ],
    ids=["sentence", "too-long-sentence"],
)
def test_a_cue_inside_a_sentence_quotes_the_sentence_unless_it_is_too_long(text, quote):
    cues = [[0, 10.0], [text.index("Then"), 20.0], [text.index("comes"), 25.0], [text.index("Finally"), 30.0]]
    segment = {"seq": 0, "start": 10.0, "end": 40.0, "text": text, "cue_times": json.dumps(cues)}
    assert moment_at([segment], 26) == {"start": 26, "end": 40.0, "text": quote}


def test_without_a_moment_the_description_is_cut_at_a_word(app):
    with app.test_request_context():
        tags = meta(head_of(INTERVIEW))
        article = meta(head_of("article:your-first-5k-six-week-plan", start=30))
    assert tags["og:description"].startswith("Live from the Riverbend Run Club studio")
    assert len(tags["og:description"]) <= 200 and tags["og:description"].endswith("…")
    title = "LIVE: Sub-5 mile at 58 with Harold Okafor | masters 800, 4x400 relay and more"
    assert tags["og:title"] == tags["twitter:title"] == title
    assert tags["og:url"] == f"http://localhost/items/{INTERVIEW}"
    assert article["og:url"] == "http://localhost/items/article:your-first-5k-six-week-plan"  # no moment in text
    assert article["twitter:card"] == "summary" and "og:image" not in article


@pytest.mark.parametrize(
    ("item_id", "expected"),
    [
        (
            "article:threshold-and-tempo-runs-explained",
            {
                "@type": "Article",
                "headline": "Threshold and tempo runs, explained",
                "author": [{"@type": "Person", "name": "Marisol Vega"}],
                "datePublished": "2024-04-09",
            },
        ),
        (
            "workout:mile-repeats-sub-5-effort",
            {
                "@type": "ExercisePlan",
                "activityDuration": "PT1H10M",
                "exerciseType": "endurance",
                "intensity": "advanced",
                "additionalVariable": "Equipment: track, watch",
            },
        ),
        (
            "workout:race-week-strides-session",
            {
                "@type": "ExercisePlan",
                "video": {
                    "@type": "VideoObject",
                    "url": "https://www.youtube.com/watch?v=smplDrill02",
                    "embedUrl": "https://www.youtube.com/embed/smplDrill02",
                },
            },
        ),
        (
            "generic:riverbend-ep-042",
            {
                "@type": "PodcastEpisode",
                "datePublished": "2024-08-27",
                "associatedMedia": {
                    "@type": "MediaObject",
                    "duration": "PT6M14S",
                    "contentUrl": "https://media.riverbendrunclub.example/episodes/riverbend-ep-042.mp3",
                },
            },
        ),
    ],
)
def test_each_kind_gets_its_schema_org_type(app, item_id, expected):
    with app.test_request_context():
        data = ld_body(head_of(item_id))
    assert data["@context"] == "https://schema.org"
    assert {key: data.get(key) for key in expected} == expected


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_strings_stay_inert_in_json_ld_and_meta_tags(app, hostile):
    item = {
        "id": "video:evil",
        "kind": "video",
        "url": "/items/video:evil",
        "title": hostile,
        "description": hostile,
        "tags": [hostile],
        "thumbnail": f"https://img.example/{hostile}",
        "duration": 60,
    }
    chapters = [{"seq": 0, "start": 0.0, "title": hostile}]
    segments = [{"seq": 0, "start": 0.0, "end": 60.0, "text": hostile, "speaker": None, "cue_times": "[]"}]
    with app.test_request_context():
        html = render_template("_social_meta.html", **discovery.item_head(item, chapters, segments, 5, None))
    assert "<img" not in html and "<script>alert" not in html and html.count("</script>") == 1
    page = _Head()
    page.feed(html)
    assert [tag for tag, _ in page.tags] == ["link"] + ["meta"] * 9 + ["script"]  # nothing smuggled in
    contents = {attrs.get("property") or attrs.get("name"): attrs.get("content") for tag, attrs in page.tags}
    assert contents["og:title"] == f"{hostile} at 0:05"
    assert contents["twitter:description"] == f"“{hostile}” at 0:05"
    assert len(page.scripts) == 1 and "<" not in page.scripts[0] and ">" not in page.scripts[0]
    data = json.loads(page.scripts[0])
    assert data["name"] == hostile and data["hasPart"][0]["name"] == hostile and data["keywords"] == [hostile]


def test_json_ld_script_escapes_every_breakout_character():
    script = str(json_ld_script({"name": "a</script><!--&b"}))
    assert script == '<script type="application/ld+json">{"name": "a\\u003c/script\\u003e\\u003c!--\\u0026b"}</script>'


def test_hostile_catalog_text_keeps_the_feed_and_sitemap_well_formed(fresh_data):
    from app import create_app

    title = "Tempo \x00\x0b& <b>bold</b> ]]> " + HOSTILE[0]
    with store.open_for_writing(fresh_data) as db:
        store.save_item(
            db,
            Item(
                id="article:evil",
                kind="article",
                title=title,
                source="articles",
                description=HOSTILE[1],
                tags=(HOSTILE[0],),
            ),
            "2024-01-02T03:04:05+00:00",
        )
        # Item refuses a junk date now; a catalog written before that may still hold one.
        with db.conn:
            db.execute("update items set published = 'not a date' where id = 'article:evil'")
    assert store.open_readonly(fresh_data).execute("select published from items").fetchall() == [("not a date",)]
    client = create_app({"DATA_DIR": str(fresh_data)}).test_client()
    entry = xml_of(client, "/feed.xml", "application/rss+xml").find("channel/item")
    assert entry.findtext("title") == title.replace("\x00", "").replace("\x0b", "")
    assert entry.findtext("pubDate") == "Tue, 02 Jan 2024 03:04:05 +0000"  # first seen, as the date is junk
    assert entry.findtext("category") == HOSTILE[0]
    summary = feedparser.parse(client.get("/feed.xml").data).entries[0].summary
    assert "<img" not in summary and "&lt;img src=x" in summary
    assert [url.findtext(f"{SITEMAP}loc") for url in xml_of(client, "/sitemap.xml", "application/xml")][-1] == (
        "http://localhost/items/article:evil"
    )


def test_json_ld_without_duration_ends_the_last_chapter_with_the_transcript():
    item = {"kind": "podcast", "title": "Ep. 1", "media_url": "https://a.example/1.mp3", "duration": None}
    chapters = [{"start": 0.0, "title": "Welcome"}, {"start": 30.0, "title": "Racing"}]
    segments = [{"start": 0.0, "end": 29.0}, {"start": 29.0, "end": 71.5}]
    data = json_ld(item, chapters, segments, None, "https://x.example/items/p:1")
    assert [(c["startOffset"], c.get("endOffset")) for c in data["hasPart"]] == [(0, 30), (30, 71)]
    assert "duration" not in data and data["associatedMedia"] == {
        "@type": "MediaObject",
        "contentUrl": item["media_url"],
    }


class _Head(HTMLParser):
    """Collects the start tags and script bodies of a rendered head, as a browser would see them."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def _sample_ids(client) -> set[str]:
    with client.application.app_context():
        return store.item_ids(get_db(), "live")


def test_item_page_carries_its_share_card_and_structured_data(client):
    html = client.get(f"/items/{INTERVIEW}?t=134").get_data(as_text=True)
    assert (
        '<meta property="og:description" content="“they needed a fourth guy for the four by four hundred relay”' in html
    )
    assert '<script type="application/ld+json">' in html and '"@type": "VideoObject"' in html


def test_opensearch_suggestions_format(client):
    response = client.get("/api/suggest?q=stri&format=opensearch")
    assert response.mimetype == "application/x-suggestions+json"
    prefix, texts = response.get_json()
    assert prefix == "stri" and "Strides before a race: how and why" in texts
