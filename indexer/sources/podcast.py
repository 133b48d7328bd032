"""`podcast`: an RSS/Atom feed, with the transcripts and chapters its Podcasting 2.0 tags point at.

The feed costs one conditional GET (a 304 keeps every episode as it was). Which episodes
are fetched is `Refresh`'s rule (the key is the episode's id, the fingerprint its entry's
fields); those get their chapters and their best transcript (`indexer.transcripts.best_first`:
the configured languages in their order, then the format). A transcript or chapters file
that fails keeps the stored version of a known episode; a new episode is stored without it
and tried again next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from urllib.parse import urlparse

from catalog.ids import podcast_item_id as item_id
from catalog.storage.models import Chapter, Item, Segment
from indexer.config import SourceConfig
from indexer.fetch import FetchError, fetch
from indexer.sources.base import ItemFailure, Result, SourceContext, SourceError, SourceUnchanged
from indexer.sources.podcast_feed import Episode, Feed, Transcript, chapters_from_json, parse_feed
from indexer.sources.refresh import Refresh
from indexer.timed_text import segments_from
from indexer.transcripts import best_first


def read(source: SourceConfig, context: SourceContext) -> Iterator[Result]:
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
    refresh = Refresh(context, pause=source.options["sleep"])
    yield from _Episodes(source, context, feed).read(refresh)
    for key, header in (("etag", "etag"), ("last_modified", "last-modified")):
        # Something left for the next run must not be hidden behind a 304.
        if refresh.complete and response.headers.get(header):
            state[key] = response.headers[header]
        else:
            state.pop(key, None)


class _Episodes:
    """One run over a feed's episodes."""

    def __init__(self, source: SourceConfig, context: SourceContext, feed: Feed) -> None:
        self.source, self.context, self.feed = source, context, feed

    def read(self, refresh: Refresh) -> Iterator[Result]:
        """Each episode, fetched or not as `refresh` says; a repeated guid: the feed's first entry wins."""
        for number, episode in enumerate(self.feed.episodes, 1):
            key = episode.guid or episode.media_url
            if not key:
                yield ItemFailure(f"entry {number} ({episode.title or 'untitled'})", "no guid and no enclosure")
                continue
            this_id = item_id(key)
            label = f"{this_id} ({episode.title or 'untitled'})"
            yield from refresh.item(
                this_id,
                self._fetch,
                episode,
                this_id,
                label,
                fingerprint=episode.fingerprint,
                item_id=this_id,
                label=label,
                requests=bool(episode.transcripts or episode.chapters_url),
            )

    def _fetch(self, episode: Episode, this_id: str, label: str) -> Iterator[Item | ItemFailure]:
        """The episode with its transcript and chapters, after a failure for each that failed."""
        known = this_id in self.context.known
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
        for transcript in best_first(episode.transcripts, self.source.options["languages"]):
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
