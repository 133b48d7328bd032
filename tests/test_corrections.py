"""The coach's transcript corrections: applied every time an item is read, taking effect the night
they are edited, and reported every night once the captions change upstream and they stop matching."""

from __future__ import annotations

import json

import pytest

from .coach_tools import catalog, client_for, notes, reindexed

TALK = "generic:relay-talk"
INFO = {
    "id": "relay-talk",
    "title": "Relay talk",
    "extractor_key": "Generic",
    "ext": "mp3",
    "vcodec": "none",
    "url": "https://media.example/relay-talk.mp3",
    "duration": 60,
    "upload_date": "20240601",
    "subtitles": {"en": [{"ext": "vtt"}]},
}
CUES = [  # an auto-transcript of a club call, written for this test: it mishears "four by four hundred"
    ("00:00:02.000", "00:00:06.000", "SPEAKER_1", "Welcome back to the club call, tonight we talk relays."),
    ("00:00:06.500", "00:00:11.000", "SPEAKER_1", "Our masters team ran the for by for hundred at the county meet."),
    ("00:00:11.500", "00:00:16.000", "SPEAKER_2", "We practised handoffs in the car park all spring."),
    ("00:00:16.500", "00:00:21.000", "SPEAKER_2", "The for by\nfor hundred is the most fun race of the year."),
    ("00:00:40.000", "00:00:45.000", "SPEAKER_1", "Next week: the for by for hundred again, and the mile."),
]
CORRECTIONS = """
item = "generic:relay-talk"

[[fix]]
find = "for by for hundred"
replace = "four by four hundred"
from = "0:05"
to = "0:25"

[[cue]]
at = "0:11"
text = "We practised baton handoffs in the car park all spring."

[[speaker]]
voice = "SPEAKER_1"
name = "Marisol Vega"
"""


def write_talk(folder, cues=CUES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "relay-talk.info.json").write_text(json.dumps(INFO))
    body = "".join(f"{start} --> {end}\n<v {voice}>{text}\n\n" for start, end, voice, text in cues)
    (folder / "relay-talk.en.vtt").write_text("WEBVTT\n\n" + body)


@pytest.fixture
def media(tmp_path):
    """A folder of one talk, its corrections file, and the sources.toml reading both."""
    media = tmp_path / "media"
    write_talk(media / "talks")
    (media / "fixes.toml").write_text(CORRECTIONS)
    config = media / "sources.toml"
    config.write_text('[sources.talks]\nkind = "ytdlp-folder"\npath = "talks"\ncorrections = "fixes.toml"\n')
    return config


def searched(runner, data, query: str) -> dict:
    result = catalog(runner, data, "search", "--json", query)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def transcript(data) -> str:
    return client_for(data).get(f"/items/{TALK}").get_data(as_text=True)


def test_corrections_are_applied_within_their_range_and_found_at_the_second(runner, tmp_path, media):
    data = tmp_path / "data"
    result = reindexed(runner, data, media)
    assert result.exit_code == 0 and notes(result.output) == [], result.output

    found = searched(runner, data, '"four by four hundred"')
    assert [r["id"] for r in found["results"]] == [TALK]
    assert [m["start"] for m in found["results"][0]["moments"]][:2] == [6.5, 16.5]
    # outside the correction's range, the words stay as the captions have them
    late = searched(runner, data, '"for by for hundred"')["results"][0]["moments"]
    assert [m["start"] for m in late] == [40.0]
    page = transcript(data)
    assert "We practised baton handoffs in the car park all spring." in page
    assert "Marisol Vega" in page and "SPEAKER_1" not in page and "SPEAKER_2" in page
    by_name = searched(runner, data, "speaker:vega county meet")["results"][0]
    assert by_name["id"] == TALK and by_name["moments"][0]["speaker"] == "Marisol Vega"


def test_a_correction_that_stops_matching_is_reported_every_night_not_lost(runner, tmp_path, media):
    data = tmp_path / "data"
    reindexed(runner, data, media)
    upstream = [
        (start, end, voice, text.replace("for by for", "four by four").replace("for by\nfor", "four by\nfour"))
        for start, end, voice, text in CUES
    ]
    upstream[2] = ("00:00:12.500", *upstream[2][1:])  # the cue the rewrite names moved a second
    write_talk(media.parent / "talks", upstream)  # the captions were fixed upstream

    expected = [
        "note: talks: fixes.toml: fix 1: no longer matches: 'for by for hundred' is not said between 0:05 and 0:25 "
        f"in {TALK}",
        f"note: talks: fixes.toml: cue 1: no longer matches: no caption cue starts at 0:11 in {TALK}",
    ]
    for night in range(2):  # the second night reads nothing again: the item is unchanged
        result = reindexed(runner, data, media)
        assert result.exit_code == 0, result.output
        assert notes(result.output) == expected, (night, result.output)
    assert "talks: 0 new, 0 updated, 1 unchanged" in result.output

    status = client_for(data).get("/status").get_data(as_text=True)
    assert "fixes.toml: fix 1: no longer matches: &#39;for by for hundred&#39; is not said" in status
    assert "fixes.toml: cue 1: no longer matches" in status
    page = transcript(data)
    assert "four by four hundred at the county meet" in page and "We practised handoffs" in page
    assert "Marisol Vega" in page  # the speaker's name still matches and stays


def test_an_edited_correction_takes_effect_that_night_without_a_new_fetch(runner, tmp_path, media):
    data = tmp_path / "data"
    reindexed(runner, data, media)
    fixes = media.parent / "fixes.toml"
    fixes.write_text(CORRECTIONS.replace('name = "Marisol Vega"', 'name = "Coach Vega"').replace("0:25", "0:50"))

    result = reindexed(runner, data, media)
    assert "talks: 0 new, 1 updated, 0 unchanged" in result.output
    assert "Coach Vega" in transcript(data)
    assert searched(runner, data, '"for by for hundred"')["total"] == 0  # the wider range took the last one too

    fixes.write_text('item = "generic:relay-talk"\n')  # every correction removed: the reader's own text again
    reindexed(runner, data, media)
    page = transcript(data)
    assert "SPEAKER_1" in page and "the for by for hundred at the county meet" in page and "Coach Vega" not in page
    assert "talks: 0 new, 0 updated, 1 unchanged" in reindexed(runner, data, media).output


def test_a_corrections_file_that_cannot_be_used_fails_its_source_and_keeps_its_items(runner, tmp_path, media):
    data = tmp_path / "data"
    reindexed(runner, data, media)
    (media.parent / "fixes.toml").write_text(CORRECTIONS.replace("replace =", "wiht ="))
    result = reindexed(runner, data, media)
    assert result.exit_code == 1
    assert (
        "error: talks: (whole source): corrections fixes.toml: fix 1: unknown key 'wiht' "
        "(a fix takes find, from, item, replace, to)"
    ) in result.output
    assert "four by four hundred at the county meet" in transcript(data)  # as it was


def test_one_file_for_the_catalog_serves_every_source_that_reads_it(runner, tmp_path, media):
    """Each source corrects its own items; an item of a source that does not read the file, or
    of none at all, is reported."""
    data = tmp_path / "data"
    fixes = media.parent / "fixes.toml"
    fixes.write_text(
        CORRECTIONS
        + '\n[[fix]]\nitem = "generic:other-talk"\nfind = "ten k"\nreplace = "10K"\n'
        + '\n[[fix]]\nitem = "youtube:nowhere0001"\nfind = "a"\nreplace = "b"\n'
    )
    other = dict(INFO, id="other-talk", title="Other talk")
    (media.parent / "more").mkdir()
    (media.parent / "more" / "other-talk.info.json").write_text(json.dumps(other))
    (media.parent / "more" / "other-talk.en.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nA ten k race.\n")
    (media.parent / "plain").mkdir()
    (media.parent / "plain" / "plain-talk.info.json").write_text(json.dumps(dict(INFO, id="plain-talk")))
    media.write_text(
        media.read_text()
        + '\n[sources.more]\nkind = "ytdlp-folder"\npath = "more"\ncorrections = "fixes.toml"\n'
        + '\n[sources.plain]\nkind = "ytdlp-folder"\npath = "plain"\n'
    )
    result = reindexed(runner, data, media)
    assert searched(runner, data, '"10K race"')["results"][0]["id"] == "generic:other-talk"
    nowhere = "youtube:nowhere0001 is not in the catalog"
    assert notes(result.output) == [f"note: more: fixes.toml: fix 3: {nowhere}"]  # the last reader tells

    fixes.write_text(fixes.read_text().replace("generic:other-talk", "generic:plain-talk"))
    result = reindexed(runner, data, media)
    assert (
        "note: talks: fixes.toml: fix 2: generic:plain-talk is an item of source 'plain', which does not read this file"
    ) in notes(result.output)


def test_the_sample_correction_is_applied(client):
    page = client.get("/items/youtube:smplIntrv01?t=236").get_data(as_text=True)
    assert "that&#39;s a huge PR and i was there" in page and "huge p r" not in page
