"""The `articles` kind: folders, feeds and sitemaps of article pages, through fixture_server.

The article site is built at test time from the real skirtrunner posts in the corpus: each
post's Markdown is rendered into a page with the chrome a blog has (menu, header, footer,
a comment), listed by an RSS feed and a sitemap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html import escape, unescape
from pathlib import Path

import frontmatter
import pytest
from markdown_it import MarkdownIt

from catalog.storage import store
from indexer.config import SourceConfig
from indexer.fetch import FetchPolicy
from indexer.sources import articles
from indexer.sources.base import ItemFailure, SourceContext, SourceError, SourceUnchanged, Unchanged
from tests.helpers import live_ids, live_search, reindex_config

CHROME = ("Training log menu", "running in a skirt since 2010", "Zed the commenter", "All rights reserved")
TEMPLATE_TAGS = re.compile(r"{%.*?%}", re.DOTALL)
FAST = {"allow_private_network": True, "retries": 0, "sleep": 0, "timeout": 2}
HILL_POSTS = {"green-lakes-training-week-4", "day-2-mazama-mountain-running-camp", "flower-city-half-2017"}


@pytest.fixture(scope="module")
def posts(corpus) -> dict:
    """stem -> the parsed skirtrunner post."""
    return {path.stem: frontmatter.load(path) for path in sorted((corpus / "articles" / "skirtrunner").glob("*.md"))}


def rfc822(day: str) -> str:
    return datetime.strptime(day, "%Y-%m-%d").strftime("%a, %d %b %Y 08:00:00 +0000")


def page_html(post, canonical: str, extra_body: str = "") -> str:
    body = MarkdownIt("commonmark", {"html": True}).render(TEMPLATE_TAGS.sub("", post.content)) + extra_body
    title = escape(post["title"])
    tags = "".join(f'<meta property="article:tag" content="{escape(tag)}">' for tag in post.get("tags") or ())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Skirt Runner</title>
<link rel="canonical" href="{canonical}"><meta name="author" content="Amy Dawson">{tags}</head>
<body><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/training/">Training log menu</a></li></ul></nav>
<header class="site-header"><p>Skirt Runner: running in a skirt since 2010</p></header>
<main><article><h1>{title}</h1><p class="byline">By Amy Dawson, <time datetime="{post["date"]}">{post["date"]}</time></p>
{body}</article>
<section id="comments" class="comments"><h2>One comment</h2>
<div class="comment"><p>Zed the commenter says: what a race, congratulations to you both!</p></div></section></main>
<footer class="site-footer"><p>Copyright Skirt Runner. All rights reserved.</p></footer></body></html>"""


@dataclass
class Site:
    """The blog on fixture_server: pages at /p/STEM.html, canonical URLs at the post's permalink."""

    server: object
    posts: dict
    dates: dict = field(default_factory=dict)  # stem -> pubDate override
    links: dict = field(default_factory=dict)  # stem -> link override

    def page_path(self, stem: str) -> str:
        return f"/p/{stem}.html"

    def canonical(self, stem: str) -> str:
        return self.server.url("/" + self.posts[stem]["permalink"])

    def serve(self, etag: str = "v1") -> Site:
        for stem, post in self.posts.items():
            self.server.route(self.page_path(stem), page_html(post, self.canonical(stem)), headers=HTML)
        self.server.route("/feed.xml", self.rss(), etag=etag, headers=XML)
        self.server.route("/sitemap.xml", self.sitemap(), headers=XML)
        return self

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{escape(post['title'])}</title>"
            f"<link>{escape(self.links.get(stem, self.server.url(self.page_path(stem))))}</link>"
            f"<guid>{stem}</guid><pubDate>{self.dates.get(stem, rfc822(post['date']))}</pubDate>"
            f"<category>from-the-feed</category></item>"
            for stem, post in self.posts.items()
        )
        channel = f"<channel><title>Skirt Runner</title>{items}</channel>"
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'

    def sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.server.url(self.page_path(stem))}</loc><lastmod>{post['date']}</lastmod></url>"
            for stem, post in self.posts.items()
        )
        return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def site(fixture_server, posts) -> Site:
    return Site(fixture_server, posts).serve()


@pytest.fixture
def small_site(fixture_server, posts) -> Site:
    return Site(fixture_server, {stem: posts[stem] for stem in ("green-lakes-training-week-4", "may-day-5k")}).serve()


def source(**options) -> SourceConfig:
    return SourceConfig(name="blog", kind="articles", options={**FAST, **options}, base_dir=Path("/"))


def config(**options) -> str:
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in {**FAST, **options}.items())
    return f'[sources.blog]\nkind = "articles"\n{lines}'


def read(options: dict, context: SourceContext | None = None) -> list:
    """Everything the reader yields, with the fetch policy a run would give it."""
    config = source(**options)
    context = context or SourceContext()
    context.policy = FetchPolicy.from_options(config.options)
    return list(articles.read(config, context))


def items_of(results: list) -> dict:
    assert [r for r in results if isinstance(r, ItemFailure)] == []
    return {r.id: r for r in results if not isinstance(r, Unchanged | SourceUnchanged)}


def text_of(item) -> str:
    return " ".join(segment.text for segment in item.segments)


# --- config ---------------------------------------------------------------------------------


# --- feed and sitemap -----------------------------------------------------------------------


def test_feed_pages_keep_the_article_not_the_site_chrome(site, posts):
    by_id = items_of(read({"feed": site.server.url("/feed.xml")}))
    assert len(by_id) == 18
    for stem, post in posts.items():
        item = by_id["article:" + post["permalink"].strip("/").split("/")[-1]]
        text = text_of(item)
        assert not [chrome for chrome in CHROME if chrome.lower() in text.lower() + item.body_html.lower()], stem
        title = " ".join(post["title"].split())  # trafilatura folds the double spaces of one title
        assert (item.title, item.people, item.published) == (title, ("Amy Dawson",), post["date"])
        assert set(item.tags) == set(post["tags"])
        assert item.source_url == site.canonical(stem) and item.kind == "article"
        assert all(segment.start is None for segment in item.segments)
    mile = by_id["article:hartshorne-masters-mile"]
    assert "I settled on a 7:15 goal and wrote my 200 splits on my hand." in text_of(mile)
    assert "{%" not in text_of(mile)


def test_segment_n_is_the_block_with_id_p_n(site):
    item = items_of(read({"feed": site.server.url("/feed.xml")}))["article:green-lakes-training-week-4"]
    for number, segment in enumerate(item.segments):
        block = re.search(rf'<(\w+) id="p-{number}">(.*?)</\1>', item.body_html, re.DOTALL)
        assert block, f"no element with id p-{number}"
        assert " ".join(unescape(re.sub(r"<[^>]+>", "", block[2])).split()) == segment.text


def test_feed_ids_match_the_folder_ids_of_the_same_posts(site, posts, corpus):
    from_feed = set(items_of(read({"feed": site.server.url("/feed.xml")})))
    from_folder = set(items_of(read({"path": str(corpus / "articles" / "skirtrunner")})))
    same_slug = {f"article:{stem}" for stem, post in posts.items() if post["permalink"].strip("/").endswith(stem)}
    assert len(same_slug) == 17 and same_slug <= from_feed and same_slug <= from_folder
    assert from_feed - from_folder == {"article:mithacal-miles-time-trial"}  # its permalink differs from its file


def test_second_run_is_one_conditional_feed_request(site, fresh_data, tmp_path):
    first = reindex_config(fresh_data, tmp_path / "conf", config(feed=site.server.url("/feed.xml")))
    assert first.exit_code == 0 and first.sources[0].new == 18
    ids = live_ids(fresh_data)
    requests_before = len(site.server.log)
    second = reindex_config(fresh_data, tmp_path / "conf", config(feed=site.server.url("/feed.xml")))
    assert second.exit_code == 0 and second.sources[0].unchanged == 18
    assert site.server.log[requests_before:] == [("/feed.xml", "v1")]
    assert live_ids(fresh_data) == ids and len(ids) == 18


def test_only_changed_or_due_entries_are_fetched_again(site):
    feed = {"feed": site.server.url("/feed.xml")}
    context = SourceContext()
    first = items_of(read(feed, context))
    site.dates["may-day-5k"] = "Mon, 01 Jan 2024 08:00:00 +0000"  # the feed says this one changed
    site.serve(etag="v2")
    hits = {stem: site.server.hits(site.page_path(stem)) for stem in site.posts}
    again = SourceContext(known=set(first), due={"article:hartshorne-masters-mile"}, state=context.state)
    results = read(feed, again)
    refetched = {stem for stem in site.posts if site.server.hits(site.page_path(stem)) > hits[stem]}
    assert refetched == {"may-day-5k", "hartshorne-masters-mile"}
    assert sum(isinstance(r, Unchanged) for r in results) == 16
    assert again.state["etag"] == "v2"


def test_a_due_page_that_failed_is_fetched_again_the_next_run(small_site):
    feed = {"feed": small_site.server.url("/feed.xml")}
    first = SourceContext()
    ids = set(items_of(read(feed, first)))
    page = small_site.page_path("may-day-5k")
    small_site.serve(etag="v2").server.route(page, "oops", status=500)
    failing = SourceContext(known=ids, due={"article:may-day-5k"}, state=first.state)
    assert [r.item for r in read(feed, failing) if isinstance(r, ItemFailure)] == [small_site.server.url(page)]
    small_site.serve(etag="v2")  # the page is back, the feed as it was

    again = read(feed, SourceContext(known=ids, state=failing.state))  # nothing due

    assert {getattr(r, "id", None) for r in again} == {"article:may-day-5k", None}


def test_max_new_caps_new_pages_and_keeps_the_feed_for_the_rest(site):
    context = SourceContext(max_new=5)
    assert len(items_of(read({"feed": site.server.url("/feed.xml")}, context))) == 5
    assert "etag" not in context.state  # the 13 left must be fetched next run, not answered 304
    rest = SourceContext(known={page["id"] for page in context.state["fingerprints"].values()}, state=context.state)
    assert len(items_of(read({"feed": site.server.url("/feed.xml")}, rest))) == 18 - 5


def test_sitemap_with_lastmod_and_a_sitemap_index(site):
    by_url = items_of(read({"sitemap": site.server.url("/sitemap.xml")}))
    assert len(by_url) == 18 and by_url["article:may-day-5k"].published == "2013-05-11"
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.server.url('/sitemap.xml')}</loc></sitemap></sitemapindex>"
    )
    context = SourceContext()
    via_index = items_of(read({"sitemap": site.server.route("/index.xml", index, headers=XML)}, context))
    assert set(via_index) == set(by_url)
    again = read({"sitemap": site.server.url("/index.xml")}, SourceContext(known=set(via_index), state=context.state))
    assert {r.item_id for r in again} == set(by_url)  # lastmod unchanged: nothing fetched


def test_a_page_that_is_gone_is_not_yielded(small_site, fresh_data, tmp_path):
    toml = config(feed=small_site.server.url("/feed.xml"), gone_after=1)
    assert reindex_config(fresh_data, tmp_path / "c", toml).exit_code == 0
    small_site.dates["may-day-5k"] = "Mon, 01 Jan 2024 08:00:00 +0000"  # the feed says it changed
    small_site.serve(etag="v2")
    small_site.server.route(small_site.page_path("may-day-5k"), "gone", status=410)
    report = reindex_config(fresh_data, tmp_path / "c", toml)
    assert report.exit_code == 0 and report.errors == []
    assert live_ids(fresh_data) == {"article:green-lakes-training-week-4"}


# --- folders --------------------------------------------------------------------------------


def test_corpus_markdown_folders(corpus):
    blog = items_of(read({"path": str(corpus / "articles" / "skirtrunner")}))
    assert len(blog) == 18 and blog["article:hartshorne-masters-mile"].published == "2018-01-21"
    notes = items_of(read({"path": str(corpus / "articles" / "runwith-show-notes")}))
    assert len(notes) == 14
    first = notes["article:run-01"]
    assert (first.title, first.published, first.extra["number"]) == ("Hi, There!", "2016-04-05", "1")
    assert first.extra["run"].startswith("//www.strava.com/activities/536514052")
    assert text_of(first).startswith("I went for a run. And then I invited you to join me!")
    assert "Title:" not in first.body_html and 'id="p-0"' in first.body_html


def test_pelican_headers_with_tags_and_authors(tmp_path):
    (tmp_path / "note.md").write_text(
        "Title: Tempo Tuesday\nDate: 2016-05-02 20:37\nTags: tempo, threshold\n"
        "Authors: Chris Krycho\nSummary: Short\n\nA tempo run, explained.\n"
    )
    (item,) = items_of(read({"path": str(tmp_path)})).values()
    assert (item.tags, item.people, item.description) == (("tempo", "threshold"), ("Chris Krycho",), "Short")
    assert item.extra == {}


def test_html_files_in_a_folder(tmp_path, posts):
    post = posts["hartshorne-masters-mile"]
    canonical = "https://skirtrunner.example/race-report/hartshorne-masters-mile/"
    (tmp_path / "mile.html").write_text(page_html(post, canonical))
    no_canonical = page_html(posts["may-day-5k"], "").replace('<link rel="canonical" href="">', "")
    (tmp_path / "plain.htm").write_text(no_canonical)
    (tmp_path / "empty.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    latin = '<html><head><meta charset="utf-8"></head><body><p>Caf\xe9</p></body></html>'
    (tmp_path / "latin.html").write_bytes(latin.encode("latin-1"))
    (tmp_path / "notes.md").write_text("---\ntitle: Notes\n---\nA Markdown note beside the pages.\n")
    results = read({"path": str(tmp_path)})
    failures = {r.item: r.reason for r in results if isinstance(r, ItemFailure)}
    assert failures.keys() == {"empty.html", "latin.html"}
    assert "no article text found" in failures["empty.html"] and "not valid utf-8 text" in failures["latin.html"]
    by_id = {r.id: r for r in results if not isinstance(r, ItemFailure)}
    assert set(by_id) == {"article:hartshorne-masters-mile", "article:plain", "article:notes"}
    mile = by_id["article:hartshorne-masters-mile"]
    assert mile.source_url == canonical
    assert "7:15 goal" in text_of(mile) and "Zed the commenter" not in text_of(mile)
    assert by_id["article:plain"].source_url is None and by_id["article:plain"].title == "May Day 5K 2013"


def test_article_html_is_sanitised(fixture_server, posts):
    evil = (
        '<p>Run the <a href="javascript:alert(1)">hill loop</a> twice <img src="x" onerror="alert(2)"> and relax.</p>'
        '<script>alert(3)</script><p onclick="alert(4)">Cool down with strides after the hill loop.</p>'
    )
    page = page_html(posts["may-day-5k"], "javascript:alert(5)", extra_body=evil)
    fixture_server.route("/evil.html", page, headers=HTML)
    sitemap = f"<urlset><url><loc>{fixture_server.url('/evil.html')}</loc></url></urlset>"
    (item,) = items_of(read({"sitemap": fixture_server.route("/s.xml", sitemap, headers=XML)})).values()
    assert "Cool down with strides after the hill loop." in text_of(item)
    for vector in ("<script", "javascript:", "onerror", "onclick", "alert("):
        assert vector not in item.body_html
    assert item.source_url == fixture_server.url("/evil.html")  # a javascript: canonical URL is not taken


def test_feed_entry_fills_what_the_page_does_not_say(fixture_server):
    text = "Strides are short, relaxed accelerations of about twenty seconds after an easy run. " * 4
    fixture_server.route("/bare", f"<html><body><article><p>{text}</p></article></body></html>", headers=HTML)
    feed = (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Club</title><item>'
        "<title>Strides, explained</title><link>/bare</link><pubDate>Tue, 05 Mar 2024 08:00:00 +0000</pubDate>"
        "<category>strides</category><dc:creator>Marisol Vega</dc:creator></item></channel></rss>"
    )
    (item,) = items_of(read({"feed": fixture_server.route("/f.xml", feed, headers=XML)})).values()
    assert (item.id, item.title, item.published) == ("article:bare", "Strides, explained", "2024-03-05")
    assert (item.tags, item.people, item.source_url) == (("strides",), ("Marisol Vega",), fixture_server.url("/bare"))


# --- end to end -----------------------------------------------------------------------------


def test_hill_repeats_finds_the_paragraph(site, fresh_data, tmp_path):
    assert reindex_config(fresh_data, tmp_path / "c", config(feed=site.server.url("/feed.xml"))).exit_code == 0
    top = live_search(fresh_data, "hill repeats")["results"][0]
    assert top["id"].removeprefix("article:") in HILL_POSTS
    moment = top["moments"][0]
    number = int(re.fullmatch(r"/items/.+#p-(\d+)", moment["url"])[1])
    body = store.get_item(store.open_readonly(fresh_data), top["id"])["body_html"]
    block = re.search(rf'id="p-{number}">(.*?)</', body, re.DOTALL)[1]
    assert "hill" in block.lower() and "<mark>" in moment["text_html"]


# --- XML bombs and the fault matrix ---------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>&xxe;</loc></url></urlset>"""


@pytest.mark.parametrize("kind", ["feed", "sitemap"])
@pytest.mark.parametrize("bomb", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_xml_bombs_are_refused(fixture_server, kind, bomb):
    url = fixture_server.route("/bomb.xml", bomb, headers=XML)
    with pytest.raises(SourceError, match=r"bomb\.xml: refused unsafe XML, entity declarations are not accepted"):
        read({kind: url})
    assert fixture_server.hits("/bomb.xml") == 1  # and nothing else was fetched


LATIN1_FEED = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title></channel></rss>'
FAULTS = {
    "http-500": ({"status": 500, "body": "oops"}, "HTTP 500"),
    "http-404": ({"status": 404, "body": "no"}, "HTTP 404"),
    "http-429": ({"status": 429, "headers": {"Retry-After": "1"}}, "HTTP 429 Too Many Requests, retry after 1 s"),
    "timeout": ({"delay": 1.5}, "timed out after 0.5 s"),
    "refused": (None, "connection failed"),
    "malformed": ({"body": "<rss><channel><item><title>half", "headers": XML}, "malformed XML"),
    "wrong-encoding": (
        {"body": LATIN1_FEED.encode("latin-1"), "headers": XML},
        "the bytes do not match the declared encoding",
    ),
    "50-mb": ({"stream_bytes": 50 * 1024 * 1024}, "over the 1048576-byte limit"),
    "redirect-loop": ({"status": 302, "headers": {"Location": "{path}"}}, "redirect loop"),  # to itself
}
PAGE_FAULTS = {
    **FAULTS,
    "malformed": ({"body": "\x00\x01 not a page", "headers": HTML}, "no article text found"),
    "wrong-encoding": (
        {"body": "<html><body><p>Café</p></body></html>".encode("latin-1"), "headers": HTML},
        "not valid utf-8",
    ),
}
del PAGE_FAULTS["http-404"]  # a page that answers 404 is gone upstream, not an error


def fault_url(server, refused_url: str, case: dict | None, path: str) -> str:
    """Serve the fault at `path`; the refused case is a URL of its own where nothing listens."""
    if case is None:
        return refused_url
    headers = {name: value.format(path=path) for name, value in case.get("headers", {}).items()}
    return server.route(path, **{**case, "headers": headers})


@pytest.mark.parametrize("name", FAULTS)
def test_feed_faults_keep_the_articles(small_site, fresh_data, tmp_path, refused_url, name):
    case, reason = FAULTS[name]
    options = {"timeout": 0.5, "max_bytes": 1024 * 1024}
    first = reindex_config(fresh_data, tmp_path / "c", config(feed=small_site.server.url("/feed.xml"), **options))
    assert first.exit_code == 0
    before = live_ids(fresh_data)
    feed = fault_url(small_site.server, refused_url, case, "/feed.xml")
    report = reindex_config(fresh_data, tmp_path / "c", config(feed=feed, **options))
    assert report.exit_code == 1
    (error,) = report.errors
    assert error["source"] == "blog" and feed in error["reason"] and reason in error["reason"]
    assert live_ids(fresh_data) == before == {"article:green-lakes-training-week-4", "article:may-day-5k"}
    assert live_ids(fresh_data, "hill repeats") == {"article:green-lakes-training-week-4"}


@pytest.mark.parametrize("name", PAGE_FAULTS)
def test_page_faults_fail_one_article_and_keep_its_earlier_version(small_site, fresh_data, tmp_path, refused_url, name):
    case, reason = PAGE_FAULTS[name]
    toml = config(feed=small_site.server.url("/feed.xml"), timeout=0.5, max_bytes=1024 * 1024)
    assert reindex_config(fresh_data, tmp_path / "c", toml).exit_code == 0
    stem = "green-lakes-training-week-4"
    small_site.dates[stem] = "Mon, 01 Jan 2024 08:00:00 +0000"  # the feed says the page changed
    if case is None:
        small_site.links[stem] = refused_url
    small_site.serve(etag="v2")
    page = fault_url(small_site.server, refused_url, case, small_site.page_path(stem))
    report = reindex_config(fresh_data, tmp_path / "c", toml)
    assert report.exit_code == 1
    assert report.errors == [{"source": "blog", "item": page, "reason": report.errors[0]["reason"]}]
    assert reason in report.errors[0]["reason"]
    assert report.sources[0].new + report.sources[0].updated + report.sources[0].unavailable == 0
    earlier = store.get_item(store.open_readonly(fresh_data), f"article:{stem}")
    assert (earlier["status"], earlier["published"]) == ("live", "2014-06-02")
    assert live_ids(fresh_data, "hill repeats") == {f"article:{stem}"}


def test_a_failed_page_is_retried_even_when_the_feed_answers_304(small_site, fresh_data, tmp_path):
    toml = config(feed=small_site.server.url("/feed.xml"))
    page = small_site.page_path("may-day-5k")
    small_site.server.route(page, "oops", status=500)
    first = reindex_config(fresh_data, tmp_path / "c", toml)
    assert first.exit_code == 1 and first.errors[0]["item"] == small_site.server.url(page)
    small_site.serve()  # the page is back; the feed is the same (same ETag)
    second = reindex_config(fresh_data, tmp_path / "c", toml)
    assert second.exit_code == 0 and second.sources[0].new == 1
    assert "article:may-day-5k" in live_ids(fresh_data)
