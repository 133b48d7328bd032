"""One re-index at a time: an exclusive lock on a file in the data folder.

`flock` belongs to the open file, so the kernel releases it when the holder dies,
even by SIGKILL: a stale lock cannot outlive its process.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = "reindex.lock"


class LockBusy(RuntimeError):
    """Another re-index holds the lock."""


@contextmanager
def run_lock(data_dir: Path) -> Iterator[None]:
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    path = Path(data_dir) / LOCK_NAME
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockBusy(f"another catalog reindex is running (pid {holder}); this one stops") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
