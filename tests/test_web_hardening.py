"""The web side against a hostile world, through the HTTP path: made-up Host headers, a
maintainer page asked for from afar, visitors sharing one proxy, huge queries, index files
damaged in place, a garbled pointer, ids with a slash."""

from __future__ import annotations

import logging
import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest

from app import create_app
from catalog.generations.live import POINTER, index_root, live_name
from catalog.links import item_path
from catalog.storage import store
from catalog.storage.models import Item, Segment
from catalog.web.redact import redact
from indexer import build
from indexer.run import rebuild_index
from tests.helpers import reindex_config

FOREIGN = "evil.example"
INTERVIEW = "youtube:smplIntrv01"
PUBLICLY_CACHED = [
    "/",
    "/browse",
    "/search?q=relay",
    f"/items/{INTERVIEW}?t=134",
    "/feed.xml",
    "/sitemap.xml",
    "/opensearch.xml",
    "/api/search?q=relay",
]
REMOTE = {"REMOTE_ADDR": "203.0.113.9"}
TOKEN = "0123456789012345678901234"  # digits only: it must stay text when read from the environment


def client_for(data_dir, **config):
    return create_app({"DATA_DIR": str(data_dir), "RATELIMIT_ENABLED": False, **config}).test_client()


# --- Host headers: nothing a visitor made up reaches a publicly cached body -----------------------


@pytest.mark.parametrize("path", PUBLICLY_CACHED)
def test_a_made_up_host_is_refused_and_never_echoed(sample_data, path):
    response = client_for(sample_data).get(path, headers={"Host": FOREIGN})
    assert response.status_code == 400 and FOREIGN not in response.get_data(as_text=True)
    assert "public" not in response.headers.get("Cache-Control", "")
    assert response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "localhost"])
def test_this_machines_own_names_are_served_without_configuration(sample_data, host):
    response = client_for(sample_data).get("/sitemap.xml", headers={"Host": host})
    assert response.status_code == 200 and f"<loc>http://{host}/items/" in response.get_data(as_text=True)


def test_with_site_url_every_absolute_url_comes_from_it(sample_data):
    client = client_for(sample_data, SITE_URL="https://coach.example/", TRUSTED_PROXIES=1)
    lie = {"Host": FOREIGN, "X-Forwarded-Host": FOREIGN, "X-Forwarded-For": "203.0.113.9"}
    for path in PUBLICLY_CACHED:
        response = client.get(path, headers=lie)
        assert response.status_code == 200 and FOREIGN not in response.get_data(as_text=True), path
    item = client.get(f"/items/{INTERVIEW}?t=134", headers=lie).get_data(as_text=True)
    assert f'<link rel="canonical" href="https://coach.example/items/{INTERVIEW}">' in item


def test_trusted_hosts_name_the_hosts_served(sample_data):
    client = client_for(sample_data, TRUSTED_HOSTS="coach.example, www.coach.example")
    served = client.get("/feed.xml", headers={"Host": "www.coach.example"})
    assert served.status_code == 200 and "<link>http://www.coach.example/</link>" in served.get_data(as_text=True)
    assert client.get("/feed.xml", headers={"Host": "localhost"}).status_code == 400


def test_a_trusted_proxy_gives_the_scheme_but_never_the_host(sample_data):
    client = client_for(sample_data, TRUSTED_PROXIES=1)
    response = client.get("/opensearch.xml", headers={"X-Forwarded-Host": FOREIGN, "X-Forwarded-Proto": "https"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and FOREIGN not in body and 'template="https://localhost/search?q=' in body


@pytest.mark.parametrize(
    "config, complaint",
    [
        ({"SITE_URL": "coach.example"}, "CATALOG_SITE_URL"),
        ({"SITE_URL": "https://user:secret@coach.example"}, "CATALOG_SITE_URL"),
        ({"TRUSTED_HOSTS": []}, "CATALOG_TRUSTED_HOSTS is empty"),
        ({"TRUSTED_PROXIES": "two"}, "CATALOG_TRUSTED_PROXIES"),
        ({"TRUSTED_PROXIES": -1}, "CATALOG_TRUSTED_PROXIES"),
        ({"STATUS_TOKEN": "short"}, "CATALOG_STATUS_TOKEN must be at least 16 characters"),
    ],
)
def test_unusable_settings_stop_the_app_at_start(sample_data, config, complaint):
    with pytest.raises(ValueError, match=complaint):
        client_for(sample_data, **config)


def test_settings_are_read_from_the_environment(sample_data, monkeypatch):
    monkeypatch.setenv("CATALOG_SITE_URL", "https://coach.example")
    monkeypatch.setenv("CATALOG_TRUSTED_PROXIES", "1")
    monkeypatch.setenv("CATALOG_STATUS_TOKEN", TOKEN)
    client = client_for(sample_data)
    assert "<loc>https://coach.example/</loc>" in client.get("/sitemap.xml").get_data(as_text=True)
    visitor = {"X-Forwarded-For": "203.0.113.9"}
    assert client.get("/status", headers=visitor).status_code == 404
    assert client.get("/status", headers={**visitor, "Authorization": f"Bearer {TOKEN}"}).status_code == 200


# --- /status: for the maintainer only, and redacted even then ---------------------------------------


def test_status_from_elsewhere_is_the_ordinary_404(sample_data):
    client = client_for(sample_data)
    hidden = client.get("/status", environ_base=REMOTE)
    assert hidden.status_code == 404
    assert hidden.get_data() == client.get("/no-such-page", environ_base=REMOTE).get_data()
    assert client.get("/status").status_code == 200  # from this machine


def test_status_forwarded_by_an_undeclared_proxy_is_not_local(sample_data):
    """The TLS proxy on the same machine connects from 127.0.0.1 on behalf of everyone."""
    client = client_for(sample_data)
    assert client.get("/status", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    assert client.get("/status", headers={"Forwarded": "for=203.0.113.9"}).status_code == 404


def test_status_behind_a_declared_proxy_sees_the_visitor(sample_data):
    client = client_for(sample_data, TRUSTED_PROXIES=1)
    assert client.get("/status", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
    forged = {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}  # the visitor wrote the first hop
    assert client.get("/status", headers=forged).status_code == 404
    assert client.get("/status").status_code == 200  # the maintainer on the machine itself


def test_status_opens_with_the_token_and_is_never_cached(sample_data):
    client = client_for(sample_data, STATUS_TOKEN=TOKEN)
    by_header = client.get("/status", environ_base=REMOTE, headers={"Authorization": f"Bearer {TOKEN}"})
    by_query = client.get(f"/status?token={TOKEN}", environ_base=REMOTE)
    for response in (by_header, by_query):
        assert response.status_code == 200 and "Run 1: ok" in response.get_data(as_text=True)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get("/status?token=" + TOKEN[:-1] + "x", environ_base=REMOTE).status_code == 404
    assert client.get("/status", environ_base=REMOTE, headers={"Authorization": "Bearer "}).status_code == 404
    assert client_for(sample_data).get("/status?token=", environ_base=REMOTE).status_code == 404


def test_the_footer_does_not_advertise_status(client):
    assert "/status" not in client.get("/").get_data(as_text=True)


def test_status_shows_errors_without_credentials_tokens_paths_or_private_addresses(fixture_server, tmp_path):
    feed = fixture_server.route("/feed.xml", "oops", status=500)
    secret_feed = feed.replace("http://", "http://coach:hunter2@") + "?token=s3cret"
    private = tmp_path / "home" / "coach" / "workouts"
    data = tmp_path / "data"
    reindex_config(
        data,
        tmp_path / "config",
        f'[sources.pod]\nkind = "podcast"\nurl = "{secret_feed}"\nallow_private_network = true\nretries = 0\n\n'
        f'[sources.gym]\nkind = "workouts"\npath = "{private}"\n',
    )
    html = client_for(data).get("/status").get_data(as_text=True)
    assert "<strong>failed</strong>" in html
    for leak in ("hunter2", "coach:", "s3cret", "token=", "127.0.0.1", str(tmp_path), "home/coach"):
        assert leak not in html, leak
    port = urlsplit(feed).port
    assert f"feed http://[private address]:{port}/feed.xml?…: HTTP 500" in html
    assert "workouts: no such folder" in html


@pytest.mark.parametrize(
    "text, shown",
    [
        ("fetch https://user:pass@host/x?token=abc failed", "fetch https://host/x?… failed"),
        ("see https://cdn.example/a.mp3#t=3.", "see https://cdn.example/a.mp3#…."),
        ("http://10.1.2.3:8080/feed.xml: refused", "http://[private address]:8080/feed.xml: refused"),
        ("http://[fd00::1]/feed: timed out", "http://[private address]/feed: timed out"),
        ("[Errno 2] No such file: '/srv/coach/media/talk.en.vtt'", "[Errno 2] No such file: 'talk.en.vtt'"),
        ("file:///home/coach/cookies.txt is unreadable", "cookies.txt is unreadable"),
        (r"C:\Users\coach\media\talk.vtt: bad cue", "talk.vtt: bad cue"),
        ("connect to 192.168.1.20 and ::1 failed", "connect to [private address] and [private address] failed"),
        ("resolved to 8.8.8.8 at 03:15:00, 4/5 tries", "resolved to 8.8.8.8 at 03:15:00, 4/5 tries"),
    ],
)
def test_redaction(text, shown):
    assert redact(text) == shown


def test_the_request_log_keeps_no_token(sample_data, caplog):
    client = client_for(sample_data, STATUS_TOKEN=TOKEN)
    with caplog.at_level(logging.INFO, logger="catalog.web.requests"):
        client.get(f"/status?token={TOKEN}&x=1")
    logged = [record.fields for record in caplog.records if record.name == "catalog.web.requests"]
    assert logged and logged[-1]["path"] == "/status" and TOKEN not in logged[-1]["query"]


# --- rate limits: per visitor behind the proxy, and on the results page too --------------------------


def test_visitors_behind_a_declared_proxy_each_have_their_own_limit(sample_data):
    client = create_app({"DATA_DIR": str(sample_data), "TRUSTED_PROXIES": 1, "RATELIMIT_API": "2 per minute"})
    client = client.test_client()

    def search_as(visitor: str) -> int:
        return client.get("/api/search?q=relay", headers={"X-Forwarded-For": visitor}).status_code

    assert [search_as("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert search_as("203.0.113.2") == 200


def test_the_results_page_has_a_limit_of_its_own(sample_data):
    client = create_app({"DATA_DIR": str(sample_data), "RATELIMIT_SEARCH": "2 per minute"}).test_client()
    assert [client.get("/search?q=relay").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/search?q=relay")
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert "Too many requests" in refused.get_data(as_text=True) and int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Content-Security-Policy"]
    assert client.get("/api/search?q=relay").status_code == 200  # the API counts apart


def test_a_long_query_is_cut_to_500_characters_in_the_page_its_links_and_the_api(client):
    typed = "relay  " * 300  # 2,100 characters
    response = client.get("/search", query_string={"q": typed})
    html = response.get_data(as_text=True)
    queries = [
        parse_qs(urlsplit(href.replace("&amp;", "&")).query).get("q", [""])[0]
        for href in re.findall(r'href="([^"]*)"', html)
    ]
    assert len([q for q in queries if q]) > 5  # facet chips, the pager
    assert max(len(q) for q in queries) == 500
    assert len(re.search(r'name="q" type="search" value="([^"]*)"', html).group(1)) == 500
    assert len(client.get("/api/search", query_string={"q": typed}).get_json()["query"]) <= 500


# --- a damaged index, a garbled pointer: never a 500 ------------------------------------------------


@pytest.fixture
def two_generations(sample_data, tmp_path):
    """A copy of the sample catalog published twice: (data folder, older, newer)."""
    data = tmp_path / "data"
    shutil.copytree(sample_data, data)
    first = live_name(data)
    return data, first, rebuild_index(data)


def overwrite_in_place(path) -> None:
    """Same size, other bytes: what the size check at opening cannot see."""
    damaged = bytearray(path.read_bytes())
    damaged[::7] = b"\xff" * len(damaged[::7])
    path.write_bytes(bytes(damaged))


def assert_every_page_answers(client) -> None:
    for path in ("/api/search?q=tempo+run", "/search?q=strides", "/api/suggest?q=re", f"/items/{INTERVIEW}", "/"):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("pattern", ["*.pst", "words.tsv"])
def test_a_file_damaged_before_the_worker_opens_it_serves_the_previous_generation(two_generations, pattern):
    data, first, second = two_generations
    overwrite_in_place(next((index_root(data) / second).glob(pattern)))
    client = client_for(data)
    assert_every_page_answers(client)
    assert client.get("/healthz").get_json() | {"items": None, "last_run": None} == {
        "status": "degraded",
        "generation": first,
        "items": None,
        "last_run": None,
    }


def test_a_file_damaged_while_the_worker_has_it_open_serves_the_previous_generation(two_generations, caplog):
    data, first, second = two_generations
    client = client_for(data)
    assert client.get("/api/search?q=relay").status_code == 200  # the worker has `second` open
    overwrite_in_place(next((index_root(data) / second).glob("*.pst")))
    with caplog.at_level(logging.ERROR, logger="catalog.generations.live"):
        assert_every_page_answers(client)
    assert f"index generation {second} is damaged" in caplog.text
    assert client.get("/healthz").get_json()["generation"] == first


def test_with_no_intact_generation_the_api_answers_503(sample_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(sample_data, data)
    overwrite_in_place(index_root(data) / live_name(data) / "words.tsv")
    client = client_for(data)
    response = client.get("/api/search?q=relay")
    assert response.status_code == 503 and "rebuild-index" in response.get_json()["error"]
    assert client.get("/search?q=relay").status_code == 200  # the page says there is no index


@pytest.mark.parametrize("pointer", [b"\xff\xfegen-\x00", b"../../../etc\n"], ids=["undecodable", "a-path"])
def test_a_garbled_pointer_serves_the_newest_published_generation(two_generations, pointer):
    data, _, second = two_generations
    (index_root(data) / POINTER).write_bytes(pointer)
    client = client_for(data)
    assert_every_page_answers(client)
    health = client.get("/healthz").get_json()
    assert health["generation"] == second and health["status"] == "degraded"


def test_an_id_with_a_slash_has_its_page(fresh_data):
    db = store.open_for_writing(fresh_data)
    item = Item(id="vimeo:album/123", kind="workout", title="Hill repeats", source="w", segments=(Segment("hills"),))
    store.save_item(db, item, "2024-01-01T00:00:00+00:00")
    build.publish(fresh_data, build.build_generation(db, fresh_data))
    client = client_for(fresh_data)
    assert f"<loc>http://localhost{item_path(item.id)}</loc>" in client.get("/sitemap.xml").get_data(as_text=True)
    page = client.get(item_path(item.id))
    assert page.status_code == 200 and "Hill repeats" in page.get_data(as_text=True)
