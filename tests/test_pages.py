"""Server-rendered pages: they work with no JavaScript at all."""

import re

INTERVIEW = "/items/youtube:smplIntrv01"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_home_has_a_search_box_and_the_latest_items(client):
    html = page(client, "/")
    assert re.search(r'<form[^>]*role="search"[^>]*action="/search"', html)
    assert '<label for="q"' in html
    assert html.count('class="result"') == 6


def test_results_page_without_javascript(client):
    html = page(client, "/search?q=4x400+relay")
    assert 'role="status"' in html
    assert f'href="{INTERVIEW}?t=134&amp;q=4x400+relay"' in html  # the moment carries the query to mark
    assert "<mark>four by four hundred</mark>" in html
    assert 'href="/search?q=4x400+relay&amp;kind=video"' in html  # a facet link keeps the query


def test_results_page_filters_and_pages(client):
    html = page(client, "/search?q=&kind=workout")
    assert html.count('class="result"') == 3
    assert 'aria-current="true"' in html


def test_item_page_player_starts_at_t(client):
    html = page(client, f"{INTERVIEW}?t=134")
    assert 'src="https://www.youtube-nocookie.com/embed/smplIntrv01?start=134&amp;enablejsapi=1' in html
    assert "Advice for older runners" in html  # chapters
    current = re.findall(r'<span class="cue current" aria-current="true"[^>]* data-start="([\d.]+)">', html)
    assert len(current) == 1 and 130 < float(current[0]) <= 134.99
    anchors = re.findall(r'<span class="cue[^"]*"[^>]* id="s-(\d+)"', html)  # old #s-N links still land
    assert anchors == [str(n) for n in range(len(anchors))] and len(anchors) > 10
    assert "https://www.youtube.com/watch?v=smplIntrv01&amp;t=134s" in html


def test_podcast_page_has_an_audio_player_at_t(client):
    html = page(client, "/items/generic:riverbend-ep-042?t=61")
    assert re.search(r'<audio id="player" controls[^>]*src="https://[^"]+\.mp3#t=61"', html)
    assert 'class="speaker"' in html


def test_article_page_has_paragraph_anchors(client):
    html = page(client, "/items/article:masters-running-800m-after-50")
    body = re.search(r'<section class="body">(.*?)</section>', html, re.S).group(1)
    assert 'id="p-0"' in body and "<script" not in body


def test_workout_page_shows_its_fields(client):
    html = page(client, "/items/workout:race-week-strides-session")
    assert "<dt>Level</dt>" in html and "<dt>Focus</dt>" in html
    assert 'Video: <a href="/items/youtube:smplDrill02">' in html  # our page, not YouTube


def test_unknown_item_is_404(client):
    response = client.get("/items/youtube:nope")
    assert response.status_code == 404 and "Nothing here" in response.get_data(as_text=True)


def test_status_page_shows_runs_sources_and_caption_coverage(client):
    html = page(client, "/status")
    assert "Run 1: ok" in html
    row = re.search(r'<th scope="row">videos</th>(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[0] == "ytdlp-folder" and cells[1].startswith("<time datetime=") and cells[3] == "ok"
    assert cells[4:] == ["2", "1", "0"]  # manual, auto, none
    assert "Index generation: <code>gen-" in html


def test_results_page_says_what_a_typo_was_searched_as(client):
    html = page(client, "/search?q=relya")
    assert 'Showing results for <a href="/search?q=relay"><strong>relay</strong></a>' in html
    assert f'href="{INTERVIEW}?t=134&amp;q=relay"' in html  # the query as searched marks the page


def test_clip_links_give_the_embed_a_start_and_an_end(client):
    html = page(client, f"{INTERVIEW}?t=120&end=185")
    assert "/embed/smplIntrv01?start=120&amp;end=185&amp;" in html
    assert 'data-end="185"' in html
    assert re.search(r'From <a class="seek" href="\?t=120"[^>]*>2:00</a>', html)
    assert '<option value="185" selected>3:05</option>' in html  # "until 3:05" in the share bar
    assert 'data-link="/items/youtube:smplIntrv01?t=120&amp;end=185"' in html
    podcast = page(client, "/items/generic:riverbend-ep-042?t=61&end=90")
    assert ".mp3#t=61,90" in podcast
    assert "data-end" not in page(client, f"{INTERVIEW}?t=120&end=100")  # an end before the start is ignored


def test_related_items_cross_kinds(client):
    html = page(client, "/items/youtube:smplDrill02")
    related = re.search(r'<ol class="results related">(.*?)</ol>', html, re.S).group(1)
    assert 'href="/items/workout:race-week-strides-session"' in related  # the workout that uses this video
    assert "youtube:smplDrill02" not in related


def test_the_share_bar_links_the_moment_and_the_original(client):
    html = page(client, f"{INTERVIEW}?t=134&q=relay")
    bar = re.search(r'<form class="share-bar"(.*?)</form>', html, re.S).group(1)
    assert 'data-link="/items/youtube:smplIntrv01?t=134"' in bar  # the shared link leaves the query out
    assert 'data-source-link="https://www.youtube.com/watch?v=smplIntrv01&amp;t=134s"' in bar
    assert "Open the original at 2:14" in bar
    seconds = [int(v) for v in re.findall(r'<option value="(\d+)"', bar)]
    assert seconds and seconds == sorted(seconds) and seconds[0] > 134  # clip ends after the start


def test_an_item_without_chapters_has_a_page(fresh_data):
    from app import create_app
    from catalog.storage import store
    from catalog.storage.models import Item, Segment
    from indexer import build

    db = store.open_for_writing(fresh_data)
    store.save_item(
        db,
        Item(
            id="generic:x",
            kind="podcast",
            title="No chapters",
            source="p",
            media_url="https://m.example/x.mp3",
            segments=(Segment("hello there", 0.0, 5.0),),
        ),
        "t",
    )
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    client = create_app({"DATA_DIR": str(fresh_data)}).test_client()
    assert client.get("/items/generic:x?t=2").status_code == 200


def test_paging_keeps_the_page_size(client):
    html = page(client, "/search?q=&per_page=5")
    assert 'href="/search?per_page=5&amp;page=2"' in html
