"""The `podcast` source kind against feeds, transcripts and chapters served on 127.0.0.1."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from indexer.config import SourceConfig
from indexer.fetch import FetchPolicy
from indexer.html_clean import notes_text
from indexer.sources import podcast
from indexer.sources.base import ItemFailure, SourceContext, SourceError, SourceUnchanged, Unchanged
from indexer.sources.podcast_feed import DESCRIPTION_CHARS, chapters_from_json, duration_seconds

from .helpers import live_ids, live_search, reindex_config

VTT = {"Content-Type": "text/vtt"}
CHAPTERS = "application/json+chapters"
NOTES = "Show notes of Ep.\n\nSecond paragraph."  # the description of `episode("…", "Ep")`
OLD_DATE = "Tue, 02 Jun 2020 08:00:00 -0400"  # long past, so the run's rolling refresh leaves it alone
TRANSCRIPTS = {  # corpus file, MIME type, speakers its segments must carry
    "vtt": ("podcastindex-example.vtt", "text/vtt", {"Sarah", "Gillian"}),
    "srt": ("podcastindex-example.srt", "application/srt", {"Travis", "Sarah"}),
    "json": ("podcastindex-example.transcript.json", "application/json", {"Darth Vader", "Luke"}),
    "html": ("podcastindex-example.transcript.html", "text/html", {"Travis", "Sarah"}),
}


def episode(guid: str, title: str, *, tags: str = "", enclosure: bool = True) -> str:
    """An `<item>`; `tags` are extra elements such as podcast:transcript."""
    media = f'<enclosure url="https://cdn.example.com/{guid}.mp3" type="audio/mpeg" length="1"/>' if enclosure else ""
    guid_tag = f"<guid isPermaLink='false'>{guid}</guid>" if guid else ""
    return (
        f"<item><title>{title}</title>{guid_tag}<pubDate>{OLD_DATE}</pubDate>"
        f"<description><![CDATA[<p>Show notes of {title}.</p><p>Second&nbsp;paragraph.</p>]]></description>"
        f"<itunes:duration>12:34</itunes:duration>{media}{tags}</item>"
    )


def feed(*items: str, channel: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        ' xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Coach Talk</title>'
        f'<itunes:image href="https://cdn.example.com/show.jpg"/>{channel}{"".join(items)}</channel></rss>'
    )


def serve(fixture_server, *items: str, **route) -> str:
    """Serve a feed of `items` at /feed.xml; returns its URL."""
    return fixture_server.route("/feed.xml", feed(*items), **route)


def transcript_tag(url: str, mime: str, language: str | None = "en") -> str:
    lang = f' language="{language}"' if language else ""
    return f'<podcast:transcript url="{url}" type="{mime}"{lang}/>'


@pytest.fixture
def served(fixture_server, corpus) -> dict[str, str]:
    """The corpus transcripts and chapters at /t/<format> and /chapters/<name>, by key."""
    urls = {
        fmt: fixture_server.route(f"/t/{fmt}", (corpus / "vtt" / name).read_bytes(), headers={"Content-Type": mime})
        for fmt, (name, mime, _) in TRANSCRIPTS.items()
    }
    for name in ("example", "exampleComplex"):
        body = (corpus / "feeds" / f"podcastindex-chapters-{name}.json").read_bytes()
        urls[name] = fixture_server.route(f"/chapters/{name}", body, headers={"Content-Type": "application/json"})
    return urls


def source(url: str, **options) -> SourceConfig:
    options = {"url": url, "allow_private_network": True, "retries": 0, "sleep": 0, **options}
    return SourceConfig(name="pod", kind="podcast", options=options, base_dir=Path("/"))


def read_all(config: SourceConfig) -> list:
    """Everything a first run over the source yields."""
    return list(podcast.read(config, SourceContext(policy=_policy(config))))


def _policy(config: SourceConfig) -> FetchPolicy:
    return FetchPolicy.from_options(config.options)


def items_of(results: list) -> dict:
    return {r.id: r for r in results if not isinstance(r, ItemFailure | Unchanged | SourceUnchanged)}


def toml(url: str, **extra) -> str:
    options = {"allow_private_network": "true", "retries": 0, "backoff": 0.01, "timeout": 1, "sleep": 0, **extra}
    lines = "\n".join(f"{key} = {value}" for key, value in options.items())
    return f'[sources.pod]\nkind = "podcast"\nurl = "{url}"\n{lines}\n'


# --- transcripts, chapters, people ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", TRANSCRIPTS)
def test_every_transcript_format_is_indexed(fixture_server, served, fmt):
    _, mime, speakers = TRANSCRIPTS[fmt]
    url = serve(fixture_server, episode("ep1", "Trailer talk", tags=transcript_tag(served[fmt], mime)))
    (item,) = items_of(read_all(source(url))).values()
    assert item.captions == "manual" and item.raw["transcript"] == {"url": served[fmt], "type": mime}
    assert item.segments and all(s.start is not None for s in item.segments)
    assert item.description == "Show notes of Trailer talk.\n\nSecond paragraph."  # paragraphs kept apart
    assert speakers <= {s.speaker for s in item.segments}


def test_the_best_transcript_of_several_is_the_vtt(fixture_server, served):
    spanish = fixture_server.route("/t/es.vtt", "WEBVTT\n", headers=VTT)
    tags = "".join(transcript_tag(served[f], TRANSCRIPTS[f][1]) for f in ("html", "json", "srt", "vtt"))
    tags += transcript_tag(spanish, "text/vtt", "es") + transcript_tag(served["srt"] + ".txt", "text/plain", None)
    url = serve(fixture_server, episode("ep1", "Many transcripts", tags=tags))
    (item,) = items_of(read_all(source(url, languages=["en"]))).values()
    assert item.raw["transcript"]["url"] == served["vtt"]
    assert len(item.raw["transcripts"]) == 6
    assert {fixture_server.hits(p) for p in ("/t/html", "/t/json", "/t/srt", "/t/es.vtt")} == {0}
    assert fixture_server.hits("/t/vtt") == 1


def test_a_failing_transcript_falls_back_to_the_next(fixture_server, served):
    broken = fixture_server.route("/t/broken.vtt", "WEBVTT\n\n00:00:01.000 --> 00:", headers=VTT)
    tags = transcript_tag(broken, "text/vtt") + transcript_tag(served["srt"], "application/srt")
    url = serve(fixture_server, episode("ep1", "Fallback", tags=tags))
    results = read_all(source(url))
    assert not [r for r in results if isinstance(r, ItemFailure)]
    (item,) = items_of(results).values()
    assert item.raw["transcript"]["url"] == served["srt"] and "Travis" in {s.speaker for s in item.segments}


def test_a_new_episode_whose_transcripts_all_fail_is_kept_without_them(fixture_server, refused_url):
    tags = transcript_tag(fixture_server.url("/missing.vtt"), "text/vtt") + transcript_tag(refused_url, "text/html")
    url = serve(fixture_server, episode("ep1", "Lost words", tags=tags))
    context = SourceContext(policy=_policy(source(url)))
    results = list(podcast.read(source(url), context))
    (failure,) = [r for r in results if isinstance(r, ItemFailure)]
    assert failure.item == "podcast:ep1 (Lost words)"
    assert "/missing.vtt: HTTP 404" in failure.reason and "connection failed" in failure.reason
    (item,) = items_of(results).values()
    assert item.captions == "none" and item.segments == ()
    assert context.state["fingerprints"] == {} and "etag" not in context.state  # tried again next run


def test_chapters_and_people(fixture_server, served):
    people = (
        "<podcast:person>Coach Rivera</podcast:person>"
        '<podcast:person role="Guest">Mara Okafor</podcast:person>'
        '<podcast:person group="visuals" role="cover art designer">Becky Smith</podcast:person>'
    )
    items = [
        episode("ep1", "Simple", tags=f'<podcast:chapters url="{served["example"]}" type="{CHAPTERS}"/>'),
        episode("ep2", "Complex", tags=f'<podcast:chapters url="{served["exampleComplex"]}"/>{people}'),
    ]
    channel = '<podcast:person role="host">Channel Host</podcast:person>'
    url = fixture_server.route("/feed.xml", feed(*items, channel=channel))
    found = items_of(read_all(source(url)))
    simple, complex_ = found["podcast:ep1"], found["podcast:ep2"]
    assert [(c.start, c.title) for c in simple.chapters[:2]] == [(0.0, "Intro"), (168.0, "Hearing Aids")]
    assert len(simple.chapters) == 9
    assert len(complex_.chapters) == 10 and 4826.0 not in {c.start for c in complex_.chapters}  # toc: false
    assert complex_.people == ("Coach Rivera", "Mara Okafor")
    assert complex_.extra == {"show": "Coach Talk", "hosts": ["Coach Rivera"], "guests": ["Mara Okafor"]}
    assert simple.people == ("Channel Host",)  # the channel's people stand in for an item's


def test_bad_chapters_are_an_item_failure(fixture_server):
    bad = fixture_server.route("/chapters/bad", '{"chapters": ', headers={"Content-Type": "application/json"})
    url = serve(fixture_server, episode("ep1", "Bad chapters", tags=f'<podcast:chapters url="{bad}"/>'))
    (failure,) = [r for r in read_all(source(url)) if isinstance(r, ItemFailure)]
    assert failure.reason.startswith(f"chapters {bad}: not JSON")


@pytest.mark.parametrize(
    ("subtitle", "description"),
    [
        ("Tips &amp; tricks", "Tips & tricks\n\n" + NOTES),  # plain text, escaped in the feed
        ("Tips &lt;b&gt;and&lt;/b&gt; tricks", "Tips and tricks\n\n" + NOTES),  # HTML: its text only
        ("Show notes of", NOTES),  # the notes say it already
        ("Show notes o", NOTES),  # cut from the notes mid-word
    ],
)
def test_the_subtitle_leads_the_notes_unless_they_say_it(fixture_server, subtitle, description):
    url = serve(fixture_server, episode("ep1", "Ep", tags=f"<itunes:subtitle>{subtitle}</itunes:subtitle>"))
    (item,) = items_of(read_all(source(url))).values()
    assert item.description == description


# --- the real feeds ---------------------------------------------------------------------------


def test_run_with_me_feed(fixture_server, corpus):
    url = fixture_server.route("/feed.xml", (corpus / "feeds" / "runwith-chriskrycho-feed.xml").read_bytes())
    results = read_all(source(url))
    found = items_of(results)
    assert len(found) == 19 and len(results) == 19
    welcome = found["podcast:5602BC5B-9548-4CB1-9E6A-C6C0EED7BCCC"]
    assert (welcome.title, welcome.duration, welcome.published) == ("14: Welcome Back", 131, "2016-12-28")
    assert welcome.media_url.endswith("/runwith/14.m4a")
    assert welcome.source_url == "http://runwith.chriskrycho.com/runs/14/"
    assert welcome.thumbnail == "http://cdn.chriskrycho.com/file/chriskrycho-com/runwith/cover-3000.jpg"
    assert welcome.description.startswith("I've been gone, but now I'm back!\n\nI've been gone, courtesy of")
    assert "<p>" not in welcome.description
    assert (welcome.kind, welcome.captions, welcome.segments) == ("podcast", "none", ())
    assert "Training Volume" in found["podcast:AAC30546-F65C-4FC0-A2A7-25AFEA902AB9"].title
    # itunes:subtitle leads the notes when they do not already say it
    away = found["podcast:EDE0F2BC-EB94-41E8-B728-FDA4F94DB2A6"].description
    assert away.startswith("Running while traveling\n\nKeeping at it even when you're on the road")
    rest = found["podcast:860B1B13-3E74-4EE2-AD58-58838BA6C235"].description
    assert rest.startswith("It's important to include rest") and rest.count("include rest") == 1
    assert set(items_of(read_all(source(url)))) == set(found)  # ids are stable across runs


def test_podcastindex_example_feed_keeps_every_transcript_tag(fixture_server, corpus):
    text = (corpus / "feeds" / "podcastindex-example.xml").read_text()
    text = text.replace("https://example.com/", fixture_server.url("/ex/"))
    url = fixture_server.route("/feed.xml", text)
    spanish_vtt = (corpus / "vtt" / "podcastindex-example.vtt").read_bytes()
    fixture_server.route("/ex/episode1/transcript.vtt", spanish_vtt, headers=VTT)
    chapters = (corpus / "feeds" / "podcastindex-chapters-example.json").read_bytes()
    for n in (1, 2, 3):
        fixture_server.route(f"/ex/ep{n}_chapters.json", chapters, headers={"Content-Type": "application/json"})
    found = items_of(read_all(source(url)))
    assert len(found) == 3
    ep3 = next(item for item in found.values() if item.title == "Episode 3 - The Future")
    assert [(t["type"], t["language"], t["rel"]) for t in ep3.raw["transcripts"]] == [
        ("text/plain", None, None),
        ("text/vtt", "es", "captions"),
    ]
    assert ep3.captions == "manual" and {"Sarah", "Gillian"} <= {s.speaker for s in ep3.segments}
    assert ep3.people == ("Adam Curry", "Dave Jones") and len(ep3.chapters) == 9
    assert ep3.id == podcast.item_id(fixture_server.url("/ex/ep0003"))
    assert fixture_server.hits("/ex/ep3/transcript.txt") == 0  # text/plain has no timings to offer
    english_only = items_of(read_all(source(url, languages=["en"])))
    assert english_only[ep3.id].captions == "none"


def test_an_atom_feed_with_relative_urls(fixture_server, served):
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:podcast="https://podcastindex.org/namespace/1.0"><title>Atom show</title><id>urn:show</id>'
        "<entry><title>Late run</title><id>urn:uuid:1234</id><updated>2024-05-01T23:30:00-05:00</updated>"
        '<link rel="enclosure" href="media/late.mp3" type="audio/mpeg"/>'
        '<podcast:transcript url="../t/vtt" type="text/vtt"/></entry></feed>'
    )
    url = fixture_server.route("/feeds/atom.xml", atom)
    (item,) = items_of(read_all(source(url))).values()
    assert item.id == podcast.item_id("urn:uuid:1234") and item.published == "2024-05-01"  # the publisher's day
    assert item.media_url == item.source_url == fixture_server.url("/feeds/media/late.mp3")
    assert item.raw["transcript"]["url"] == served["vtt"] and item.captions == "manual"


# --- end to end, incremental runs -------------------------------------------------------------


def test_a_transcript_word_finds_a_moment_with_its_second_and_speaker(fixture_server, served, fresh_data, tmp_path):
    body = feed(episode("ep1", "Podcast trailers", tags=transcript_tag(served["vtt"], "text/vtt")))
    url = fixture_server.route("/feed.xml", body)
    report = reindex_config(fresh_data, tmp_path / "config", toml(url))
    assert report.exit_code == 0, report.errors
    (result,) = live_search(fresh_data, "Buzzsprout")["results"]
    assert result["id"] == "podcast:ep1" and result["kind"] == "podcast"
    moment = result["moments"][0]
    assert moment["start"] == pytest.approx(19.08) and moment["speaker"] == "Gillian"
    assert moment["source_url"].endswith("#t=19")


def test_an_unchanged_feed_costs_one_304(fixture_server, served, fresh_data, tmp_path):
    body = feed(episode("ep1", "One", tags=transcript_tag(served["vtt"], "text/vtt")), episode("ep2", "Two"))
    url = fixture_server.route("/feed.xml", body, etag='"v1"')
    first = reindex_config(fresh_data, tmp_path / "config", toml(url))
    assert (first.exit_code, first.sources[0].new) == (0, 2)
    requests_before = len(fixture_server.log)
    second = reindex_config(fresh_data, tmp_path / "config", toml(url))
    assert fixture_server.log[requests_before:] == [("/feed.xml", '"v1"')]
    assert (second.exit_code, second.sources[0].unchanged, second.sources[0].new) == (0, 2, 0)
    assert live_ids(fresh_data) == {"podcast:ep1", "podcast:ep2"}


def test_unchanged_entries_are_not_fetched_again(fixture_server, served):
    def entry(title: str) -> str:
        return episode("ep1", title, tags=transcript_tag(served["vtt"], "text/vtt"))

    url = serve(fixture_server, entry("One"), episode("ep2", "Two"), etag='"v1"')
    context = SourceContext(policy=_policy(source(url)))
    assert len(items_of(list(podcast.read(source(url), context)))) == 2
    assert context.state["etag"] == '"v1"' and set(context.state["fingerprints"]) == {"podcast:ep1", "podcast:ep2"}

    def next_run(due: set[str] = frozenset()) -> list:
        known = {"podcast:ep1", "podcast:ep2"}
        return list(podcast.read(source(url), SourceContext(_policy(source(url)), known, set(due), context.state)))

    serve(fixture_server, entry("One"), episode("ep2", "Two"), etag='"v2"')  # same entries
    assert next_run() == [Unchanged("podcast:ep1"), Unchanged("podcast:ep2")]
    assert fixture_server.hits("/t/vtt") == 1
    assert next_run(due={"podcast:ep1"}) == [SourceUnchanged()]  # a 304 keeps even due items as they are
    serve(fixture_server, entry("One"), episode("ep2", "Two"), etag='"v3"')
    assert items_of(next_run(due={"podcast:ep1"})).keys() == {"podcast:ep1"}  # the rolling refresh
    assert fixture_server.hits("/t/vtt") == 2
    serve(fixture_server, entry("One, edited"), episode("ep2", "Two"), etag='"v4"')
    assert [getattr(r, "title", None) for r in next_run()] == ["One, edited", None]
    assert fixture_server.hits("/t/vtt") == 3


def test_new_episodes_beyond_max_new_wait_for_the_next_run(fixture_server):
    url = serve(fixture_server, *(episode(f"ep{n}", f"Episode {n}") for n in (3, 2, 1)), etag='"v1"')
    context = SourceContext(policy=_policy(source(url)), max_new=2)
    results = list(podcast.read(source(url), context))
    assert [r.id for r in results] == ["podcast:ep3", "podcast:ep2"]
    assert "etag" not in context.state  # so the next run does not get a 304
    later = SourceContext(_policy(source(url)), {"podcast:ep3", "podcast:ep2"}, set(), context.state, max_new=2)
    unchanged_3, unchanged_2, left_over = podcast.read(source(url), later)
    assert (unchanged_3, unchanged_2) == (Unchanged("podcast:ep3"), Unchanged("podcast:ep2"))
    assert left_over.id == "podcast:ep1"
    assert later.state["etag"] == '"v1"'


def test_an_entry_without_guid_or_enclosure_fails_alone(fixture_server):
    url = serve(fixture_server, episode("", "Nameless", enclosure=False), episode("ep2", "Fine"))
    results = read_all(source(url))
    failures = [r for r in results if isinstance(r, ItemFailure)]
    assert failures == [ItemFailure("entry 1 (Nameless)", "no guid and no enclosure")]
    assert set(items_of(results)) == {"podcast:ep2"}


# --- hostile and broken input -----------------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>'
    '<rss version="2.0"><channel><title>&lol2;</title></channel></rss>'
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel>'
    "<title>Leak</title><item><title>&xxe;</title><guid>xxe</guid><description>&xxe;</description></item>"
    "</channel></rss>"
)


@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_xml_entities_are_refused(fixture_server, fresh_data, tmp_path, bomb):
    url = serve(fixture_server, episode("ep1", "Before the bomb"))
    assert reindex_config(fresh_data, tmp_path / "config", toml(url)).exit_code == 0
    fixture_server.route("/feed.xml", bomb)
    report = reindex_config(fresh_data, tmp_path / "config", toml(url))
    assert report.exit_code == 1
    reason = f"feed {url}: refused unsafe XML, entity declarations are not accepted (EntitiesForbidden)"
    assert report.errors == [{"source": "pod", "item": None, "reason": reason}]
    assert live_ids(fresh_data) == {"podcast:ep1"}
    passwd_line = Path("/etc/passwd").read_text().splitlines()[0]
    stored = b"".join(path.read_bytes() for path in fresh_data.rglob("*") if path.is_file())
    assert passwd_line.encode() not in stored and passwd_line not in str(report.errors)


def test_malformed_xml_names_the_parser_reason(fixture_server):
    url = fixture_server.route("/feed.xml", "<rss><channel><title>Oops</channel></rss>")
    with pytest.raises(SourceError, match=r"malformed XML \(mismatched tag: line 1, column 27\)"):
        read_all(source(url))


def test_a_web_page_is_not_a_feed(fixture_server):
    url = fixture_server.route("/feed.xml", "<html><body><p>Moved!</p></body></html>")
    with pytest.raises(SourceError, match=r"not an RSS or Atom feed \(root element <html>\)"):
        read_all(source(url))


LATIN1_FEED = feed(episode("ep9", "Caf\u00e9 talk")).encode("latin-1")


def _redirect(path: str) -> dict:
    return {"status": 302, "headers": {"Location": path}}


FEED_FAULTS = {  # route options for /feed.xml, and what the error must say
    "500": ({"body": "oops", "status": 500}, "HTTP 500"),
    "404": ({"body": "gone", "status": 404}, "HTTP 404"),
    "429": ({"status": 429, "headers": {"Retry-After": "1"}}, "HTTP 429 Too Many Requests, retry after 1 s"),
    "timeout": ({"body": "late", "delay": 1.5}, "timed out after 1 s"),
    "refused": (None, "connection failed"),
    "malformed": ({"body": "<rss><channel><item><title>cut off"}, "malformed XML (no element found: line 1, column 34"),
    "wrong-encoding": ({"body": LATIN1_FEED}, "malformed XML (not well-formed (invalid token)"),
    "50MB": ({"stream_bytes": 50 * 1024 * 1024}, "over the 1048576-byte limit"),
    "redirect-loop": (_redirect("/loop"), "redirect loop"),
}


@pytest.mark.parametrize("fault", FEED_FAULTS)
def test_feed_faults_keep_what_was_indexed(fixture_server, served, refused_url, fresh_data, tmp_path, fault):
    url = serve(fixture_server, episode("ep1", "Trailers", tags=transcript_tag(served["vtt"], "text/vtt")))
    fixture_server.route("/loop", **_redirect("/feed.xml"))
    assert reindex_config(fresh_data, tmp_path / "config", toml(url, max_bytes=1024 * 1024)).exit_code == 0
    route, reason = FEED_FAULTS[fault]
    if route is None:
        url = refused_url
    else:
        fixture_server.route("/feed.xml", **route)
    report = reindex_config(fresh_data, tmp_path / "config", toml(url, max_bytes=1024 * 1024))
    assert report.exit_code == 1
    (error,) = report.errors
    assert (error["source"], error["item"]) == ("pod", None)
    assert error["reason"].startswith(f"feed {url}") and reason in error["reason"], error["reason"]
    assert live_ids(fresh_data, "Buzzsprout") == {"podcast:ep1"}


TRANSCRIPT_FAULTS = {  # the transcript route's answer on the second run, and what the error must say
    "truncated-vtt": (lambda vtt: {"body": vtt[: vtt.index("00:00:02.760 -->") + 20]}, "cue 2: malformed timing line"),
    "404": (lambda vtt: {"body": "gone", "status": 404}, "HTTP 404"),
    "wrong-encoding": (
        lambda vtt: {"body": vtt.encode("utf-16"), "headers": {"Content-Type": "text/vtt; charset=utf-8"}},
        "missing WEBVTT header (the bytes do not match the declared encoding)",
    ),
}


@pytest.mark.parametrize("fault", TRANSCRIPT_FAULTS)
def test_transcript_faults_keep_the_stored_transcript(fixture_server, corpus, fresh_data, tmp_path, fault):
    vtt = (corpus / "vtt" / "podcastindex-example.vtt").read_text()
    transcript = fixture_server.route("/t/ep1.vtt", vtt, headers=VTT)
    url = serve(fixture_server, episode("ep1", "Trailers", tags=transcript_tag(transcript, "text/vtt")))
    assert reindex_config(fresh_data, tmp_path / "config", toml(url)).exit_code == 0
    make_route, reason = TRANSCRIPT_FAULTS[fault]
    fixture_server.route("/t/ep1.vtt", **make_route(vtt))
    # An edited entry is fetched again, transcript and all.
    serve(fixture_server, episode("ep1", "Trailers, edited", tags=transcript_tag(transcript, "text/vtt")))
    report = reindex_config(fresh_data, tmp_path / "config", toml(url))
    assert report.exit_code == 1
    (error,) = report.errors
    assert error["item"] == "podcast:ep1 (Trailers, edited)"
    assert error["reason"].startswith(f"transcript {transcript}") and reason in error["reason"], error["reason"]
    (result,) = live_search(fresh_data, "Buzzsprout")["results"]
    assert result["title"] == "Trailers" and result["moments"][0]["speaker"] == "Gillian"


# --- small parts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2:11", 131), ("1:02:03", 3723), ("3600", 3600), ("95.6", 95)]
    + [("", None), ("abc", None), ("1:2:3:4", None), ("-5", None)],
)
def test_itunes_duration(text, seconds):
    assert duration_seconds(text) == seconds


def test_item_ids_are_the_guid_or_its_hash():
    assert podcast.item_id("5602BC5B-9548-4CB1") == "podcast:5602BC5B-9548-4CB1"
    guid = "https://example.com/ep0003"
    assert podcast.item_id(guid) == "podcast:" + hashlib.sha1(guid.encode()).hexdigest()[:16]


def test_show_notes_become_plain_text_that_keeps_their_shape():
    notes = (
        '<p>Tempo &amp; hills with <a href="https://coach.example/plan" onclick="x()">the <b>plan</b></a></p>'
        "<p>Next<br>line</p><ul><li>strides</li><li>drills</li></ul><script>alert(1)</script>"
        '<p><a href="javascript:alert(2)">bad</a></p>' + "<p>word</p>" * 400
    )
    text = notes_text(notes, DESCRIPTION_CHARS)
    assert text.startswith(
        "Tempo & hills with [the plan](https://coach.example/plan)\n\nNext\nline\n\n- strides\n- drills"
    )
    assert "alert" not in text and "javascript" not in text and "onclick" not in text and "\n\nbad\n\n" in text
    assert len(text) <= 1002 and text.endswith(" …")


def test_chapters_need_a_chapters_list():
    with pytest.raises(ValueError, match='no "chapters" list'):
        chapters_from_json('{"version": "1.2.0"}')
