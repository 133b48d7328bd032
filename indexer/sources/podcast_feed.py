"""A podcast feed's bytes read safely into plain episodes, Podcasting 2.0 tags included.

The bytes go through defusedxml first, so a feed declaring entities (billion laughs,
XXE) is refused before feedparser sees it. feedparser reads the standard fields; the
`podcast:` tags are read from the same ElementTree, because feedparser keeps only the
last `podcast:transcript` or `podcast:person` of an item and drops the person's name.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import re
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlparse
from xml.etree.ElementTree import Element

import feedparser

from catalog.storage.models import Chapter
from indexer.html_clean import cut_at_word, plain_notes
from indexer.safe_xml import parse_xml
from indexer.sources.base import ItemFailure, SourceError, item_results
from indexer.transcripts import json_list, transcript_format

# The namespace's URI, and the one early feeds used.
PODCAST_NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)
FEED_ROOTS = {"rss", "feed", "RDF"}
DESCRIPTION_CHARS = 1000


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str
    language: str | None = None
    rel: str | None = None

    @property
    def format(self) -> str | None:
        """ "vtt", "srt", "json" or "html"; the URL's extension if the type is missing or unknown."""
        return transcript_format(self.type) or transcript_format(PurePosixPath(urlparse(self.url).path).suffix)


@dataclass(frozen=True)
class Person:
    name: str
    role: str = "host"
    group: str = "cast"


@dataclass(frozen=True)
class Episode:
    """One feed entry with the fields the catalog uses, and the entry itself as plain data."""

    guid: str | None
    title: str
    media_url: str | None
    link: str | None
    published: str | None
    duration: int | None
    description: str
    image: str | None
    tags: tuple[str, ...]
    transcripts: tuple[Transcript, ...] = ()
    chapters_url: str | None = None
    persons: tuple[Person, ...] = ()
    raw: dict = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the entry's own fields do (not when the transcript behind a URL does)."""
        return hashlib.sha1(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Feed:
    title: str
    image: str | None
    episodes: tuple[Episode, ...]
    failures: tuple[ItemFailure, ...] = ()  # entries that could not be read at all


def parse_feed(body: bytes, url: str) -> Feed:
    """The episodes of a feed; SourceError if it is unsafe, malformed or not a feed at all."""
    root = safe_tree(body, url)
    parsed = feedparser.parse(io.BytesIO(body))  # a stream: a bytes argument may be opened as a file name
    channel = root.find("channel")
    channel_persons = _persons(channel if channel is not None else root)
    tags_by_key = {_element_key(item, url): item for item in root.iter() if _local(item.tag) in ("item", "entry")}
    episodes, failures = [], []
    for number, entry in enumerate(parsed.entries, 1):
        label = f"entry {number} ({' '.join(str(entry.get('title') or 'untitled').split())[:80]})"
        for result in item_results(label, _full_episode, entry, url, tags_by_key, channel_persons):
            (failures if isinstance(result, ItemFailure) else episodes).append(result)
    image = parsed.feed.get("image", {})
    return Feed(
        title=str(parsed.feed.get("title") or ""),
        image=_absolute(url, image.get("href") or image.get("url")),
        episodes=tuple(episodes),
        failures=tuple(failures),
    )


def _full_episode(entry: dict, url: str, tags_by_key: dict, channel_persons: tuple[Person, ...]) -> Episode:
    """One entry with its Podcasting 2.0 tags (the channel's persons when it names none)."""
    episode = _episode(entry, url)
    element = tags_by_key.get(episode.guid or episode.media_url)
    if element is not None:
        episode = _with_podcast_tags(episode, element, url)
    return episode if episode.persons else replace(episode, persons=channel_persons)


def safe_tree(body: bytes, url: str) -> Element:
    """The parsed feed XML (entities refused), checked to be RSS or Atom."""
    root = parse_xml(body, f"feed {url}")
    if _local(root.tag) not in FEED_ROOTS:
        raise SourceError(f"feed {url}: not an RSS or Atom feed (root element <{_local(root.tag)}>)")
    return root


def chapters_from_json(text: str) -> tuple[Chapter, ...]:
    """The table of contents of a JSON Chapters file (entries with toc: false are not in it)."""
    entries = json_list(text, "chapters", "chapters file", error=ValueError)
    return tuple(
        Chapter(start=c["startTime"], title=str(c["title"]).strip())
        for c in entries
        if isinstance(c, dict)
        and c.get("toc", True) is not False
        and str(c.get("title") or "").strip()
        and isinstance(c.get("startTime"), int | float)
        and not isinstance(c.get("startTime"), bool)
    )


def duration_seconds(value: object) -> int | None:
    """`itunes:duration` as seconds: "h:mm:ss", "mm:ss" or plain seconds; None if unreadable."""
    try:
        numbers = [float(part) for part in str(value or "").strip().split(":")]
    except ValueError:
        return None
    if len(numbers) > 3 or not all(0 <= n < math.inf for n in numbers):
        return None
    return int(functools.reduce(lambda total, n: total * 60 + n, numbers, 0.0))


def _episode(entry: dict, base: str) -> Episode:
    enclosures = [link for link in entry.get("links", ()) if link.get("rel") == "enclosure" and link.get("href")]
    media_url = _absolute(base, enclosures[0]["href"]) if enclosures else None
    notes = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
    link = str(entry.get("link") or "")
    if entry.get("guidislink") and not link.startswith(("http://", "https://")):
        link = ""  # feedparser's stand-in for a missing <link> is the guid, here not a web address
    return Episode(
        guid=str(entry.get("id") or "").strip() or None,
        title=" ".join(str(entry.get("title") or "").split()),
        media_url=media_url,
        link=_absolute(base, link) or media_url,
        published=_published(entry),
        duration=duration_seconds(entry.get("itunes_duration")),
        description=cut_at_word(_with_subtitle(entry, plain_notes(notes)), DESCRIPTION_CHARS),
        image=_absolute(base, (entry.get("image") or {}).get("href")),
        tags=tuple(dict.fromkeys(t["term"].strip() for t in entry.get("tags", ()) if (t.get("term") or "").strip())),
        raw=_plain(entry),
    )


def _with_subtitle(entry: dict, notes: str) -> str:
    """Plain show notes led by the episode's `itunes:subtitle` unless they already say it:
    podcast apps show that one line under the title, and it is often the only place an episode
    says what it is about ("Running while traveling"). Many feeds cut the notes' opening to
    make the subtitle, often mid-word; that is saying it too."""
    subtitle = str(entry.get("subtitle") or "")
    if (entry.get("subtitle_detail") or {}).get("type") == "text/html":  # feedparser sanitised it
        subtitle = plain_notes(subtitle)
    words = _words(subtitle)
    if not words or _said_in(_words(notes), words):
        return notes
    return "\n\n".join(filter(None, (" ".join(subtitle.split()), notes)))


def _said_in(said: list[str], words: list[str]) -> bool:
    """Whether `said` holds `words` in a row, the last of which may be cut short."""
    size = len(words)
    return any(
        said[at : at + size - 1] == words[:-1] and said[at + size - 1].startswith(words[-1])
        for at in range(len(said) - size + 1)
    )


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _with_podcast_tags(episode: Episode, element: Element, base: str) -> Episode:
    transcripts = tuple(
        Transcript(_absolute(base, t.get("url")), t.get("type", ""), t.get("language") or None, t.get("rel") or None)
        for t in _podcast_children(element, "transcript")
        if t.get("url")
    )
    chapters = next((c.get("url") for c in _podcast_children(element, "chapters") if c.get("url")), None)
    return replace(episode, transcripts=transcripts, chapters_url=_absolute(base, chapters), persons=_persons(element))


def _persons(element: Element) -> tuple[Person, ...]:
    return tuple(
        Person(" ".join(p.text.split()), (p.get("role") or "host").lower(), (p.get("group") or "cast").lower())
        for p in _podcast_children(element, "person")
        if p.text and p.text.strip()
    )


def _podcast_children(element: Element, name: str) -> list[Element]:
    return [child for ns in PODCAST_NAMESPACES for child in element.findall(f"{{{ns}}}{name}")]


def _element_key(item: Element, base: str) -> str | None:
    """What feedparser calls the entry's id (RSS guid, Atom id), else its enclosure URL."""
    guid = next((c.text for c in item if _local(c.tag) in ("guid", "id") and c.text and c.text.strip()), None)
    if guid:
        return guid.strip()
    enclosure = next((c for c in item if _local(c.tag) == "enclosure" and c.get("url")), None)
    return _absolute(base, enclosure.get("url")) if enclosure is not None else None


def _published(entry: dict) -> str | None:
    """The date in the publisher's time zone (RSS or ISO 8601 dates), else feedparser's UTC date."""
    for key in ("published", "updated"):
        text = str(entry.get(key) or "").strip()
        for parse in (parsedate_to_datetime, datetime.fromisoformat):
            try:
                return parse(text).date().isoformat()
            except (TypeError, ValueError):
                continue
        if entry.get(f"{key}_parsed"):
            return time.strftime("%Y-%m-%d", entry[f"{key}_parsed"])
    return None


def _absolute(base: str, url: object) -> str | None:
    return urljoin(base, str(url).strip()) if url and str(url).strip() else None


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _plain(value: object) -> object:
    """feedparser's entry as JSON-able data (its parsed time tuples are left out)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not str(k).endswith("_parsed")}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)
