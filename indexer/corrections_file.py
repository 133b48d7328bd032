"""A source's corrections file: a TOML file, or a folder of them (one per item, or one for the
whole catalog). Each entry names its item (or the file names it once, at the top):

- `[[fix]]` `find` / `replace`, optionally only `from` / `to` (seconds or "m:ss"): the words
  are matched whole, ignoring case and line breaks, in a segment of the transcript;
- `[[cue]]` `at` / `text`: the caption cue that starts within that second says `text` instead;
- `[[speaker]]` `voice` / `name` (optionally `from` / `to`): an anonymous voice ("SPEAKER_1")
  gets a name.

Everything is checked when the file is read; a file that cannot be used as written fails its
source (applying none would undo the coach's corrections).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

KEYS = {
    "fix": ({"find", "replace"}, {"item", "from", "to"}),
    "cue": ({"at", "text"}, {"item"}),
    "speaker": ({"voice", "name"}, {"item", "from", "to"}),
}
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)")


class CorrectionsError(ValueError):
    """A corrections file that cannot be used as written; the message names the file and entry."""


@dataclass(frozen=True)
class Correction:
    kind: str  # fix, cue or speaker
    item: str
    label: str  # where it is written: "corrections.toml: fix 2"
    find: str = ""
    replace: str = ""
    start: float | None = None  # `from`, or the cue's `at`
    end: float | None = None  # `to`
    text: str = ""  # the cue's new text
    voice: str = ""
    name: str = ""

    def in_range(self, second: float) -> bool:
        return (self.start is None or second >= self.start) and (self.end is None or second <= self.end)


def load(path: Path) -> list[Correction]:
    """Every correction in a TOML file, or in the *.toml files of a folder (sorted by name)."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".toml" and p.is_file())
    elif path.is_file():
        files = [path]
    else:
        raise CorrectionsError(f"{path.name}: no such corrections file or folder")
    return [correction for file in files for correction in _file_corrections(file)]


def _file_corrections(path: Path) -> Iterable[Correction]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CorrectionsError(f"{path.name}: not a readable TOML file: {exc}") from None
    unknown = set(data) - {"item", *KEYS}
    if unknown:
        raise CorrectionsError(
            f"{path.name}: unknown table or key {sorted(unknown)[0]!r} (known: item, fix, cue, speaker)"
        )
    default_item = data.get("item")
    for kind, (required, optional) in KEYS.items():
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise CorrectionsError(f"{path.name}: write each {kind} as a [[{kind}]] table")
        for number, entry in enumerate(entries, 1):
            label = f"{path.name}: {kind} {number}"
            yield _correction(kind, label, entry, required, optional, default_item)


def _correction(kind: str, label: str, entry: object, required: set, optional: set, item: object) -> Correction:
    if not isinstance(entry, dict):
        raise CorrectionsError(f"{label}: not a table of keys")
    for key in entry:
        if key not in required | optional:
            raise CorrectionsError(
                f"{label}: unknown key {key!r} (a {kind} takes {', '.join(sorted(required | optional))})"
            )
    texts = {key: entry.get(key) for key in required if key != "at"}
    for key, value in texts.items():
        if not isinstance(value, str) or not (value.strip() or key == "replace"):  # a fix may delete words
            raise CorrectionsError(f"{label}: {key!r} must be some text")
    item = entry.get("item", item)
    if not isinstance(item, str) or not item.strip():
        raise CorrectionsError(f'{label}: no item (give `item = "youtube:ID"` in the entry or at the top of the file)')
    start, end = (_second(entry[key], label, key) if key in entry else None for key in ("from", "to"))
    if start is not None and end is not None and end < start:
        raise CorrectionsError(f"{label}: 'to' is before 'from'")
    if kind == "cue":
        start = _second(entry.get("at"), label, "at")
    fields = {key: " ".join(value.split()) for key, value in texts.items()}
    return Correction(kind=kind, item=item.strip(), label=label, start=start, end=end, **fields)


def _second(value: object, label: str, key: str) -> float:
    """Seconds from a number or a clock time ("2:14", "1:02:03")."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return float(value)
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise CorrectionsError(f'{label}: {key!r} must be seconds or a time such as "2:14", not {value!r:.30}')
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
