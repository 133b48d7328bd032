"""The nightly run over HTTP: `python -m bench.nightly_http [--items 1000]`.

Serves a podcast feed of N episodes (each with a VTT transcript) and an articles feed of
N/10 pages on 127.0.0.1, indexes them once, then times the nightly runs that follow:
nothing changed (the feeds answer 304), and the feeds changed but no episode did (the
per-entry fingerprints skip every transcript). Prints wall times and requests per run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from indexer.config import load_config
from indexer.run import reindex
from tests.fixture_server import FixtureServer

OLD = format_datetime(datetime(2021, 3, 1, 8, 0, tzinfo=UTC))  # long past: not due for a refresh


def _vtt(n: int) -> str:
    return (
        "WEBVTT\n\n00:00:01.000 --> 00:00:06.000\n"
        f"<v Coach>Episode {n}: strides before a race, tempo runs and the four by four hundred relay.\n"
    )


def _podcast_feed(server: FixtureServer, count: int, build: str) -> str:
    items = "".join(
        f"<item><title>Episode {n}</title><guid>ep-{n}</guid><pubDate>{OLD}</pubDate>"
        f"<enclosure url='https://cdn.example.com/ep-{n}.mp3' type='audio/mpeg' length='1'/>"
        f"<podcast:transcript url='{server.url(f'/t/{n}.vtt')}' type='text/vtt' language='en'/></item>"
        for n in range(count)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0' "
        "xmlns:podcast='https://podcastindex.org/namespace/1.0'><channel><title>Coach Talk</title>"
        f"<lastBuildDate>{build}</lastBuildDate>{items}</channel></rss>"
    )


def _article_feed(server: FixtureServer, count: int, build: str) -> str:
    items = "".join(
        f"<item><title>Article {n}</title><link>{server.url(f'/a/{n}.html')}</link><pubDate>{OLD}</pubDate></item>"
        for n in range(count)
    )
    channel = f"<title>Blog</title><lastBuildDate>{build}</lastBuildDate>{items}"
    return f"<?xml version='1.0'?><rss version='2.0'><channel>{channel}</channel></rss>"


def _page(n: int) -> str:
    body = " ".join(["Threshold runs build the engine for the half marathon and the 10K."] * 12)
    article = f"<article><h1>Article {n}</h1><p>{body}</p></article>"
    return f"<html><head><title>Article {n}</title></head><body>{article}</body></html>"


def _serve_site(server: FixtureServer, episodes: int, articles: int, version: str) -> None:
    server.route(
        "/feed.xml",
        _podcast_feed(server, episodes, version),
        etag=f'"{version}"',
        headers={"Content-Type": "application/rss+xml"},
    )
    server.route(
        "/blog.xml",
        _article_feed(server, articles, version),
        etag=f'"{version}"',
        headers={"Content-Type": "application/rss+xml"},
    )


def _timed_run(config: Path, data: Path, server: FixtureServer) -> tuple[float, int, str]:
    before = len(server.log)
    started = time.perf_counter()
    report = reindex(load_config(config), data)
    took = time.perf_counter() - started
    summary = "; ".join(s.line() for s in report.sources)
    return took, len(server.log) - before, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1000, help="podcast episodes (articles: a tenth)")
    episodes = parser.parse_args().items
    articles = max(1, episodes // 10)
    with FixtureServer() as server, tempfile.TemporaryDirectory() as tmp:
        for n in range(episodes):
            server.route(f"/t/{n}.vtt", _vtt(n), headers={"Content-Type": "text/vtt"})
        for n in range(articles):
            server.route(f"/a/{n}.html", _page(n), headers={"Content-Type": "text/html; charset=utf-8"})
        _serve_site(server, episodes, articles, "v1")
        config = Path(tmp) / "sources.toml"
        network = "allow_private_network = true\nsleep = 0\nretries = 0\n"
        config.write_text(
            f'[sources.pod]\nkind = "podcast"\nurl = "{server.url("/feed.xml")}"\n{network}\n'
            f'[sources.blog]\nkind = "articles"\nfeed = "{server.url("/blog.xml")}"\n{network}'
        )
        data = Path(tmp) / "data"
        print(f"{episodes} episodes and {articles} articles on 127.0.0.1")
        for label, version in (
            ("first run", "v1"),
            ("nothing changed (304)", "v1"),
            ("feeds rebuilt, no entry changed", "v2"),
        ):
            _serve_site(server, episodes, articles, version)
            took, requests, summary = _timed_run(config, data, server)
            print(f"{label:34} {took:7.2f} s  {requests:5} requests   {summary}")


if __name__ == "__main__":
    main()
