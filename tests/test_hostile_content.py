"""Hostile content: XSS vectors in every field a source fills never become markup or script.

tests/reliability/xss_vectors.py plants the vectors in every source kind and indexes them
with the real `catalog reindex`. Every page, feed and API answer that shows them is parsed
here: no element may carry an event handler or a scripting URL, no script may be other than
ours, every field must read back as the text stored, JSON-LD must load back to the stored
strings, and the feeds must parse as XML with the vectors as text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import lxml.html
import pytest

from app import create_app
from catalog.links import item_path, source_moment_url
from catalog.storage import store
from catalog.web.notes import notes_html
from catalog.web.templating import facts
from tests.reliability.xss_vectors import NOT_XML, VECTORS, build_hostile_catalog, item_ids, marker

# Slow: `catalog reindex` run as a process over 69 vectors in every source kind. `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

# --- what a page may contain -------------------------------------------------------------

OUR_SCRIPTS = {"/static/app.js", "/static/player.js"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "xlink:href", "srcset", "ping"}
FOREIGN_TAGS = {"object", "embed", "applet", "base", "frame", "frameset", "svg", "math", "style", "template", "marquee"}
OUR_LINKS = {"stylesheet", "search", "alternate", "canonical", "icon"}
PLAYER = "https://www.youtube-nocookie.com/embed/"


def scripting_url(value: str) -> bool:
    """A URL a browser would run, or open as a document of its own (data: other than an image);
    control characters and spaces are ignored in the scheme, as browsers do."""
    url = re.sub(r"[\x00-\x20]", "", value).lower()
    return url.startswith(("javascript:", "vbscript:")) or (
        url.startswith("data:") and not url.startswith("data:image/")
    )


def unsafe_markup(page: str) -> list[str]:
    """Every element of `page` that could run script or was not put there by our templates."""
    found = []
    for element in lxml.html.fromstring(page).iter():
        if not isinstance(element.tag, str):
            continue  # a comment or processing instruction
        tag, attrs = element.tag.lower(), {name.lower(): value for name, value in element.attrib.items()}
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs.items())}>"[:200]
        problems = [f"event handler {name}" for name in attrs if name.startswith("on")]
        problems += [f"scripting URL in {name}" for name in URL_ATTRIBUTES & attrs.keys() if scripting_url(attrs[name])]
        problems += [f"attribute {name}" for name in ("style", "srcdoc", "http-equiv") if name in attrs]
        if tag in FOREIGN_TAGS:
            problems.append("foreign element")
        if tag == "script" and not (attrs.get("type") == "application/ld+json" or attrs.get("src") in OUR_SCRIPTS):
            problems.append("script that is not ours")
        if tag == "iframe" and not attrs.get("src", "").startswith(PLAYER):
            problems.append("iframe that is not the player")
        if tag == "link" and not set(attrs.get("rel", "").split()) <= OUR_LINKS:
            problems.append("link that is not ours")
        share_bar = attrs.get("class") == "share-bar" and attrs.get("action", "").startswith("/items/")
        if tag == "form" and attrs.get("action") != "/search" and not share_bar:
            problems.append("form that is not ours")
        found += [f"{problem}: {where}" for problem in problems]
    return found


def _inner(element) -> str:
    """An element's children as HTML, whitespace aside."""
    return " ".join((element.text or "").split()) + "".join(
        " ".join(lxml.html.tostring(child, encoding="unicode").split()) for child in element
    )


def visible(value):
    """A stored value as an HTML parser shows it: NUL becomes U+FFFD (browsers do the same)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list | tuple):
        return [visible(part) for part in value]
    return {key: visible(part) for key, part in value.items()} if isinstance(value, dict) else value


def fragment(markup: str) -> tuple[set[str], str]:
    """(element names, text) of an HTML fragment, as a browser would build it."""
    tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    return {element.tag for element in tree.iter()} - {"div"}, tree.text_content()


# --- the checks ----------------------------------------------------------------------------

EVERY_VECTOR = frozenset(range(len(VECTORS)))
# A vector that is itself a scripting URL is refused as a source URL, so its items link to no original.
LINKED_VECTORS = frozenset(n for n in EVERY_VECTOR if not scripting_url(VECTORS[n]))


class Places:
    """Checks of the vectors' text, by place: a check that holds counts its vector there, one that
    fails is kept. At the end every check must have held and every place must have been checked
    for every vector expected there, so a check that a condition skips (a field never filled, an
    element never found) cannot pass unseen."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.checked: dict[str, set[int]] = defaultdict(set)

    def check(self, place: str, item_id: str, holds: bool, detail: object = "") -> None:
        if holds:
            self.checked[place].add(int(item_id[-3:]))
        else:
            self.failed.append(f"{item_id}: {place}: {detail!r}"[:300])

    def check_item(self, item_id: str, suffix: str, place: str, holds: bool, detail: object = "") -> None:
        self.check(place + suffix, item_id, holds, detail)

    def assert_all_held(self, expected: dict[str, frozenset[int]]) -> None:
        """Every check held, and the places checked are `expected`, each for all of its vectors."""
        assert not self.failed, f"{len(self.failed)} failed, first: " + "\n".join(self.failed[:15])
        assert sorted(self.checked.keys() - expected.keys()) == [], "places checked but not expected"
        unchecked = {place: sorted(vectors - self.checked[place]) for place, vectors in expected.items()}
        assert {place: missed for place, missed in unchecked.items() if missed} == {}, "vectors never checked"


def at_both(places: dict[str, frozenset[int]]) -> dict[str, frozenset[int]]:
    """The places of an item page, checked on the page as it opens and at ?t=1."""
    return places | {f"{place} at ?t=": vectors for place, vectors in places.items()}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The hostile catalog, indexed by `catalog reindex`: (test client, read-only catalog)."""
    data = build_hostile_catalog(tmp_path_factory.mktemp("hostile"))
    app = create_app({"DATA_DIR": str(data), "RATELIMIT_ENABLED": False})
    return app.test_client(), store.open_readonly(data)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.get_data(as_text=True)


def item_pages() -> Iterator[tuple[str, str]]:
    """(item id, page URL) of every planted item; timed ones also opened at a second."""
    for n in range(len(VECTORS)):
        for kind, item_id in item_ids(n).items():
            yield item_id, item_path(item_id)
            if kind in ("video", "podcast"):
                yield item_id, item_path(item_id) + "?t=1"


def test_no_page_holds_markup_or_script_from_a_vector(site):
    client, _ = site
    shared = ["/", "/browse", "/status", *(f"/search?q=tempo&sort=newest&per_page=50&page={p}" for p in range(1, 7))]
    places = Places()
    places.failed += [f"{url}: {problem}" for url in shared for problem in unsafe_markup(get(client, url))]
    pages = [(f"search page for the vector {n:03}", f"/search?q={quote(vector)}") for n, vector in enumerate(VECTORS)]
    pages += [(item_id, url) for item_id, url in item_pages()]
    for item_id, url in pages:
        page, vector = get(client, url), VECTORS[int(item_id[-3:])]
        problems = unsafe_markup(page) + (["the vector verbatim"] if "<" in vector and vector in page else [])
        kind = "search page for the vector" if url.startswith("/search") else "item page"
        places.check(f"{kind}: markup{' at ?t=' if '?t=' in url else ''}", item_id, not problems, (url, problems))
    places.assert_all_held(
        {"search page for the vector: markup": EVERY_VECTOR} | at_both({"item page: markup": EVERY_VECTOR})
    )


ITEM_FIELDS = (
    "<title>",
    "<h1>",
    "og:title and twitter:title",
    "tag chips",
    "people",
    "description",
    "channel fact",
    "chapter titles",
    "transcript cues",
    "speaker names",
    "JSON-LD name",
    "JSON-LD description",
    "JSON-LD keywords",
    "JSON-LD clip names",
)


def test_item_pages_show_every_field_as_the_text_stored(site):
    client, db = site
    places = Places()
    for item_id, url in item_pages():
        stored, tree = store.get_item(db, item_id), lxml.html.fromstring(get(client, url))
        item, at = visible(stored), " at 0:01" if url.endswith("?t=1") else ""
        check = partial(places.check_item, item_id, " at ?t=" if at else "")
        meta = {el.get("property") or el.get("name"): el.get("content") for el in tree.iter("meta")}
        check("<title>", tree.findtext(".//title") == f"{item['title']}{at} · Coach catalog", tree.findtext(".//title"))
        check("<h1>", tree.find(".//h1").text_content() == item["title"])
        check("og:title and twitter:title", meta["og:title"] == meta["twitter:title"] == item["title"] + at)
        check("tag chips", [a.text_content() for a in tree.xpath('//ul[@aria-label="Tags"]//a')] == item["tags"])
        if item["people"]:
            check("people", tree.find('.//p[@class="people"]').text_content() == "With " + ", ".join(item["people"]))
        if item["description"]:
            notes = tree.find('.//div[@class="notes-text"]')
            timed = item["kind"] in ("video", "podcast") and bool(item["youtube_id"] or item["media_url"])
            shown = notes_html(item["description"], timed=timed)
            check(
                "description",
                notes is not None
                and _inner(notes) == _inner(lxml.html.fragment_fromstring(shown, create_parent="div")),
            )
        if item["extra"].get("channel"):
            check("channel fact", [dd.text_content() for dd in tree.iter("dd")] == [v for _, v in facts(item["extra"])])
        chapters = visible(store.item_chapters(db, item_id))
        shown = [a.find("span").tail[1:] for a in tree.xpath('//ol[@class="chapters"]/li/a')]
        check("chapter titles", shown == [c["title"] for c in chapters], shown)
        segments = [s for s in visible(store.item_segments(db, item_id)) if s["start"] is not None]
        cues = [span.text_content() for span in tree.xpath('//div[@id="transcript"]//span[contains(@class, "cue")]')]
        speakers = {span.text_content() for span in tree.xpath('//div[@id="transcript"]//span[@class="speaker"]')}
        if segments:
            said, shown = " ".join(s["text"] for s in segments).split(), " ".join(cues).split()
            if item["captions"] == "auto":  # auto-captions' lone "i" is shown as "I"
                said, shown = [w.lower() for w in said], [w.lower() for w in shown]
            check("transcript cues", shown == said, cues)
            check("speaker names", speakers == {s["speaker"] for s in segments if s["speaker"]}, speakers)
        link = tree.xpath('//a[starts-with(normalize-space(.), "Open the original")]/@href')
        if item["source_url"]:
            check("link to the original", link == [source_moment_url(item, 1 if at else None)], link)
        ld = json.loads(tree.find('.//script[@type="application/ld+json"]').text)  # back to the stored strings
        check("JSON-LD name", ld["name"] == stored["title"])
        check("JSON-LD description", ld.get("description", "") == stored["description"])
        check("JSON-LD keywords", ld.get("keywords", []) == stored["tags"])
        if chapters:
            titles = [c["title"] for c in store.item_chapters(db, item_id)]
            check("JSON-LD clip names", [c["name"] for c in ld["hasPart"]][: len(chapters)] == titles)
        if at and len(ld.get("hasPart", ())) > len(chapters):
            quote_at = f"“{visible(ld['hasPart'][-1]['name'])}”{at}"
            check("og:description quotes the JSON-LD moment", meta["og:description"] == quote_at)
        if item["kind"] == "article" and item["people"]:
            check("JSON-LD authors", [a["name"] for a in ld["author"]] == stored["people"])
    places.assert_all_held(
        at_both(dict.fromkeys(ITEM_FIELDS, EVERY_VECTOR) | {"link to the original": LINKED_VECTORS})
        | {"JSON-LD authors": EVERY_VECTOR, "og:description quotes the JSON-LD moment at ?t=": EVERY_VECTOR}
    )


def test_results_and_api_show_vectors_as_text_with_only_marks(site):
    client, db = site
    places = Places()
    for n, vector in enumerate(VECTORS):
        doc = client.get(f"/api/search?q={marker(n)}").get_json()
        ids = sorted(result["id"] for result in doc["results"])
        places.check("API finds the vector's items", f"{n:03}", ids == sorted(item_ids(n).values()), ids)
        for result in doc["results"]:
            item = visible(store.get_item(db, result["id"]))
            tags, text = fragment(result["title_html"])
            holds = visible(result["title"]) == item["title"] == text and tags <= {"mark"}
            places.check("API title and title_html", result["id"], holds, text)
            tags, text = fragment(result["snippet_html"])
            places.check(
                "API snippet_html", result["id"], tags <= {"mark"} and text.strip("…") in item["description"], text
            )
            marked = [fragment(moment["text_html"])[0] for moment in result["moments"]]
            places.check("API moment text_html", result["id"], all(t <= {"mark"} for t in marked), marked)
        tree = lxml.html.fromstring(get(client, f"/search?q={marker(n)}"))
        for card in tree.xpath('//ol[@id="results"]/li'):
            link = card.find('.//a[@class="result-link"]')
            item = visible(store.get_item(db, link.get("href").removeprefix("/items/")))
            places.check("results title", item["id"], link.text_content() == item["title"])
            images = card.xpath(".//img/@src")
            places.check("results thumbnail", item["id"], images == ([item["thumbnail"]] if item["thumbnail"] else []))
            labels = card.xpath('.//ul[@class="moments"]/@aria-label')
            places.check("results moments label", item["id"], labels in ([], [f"Moments in {item['title']}"]), labels)
        box = lxml.html.fromstring(get(client, f"/search?q={quote(vector)}")).xpath('//input[@id="q"]/@value')
        places.check("search box holding the vector", f"{n:03}", box == [visible(vector)], box)
    api = ("API finds the vector's items", "API title and title_html", "API snippet_html", "API moment text_html")
    page = ("results title", "results thumbnail", "results moments label", "search box holding the vector")
    places.assert_all_held(dict.fromkeys(api + page, EVERY_VECTOR))


def test_feed_and_sitemap_parse_with_the_vectors_as_text(site):
    client, db = site
    places = Places()
    feed = ElementTree.fromstring(client.get("/feed.xml").data)  # raises if the XML is broken
    entries = feed.findall("./channel/item")
    in_feed = frozenset(int(entry.findtext("link")[-3:]) for entry in entries)
    assert len(entries) == len(in_feed) == 50  # the 50 newest items, one per vector
    for entry in entries:  # XML keeps what it can carry as it is, and the feed drops the rest
        item = store.get_item(db, unquote(entry.findtext("link").partition("/items/")[2]))
        places.check("RSS title", item["id"], entry.findtext("title") == NOT_XML.sub("", item["title"]))
        tags, text = fragment(entry.findtext("description") or "<br>")  # as a reader renders it (as HTML)
        places.check("RSS description", item["id"], tags <= {"br"} and text == NOT_XML.sub("", item["description"]))
        categories = [c.text for c in entry.findall("category")]
        expected = [NOT_XML.sub("", tag) for tag in item["tags"]]
        places.check("RSS categories", item["id"], categories == expected, categories)
    urlset = ElementTree.fromstring(client.get("/sitemap.xml").data)
    locations = {
        loc.text.partition("/items/")[2] for loc in urlset.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    for item_id, _ in item_pages():
        places.check("sitemap", item_id, quote(item_id, safe=":") in locations)
    places.assert_all_held(
        dict.fromkeys(("RSS title", "RSS description", "RSS categories"), in_feed) | {"sitemap": EVERY_VECTOR}
    )
