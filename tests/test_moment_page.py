"""The moment page and what visitors read, through HTTP: cues with their seconds, the query's
words marked, one renderer for results, names as their sources wrote them, podcast pages."""

from __future__ import annotations

import json
import re

import lxml.html

from catalog.links import with_query
from catalog.search.query import parse
from catalog.web.notes import notes_html
from catalog.web.transcript_view import transcript
from tests.helpers import index_workouts

INTERVIEW = "/items/youtube:smplIntrv01"
EPISODE = "/items/generic:riverbend-ep-041"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def has(name: str) -> str:
    """An XPath test for an element of class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def cues_of(html: str) -> list[tuple[float, str]]:
    tree = lxml.html.fromstring(html)
    return [
        (float(span.get("data-start")), span.text_content())
        for span in tree.xpath(f'//*[@id="transcript"]//*[{has("cue")}]')
    ]


# --- the transcript as cues, in paragraphs ---------------------------------------------------------


def segment(seq: int, cues: list[tuple[float, str]], speaker: str | None = None, end: float | None = None) -> dict:
    text, times = "", []
    for second, words in cues:
        times.append([len(text), second])
        text += words + " "
    return {
        "seq": seq,
        "start": cues[0][0],
        "end": end or cues[-1][0] + 3,
        "text": text.strip(),
        "speaker": speaker,
        "cue_times": json.dumps(times),
    }


def test_each_cue_keeps_its_second_and_the_one_said_at_t_is_current():
    segments = [segment(0, [(10.0, "we ran"), (13.4, "the relay"), (16.0, "at night")])]
    shown = transcript(segments, at=13)  # ?t=13 from a moment that starts at 13.4 s
    assert [(c.start, c.text) for p in shown.paragraphs for c in p.cues] == [
        (10.0, "we ran"),
        (13.4, "the relay"),
        (16.0, "at night"),
    ]
    assert shown.current.text == "the relay"
    assert shown.paragraphs[0].cues[0].anchor == "s-0"  # old #s-N links still find their segment
    assert transcript(segments, at=None).current is None


def test_punctuated_paragraphs_end_at_a_sentence_and_at_a_speaker_change():
    one = segment(0, [(0.0, "Hello and welcome."), (9.0, "Today it is fuelling,"), (18.0, "a big topic.")], "Host")
    two = segment(1, [(21.0, "Thanks for having me."), (25.0, "I ran in college.")], "Guest")
    three = segment(2, [(40.0, "So, carbs"), (44.0, "before a race?")], "Host")
    paragraphs = transcript([one, two, three]).paragraphs
    texts = [" ".join(c.text for c in p.cues) for p in paragraphs]
    assert texts == [
        "Hello and welcome. Today it is fuelling, a big topic.",
        "Thanks for having me. I ran in college.",
        "So, carbs before a race?",
    ]
    assert [p.speaker for p in paragraphs] == ["Host", "Guest", "Host"]


def test_unpunctuated_captions_break_every_few_seconds_and_at_chapters():
    words = [(float(n * 4), f"word{n} and more") for n in range(20)]  # 80 s of lowercase captions
    chapters = [{"start": 0.0, "title": "Intro"}, {"start": 52.0, "title": "The relay"}]
    paragraphs = transcript([segment(0, words[:10]), segment(1, words[10:])], chapters).paragraphs
    assert [p.chapter for p in paragraphs if p.chapter] == ["Intro", "The relay"]
    assert next(p for p in paragraphs if p.chapter == "The relay").start == 52.0
    assert all(p.cues[-1].start - p.start < 30 for p in paragraphs)


def test_the_query_words_are_marked_in_their_cue_and_auto_captions_say_i():
    segments = [segment(0, [(5.0, "i ran the four by four"), (8.0, "hundred relay at the meet")])]
    shown = transcript(segments, terms=parse("4x400 relay").highlight_terms, auto=True)
    first, second = shown.paragraphs[0].cues
    assert first.text.startswith("I ran")
    assert "<mark>four by four</mark>" in first.html and "<mark>relay</mark>" in second.html


def test_clip_ends_on_offer_are_paragraph_ends_after_the_start():
    sentences = [(float(n * 10), f"Sentence {n}.") for n in range(12)]
    shown = transcript([segment(0, sentences)])
    ends = shown.until_choices(30)
    assert ends and all(end >= 32 for end in ends) and ends == sorted(ends)


# --- the item page at ?t= with q -------------------------------------------------------------------


def test_the_page_opened_from_a_search_marks_the_query_in_the_cue_at_t(client):
    html = page(client, f"{INTERVIEW}?t=134&q=4x400+relay")
    tree = lxml.html.fromstring(html)
    current = tree.xpath(f'//*[@id="transcript"]//*[{has("cue")} and {has("current")}]')
    assert len(current) == 1 and current[0].get("aria-current") == "true"
    starts = [start for start, _ in cues_of(html)]
    at = float(current[0].get("data-start"))
    following = [s for s in starts if s > at]
    assert int(at) <= 134 < (following[0] if following else 10**6)  # the cue being said at 2:14
    assert [m.text_content() for m in current[0].xpath(".//mark")] == ["four by four hundred", "relay"]
    assert "<mark>" not in page(client, f"{INTERVIEW}?t=134").split('id="transcript"')[1]  # no q, no marks


def test_transcript_paragraphs_are_no_longer_walls_of_one_timestamp(client):
    html = page(client, EPISODE)
    tree = lxml.html.fromstring(html)
    paragraphs = tree.xpath('//*[@id="transcript"]//p[@data-start]')
    cues = tree.xpath(f'//*[@id="transcript"]//*[{has("cue")} and @data-start]')
    assert len(cues) > 2 * len(paragraphs) > 20  # each paragraph holds cues with their own seconds
    speakers = [s.text_content() for s in tree.xpath(f'//*[@id="transcript"]//*[{has("speaker")}]')]
    assert {"Marisol Vega", "Lena Hartwell"} <= set(speakers)
    punctuated = [p.text_content().split(None, 1)[0] for p in paragraphs]
    assert all(re.fullmatch(r"\d+:\d\d", first) for first in punctuated)  # every paragraph shows its time
    last_words = [p.xpath(f".//*[{has('cue')}]")[-1].text_content().rstrip() for p in paragraphs]
    ended = sum(text[-1] in ".?!…" for text in last_words)
    assert ended >= 0.8 * len(last_words)  # a human transcript's paragraphs end at a sentence


def test_a_podcast_page_has_artwork_show_episode_and_linked_notes(client):
    tree = lxml.html.fromstring(page(client, f"{EPISODE}?t=240"))
    meta = tree.xpath(f"//header[{has('item-head')}]/p[{has('meta')}]")[0].text_content()
    assert "Riverbend Run Club Podcast" in meta and "Season 3, episode 41" in meta
    assert "13 August 2024" in meta and "2024-08-13" not in meta
    artwork = tree.xpath(f"//*[{has('stage')}]//*[{has('artwork')}]/img")
    assert artwork and artwork[0].get("src").endswith("/artwork/episode-41.jpg")
    notes = tree.xpath(f"//*[{has('notes-text')}]")[0]
    assert len(notes.xpath(".//p")) >= 3  # paragraphs, not one flattened line
    chapter_links = [(a.text_content(), a.get("href")) for a in notes.xpath(f".//a[{has('seek')}]")]
    assert ("1:14", "?t=74") in chapter_links


def test_video_descriptions_link_their_urls(client):
    notes = lxml.html.fromstring(page(client, "/items/youtube:smplDrill02")).xpath(f"//*[{has('notes-text')}]")[0]
    links = {a.get("href"): a.get("rel") for a in notes.xpath(f".//a[not({has('seek')})]")}
    assert links == {"https://riverbendrunclub.example/workouts/race-week-strides-session/": "nofollow ugc noopener"}


def test_notes_are_escaped_and_link_only_to_the_web():
    html = notes_html(
        "**Links**\n- [Our club](https://club.example/a_(b)) and <b>bold</b>\n- [bad](javascript:alert(1))\n\n"
        "See https://club.example/x. Or 3:05 later.\n2:14 The relay",
        timed=True,
    )
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert '<a href="https://club.example/a_(b)" rel="nofollow ugc noopener">Our club</a>' in html
    assert "javascript" not in html.split("href=")[-1].split(">")[0]
    assert '<a href="https://club.example/x" rel="nofollow ugc noopener">https://club.example/x</a>.' in html
    assert '<a class="seek" href="?t=134" data-start="134">2:14</a> The relay' in html
    assert "?t=185" not in html  # only a time opening a line is a chapter link
    assert '<a class="seek"' not in notes_html("2:14 The relay", timed=False)


# --- one renderer for results, and the labels visitors read ------------------------------------------


def test_the_results_fragment_is_the_region_of_the_page(client):
    full = lxml.html.fromstring(page(client, "/search?q=strides"))
    fragment = lxml.html.fromstring(page(client, "/api/results?q=strides"))
    region = full.get_element_by_id("results-region")
    assert lxml.html.tostring(fragment, with_tail=False) == lxml.html.tostring(region, with_tail=False)
    assert fragment.get_element_by_id("count").text_content() == "11 results for “strides”"


def test_results_come_before_the_filters_and_chips_read_as_labels(client):
    html = page(client, "/search?q=relay")
    assert html.index('id="results"') < html.index('id="facets"')  # tab order: the first result, then filters
    chips = [
        a.text_content().rsplit(" ", 1)[0]
        for a in lxml.html.fromstring(html).xpath(f'//*[@id="facets"]//a[{has("chip")}]')
    ]
    assert "Harold Okafor" in chips and "M55" in chips and "Under 10 min" in chips and "Video" in chips
    assert not {"harold okafor", "m55", "under-10", "video", "auto"} & set(chips)
    card = lxml.html.fromstring(html).xpath(f'//*[@id="results"]/li[1]//p[{has("meta")}]')[0].text_content()
    assert "Riverbend Run Club" in card and "21 May 2024" in card and "videos" not in card


def test_a_result_without_a_source_title_names_no_config_key(client):
    tree = lxml.html.fromstring(page(client, "/search?q=&kind=workout"))
    metas = [m.text_content() for m in tree.xpath(f'//*[@id="results"]//p[{has("meta")}]')]
    assert metas and not any("workouts" in meta for meta in metas)
    assert all(meta.lower().count("workout") == 1 for meta in metas)  # the kind once, not three times


def test_zero_results_keep_no_empty_filter_column(client):
    tree = lxml.html.fromstring(page(client, "/search?q=zzzzqqq"))
    assert not tree.xpath('//*[@id="facets"]') and "no-facets" in tree.xpath(f"//*[{has('layout')}]")[0].get("class")
    assert tree.get_element_by_id("no-results").text_content().strip().startswith("Nothing matched")


def test_a_favicon_is_linked_and_served(client):
    assert 'rel="icon" href="/static/favicon.svg"' in page(client, "/")
    for path in ("/static/favicon.svg", "/favicon.ico"):
        response = client.get(path)
        assert response.status_code == 200 and response.get_data(as_text=True).startswith("<svg")


def test_moment_links_carry_the_query_before_their_anchor():
    assert with_query("/items/a?t=134", "4x400 relay") == "/items/a?t=134&q=4x400+relay"
    assert with_query("/items/article:x#p-3", "relay") == "/items/article:x?q=relay#p-3"
    assert with_query("/items/a?t=1", "  ") == "/items/a?t=1"


def test_a_source_title_from_sources_toml_is_what_visitors_read(fresh_data, tmp_path):
    from app import create_app

    hills = {"hills.md": "---\nname: Hill repeats\nduration: 40\n---\nSix hills, jog down.\n"}
    assert index_workouts(fresh_data, tmp_path / "config", hills, 'title = "Riverbend workouts"\n').exit_code == 0
    client = create_app({"DATA_DIR": str(fresh_data), "TESTING": True, "RATELIMIT_ENABLED": False}).test_client()
    for url in ("/search?q=hills", "/items/workout:hills"):
        meta = lxml.html.fromstring(page(client, url)).xpath(f"//p[{has('meta')}]")[0].text_content()
        assert "Riverbend workouts" in meta and "wk" not in meta.split()


def test_an_article_opened_from_a_search_marks_the_query_in_its_text_only(client):
    from catalog.text.marks import marked_html

    html = page(client, "/items/article:masters-running-800m-after-50?q=relay")
    body = lxml.html.fromstring(html).xpath('//section[@class="body"]')[0]
    marks = [m.text_content().lower() for m in body.xpath(".//mark")]
    assert marks and set(marks) <= {"relay", "relays"}
    assert body.xpath('.//*[@id="p-0"]')  # the anchors moments link to are kept
    terms = parse("relay").highlight_terms
    kept = marked_html('<p id="p-1"><a href="https://x.example/relay" title="relay">A relay &amp; more</a></p>', terms)
    assert kept == '<p id="p-1"><a href="https://x.example/relay" title="relay">A <mark>relay</mark> &amp; more</a></p>'


def test_an_episode_without_a_player_still_shows_its_artwork(fresh_data):
    from app import create_app
    from catalog.storage import store
    from catalog.storage.models import Item
    from indexer import build

    db = store.open_for_writing(fresh_data)
    art = "https://cdn.example/show.jpg"
    store.save_item(db, Item(id="podcast:x", kind="podcast", title="No audio", source="p", thumbnail=art), "t")
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    client = create_app({"DATA_DIR": str(fresh_data), "TESTING": True, "RATELIMIT_ENABLED": False}).test_client()
    tree = lxml.html.fromstring(page(client, "/items/podcast:x"))
    assert tree.xpath(f"//*[{has('artwork')}]/img/@src") == [art]
    assert not tree.xpath('//form[@class="share-bar"]')  # nothing to play, nothing to share at a second


def test_find_in_transcript_finds_words_as_search_does(client):
    """One analyzer everywhere: "running" finds run, runs and running, as the search would."""
    found = client.get("/api/items/generic:riverbend-ep-041/find?q=running").get_json()
    marked = {m.lower() for _, html in found["cues"] for m in re.findall(r"<mark>(.*?)</mark>", html)}
    assert {"run", "runs", "running"} <= marked and "runners" not in marked
    assert found["matches"] == sum(html.count("<mark>") for _, html in found["cues"])
    typing = client.get("/api/items/generic:riverbend-ep-041/find?q=carbo").get_json()  # a word being typed
    assert {"carbohydrate", "carbohydrates"} <= {
        m.lower() for _, html in typing["cues"] for m in re.findall(r"<mark>(.*?)</mark>", html)
    }
    assert client.get("/api/items/generic:riverbend-ep-041/find?q=").get_json()["cues"] == []
    assert client.get("/api/items/nothing:here/find?q=run").status_code == 404
