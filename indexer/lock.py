"""One writer at a time: an exclusive lock on a file in the data folder.

Everything that changes the catalog or the generations takes it: `catalog reindex`,
`rebuild-index`, `rollback`, `install` and `restore`. `flock` belongs to the open file,
so the kernel releases it when the holder dies, even by SIGKILL: a stale lock cannot
outlive its process. The file names the holder, so the one refused can say who it waits for.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "reindex.lock"


class LockBusy(RuntimeError):
    """Another catalog command holds the lock."""


@contextmanager
def run_lock(data_dir: Path, command: str = "reindex") -> Iterator[None]:
    """Hold the data folder's lock for `command` (the name a refused run reports), or raise LockBusy."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    path = Path(data_dir) / LOCK_NAME
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid, _, holder = handle.read().strip().partition(" ")
            raise LockBusy(
                f"another catalog {holder or 'reindex'} is running (pid {pid or 'unknown'}); this one stops"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {command}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
