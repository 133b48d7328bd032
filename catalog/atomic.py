"""Files replaced whole and durably: a reader sees the old file or the new one, never half,
and after a power cut the new one is there if the call returned."""

from __future__ import annotations

import os
from pathlib import Path


def replace_durably(prepared: Path, target: Path) -> None:
    """Rename `prepared` (a file or a folder, written completely) over `target`, with its
    bytes and the rename both on disk."""
    _fsync(prepared)
    os.replace(prepared, target)
    _fsync(target.parent)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` aside, then put it in place with `replace_durably`."""
    aside = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        aside.write_text(text, encoding="utf-8")
        replace_durably(aside, path)
    finally:
        aside.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
