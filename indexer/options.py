"""Every option of sources.toml, with its type and default, checked in this one place: those of
every source kind, and those of `[settings]` with its golden queries.

`indexer.config.SourceConfig` runs `checked_options` when it is made, so a reader never
checks an option: it reads `source.options[key]`, with the default filled in where the
kind declares one. Nothing here imports a reader, so a config is checked (and a bad one
refused) even when a reader's own libraries are missing.
"""

from __future__ import annotations

import copy
import ipaddress
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

_NO_DEFAULT = object()
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*")


class OptionError(ValueError):
    """One option is missing, unknown or of the wrong type; the message names it."""


@dataclass(frozen=True)
class Option:
    expected: str  # how the error message describes a good value
    accepts: Callable[[object], bool]
    default: object = _NO_DEFAULT

    def with_default(self, default: object) -> Option:
        return Option(self.expected, self.accepts, default)


def _number(
    minimum: float, above: bool = False, integer: bool = False, maximum: float = math.inf
) -> Callable[[object], bool]:
    def accepts(value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
            return False
        return (value > minimum if above else value >= minimum) and value <= maximum

    return accepts


def _string(value: object) -> bool:
    return isinstance(value, str)


def _table(value: object) -> bool:
    return isinstance(value, dict)


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _http_url(value: object) -> bool:
    if not _text(value):
        return False
    parts = urlparse(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _list_of(item: Callable[[object], bool], empty_ok: bool = False) -> Callable[[object], bool]:
    return lambda value: isinstance(value, list) and (empty_ok or bool(value)) and all(map(item, value))


def _language(value: object) -> bool:
    return isinstance(value, str) and _LANGUAGE_CODE.fullmatch(value) is not None


def _network(value: object) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        return False
    return True


def _networks(value: object) -> bool:
    return isinstance(value, bool) or _list_of(_network)(value)


SECONDS = Option("a number of seconds, 0 or more", _number(0))
PATH = Option("a non-empty string (a path, relative to the config file's folder)", _text)
HTTP_URL = Option('an http(s) URL such as "https://example.org/feed.xml"', _http_url)
LANGUAGES = Option('a non-empty list of language codes such as ["en", "de"]', _list_of(_language), ["en"])

COMMON = {
    "gone_after": Option("a whole number of runs, 1 or more", _number(1, integer=True), 3),
    # what visitors read as the source's name (default: the feed's or channel's own name)
    "title": Option('a non-empty string such as "Riverbend Run Club podcast"', _text),
}
NETWORK = {
    "allow_private_network": Option('true, false or a list of networks such as ["10.0.0.0/8"]', _networks),
    "timeout": Option("a number of seconds above 0", _number(0, above=True)),
    "deadline": Option("a number of seconds above 0 (one whole download)", _number(0, above=True)),
    "max_bytes": Option("a whole number of bytes above 0", _number(0, above=True, integer=True)),
    "retries": Option("a whole number, 0 or more", _number(0, integer=True)),
    "backoff": SECONDS,
    "max_new": Option("a whole number of items, 0 or more", _number(0, integer=True)),
}
POLITE_SLEEP = {"sleep": SECONDS.with_default(0.5)}  # between two fetches from the same site
# the coach's transcript corrections (see indexer.corrections), for the kinds with timed transcripts
CORRECTIONS = {"corrections": Option("the path of a corrections .toml file or of a folder of them", _text)}
YTDLP = {
    "url": Option('a URL yt-dlp understands, such as "https://www.youtube.com/@coach/videos"', _text),
    "urls": Option("a non-empty list of URLs yt-dlp understands", _list_of(_text)),
    "languages": LANGUAGES,
    "cookies": Option("the path of a cookies.txt file", _text),
    # yt-dlp's own pauses replace `sleep`: between requests, subtitle downloads and videos.
    "sleep_requests": SECONDS.with_default(1.0),
    "sleep_subtitles": SECONDS.with_default(5.0),
    "sleep_videos": SECONDS.with_default(5.0),
    **NETWORK,
    **CORRECTIONS,
}

# kind -> option name -> Option; the kinds are those of `indexer.sources.KINDS`.
KIND_OPTIONS: dict[str, dict[str, Option]] = {
    "youtube": YTDLP,
    "video": YTDLP,
    "ytdlp-folder": {"path": PATH, "languages": LANGUAGES, **CORRECTIONS},
    "podcast": {
        "url": HTTP_URL,
        # transcript languages in order of preference; empty: the feed's own order
        "languages": Option('a list of language codes such as ["en"]', _list_of(_language, empty_ok=True), []),
        **NETWORK,
        **POLITE_SLEEP,
        **CORRECTIONS,
    },
    "articles": {"feed": HTTP_URL, "sitemap": HTTP_URL, "path": PATH, **NETWORK, **POLITE_SLEEP},
    "workouts": {"path": PATH},
    "collections": {"path": PATH},
}
REQUIRED = {"ytdlp-folder": ("path",), "podcast": ("url",), "workouts": ("path",), "collections": ("path",)}
EXACTLY_ONE_OF = {"youtube": ("url", "urls"), "video": ("url", "urls"), "articles": ("feed", "sitemap", "path")}

SETTINGS = {
    # a new generation needs at least this share of the live one's documents
    "min_doc_share": Option("a number from 0 to 1", _number(0, maximum=1), 0.5),
    # queries that must keep finding an item, checked before every swap; each as GOLDEN_QUERY says
    "golden": Option(
        'a list of tables such as { query = "4x400 relay", expect = "youtube:smplIntrv01" }',
        _list_of(_table, empty_ok=True),
        [],
    ),
}
GOLDEN_QUERY = {
    "query": Option("a string", _string),
    "expect": Option('an item id such as "youtube:smplIntrv01"', _string),
    "within": Option("a whole number of results, 1 or more", _number(1, integer=True), 10),
}


def checked_options(kind: str, options: dict) -> dict:
    """`options` of a source of `kind`, checked, with the kind's defaults filled in.

    Raises OptionError naming the key and what it expects.
    """
    schema = {**KIND_OPTIONS[kind], **COMMON}
    return _checked(options, schema, f"a {kind} source takes", REQUIRED.get(kind, ()), EXACTLY_ONE_OF.get(kind, ()))


def checked_settings(settings: dict) -> dict:
    """The `[settings]` table, checked, with its defaults and those of each golden query filled in."""
    checked = _checked(settings, SETTINGS, "[settings] takes")
    golden = []
    for number, query in enumerate(checked["golden"], 1):
        try:
            golden.append(_checked(query, GOLDEN_QUERY, "a golden query takes", required=("query", "expect")))
        except OptionError as exc:
            raise OptionError(f"golden query {number}: {exc}") from None
    return {**checked, "golden": golden}


def _checked(
    values: dict, schema: dict[str, Option], takes: str, required: tuple = (), exactly_one_of: tuple = ()
) -> dict:
    """`values` checked against `schema`, with its defaults filled in; `takes` starts the list of
    the keys there are, in the message about one that is not."""
    for key in values:
        if key not in schema:
            raise OptionError(f"unknown key {key!r} ({takes} {', '.join(sorted(schema))})")
    for key in required:
        if key not in values:
            raise OptionError(f"missing key {key!r}: {schema[key].expected}")
    given = [key for key in exactly_one_of if key in values]
    choices = ", ".join(map(repr, exactly_one_of))
    if exactly_one_of and not given:
        raise OptionError(f"missing key: one of {choices} is needed")
    if len(given) > 1:
        raise OptionError(f"takes exactly one of {choices}, not {' and '.join(map(repr, given))}")
    for key, value in values.items():
        if not schema[key].accepts(value):
            raise OptionError(f"{key!r} must be {schema[key].expected}, not {_shown(value)}")
    defaults = {key: copy.copy(option.default) for key, option in schema.items() if option.default is not _NO_DEFAULT}
    return {**defaults, **values}


def _shown(value: object) -> str:
    """A config value as TOML would write it, cut short."""
    if isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, str):
        text = '"' + value + '"'
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
