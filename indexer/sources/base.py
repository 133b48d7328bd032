"""What every source reader shares: its failure types."""

from __future__ import annotations

from dataclasses import dataclass


class SourceError(RuntimeError):
    """The whole source could not be read this time; its items stay as they were."""


@dataclass(frozen=True)
class ItemFailure:
    """One item could not be read; the other items of the source go on."""

    item: str  # the file, URL or id that failed
    reason: str
