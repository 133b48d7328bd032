"""Progress for the maintainer: a bar on a terminal, plain log lines under cron."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
log = logging.getLogger("catalog.reindex")
LOG_EVERY = 100


def progress(items: Iterable[T], desc: str) -> Iterator[T]:
    if sys.stderr.isatty():
        yield from tqdm(items, desc=desc, unit=" items", leave=False)
        return
    count = 0
    for count, item in enumerate(items, 1):
        if count % LOG_EVERY == 0:
            log.info("%s: %d items read", desc, count)
        yield item
    log.info("%s: %d items read", desc, count)
