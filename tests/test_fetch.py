"""Bounded, polite downloads: every fault ends in a one-line FetchError."""

import time

import pytest

from indexer.fetch import FetchError, FetchPolicy, fetch

LOCAL = FetchPolicy(allow_private=True, timeout=2, retries=1, backoff=0.05)


def test_plain_get_and_charset(fixture_server):
    url = fixture_server.route(
        "/page", "café".encode("latin-1"), headers={"Content-Type": "text/html; charset=iso-8859-1"}
    )
    response = fetch(url, LOCAL)
    assert (response.status, response.content_type, response.text()) == (200, "text/html", "café")


def test_wrongly_declared_encoding_is_replaced_not_fatal(fixture_server):
    url = fixture_server.route("/bad", b"caf\xe9 au lait", headers={"Content-Type": "text/plain; charset=utf-8"})
    assert fetch(url, LOCAL).text() == "caf\ufffd au lait"


def test_conditional_get_costs_one_304(fixture_server):
    url = fixture_server.route("/feed.xml", "<rss/>", etag='"v1"')
    first = fetch(url, LOCAL)
    assert first.headers["etag"] == '"v1"'
    again = fetch(url, LOCAL, etag=first.headers["etag"])
    assert again.not_modified and again.body == b""
    assert fixture_server.log == [("/feed.xml", ""), ("/feed.xml", '"v1"')]


@pytest.mark.parametrize("status", [404, 410])
def test_gone(fixture_server, status):
    url = fixture_server.route("/gone", "no", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status}") as caught:
        fetch(url, LOCAL)
    assert caught.value.gone and fixture_server.hits("/gone") == 1


def test_server_errors_are_retried_then_reported(fixture_server):
    url = fixture_server.route("/flaky", "oops", status=500)
    with pytest.raises(FetchError, match="HTTP 500") as caught:
        fetch(url, LOCAL)
    assert not caught.value.gone and fixture_server.hits("/flaky") == 2


def test_retry_after_is_honoured(fixture_server):
    url = fixture_server.route("/busy", "slow down", status=429, headers={"Retry-After": "1"})
    started = time.monotonic()
    with pytest.raises(FetchError, match="HTTP 429 .*retry after 1 s"):
        fetch(url, LOCAL)
    assert time.monotonic() - started >= 1 and fixture_server.hits("/busy") == 2


def test_a_long_retry_after_fails_at_once(fixture_server):
    url = fixture_server.route("/later", "", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(FetchError, match="retry after 3600 s"):
        fetch(url, LOCAL)
    assert fixture_server.hits("/later") == 1


def test_timeout(fixture_server):
    url = fixture_server.route("/slow", "late", delay=1.5)
    with pytest.raises(FetchError, match="timed out after 0.5 s"):
        fetch(url, FetchPolicy(allow_private=True, timeout=0.5, retries=0))


def test_refused_connection(refused_url):
    with pytest.raises(FetchError, match="connection failed"):
        fetch(refused_url, LOCAL)


def test_huge_body_is_cut_off(fixture_server):
    url = fixture_server.route("/huge", stream_bytes=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="over the 1048576-byte limit"):
        fetch(url, FetchPolicy(allow_private=True, max_bytes=1024 * 1024))


def test_declared_huge_body_is_refused_before_reading(fixture_server):
    url = fixture_server.route("/declared", "x" * 2048)
    with pytest.raises(FetchError, match="body of 2048 bytes is over"):
        fetch(url, FetchPolicy(allow_private=True, max_bytes=1024))


def test_redirect_loop(fixture_server):
    fixture_server.route("/a", status=302, headers={"Location": "/b"})
    url = fixture_server.url("/a")
    fixture_server.route("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(url, LOCAL)


def test_redirects_are_followed(fixture_server):
    fixture_server.route("/old", status=301, headers={"Location": "/new"})
    fixture_server.route("/new", "here")
    response = fetch(fixture_server.url("/old"), LOCAL)
    assert response.url.endswith("/new") and response.body == b"here"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/x", "private-network address"),
        ("http://10.1.2.3/x", "private-network address"),
        ("http://[::1]/x", "private-network address"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
        ("ftp://example.com/x", "scheme 'ftp' is not allowed"),
    ],
)
def test_private_and_odd_urls_are_refused_by_default(url, reason):
    with pytest.raises(FetchError, match=reason):
        fetch(url, FetchPolicy())


def test_a_redirect_into_the_private_network_is_refused(fixture_server):
    url = fixture_server.route("/jump", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data"})
    with pytest.raises(FetchError, match="private-network address"):
        fetch(url, FetchPolicy(allow_private=("127.0.0.0/8",), retries=0))
    assert fixture_server.hits("/jump") == 1
