"""Hostile strings, and a catalog with them in every field a source can fill.

The vectors: the OWASP XSS filter-evasion cheat sheet's families
(https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html) and
breakouts aimed at this site's own contexts (attributes, <title>, JSON-LD, RSS, Jinja). Every
payload either calls `alert(1)` or sets `window.__xss`, so a browser sees an execution as a
dialog or as the marker; scripts from elsewhere point at 127.0.0.1:9 (the discard port).

The catalog: each vector in the title, description, captions (a cue and a `<v>` speaker),
chapters, tags, people, channel and URLs of a ytdlp-folder video; in a podcast feed served on
127.0.0.1 (title, link, notes, category, person, enclosure, image, transcript, chapters);
and in a Markdown and an HTML article. The real `catalog reindex` indexes it.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from tests.fixture_server import FixtureServer
from tests.reliability import podcast_feed, run_reindex

VECTORS: tuple[str, ...] = (
    # plain script and event-handler injection
    "<script>alert(1)</script>",
    "<script>window.__xss=1</script>",
    "<SCRIPT SRC=//127.0.0.1:9/xss.js></SCRIPT>",
    '<SCRIPT/XSS SRC="http://127.0.0.1:9/xss.js"></SCRIPT>',
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=window.__xss=1>",
    "<svg/onload=alert(1)>",
    "<svg><script>window.__xss=1</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<body onload=alert(1)>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(1)>",
    "<details open ontoggle=window.__xss=1>",
    "<input autofocus onfocus=alert(1)>",
    "<xss id=x tabindex=1 onfocus=window.__xss=1 autofocus></xss>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=window.__xss=1>",
    "<marquee onstart=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    # URLs with scripting schemes, obfuscated
    '<a href="javascript:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="jav&#x0A;ascript:window.__xss=1">newline</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">decimal entities</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29">hex</a>',
    '<a href="javascript&colon;alert(1)">named colon</a>',
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=`javascript:alert(1)`>",
    "<IMG SRC=java\x00script:alert(1)>",
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    "<iframe src=javascript:alert(1)>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">svg link</text></a></svg>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:window.__xss=1">go</button>',
    '<BASE HREF="javascript:alert(1);//">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
    '<OBJECT TYPE="text/x-scriptlet" DATA="data:text/html,<script>alert(1)</script>"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" type="image/svg+xml">',
    "javascript:alert(1)",
    "JaVaScRiPt:window.__xss=1",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    # parser confusion: broken and nested tags, comments, mutation XSS
    "<<SCRIPT>alert(1);//\\<</SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "--><script>alert(1)</script><!--",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>window.__xss=1</script></template>",
    # styles
    '<DIV STYLE="width: expression(alert(1));">',
    '<div style="background-image: url(javascript:alert(1))">',
    '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>XSS</br>',
    '<style>@import "javascript:alert(1)";</style>',
    # breaking out of this site's contexts: attributes, <title>, <script> (JSON-LD), JSON, Jinja
    '"><script>alert(1)</script>',
    "'><img src=x onerror=window.__xss=1>",
    '" onmouseover="alert(1)" autofocus onfocus="alert(1)" x="',
    "' onfocus='window.__xss=1' autofocus x='",
    "</title><script>window.__xss=1</script>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "\u2028\u2029</script><script>window.__xss=1</script>",
    '{"x":"</script><script>alert(1)</script>"}',
    '\\";alert(1);//',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "{{ config }}{% print 7*7 %}${alert(1)}",
)


# Characters XML 1.0 cannot carry, even escaped: a feed publisher cannot send them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
PARAGRAPH = "Tempo running builds the engine for every race distance, and " * 4


def marker(n: int) -> str:
    """A word of its own beside vector `n` everywhere, so searching it finds that vector's items."""
    return "zx" + chr(97 + n // 26) + chr(97 + n % 26) + "k"  # no ending the stemmer would fold


def item_ids(n: int) -> dict[str, str]:
    """The ids the catalog gives the items planted with vector number `n`, by where they came from."""
    return {
        "video": f"generic:hostile{n:03}",
        "podcast": f"podcast:hostile-ep-{n:03}",
        "markdown": f"article:hostile-md-{n:03}",
        "html": f"article:hostile-page-{n:03}",
    }


def _vtt(n: int, vector: str) -> str:
    """Captions carrying the vector raw (its `-->` defused, else the file is malformed) and escaped,
    as a well-formed file would, in a cue and in a speaker's `<v>` name."""
    raw, escaped = vector.replace("-->", "--&gt;"), html.escape(vector, quote=False)
    return (
        f"WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v {escaped} >{marker(n)} {raw} tempo\n\n"
        f"00:00:31.000 --> 00:00:35.000\n<v Coach>{marker(n)} words after {escaped}\n"
    )


def _write_video(folder: Path, n: int, vector: str) -> None:
    info = {
        "id": f"hostile{n:03}",
        "title": f"{marker(n)} {vector}",
        "extractor_key": "Generic",
        "duration": 60,
        "upload_date": f"2024{1 + n % 12:02}{1 + n % 28:02}",
        "description": f"{marker(n)} {vector} tempo",
        "tags": [vector, "tempo"],
        "cast": [vector],
        "channel": vector,
        "subtitles": {"en": []},
        "webpage_url": vector,
        "thumbnail": vector,
        "url": vector,
        "chapters": [{"start_time": 0, "title": f"{marker(n)} {vector}"}, {"start_time": 30, "title": "second half"}],
    }
    (folder / f"hostile{n:03}.info.json").write_text(json.dumps(info))
    (folder / f"hostile{n:03}.en.vtt").write_text(_vtt(n, vector))


def _episode(server: FixtureServer, n: int, vector: str) -> str:
    text = html.escape(NOT_XML.sub("", vector))
    server.route(f"/t/{n}.vtt", _vtt(n, vector), headers={"Content-Type": "text/vtt"})
    chapters = {"version": "1.2.0", "chapters": [{"startTime": 0, "title": f"{marker(n)} {vector}"}]}
    server.route(f"/c/{n}.json", json.dumps(chapters), headers={"Content-Type": "application/json+chapters"})
    return (
        f"<item><title>{marker(n)} {text}</title><guid isPermaLink='false'>hostile-ep-{n:03}</guid>"
        f"<pubDate>Tue, 02 Jun 2020 08:00:00 -0400</pubDate><link>{text}</link><category>{text}</category>"
        f"<description><![CDATA[<p>{marker(n)} {NOT_XML.sub('', vector)} tempo</p>]]></description>"
        f'<enclosure url="{text}" type="audio/mpeg" length="1"/><itunes:image href="{text}"/>'
        f'<podcast:person role="guest">{text}</podcast:person>'
        f'<podcast:transcript url="{server.url(f"/t/{n}.vtt")}" type="text/vtt"/>'
        f'<podcast:chapters url="{server.url(f"/c/{n}.json")}" type="application/json+chapters"/></item>'
    )


def _write_articles(folder: Path, n: int, vector: str) -> None:
    front = {
        "title": f"{marker(n)} {vector}",
        "description": f"{marker(n)} {vector} tempo",
        "tags": [vector, "tempo"],
        "author": vector,
        "date": "2023-05-01",
    }
    matter = "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
    body = (
        f"{marker(n)} {vector} tempo\n\nA [link](javascript:alert(1)) about tempo.\n\n<p>raw {marker(n)} {vector}</p>\n"
    )
    (folder / f"hostile-md-{n:03}.md").write_text(f"---\n{matter}---\n\n{body}")
    escaped = html.escape(vector)
    page = (
        f"<!doctype html><html><head><title>{marker(n)} {escaped}</title>"
        f"<meta name='description' content='tempo {escaped}'><meta name='author' content='{escaped}'>"
        f"<meta name='keywords' content='{escaped}'></head><body><article>"
        f"<h1>{marker(n)} {escaped}</h1><p>{PARAGRAPH} {marker(n)} {vector} tempo.</p><p>{PARAGRAPH}</p>"
        f"<p>{PARAGRAPH}<a href='javascript:alert(1)'>a link</a></p></article></body></html>"
    )
    (folder / f"hostile-page-{n:03}.html").write_text(page)


def build_hostile_catalog(workdir: Path) -> Path:
    """Plant every vector in every source kind and index them with `catalog reindex`; returns the data folder."""
    videos, articles, data = workdir / "videos", workdir / "articles", workdir / "data"
    videos.mkdir(parents=True)
    articles.mkdir()
    with FixtureServer() as server:
        for n, vector in enumerate(VECTORS):
            _write_video(videos, n, vector)
            _write_articles(articles, n, vector)
        feed = podcast_feed([_episode(server, n, vector) for n, vector in enumerate(VECTORS)])
        server.route("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
        (workdir / "sources.toml").write_text(
            f'[sources.videos]\nkind = "ytdlp-folder"\npath = "{videos}"\n\n'
            f'[sources.articles]\nkind = "articles"\npath = "{articles}"\n\n'
            f'[sources.podcast]\nkind = "podcast"\nurl = "{server.url("/feed.xml")}"\n'
            "allow_private_network = true\nretries = 0\nsleep = 0\n"
        )
        status, output = run_reindex(data, workdir / "sources.toml")
    if status != 0:
        raise RuntimeError(f"catalog reindex of the hostile catalog exited {status}:\n{output[-3000:]}")
    return data
