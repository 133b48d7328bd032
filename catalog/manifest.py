"""Every generation folder lists its files with sizes and SHA-256 digests in MANIFEST.json.

A worker checks sizes when it opens a generation (cheap, and enough to catch a truncated
segment or a missing TOC); installing a copied generation checks the digests too.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST = "MANIFEST.json"


class DamagedGeneration(RuntimeError):
    """A generation folder does not match its manifest."""


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def write_manifest(folder: Path) -> None:
    files = {
        p.name: {"size": p.stat().st_size, "sha256": _digest(p)}
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST and "LOCK" not in p.name
    }
    (folder / MANIFEST).write_text(json.dumps({"files": files}, indent=1))


def check_manifest(folder: Path, digests: bool = False) -> None:
    """Raise DamagedGeneration naming the first file that is missing, resized or altered."""
    try:
        files = json.loads((folder / MANIFEST).read_text())["files"]
    except (OSError, ValueError, KeyError) as exc:
        raise DamagedGeneration(f"{folder.name}: no readable {MANIFEST} ({exc})") from None
    for name, expected in files.items():
        path = folder / name
        if not path.is_file():
            raise DamagedGeneration(f"{folder.name}: {name} is missing")
        if path.stat().st_size != expected["size"]:
            raise DamagedGeneration(
                f"{folder.name}: {name} is {path.stat().st_size} bytes, expected {expected['size']}"
            )
        if digests and _digest(path) != expected["sha256"]:
            raise DamagedGeneration(f"{folder.name}: {name} does not match its SHA-256")
