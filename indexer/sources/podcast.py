"""`podcast`: an RSS/Atom feed, with the transcripts and chapters its Podcasting 2.0 tags point at.

The feed costs one conditional GET (a 304 keeps every episode as it was). An episode
whose entry is unchanged and that is not due for a refresh is not fetched again; the
others get their chapters and their best transcript (the configured languages in their
order, then TRANSCRIPT_PREFERENCE among formats). A transcript or chapters file that
fails keeps the stored version of a known episode; a new episode is stored without it
and tried again next run.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from dataclasses import asdict
from urllib.parse import urlparse

from catalog.storage.models import Chapter, Item, Segment
from indexer.fetch import FetchError, fetch
from indexer.sources.base import ItemFailure, SourceContext, SourceError, SourceUnchanged, Unchanged, item_results
from indexer.sources.podcast_feed import Episode, Feed, Transcript, chapters_from_json, parse_feed
from indexer.timed_text import segments_from
from indexer.transcripts import TRANSCRIPT_PREFERENCE

_SLUG_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def read(source, context: SourceContext) -> Iterator[Item | Unchanged | ItemFailure | SourceUnchanged]:
    """The feed's episodes: new and due ones fetched, unchanged ones reported as such."""
    state = context.state
    try:
        response = fetch(source.options["url"], context.policy, state.get("etag"), state.get("last_modified"))
    except FetchError as exc:
        raise SourceError(f"feed {exc}") from None
    if response.not_modified:
        yield SourceUnchanged()
        return
    feed = parse_feed(response.body, response.url)
    yield from feed.failures
    episodes = _Episodes(source, context, feed)
    yield from episodes.read()
    state["fingerprints"] = episodes.fingerprints
    for key, header in (("etag", "etag"), ("last_modified", "last-modified")):
        # Something left for the next run must not be hidden behind a 304.
        if episodes.complete and response.headers.get(header):
            state[key] = response.headers[header]
        else:
            state.pop(key, None)


def item_id(guid: str) -> str:
    """`podcast:` + the guid when it is short and URL-safe, else 16 hex digits of its SHA-1."""
    slug = guid if _SLUG_SAFE.fullmatch(guid) else hashlib.sha1(guid.encode()).hexdigest()[:16]
    return f"podcast:{slug}"


class _Episodes:
    """One run over a feed's episodes, with what it learned for the next run."""

    def __init__(self, source, context: SourceContext, feed: Feed) -> None:
        self.source, self.context, self.feed = source, context, feed
        self.languages = [lang.lower() for lang in source.options["languages"]]
        self.pause = float(source.options["sleep"])  # between the episodes whose transcript is fetched
        self.known_prints: dict = context.state.get("fingerprints") or {}
        self.fingerprints: dict[str, str] = {}
        self.complete = True  # False when something must be tried again next run
        self._fetched = False

    def read(self) -> Iterator[Item | Unchanged | ItemFailure]:
        seen: set[str] = set()
        new = 0
        for number, episode in enumerate(self.feed.episodes, 1):
            key = episode.guid or episode.media_url
            if not key:
                yield ItemFailure(f"entry {number} ({episode.title or 'untitled'})", "no guid and no enclosure")
                continue
            this_id = item_id(key)
            if this_id in seen:
                continue  # a repeated guid: the feed's first entry wins
            seen.add(this_id)
            known = this_id in self.context.known
            if known and this_id not in self.context.due and self.known_prints.get(this_id) == episode.fingerprint:
                self.fingerprints[this_id] = episode.fingerprint
                yield Unchanged(this_id)
                continue
            if not known and self.context.max_new is not None and new >= self.context.max_new:
                self.complete = False  # left for the next run
                continue
            if not known:
                new += 1
            label = f"{this_id} ({episode.title or 'untitled'})"
            results = item_results(label, self._fetch, episode, this_id, known, label)
            if any(isinstance(result, ItemFailure) for result in results):
                self.complete = False  # tried again next run, even behind a 304
            else:
                self.fingerprints[this_id] = episode.fingerprint
            yield from results

    def _fetch(self, episode: Episode, this_id: str, known: bool, label: str) -> Iterator[Item | ItemFailure]:
        """The episode with its transcript and chapters, after a failure for each that failed."""
        if episode.transcripts or episode.chapters_url:
            if self._fetched and self.pause:
                time.sleep(self.pause)
            self._fetched = True
        segments, used, reasons = self._transcript(episode)
        problems = ["; ".join(reasons)] if reasons else []
        chapters: tuple[Chapter, ...] = ()
        if episode.chapters_url:
            try:
                chapters = chapters_from_json(fetch(episode.chapters_url, self.context.policy).text())
            except FetchError as exc:
                problems.append(f"chapters {exc}")
            except ValueError as exc:
                problems.append(f"chapters {episode.chapters_url}: {exc}")
        for problem in problems:
            yield ItemFailure(label, problem)
        if not problems or not known:  # a known episode keeps its stored transcript and chapters
            yield self._item(episode, this_id, segments, chapters, used)

    def _transcript(self, episode: Episode) -> tuple[list[Segment], Transcript | None, list[str]]:
        """The segments of the best transcript that fetches and parses, trying the next on failure.

        The reasons why each one failed matter only when they all did.
        """
        reasons = []
        for transcript in self._candidates(episode):
            try:
                text = fetch(transcript.url, self.context.policy).text()
            except FetchError as exc:
                reasons.append(f"transcript {exc}")
                continue
            try:
                return segments_from(text, transcript.format), transcript, []
            except ValueError as exc:  # a CaptionError, or a time the model refuses
                hint = " (the bytes do not match the declared encoding)" if "\ufffd" in text else ""
                reasons.append(f"transcript {transcript.url} ({transcript.type}): {exc}{hint}")
        return [], None, reasons

    def _candidates(self, episode: Episode) -> list[Transcript]:
        """Readable transcripts in the configured languages (or of no stated language), best first."""
        ranked = []
        for transcript in episode.transcripts:
            rank = self._language_rank(transcript.language)
            if transcript.format and rank is not None:
                ranked.append(((rank, TRANSCRIPT_PREFERENCE.index(transcript.format)), transcript))
        return [transcript for _, transcript in sorted(ranked, key=lambda pair: pair[0])]

    def _language_rank(self, language: str | None) -> int | None:
        if not language or not self.languages:
            return 0
        language = language.lower()
        return next(
            (rank for rank, lang in enumerate(self.languages) if language == lang or language.startswith(f"{lang}-")),
            None,
        )

    def _item(
        self,
        episode: Episode,
        this_id: str,
        segments: list[Segment],
        chapters: tuple[Chapter, ...],
        used: Transcript | None,
    ) -> Item:
        guests = [p.name for p in episode.persons if p.role == "guest"]
        hosts = [p.name for p in episode.persons if p.role == "host"]
        return Item(
            id=this_id,
            kind="podcast",
            title=episode.title or _file_name(episode.media_url) or this_id,
            source=self.source.name,
            source_url=episode.link,
            published=episode.published,
            duration=episode.duration,
            description=episode.description,
            tags=episode.tags,
            people=tuple(dict.fromkeys(hosts + guests)),
            thumbnail=episode.image or self.feed.image,
            captions="manual" if used else "none",
            media_url=episode.media_url,
            extra={
                k: v
                for k, v in (
                    ("show", self.feed.title),
                    ("hosts", hosts),
                    ("guests", guests),
                    ("episode_number", _whole_number(episode.raw.get("itunes_episode"))),
                    ("season_number", _whole_number(episode.raw.get("itunes_season"))),
                )
                if v
            },
            segments=tuple(segments),
            chapters=chapters,
            raw={
                "entry": episode.raw,
                "transcripts": [asdict(t) for t in episode.transcripts],
                "chapters_url": episode.chapters_url,
                "persons": [asdict(p) for p in episode.persons],
                "transcript": {"url": used.url, "type": used.type} if used else None,
            },
        )


def _whole_number(value: object) -> int | None:
    """`itunes:episode` or `itunes:season` as a number, if it is a plain one ("41")."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else None


def _file_name(url: str | None) -> str | None:
    if not url:
        return None
    return urlparse(url).path.rsplit("/", 1)[-1] or None
