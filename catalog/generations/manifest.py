"""Every generation folder lists its files with sizes and SHA-256 digests in MANIFEST.json.

A worker checks sizes when it opens a generation (cheap, and enough to catch a truncated
segment or a missing TOC); installing a copied generation checks the digests too, and that
the manifest lists every file in the folder, so nothing unlisted rides along.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

MANIFEST = "MANIFEST.json"


class DamagedGeneration(RuntimeError):
    """A generation folder does not match its manifest."""


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def describe(path: Path) -> dict:
    """A file's entry in a manifest: its size and SHA-256."""
    return {"size": path.stat().st_size, "sha256": _digest(path)}


def _indexed_files(folder: Path) -> set[str]:
    """The files a manifest of `folder` covers: all but itself and Whoosh's empty lock files."""
    return {p.name for p in folder.iterdir() if p.is_file() and p.name != MANIFEST and "LOCK" not in p.name}


def write_manifest(folder: Path) -> None:
    files = {name: describe(folder / name) for name in sorted(_indexed_files(folder))}
    (folder / MANIFEST).write_text(json.dumps({"files": files}, indent=1))


def is_plain_relative(name: str) -> bool:
    """True for a relative path with no `..`, `.` or empty part, written the one normal way."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and str(path) == name
        and all(part not in ("", ".", "..") and "\\" not in part for part in path.parts)
    )


def check_files(root: Path, files: dict[str, dict], digests: bool, label: str) -> None:
    """Raise DamagedGeneration naming the first listed file that is missing, resized or altered."""
    for name, expected in files.items():
        path = root / name
        if not path.is_file():
            raise DamagedGeneration(f"{label}: {name} is missing")
        if path.stat().st_size != expected["size"]:
            raise DamagedGeneration(f"{label}: {name} is {path.stat().st_size} bytes, expected {expected['size']}")
        if digests and _digest(path) != expected["sha256"]:
            raise DamagedGeneration(f"{label}: {name} does not match its SHA-256")


def read_manifest(folder: Path) -> dict[str, dict]:
    """The files the folder's manifest lists, each with its size and sha256."""
    try:
        files = json.loads((folder / MANIFEST).read_text())["files"]
        if not all(isinstance(entry, dict) and entry.keys() >= {"size", "sha256"} for entry in files.values()):
            raise ValueError("an entry without size and sha256")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DamagedGeneration(f"{folder.name}: no readable {MANIFEST} ({exc})") from None
    return files


def check_manifest(folder: Path, digests: bool = False, complete: bool = False) -> None:
    """Raise DamagedGeneration if the folder does not match its manifest; with `complete`, also
    if the manifest leaves out a file of the folder or names anything but a file in it."""
    files = read_manifest(folder)
    if complete:
        strange = sorted(name for name in files if not is_plain_relative(name) or "/" in name)
        if strange:
            raise DamagedGeneration(f"{folder.name}: {MANIFEST} names {strange[0]!r}, not a file of the folder")
        unlisted = sorted(_indexed_files(folder) - set(files))
        if unlisted:
            raise DamagedGeneration(f"{folder.name}: {unlisted[0]} is not in {MANIFEST}")
    check_files(folder, files, digests, folder.name)
